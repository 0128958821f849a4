#!/usr/bin/env bash
# The sqlite3 shell built from Debian's source package (with Debian's
# patches, configure options and CFLAGS, like the sqlite3 app's binary, but
# without readline, which the shell only uses at a terminal) as a glibc
# static-PIE, as /usr/bin/sqlite3 with the sqlite3 app's script /test.sql
# and an empty /tmp (for an on-disk database), into the rootfs directory $1.
#
# The source package is fetched at build time (scripts/fetch-source.sh keeps
# the download under build/third_party) and built under build/apps-src/
# (never committed); the binary is reused while this recipe and the source
# version stay the same. Build dependencies as in Debian's debian/control,
# less readline's, Tcl's headers and the documentation's: autoconf,
# automake, libtool (Debian reconfigures after patching configure.ac),
# tclsh (tcl8.6: generates sqlite3.h, the amalgamation and shell.c),
# chrpath and the static libz.a (zlib1g-dev).
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
name=sqlite3_static
srcpkg=sqlite3
need_pkgs gcc make libc6-dev dpkg-dev file binutils autoconf automake libtool \
	tcl8.6 chrpath zlib1g-dev

# shellcheck source=apps/_static_lib.sh
. "$here/../_static_lib.sh"

# Debian's CFLAGS (debian/rules), which decide the features.
DEBIAN_DEFS=(
	-DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA
	-DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS
	-DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1
	-DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1
	-DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ALLOW_ROWID_IN_VIEW
	-DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 -DSQLITE_ENABLE_LOAD_EXTENSION
	-DSQLITE_ENABLE_JSON1 -DSQLITE_LIKE_DOESNT_MATCH_BLOBS
	-DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_FTS3_TOKENIZER=1
	-DSQLITE_USE_URI=1 -DSQLITE_MAX_SCHEMA_RETRY=25
	-DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION
	-DSQLITE_ENABLE_STMTVTAB -DSQLITE_MAX_VARIABLE_NUMBER=250000
)

if stale; then
	need_static libz.a libm.a libc.a
	command -v tclsh8.6 >/dev/null || die "no tclsh8.6 (package tcl8.6)"
	unpack_fresh
	step autoreconf.log autoreconf -fi
	# Debian's configure options, less the shared library, the Tcl
	# extension and readline; the amalgamation (one big compile) builds
	# quicker than Debian's file by file.
	step configure.log ./configure --prefix=/usr \
		--disable-shared --enable-static --disable-tcl --disable-readline \
		--enable-threadsafe --enable-load-extension --enable-json \
		--enable-fts4 --enable-fts5 \
		CFLAGS="-O2 -fPIE -fno-strict-aliasing ${DEBIAN_DEFS[*]}" \
		LDFLAGS='-static-pie'
	grep -q '^TLIBS = .*-lz' Makefile ||
		die "configure found no static zlib (see $work/configure.log)"
	step make.log make -j2 sqlite3
	# libtool links with -rpath $(libdir), and glibc's static-PIE start-up
	# asserts there is no RUNPATH; Debian removes it with chrpath too.
	step chrpath.log chrpath -d sqlite3
	check_static_pie sqlite3
	cp sqlite3 "$bin"
	cd "$work" || exit
	rm -rf "$work/src"
	echo "$key" >"$work/.key"
	echo "  BUILT   $name in $((SECONDS - t0))s" >&2
fi

mkdir -p "$out/usr/bin"
install -m 755 "$bin" "$out/usr/bin/sqlite3"
cp "$here/../sqlite3/test.sql" "$out/test.sql"
chmod 644 "$out/test.sql"
fix_time "$out/test.sql"
mkdir -p "$out/tmp"
chmod 1777 "$out/tmp"
