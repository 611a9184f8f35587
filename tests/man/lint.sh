#!/bin/sh
# Every man page passes mandoc -Tlint with nothing to say.
root=${1:?source root}
n=0
fail=0
for page in "$root"/man/*.[0-9]; do
	n=$((n + 1))
	out=$(mandoc -Tlint -W warning "$page" 2>&1)
	if [ -z "$out" ]; then
		echo "ok $n - $(basename "$page") passes mandoc -Tlint"
	else
		echo "not ok $n - $(basename "$page") passes mandoc -Tlint"
		printf '%s\n' "$out" | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
