#!/usr/bin/env bash
# Writes the seed corpus of one host fuzz target into OUTDIR, from programs
# and libraries built here (tests/hostfuzz/seeds/), the host tests' sample
# programs and archives made the way run.sh makes them. Files for the
# ldwalk and elfcompat targets are packed as fuzz.h reads them.
#
# usage: tests/hostfuzz/mkseeds.sh ldwalk|elfcompat|cpio OUTDIR
# env: CC (gcc), GOOD (the host tests' sample programs: glibc-dynamic)
set -eu
target=$1
out=$2
CC=${CC:-gcc}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/seeds
work=$out.work
rm -rf "$out" "$work"
mkdir -p "$out" "$work"

# pack SEED PREFIX PATH=FILE...: SEED is PREFIX (printf's format) then each
# FILE as "@@FILE PATH\n" and its bytes, the files apart by a newline.
pack() {
	local seed=$out/$1 prefix=$2 first=1 spec
	shift 2
	{
		# shellcheck disable=SC2059 # the prefix is a format on purpose
		printf "$prefix"
		for spec in "$@"; do
			[ $first = 1 ] || printf '\n'
			first=0
			printf '@@FILE %s\n' "${spec%%=*}"
			cat "${spec#*=}"
		done
	} >"$seed"
}

# text NAME CONTENT: a small file of the seeds' own.
text() {
	printf '%b' "$2" >"$work/$1"
}

# Libraries and programs: tiny (no libc, no separate code page), each
# under the name and soname a tree wants. lib NAME SONAME FUNC [ARGS...]
# shellcheck disable=SC2054 # the commas are the linker's
ccflags=(-O1 -nostdlib -Wl,-z,noseparate-code -Wl,--hash-style=gnu -L"$work"
	-Wl,-rpath-link,"$work" -Wl,--no-as-needed)
lib() {
	local name=$1 soname=$2 func=$3
	shift 3
	"$CC" "${ccflags[@]}" -fPIC -shared -Wl,-soname,"$soname" -DFZ_NAME="$func" \
		-o "$work/$name" "$src/lib.c" "$@"
}
prog() {
	local name=$1 interp=$2
	shift 2
	"$CC" "${ccflags[@]}" -fPIE -pie -Wl,--dynamic-linker="$interp" \
		-o "$work/$name" "$src/prog.c" "$@"
}

build_closure() {
	lib ld.so ld-linux-x86-64.so.2 fz_ldso
	lib libc.so.6 libc.so.6 fz_libc -l:ld.so
	lib musl-libc.so libc.so fz_musl
	lib libfzb.so.1 libfzb.so.1 fz_b
	lib libfzaux.so.1 libfzaux.so.1 fz_aux
	# shellcheck disable=SC2016 # $LIB is the loader's token
	lib libfza.so.1 libfza.so.1 fz_a -DFZ_NEXT -l:libfzb.so.1 \
		-Wl,--disable-new-dtags,-rpath,'/opt/fz/$LIB'
	lib libfzc.so.1 libfzc.so.1 fz_a -Wl,-f,libfzaux.so.1 -l:libc.so.6
	# shellcheck disable=SC2016 # $ORIGIN is the loader's token
	prog prog-glibc /lib64/ld-linux-x86-64.so.2 -l:libfza.so.1 -l:libc.so.6 \
		-Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib/fz'
	prog prog-conf /lib64/ld-linux-x86-64.so.2 -l:libfzc.so.1 -l:libc.so.6
	cp "$work/musl-libc.so" "$work/libc.so"
	prog prog-musl /lib/ld-musl-x86_64.so.1 -l:libc.so -l:libfza.so.1
	rm "$work/libc.so"
}

case $target in
ldwalk)
	build_closure
	glibc=(/lib64/ld-linux-x86-64.so.2="$work/ld.so"
		/lib/x86_64-linux-gnu/libc.so.6="$work/libc.so.6")
	pack rpath '\0' /usr/bin/prog="$work/prog-glibc" "${glibc[@]}" \
		/usr/lib/fz/libfza.so.1="$work/libfza.so.1" \
		/opt/fz/lib/x86_64-linux-gnu/libfzb.so.1="$work/libfzb.so.1"
	pack relative '\0' usr/bin/prog="$work/prog-glibc" "${glibc[@]}" \
		/usr/lib/fz/libfza.so.1="$work/libfza.so.1" \
		/lib/x86_64-linux-gnu/libfzb.so.1="$work/libfzb.so.1"
	text ld.so.conf 'include ld.so.conf.d/*.conf\n/usr/local/lib\nhwcap 0 nosegneg\n'
	text fz.conf '# the seeds own\n/opt/fzconf/\n/usr/lib/old=libc6\n'
	pack conf '\1' /usr/bin/prog="$work/prog-conf" "${glibc[@]}" \
		/etc/ld.so.conf="$work/ld.so.conf" /etc/ld.so.conf.d/fz.conf="$work/fz.conf" \
		/opt/fzconf/libfzc.so.1="$work/libfzc.so.1" \
		/lib/x86_64-linux-gnu/libfzaux.so.1="$work/libfzaux.so.1"
	# A real cache (ldconfig's, with the machine's directories too) that
	# names a directory of its own, where the library then is.
	mkdir -p "$work/cachedir"
	cp "$work/libfzc.so.1" "$work/cachedir/"
	printf '%s\n' "$work/cachedir" >"$work/cache.conf"
	if ldconfig -X -C "$work/ld.so.cache" -f "$work/cache.conf" 2>/dev/null; then
		pack cache '\2' /usr/bin/prog="$work/prog-conf" "${glibc[@]}" \
			/etc/ld.so.cache="$work/ld.so.cache" \
			"$work/cachedir/libfzc.so.1=$work/libfzc.so.1"
	fi
	text musl.path '/opt/musl/lib\n/usr/lib/fz:/lib\n'
	pack musl '\0' /usr/bin/prog="$work/prog-musl" \
		/lib/ld-musl-x86_64.so.1="$work/musl-libc.so" \
		/etc/ld-musl-x86_64.path="$work/musl.path" \
		/opt/musl/lib/libfza.so.1="$work/libfza.so.1" \
		/usr/lib/fz/libfzb.so.1="$work/libfzb.so.1"
	pack hello '\0' /bin/hello="$GOOD/glibc-dynamic" "${glibc[@]}"
	pack library '\2' /lib/libfza.so.1="$work/libfza.so.1" \
		/lib/x86_64-linux-gnu/libfzb.so.1="$work/libfzb.so.1"
	;;
elfcompat)
	build_closure
	"$CC" -nostdlib -static -o "$work/patterns" "$here/../elfcompat/patterns.S"
	# The same without section headers: the code comes from the segments.
	cp "$work/patterns" "$work/patterns-nosh"
	printf '\0\0' | dd of="$work/patterns-nosh" bs=1 seek=60 conv=notrunc status=none
	pack patterns '' patterns="$work/patterns"
	pack patterns-nosh '' patterns="$work/patterns-nosh"
	pack closure '' prog="$work/prog-glibc" libfza.so.1="$work/libfza.so.1" \
		libfzb.so.1="$work/libfzb.so.1" libc.so.6="$work/libc.so.6"
	# (Not the static programs: their libc's 30 KB of code make an input
	# 50 times slower to analyse, and the corpus fills with their kin.)
	pack hello '' hello="$GOOD/glibc-dynamic"
	;;
cpio)
	# run.sh's own archive commands: a folder (-i -r), a lone program.
	tree=$work/tree
	mkdir -p "$tree/etc" "$tree/usr/bin" "$tree/empty"
	printf 'hello\n' >"$tree/etc/motd"
	: >"$tree/etc/empty-file"
	cp "$GOOD/glibc-dynamic" "$tree/usr/bin/hello"
	ln "$tree/usr/bin/hello" "$tree/usr/bin/hello-link"
	ln -s ../etc/motd "$tree/usr/motd"
	(cd "$tree" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out/rootfs"
	(cd "$tree/etc" && basename motd | cpio -o -H newc --quiet) >"$out/lone"
	# Archives one after the other, as a boot loader may concatenate them.
	{
		cat "$out/lone"
		printf '\0\0\0\0\0\0\0\0'
		cat "$out/rootfs"
	} >"$out/two"
	;;
*)
	echo "mkseeds.sh: unknown target $target" >&2
	exit 2
	;;
esac
rm -rf "$work"
