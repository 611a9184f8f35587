# TAP for the shell tests of tests/ops, sourced: point OK DESCRIPTION [DETAIL]
# prints one test point (OK is an exit status: 0 passes) with DETAIL as
# comments when it fails; n counts the points, fail is 1 after a failure.
n=0
fail=0
point() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
		fail=1
	fi
}
