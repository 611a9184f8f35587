#!/bin/sh
# The built Debian packages, unpacked into a throw-away root with
# dpkg-deb -x (no dpkg database, no maintainer scripts, no systemd needed):
# each holds its files, the conffiles are marked so, the service's user and
# state directory are declared, balied --version runs from the root, and the
# shipped unit passes tests/ops/unit.sh. Then dpkg installs them into a
# second root, where the maintainer scripts make the user, the directory and
# the unit's link. Argument: the directory with the .deb files
# (scripts/package makes it).
debs=${1:?directory of the .deb files}
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/tap.sh"

root=$(mktemp -d) || exit 1
trap 'rm -rf "$root"' EXIT

# has PACKAGE FILE...: every file is in the package and in the root.
has() {
	pkg=$1
	shift
	deb=$(ls "$debs/${pkg}"_*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		point 1 "the package $pkg was built"
		return
	fi
	listing=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
	missing=""
	for f in "$@"; do
		printf '%s\n' "$listing" | grep -qx "$f" && [ -e "$root$f" ] || missing="$missing $f"
	done
	point "$([ -z "$missing" ]; echo $?)" "$pkg installs $*" "missing:$missing"
}

# conffiles PACKAGE FILE...: exactly these are the package's conffiles.
conffiles() {
	pkg=$1
	shift
	deb=$(ls "$debs/${pkg}"_*.deb 2>/dev/null | head -1)
	got=$(dpkg-deb -I "$deb" conffiles 2>/dev/null | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	point "$([ "$got" = "$want" ]; echo $?)" "$pkg marks its conffiles: $want" "got: $got"
}

for deb in "$debs"/*.deb; do
	dpkg-deb -x "$deb" "$root" || point 1 "dpkg-deb -x $(basename "$deb")"
done

has balie /usr/bin/balie /usr/share/man/man1/balie.1.gz /usr/share/man/man5/balie.conf.5.gz \
	/usr/share/man/man5/balie-keys.5.gz /etc/balie/balie.conf
has balied /usr/bin/balied /usr/share/man/man8/balied.8.gz /usr/share/man/man5/balied-rules.5.gz \
	/usr/share/man/man7/balied-sip2.7.gz \
	/etc/balie/balied.conf /etc/balie/rules.conf /lib/systemd/system/balied.service \
	/usr/lib/sysusers.d/balied.conf /usr/lib/tmpfiles.d/balied.conf
has balie-common /usr/share/locale/nl/LC_MESSAGES/balie.mo
conffiles balie /etc/balie/balie.conf
conffiles balied /etc/balie/balied.conf /etc/balie/rules.conf

grep -qx 'u balied - "balie circulation service" /var/lib/balie /usr/sbin/nologin' \
	"$root/usr/lib/sysusers.d/balied.conf" 2>/dev/null
point $? "the sysusers file declares the system user balied"
grep -qx 'd /var/lib/balie 0750 balied balied -' "$root/usr/lib/tmpfiles.d/balied.conf" 2>/dev/null
point $? "the tmpfiles file makes /var/lib/balie, owned by balied"
postinst=$(dpkg-deb -I "$(ls "$debs"/balied_*.deb | head -1)" postinst 2>/dev/null)
printf '%s\n' "$postinst" | grep -q 'systemd-sysusers' &&
	printf '%s\n' "$postinst" | grep -q 'systemd-tmpfiles' &&
	printf '%s\n' "$postinst" | grep -q 'deb-systemd-helper'
point $? "balied's postinst makes the user and the directory, and enables the unit"

# The Dutch catalogue is the one balie's programs use.
msgunfmt "$root/usr/share/locale/nl/LC_MESSAGES/balie.mo" 2>/dev/null | grep -q '^msgstr "..*"'
point $? "balie.mo holds Dutch translations"

version=$("$root/usr/bin/balied" --version 2>&1)
expected="balied $(dpkg-deb -f "$(ls "$debs"/balied_*.deb | head -1)" Version)"
point "$([ "$version" = "$expected" ]; echo $?)" "balied --version from the root says $expected" "$version"
version=$("$root/usr/bin/balie" --version 2>&1)
point "$(printf '%s' "$version" | grep -q '^balie '; echo $?)" "balie --version from the root runs" "$version"

echo "# the unit the package ships"
sh "$here/unit.sh" "$root/lib/systemd/system/balied.service" "$root/usr/bin/balied" \
	"$root/usr/share/man" >"$root.unit" 2>&1
unit_rc=$?
sed 's/^/#   /' "$root.unit"
rm -f "$root.unit"
point $unit_rc "the shipped unit passes tests/ops/unit.sh"

# Installed for real with dpkg into a second root, maintainer scripts and
# all: they run outside it (--force-script-chrootless) with DPKG_ROOT set, so
# systemd-sysusers, systemd-tmpfiles and deb-systemd-helper work in the root.
# Not where systemd runs (the postinst would then start the machine's own
# balied.service) nor without root (the directory is chowned).
if [ "$(id -u)" -ne 0 ] || [ -d /run/systemd/system ]; then
	for what in "dpkg installs the packages" "the user balied" "/var/lib/balie" "enabled"; do
		n=$((n + 1))
		echo "ok $n # SKIP $what: needs root on a machine where systemd does not run"
	done
else
	droot=$(mktemp -d) || exit 1
	trap 'rm -rf "$root" "$droot"' EXIT
	mkdir -p "$droot/var/lib/dpkg/info" "$droot/var/lib/dpkg/updates" "$droot/var/lib/dpkg/triggers"
	: >"$droot/var/lib/dpkg/status"
	: >"$droot/var/lib/dpkg/available"
	# The libraries are the machine's: the root has no libc6 to depend on.
	out=$(dpkg --root="$droot" --force-script-chrootless --force-depends --log=/dev/null \
		-i "$debs"/balie-common_*.deb "$debs"/balied_*.deb "$debs"/balie_*.deb 2>&1)
	installed=$(dpkg --root="$droot" -l 2>/dev/null | awk '$1 == "ii" { print $2 }' | sort | tr '\n' ' ')
	point "$([ "$installed" = "balie balie-common balied " ]; echo $?)" \
		"dpkg installs and configures balie, balie-common and balied" "installed: $installed
$out"
	grep -q '^balied:x:[0-9]*:[0-9]*:balie circulation service:/var/lib/balie:/usr/sbin/nologin$' \
		"$droot/etc/passwd" 2>/dev/null && grep -q '^balied:x:' "$droot/etc/group" 2>/dev/null
	point $? "the postinst makes the system user and group balied" "$(cat "$droot/etc/passwd" 2>&1)"
	uid=$(sed -n 's/^balied:x:\([0-9]*\):.*/\1/p' "$droot/etc/passwd" 2>/dev/null)
	owner=$(stat -c '%u %a' "$droot/var/lib/balie" 2>&1)
	point "$([ -n "$uid" ] && [ "$owner" = "$uid 750" ]; echo $?)" \
		"/var/lib/balie is balied's, mode 0750" "owner and mode: $owner (balied is ${uid:-missing})"
	[ -L "$droot/etc/systemd/system/multi-user.target.wants/balied.service" ]
	point $? "balied.service is enabled in the root"
fi

echo "1..$n"
exit $fail
