#!/usr/bin/env bash
# GNU bc built from Debian's source package (with Debian's patches, flags and
# readline, like the bc app's binary) as a glibc static-PIE, as /usr/bin/bc
# with the bc app's script /calc.bc, into the rootfs directory $1.
#
# The source package is fetched at build time (scripts/fetch-source.sh keeps
# the download under build/third_party) and built under build/apps-src/
# (never committed); the binary is reused while this recipe and the source
# version stay the same. Build dependencies as in Debian's debian/control,
# less the documentation's: autoconf and automake (Debian reconfigures after
# patching bc/Makefile.am), bison, flex, ed (for libmath.h) and the static
# libreadline.a and libtinfo.a.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
name=bc_static
srcpkg="bc"
need_pkgs gcc make libc6-dev dpkg-dev file binutils autoconf automake \
	bison flex ed libreadline-dev libncurses-dev

# shellcheck source=apps/_static_lib.sh
. "$here/../_static_lib.sh"

if stale; then
	need_static libreadline.a libtinfo.a libc.a
	unpack_fresh
	step autoreconf.log autoreconf -fi
	# Debian's configure options and CFLAGS (debian/rules); libtinfo for
	# the static readline, which configure would otherwise not find.
	step configure.log ./configure --prefix=/usr --with-readline \
		--disable-dependency-tracking \
		CFLAGS='-O2 -fPIE -D_POSIX_SOURCE -DDOT_IS_LAST -DDONTEXIT' \
		LDFLAGS='-static-pie' LIBS='-ltinfo'
	grep -q '^#define READLINE 1' config.h ||
		die "configure found no static readline (see $work/configure.log)"
	step make-lib.log make -j2 -C lib
	step make-bc.log make -j2 -C bc bc
	check_static_pie bc/bc
	cp bc/bc "$bin"
	cd "$work" || exit
	rm -rf "$work/src"
	echo "$key" >"$work/.key"
	echo "  BUILT   $name in $((SECONDS - t0))s" >&2
fi

mkdir -p "$out/usr/bin"
install -m 755 "$bin" "$out/usr/bin/bc"
cp "$here/../bc/calc.bc" "$out/calc.bc"
chmod 644 "$out/calc.bc"
fix_time "$out/calc.bc"
