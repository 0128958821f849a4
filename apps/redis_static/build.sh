#!/usr/bin/env bash
# redis-server built from Debian's redis source package (with Debian's
# patches) as a glibc static-PIE, as /usr/bin/redis-server with an empty
# /tmp, into the rootfs directory $1. Run it like the redis app:
#   ./run_app.sh -i -n -p 16379:6379 redis_static   then   redis-cli -p 16379 ping
#
# Debian links its redis-server against the system's jemalloc, OpenSSL and
# systemd, of which there are no static archives here. This build takes the
# Lua and hiredis that the source bundles in deps/, leaves TLS and systemd
# out (BUILD_TLS=no USE_SYSTEMD=no) and uses glibc's malloc (MALLOC=libc):
# the bundled jemalloc does not link with Debian's patches, whose
# "#if defined(USE_JEMALLOC) && (USE_SYSTEM_JEMALLOC == yes)" is true
# without USE_SYSTEM_JEMALLOC too (0 == 0) and renames je_mallctl to the
# system library's mallctl. Only redis-server is built. The source package is fetched at build time (scripts/fetch-source.sh
# keeps the download under build/third_party) and built under
# build/apps-src/ (never committed); the binary is reused while this recipe
# and the source version stay the same.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
name=redis_static
srcpkg=redis
need_pkgs gcc make libc6-dev dpkg-dev file binutils pkg-config

# shellcheck source=apps/_static_lib.sh
. "$here/../_static_lib.sh"

if stale; then
	need_static libc.a libm.a
	unpack_fresh
	# The release header takes a git commit: not this repository's.
	export GIT_CEILING_DIRECTORIES=$work
	# Debian's gcc makes PIE objects by default, the bundled libraries'
	# too; only the final link of redis-server is static (REDIS_LDFLAGS
	# does not reach the bundled libraries' builds).
	step make.log make -j2 -C src V=1 MALLOC=libc USE_SYSTEMD=no BUILD_TLS=no \
		REDIS_LDFLAGS=-static-pie redis-server
	check_static_pie src/redis-server
	# Without the debugging sections (as Debian ships it): a smaller root.
	strip --strip-debug -o "$bin" src/redis-server
	cd "$work" || exit
	rm -rf "$work/src"
	echo "$key" >"$work/.key"
	echo "  BUILT   $name in $((SECONDS - t0))s" >&2
fi

mkdir -p "$out/usr/bin" "$out/tmp"
install -m 755 "$bin" "$out/usr/bin/redis-server"
chmod 1777 "$out/tmp"
