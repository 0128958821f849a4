#!/usr/bin/env bash
# redis-server 7 built here from Debian's redis source package, as a dynamic
# PIE linked against the system's libraries (jemalloc, OpenSSL, liblzf),
# with its library closure, into the rootfs directory $1. Run it like the
# redis app:
#   ./run_app.sh -i -n -p 16379:6379 redis7   then   redis-cli -p 16379 info server
#
# Why both redis and redis7: the catalogue lists them apart. redis is
# Debian's redis-server binary package as installed, whatever major
# version the distribution ships; redis7 is the 7.x line built from
# source with this recipe's flags (the version is checked to be 7.x, and
# the recipe fails rather than quietly build another major), the way
# Debian's debian/rules builds it: dpkg-buildflags with hardening=+all,
# the system's jemalloc (USE_SYSTEM_JEMALLOC=yes), TLS (BUILD_TLS=yes), less
# systemd's notification support (USE_SYSTEMD=no: nothing supervises the
# guest, and libsystemd would bring its own closure). Debian 12 ships
# 7.0.x, so today both run the same source.
#
# The source package is fetched at build time (scripts/fetch-source.sh
# keeps the download under build/third_party) and built under
# build/apps-src/ (never committed); the binary is reused while this recipe
# and the source version stay the same.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
name=redis7
srcpkg=redis
need_pkgs gcc make libc6-dev dpkg-dev file binutils pkg-config \
	libjemalloc-dev liblzf-dev libssl-dev

# shellcheck source=apps/_static_lib.sh
. "$here/../_static_lib.sh"

ver=$(sed -n 's/^Version: *//p' "$dsc")
upver=${ver#*:}
case $upver in
7.*) ;;
*) die "the source package $(basename "$dsc") is redis $upver, not 7.x" ;;
esac

if stale; then
	unpack_fresh
	# The release header takes a git commit: not this repository's.
	export GIT_CEILING_DIRECTORIES=$work
	# debian/rules' flags.
	export DEB_BUILD_MAINT_OPTIONS=hardening=+all
	export DEB_CFLAGS_MAINT_APPEND=-I/usr/include/liblzf
	export DEB_LDFLAGS_MAINT_APPEND="-Wl,-no-as-needed -ldl -latomic -llzf"
	CFLAGS=$(dpkg-buildflags --get CFLAGS)
	CPPFLAGS=$(dpkg-buildflags --get CPPFLAGS)
	LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
	export CFLAGS CPPFLAGS LDFLAGS
	step make.log make -j2 -C src V=1 USE_SYSTEM_JEMALLOC=yes USE_JEMALLOC=yes \
		USE_SYSTEMD=no BUILD_TLS=yes redis-server
	what=$(file -b src/redis-server)
	case $what in
	*"pie executable"*"dynamically linked"*) ;;
	*) die "src/redis-server is not a dynamic PIE: $what" ;;
	esac
	"src/redis-server" --version | grep -q ' v=7\.' ||
		die "src/redis-server is not 7.x: $(src/redis-server --version)"
	# Without the debugging sections (as Debian ships it): a smaller root.
	strip --strip-debug -o "$bin" src/redis-server
	cd "$work" || exit
	rm -rf "$work/src"
	echo "$key" >"$work/.key"
	echo "  BUILT   $name in $((SECONDS - t0))s" >&2
fi

mkdir -p "$out/usr/bin" "$out/tmp"
install -m 755 "$bin" "$out/usr/bin/redis-server"
extract "$out/usr/bin/redis-server"
chmod 1777 "$out/tmp"
