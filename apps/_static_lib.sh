#!/usr/bin/env bash
# Shared by the recipes that build from a Debian source package (the
# _static ones, redis7): the source package fetched into build/third_party,
# a work folder, a cache key, and the checks that a result is a real
# static-PIE. The recipe sets name, srcpkg, here and TOP before sourcing
# this file.
die() {
	echo "$name: $*" >&2
	exit 1
}
# step LOG CMD...: runs CMD with its output in $work/LOG.
step() {
	local log=$work/$1
	shift
	"$@" >"$log" 2>&1 || {
		tail -n 20 "$log" | sed 's/^/    | /' >&2
		die "failed: $* (full log: $log)"
	}
}
# check_static_pie BIN: glibc's static-PIE start-up also asserts that there
# is no DT_RPATH or DT_RUNPATH.
check_static_pie() {
	local what
	what=$(file -b "$1")
	case $what in
	*"static-pie linked"*) ;;
	*) die "$1 is not a static-PIE: $what" ;;
	esac
	if readelf -lW "$1" | grep -q 'Requesting program interpreter'; then
		die "$1 has a PT_INTERP"
	fi
	if readelf -dW "$1" | grep -qE '\((RPATH|RUNPATH)\)'; then
		die "$1 has an RPATH or RUNPATH"
	fi
}
# stale: whether the binary must be built (missing, or made from another
# recipe or source package: the cache key differs).
stale() {
	[ ! -x "$bin" ] || [ "$(cat "$work/.key" 2>/dev/null)" != "$key" ]
}
# unpack_fresh: an empty work folder with the source package unpacked in
# $work/src, which becomes the current directory; t0 starts the clock.
unpack_fresh() {
	rm -rf "$work"
	mkdir -p "$work"
	t0=$SECONDS
	echo "  BUILD   $name from $(basename "$dsc" .dsc) (logs in $work)" >&2
	step unpack.log dpkg-source -x "$dsc" "$work/src"
	# dpkg-source leaves copies of the tarballs next to the tree.
	rm -f "$work"/*.tar.*
	cd "$work/src" || exit
}
# need_static LIB.a...: the static libraries the link needs.
need_static() {
	local a
	for a in "$@"; do
		[ -f "/usr/lib/x86_64-linux-gnu/$a" ] ||
			die "cannot link statically: /usr/lib/x86_64-linux-gnu/$a is missing"
	done
}
# fetch_src: the source package into $tp. The index can name a version
# that the mirror does not serve (yet): then each other version the index
# lists, newest first.
fetch_src() {
	local v
	bash "$TOP/scripts/fetch-source.sh" "$srcpkg" "$tp" >&2 && return 0
	for v in $(apt-cache madison "$srcpkg" |
		awk -F'|' '$3 ~ /Sources/ { gsub(/ /, "", $2); print $2 }' | sort -urV); do
		echo "$name: trying $srcpkg=$v" >&2
		bash "$TOP/scripts/fetch-source.sh" "$srcpkg=$v" "$tp" >&2 && return 0
	done
	return 1
}
tp=$TOP/build/third_party
work=$TOP/build/apps-src/$name
fetch_src || die "cannot fetch the Debian source package $srcpkg"
dsc=$(compgen -G "$tp/.dl-$srcpkg/${srcpkg}_*.dsc" | sort -V | tail -n1)
[ -n "$dsc" ] || die "no ${srcpkg}_*.dsc in $tp/.dl-$srcpkg"
key=$(cat "$here/build.sh" "$here/../_static_lib.sh" "$dsc" | sha256sum | cut -d' ' -f1)
bin=$work/$srcpkg
