#!/bin/sh
# The Dutch catalogue is complete, and every source file that marks strings
# for translation is listed in po/POTFILES (else its strings never reach nl.po).
root=${1:?source root}
n=0
fail=0
point() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

stats=$(msgfmt --check --statistics -o /dev/null "$root/po/nl.po" 2>&1 | tail -n 1)
case "$stats" in
	*untranslated*|*fuzzy*|*error*|'') point no "nl.po is complete: $stats" ;;
	*) point ok "nl.po is complete: $stats" ;;
esac

cd "$root" || exit 1
for f in $(grep -rlE '(^|[^A-Za-z0-9_])(_|N_|P_)\("' src ui --include='*.c' --include='*.h' | sort); do
	case "$f" in src/core/i18n.h) continue ;; esac
	if grep -qxF "$f" po/POTFILES; then
		point ok "$f is in po/POTFILES"
	else
		point no "$f uses gettext but is missing from po/POTFILES"
	fi
done
while read -r f; do
	case "$f" in ''|'#'*) continue ;; esac
	if [ -f "$f" ]; then point ok "po/POTFILES entry $f exists"; else point no "po/POTFILES names $f, which does not exist"; fi
done < po/POTFILES

# Every msgid of the sources is in nl.po (a string added without its Dutch).
pot=$(mktemp)
xgettext --keyword=_ --keyword=N_ --keyword=P_:1,2 --from-code=UTF-8 -o "$pot" -f po/POTFILES 2>/dev/null
missing=$(msgcmp --use-untranslated "po/nl.po" "$pot" 2>&1 | grep -c 'this message is used but not defined' )
if [ "$missing" -eq 0 ]; then point ok "every source string has an entry in nl.po"; else
	point no "$missing source string(s) have no entry in nl.po (run: msgcmp po/nl.po <pot>)"
	msgcmp --use-untranslated po/nl.po "$pot" 2>&1 | sed 's/^/# /' | head -40
fi
rm -f "$pot"
echo "1..$n"
exit $fail
