#!/bin/sh
# In balied, SQL lives only in domain/ and store/ (DESIGN.md section 1): the
# endpoints, the admin commands, the training data and balied's start call
# domain functions, so that a second store driver has one place to serve.
# Every such file must name no SQLite call or type, no statement of the
# store, and no SQL text.
root=${1:?source root}
cd "$root" || exit 1
n=0
fail=0
point() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

pattern='sqlite3|PQ[a-z]+[[:space:]]*\(|store_(stmt|exec|db|step_nowait)[[:space:]]*\(|"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|BEGIN)[[:space:]]'
files=$(find src/service/api src/service/admin src/service/training src/service/mail src/service/sip2 \
	-maxdepth 1 -name '*.[ch]' 2>/dev/null; find src/service -maxdepth 1 -name '*.[ch]')
for f in $(echo "$files" | sort); do
	hits=$(grep -nE "$pattern" "$f")
	if [ -z "$hits" ]; then
		point ok "$f holds no SQL"
	else
		point no "$f holds SQL, which belongs in src/service/domain or src/service/store"
		echo "$hits" | head -5 | sed 's/^/# /'
	fi
done
[ "$n" -gt 20 ] && point ok "$n files of the service outside domain/ and store/ checked" ||
	point no "only $n files of the service outside domain/ and store/ found"
echo "1..$n"
exit $fail
