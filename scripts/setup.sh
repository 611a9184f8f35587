# Shared by scripts/desk and scripts/check: install the Debian packages that
# are missing, make the Dutch locale, configure and build. Sourced, not run.

BALIE_PACKAGES="gcc meson ninja-build pkg-config gettext locales mandoc
	libncurses-dev libcurl4-openssl-dev libcjson-dev libsqlite3-dev
	libmicrohttpd-dev libgnutls28-dev libsodium-dev libvterm-dev libunistring-dev openssl"

# Only for the tests (scripts/check adds them): a real SMTP server, clang
# and libFuzzer, and prometheus for its promtool (tests/service/test_metrics.c);
# on a machine that runs systemd prometheus also starts a server on :9090,
# which a desk that only runs scripts/desk does not want.
BALIE_TEST_PACKAGES="python3-aiosmtpd prometheus clang libclang-rt-14-dev"

# What scripts/package needs on top of the build dependencies it reads
# from debian/control.
BALIE_PACKAGE_TOOLS="dpkg-dev debhelper lintian"

say() { printf '%s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		say "balie: need root (or sudo) to run: $*"
		return 1
	fi
}

install_missing_packages() {
	missing=""
	for p in $BALIE_PACKAGES; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$status" in
			*"install ok installed"*) ;;
			*) missing="$missing $p" ;;
		esac
	done
	[ -z "$missing" ] && return 0
	say "balie: installing Debian packages:$missing"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
	# shellcheck disable=SC2086 # the list is split on purpose
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null || return 1
}

make_dutch_locale() {
	locale -a 2>/dev/null | grep -qix 'nl_NL.utf8' && return 0
	say "balie: generating the nl_NL.UTF-8 locale"
	as_root sh -c "sed -i 's/^# *nl_NL.UTF-8 UTF-8/nl_NL.UTF-8 UTF-8/' /etc/locale.gen &&
		{ grep -q '^nl_NL.UTF-8 UTF-8' /etc/locale.gen || echo 'nl_NL.UTF-8 UTF-8' >> /etc/locale.gen; } &&
		locale-gen >/dev/null" || return 1
}

# build_tree DIR [meson options...]: configure DIR once, then build it.
build_tree() {
	dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || {
			cat "$dir.setup.log" >&2
			return 1
		}
		rm -f "$dir.setup.log"
	fi
	ninja -C "$dir" >"$dir.ninja.log" 2>&1 || {
		cat "$dir.ninja.log" >&2
		return 1
	}
	rm -f "$dir.ninja.log"
}

balie_setup() {
	cd "$(dirname "$0")/.." || return 1
	install_missing_packages || return 1
	make_dutch_locale || return 1
}
