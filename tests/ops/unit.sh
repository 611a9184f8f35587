#!/bin/sh
# balied.service: every hardening directive balied(8) promises is set,
# "systemd-analyze verify" has nothing to say, and the exposure that
# "systemd-analyze security" scores is at most 2.0 (printed as a comment).
# Arguments: the unit file, the balied program it should start, the
# directory of the man pages its Documentation= names (flat, as in the
# source tree, or an installed tree of man1/, man5/, man8/). scripts/package runs
# it again on the unit and program of the built package.
unit=${1:?unit file}
balied=${2:?balied program}
mandir=${3:?man page directory}
max_exposure=2.0

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "1..0 # SKIP systemd-analyze is not installed"
	exit 0
fi

. "$(dirname "$0")/tap.sh"

case $balied in /*) ;; *) balied=$(pwd)/$balied ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The unit as installed names the installed program; here it starts the one
# given, so that verify checks a program that exists.
if [ -r "$unit" ]; then
	sed "s|^ExecStart=[^ ]*|ExecStart=$balied|" "$unit" >"$tmp/balied.service"
else
	point 1 "the unit $unit exists"
	echo "1..$n"
	exit 1
fi

# Documentation=man:... is looked up with man(1) in a man path of sections:
# the installed tree has them, the source tree's pages get one.
manpath=$tmp/man
[ -d "$mandir/man8" ] && manpath=$mandir
[ "$manpath" = "$mandir" ] || for page in "$mandir"/*.[0-9]; do
	section=${page##*.}
	mkdir -p "$tmp/man/man$section"
	ln -s "$(cd "$(dirname "$page")" && pwd)/$(basename "$page")" "$tmp/man/man$section/"
done

missing=""
for d in User=balied Group=balied StateDirectory=balie ProtectSystem=strict ProtectHome=yes \
	PrivateTmp=yes PrivateDevices=yes NoNewPrivileges=yes \
	'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' SystemCallFilter=@system-service \
	SystemCallArchitectures=native CapabilityBoundingSet= AmbientCapabilities= \
	ProtectKernelTunables=yes ProtectKernelModules=yes ProtectKernelLogs=yes \
	ProtectControlGroups=yes ProtectClock=yes ProtectHostname=yes ProtectProc=invisible \
	ProcSubset=pid RestrictNamespaces=yes RestrictRealtime=yes RestrictSUIDSGID=yes \
	LockPersonality=yes MemoryDenyWriteExecute=yes UMask=0077; do
	grep -qx "$d" "$tmp/balied.service" || missing="$missing
$d"
done
point "$([ -z "$missing" ]; echo $?)" "the unit sets every hardening directive" \
	"missing:$missing"

out=$(cd "$tmp" && MANPATH="$manpath" systemd-analyze verify ./balied.service 2>&1)
rc=$?
point "$([ $rc -eq 0 ] && [ -z "$out" ]; echo $?)" "systemd-analyze verify has nothing to say" "$out"

report=$(cd "$tmp" && systemd-analyze security --offline=true --no-pager ./balied.service 2>&1)
exposure=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for balied.service: \([0-9.]*\).*/\1/p')
if [ -z "$exposure" ]; then
	point 1 "systemd-analyze security scores the unit" "$report"
else
	echo "# exposure $exposure (at most $max_exposure)"
	ok=$(awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { print (e <= m) ? 0 : 1 }')
	point "$ok" "systemd-analyze security exposure $exposure is at most $max_exposure" \
		"$(printf '%s\n' "$report" | grep '✗')"
fi

echo "1..$n"
exit $fail
