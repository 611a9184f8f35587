#!/bin/sh
# The layers of DESIGN.md section 1, checked on the sources: what each layer
# may include and call, rooted includes, and the size of a module (SQL's
# place is check-sql.sh's). The same
# rules are first run on a small tree with one planted violation each, so
# that a rule that can no longer fail is itself a failure.
#
# usage: check-layers.sh SOURCE_ROOT      (TAP on standard output)

root=${1:?usage: check-layers.sh SOURCE_ROOT}
n=0
failed=0

say_ok() { n=$((n + 1)); echo "ok $n - $1"; }
say_not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }

# The product's C files under one folder of a tree, one per line.
sources() {
	[ -d "$1/$2" ] && find "$1/$2" -name '*.[ch]' | sort
}

# Lines of files (from standard input) that match an extended pattern,
# as file:line:text, with the tree's root cut off.
matching() {
	tree=$1 pattern=$2
	while read -r f; do
		grep -HnE "$pattern" "$f" | sed "s|^$tree/||"
	done
}

# Every rule: prints one line per violation in the tree $1.
rule_core_alone() {
	sources "$1" src/core | matching "$1" \
		'^[[:space:]]*#[[:space:]]*include[[:space:]]*("(client|service|ui)/|<(curses|ncurses|ncursesw/|term|curl/|sqlite3|libpq-fe|microhttpd)[./])'
}
rule_desk_not_service() {
	{ sources "$1" ui; sources "$1" src/client; } | matching "$1" \
		'^[[:space:]]*#[[:space:]]*include[[:space:]]*"service/'
}
rule_service_not_desk() {
	sources "$1" src/service | matching "$1" \
		'^[[:space:]]*#[[:space:]]*include[[:space:]]*"(client|ui)/'
}
rule_curses_in_ui() {
	{ sources "$1" src; } | matching "$1" \
		'^[[:space:]]*#[[:space:]]*include[[:space:]]*<(curses|ncurses|ncursesw/[a-z]+|term)\.h>'
}
rule_ui_no_transport() {
	sources "$1" ui | matching "$1" \
		'(#[[:space:]]*include[[:space:]]*<(curl/|sqlite3|cjson/)|\<(cJSON|curl_[a-z]+|CURL|sqlite3)\>|\<sqlite3_[a-z])'
}
rule_ui_no_http() {
	sources "$1" ui | matching "$1" \
		'"(GET|POST|PUT|PATCH|DELETE)"|"/(api/|patrons|checkouts|checkins|renewals|session|health|ido/|memberships|branches|items|holds|titles|payments)'
}
rule_mhd_in_http() {
	{ sources "$1" src; sources "$1" ui; } | grep -vE '/src/service/api/http[a-z_]*\.[ch]$' |
		matching "$1" '#[[:space:]]*include[[:space:]]*<microhttpd\.h>|\<MHD_[A-Za-z_]+\('
}
rule_rooted_includes() {
	{ sources "$1" src; sources "$1" ui; } | matching "$1" \
		'^[[:space:]]*#[[:space:]]*include[[:space:]]*"' |
		grep -vE ':[[:space:]]*#[[:space:]]*include[[:space:]]*"((core|client|service|ui)/[a-z0-9_/]+\.h|build_config\.h)"'
}
rule_module_size() {
	{ sources "$1" src; sources "$1" ui; } | grep '\.c$' | while read -r f; do
		lines=$(wc -l < "$f")
		[ "$lines" -gt 800 ] && echo "${f#"$1"/}: $lines lines (at most 800: a file past that is two modules)"
	done
	return 0
}

rule_no_issue_numbers() {
	{ sources "$1" src; sources "$1" ui; sources "$1" tests; } | matching "$1" '[Ii]ssue [0-9]+'
}

rules="core_alone desk_not_service service_not_desk curses_in_ui ui_no_transport ui_no_http
mhd_in_http rooted_includes module_size no_issue_numbers"

describe() {
	case $1 in
	core_alone) echo "src/core includes no client, service or ui header and no curses, curl, SQL or HTTP library" ;;
	desk_not_service) echo "ui/ and src/client/ include nothing of the service" ;;
	service_not_desk) echo "src/service/ includes nothing of the client or ui" ;;
	curses_in_ui) echo "curses is included only in ui/" ;;
	ui_no_transport) echo "ui/ uses no curl, SQLite or cJSON" ;;
	ui_no_http) echo "ui/ spells no HTTP method or path" ;;
	mhd_in_http) echo "libmicrohttpd is used only by the http module (src/service/api/http*)" ;;
	rooted_includes) echo "includes name their layer (\"core/...\", \"client/...\", \"service/...\", \"ui/...\")" ;;
	module_size) echo "no product .c file over 800 lines" ;;
	no_issue_numbers) echo "no comment names an issue by number (name the rule or DESIGN.md's section)" ;;
	esac
}

# A planted violation per rule: file (under the tree) and its text.
plant() {
	tree=$1
	case $2 in
	core_alone) f=src/core/planted.c t='#include "client/api.h"' ;;
	desk_not_service) f=ui/planted.c t='#include "service/domain/staff.h"' ;;
	service_not_desk) f=src/service/api/planted.c t='#include "ui/widgets/term.h"' ;;
	curses_in_ui) f=src/client/planted.c t='#include <ncurses.h>' ;;
	ui_no_transport) f=ui/screens/planted.c t='static cJSON *body;' ;;
	ui_no_http) f=ui/planted.c t='static const char *path = "/checkouts";' ;;
	mhd_in_http) f=src/service/api/router_planted.c t='#include <microhttpd.h>' ;;
	rooted_includes) f=src/service/domain/planted.c t='#include "staff.h"' ;;
	module_size) f=src/client/planted.c t=$(awk 'BEGIN { for (i = 0; i < 801; i++) print "int x" i ";" }') ;;
	no_issue_numbers) f=tests/unit/planted.c t='/* the offline rule (issue 6) */' ;;
	esac
	mkdir -p "$tree/$(dirname "$f")"
	printf '%s\n' "$t" > "$tree/$f"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for r in $rules; do
	mkdir -p "$tmp/$r/src/core" "$tmp/$r/ui"
	plant "$tmp/$r" "$r"
	found=$("rule_$r" "$tmp/$r")
	if [ -n "$found" ]; then
		say_ok "the rule finds a planted violation: $(describe "$r")"
	else
		say_not_ok "the rule finds a planted violation: $(describe "$r")"
	fi
done

for r in $rules; do
	found=$("rule_$r" "$root")
	if [ -z "$found" ]; then
		say_ok "$(describe "$r")"
	else
		say_not_ok "$(describe "$r")"
		echo "$found" | sed 's/^/# /'
	fi
done

echo "1..$n"
exit $failed
