#!/usr/bin/env bash
# gzip built from Debian's source package (with Debian's patches, like the
# gzip app's binary) as a glibc static-PIE, as /bin/gzip, with the gzip
# app's data: a deterministic text file /data.txt and the same compressed
# on the host (/data.txt.gz), into the rootfs directory $1.
#
# The source package is fetched at build time (scripts/fetch-source.sh keeps
# the download under build/third_party) and built under build/apps-src/
# (never committed); the binary is reused while this recipe and the source
# version stay the same. Build dependencies as in Debian's debian/control,
# less the documentation's and the Windows build's: autoconf and automake
# (Debian reconfigures after patching configure.ac).
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
name=gzip_static
srcpkg=gzip
need_pkgs gcc make libc6-dev dpkg-dev file binutils autoconf automake gzip

# shellcheck source=apps/_static_lib.sh
. "$here/../_static_lib.sh"

if stale; then
	need_static libc.a
	unpack_fresh
	step autoreconf.log autoreconf -fi
	# Debian's configure options (debian/rules), and its DEFS=NO_ASM.
	step configure.log env DEFS=NO_ASM ./configure --prefix=/usr --bindir=/bin \
		--disable-dependency-tracking \
		CFLAGS='-O2 -fPIE' LDFLAGS='-static-pie'
	# Only lib/ (gnulib) and the top directory: no doc/, no tests/.
	step make.log make -j2 SUBDIRS=lib
	check_static_pie gzip
	cp gzip "$bin"
	cd "$work" || exit
	rm -rf "$work/src"
	echo "$key" >"$work/.key"
	echo "  BUILT   $name in $((SECONDS - t0))s" >&2
fi

mkdir -p "$out/bin"
install -m 755 "$bin" "$out/bin/gzip"
make_data "$out/data.txt"
gzip -9 -n -c "$out/data.txt" > "$out/data.txt.gz"
chmod 644 "$out/data.txt.gz"
fix_time "$out/data.txt.gz"
