#!/usr/bin/env bash
# Tests tools/ldwalk and extract.sh: closures of system programs against ldd
# (trusted here: these are the machine's own programs), loader corner cases on
# programs built on the spot, refusals, and rootfs trees made by extract.sh.
#
# usage: tests/extract/test-extract.sh     env: BUILD (default <repo>/build),
#        KERNEL (default $BUILD/elfloader_kvm-x86_64: the guest-ls case's)
# Output: "PASS name" / "FAIL name (why)" / "SKIP name (why)" lines, counts in
# $BUILD/test-results/extract.txt as "P F", then "N passed, N failed".
# shellcheck disable=SC2016 # $ORIGIN, $LIB and awk programs are meant literally
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
tmp=$(mktemp -d /tmp/test-extract.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
suite_init extract --dir "$tmp"
EXTRACT=$TOP/extract.sh
LDWALK=$BUILD/tools/ldwalk

# extract.sh builds ldwalk on demand; a first run on a text file does that
# (and must fail), so a build failure shows up here and not as odd diffs.
printf 'just text\n' >"$tmp/text.txt"
"$EXTRACT" "$tmp/text.txt" "$tmp/unused" >/dev/null 2>&1
if [ ! -x "$LDWALK" ]; then
	fail ldwalk-build "extract.sh did not build $LDWALK"
	suite_finish
fi
pass ldwalk-build

# ldd_set CMD... / walk_set ARGS...: the sorted real paths of the files ldd
# (lines "name => path (addr)", or "path (addr)" when the path is the name,
# e.g. the loader or a library found in the current directory; the vDSO's
# line names no file) or ldwalk (lines "kind path") lists.
LDD_PATHS='$2 == "=>" { if ($3 != "not") print $3; next } { print $1 }'
ldd_set() {
	"$@" 2>/dev/null | awk "$LDD_PATHS" |
		while IFS= read -r p; do [ ! -e "$p" ] || readlink -f -- "$p"; done | LC_ALL=C sort -u
}
walk_set() {
	"$LDWALK" "$@" 2>/dev/null | awk '$1 == "interp" || $1 == "lib" || $1 == "libconf"' |
		cut -d' ' -f2- | while IFS= read -r p; do readlink -f -- "$p"; done | LC_ALL=C sort -u
}

# same_as_ldd NAME PROG [LDD-CMD...]: ldwalk (with the cache, and with -C the
# ld.so.conf directories) finds the files the loader's list mode finds.
same_as_ldd() {
	local name=$1 prog=$2 want got gotc
	shift 2
	[ $# -gt 0 ] || set -- ldd
	want=$(ldd_set "$@" "$prog")
	got=$(walk_set "$prog")
	gotc=$(walk_set -C "$prog")
	if [ -z "$want" ]; then
		fail "$name" "the loader listed nothing for $prog"
	elif [ "$want" != "$got" ]; then
		fail "$name" "differs from ldd" "$(diff <(echo "$want") <(echo "$got"))"
	elif [ "$want" != "$gotc" ]; then
		fail "$name" "with -C (ld.so.conf) differs from ldd" "$(diff <(echo "$want") <(echo "$gotc"))"
	else
		pass "$name"
	fi
}

# refused NAME EXPECTED-TEXT... -- CMD...: CMD exits non-zero and its stderr
# holds every expected text.
refused() {
	local name=$1 texts=() out st=0 t
	shift
	while [ "$1" != -- ]; do
		texts+=("$1")
		shift
	done
	shift
	out=$("$@" 2>&1 >/dev/null) || st=$?
	if [ $st -eq 0 ]; then
		fail "$name" "exit status 0"
		return
	fi
	for t in "${texts[@]}"; do
		case $out in
		*"$t"*) ;;
		*)
			fail "$name" "message lacks '$t'" "$out"
			return
			;;
		esac
	done
	pass "$name"
}

# resolve_in_root ROOT PATH: PATH resolved inside ROOT as the guest would
# (absolute symlink targets are taken inside ROOT); prints the host path.
resolve_in_root() {
	local root=$1 rest=${2#/} res='' comp cur t hops=0
	while [ -n "$rest" ]; do
		comp=${rest%%/*}
		if [[ $rest == */* ]]; then rest=${rest#*/}; else rest=; fi
		case $comp in
		'' | .) continue ;;
		..)
			res=${res%/*}
			continue
			;;
		esac
		cur=$res/$comp
		if [ -L "$root$cur" ]; then
			hops=$((hops + 1))
			[ $hops -le 40 ] || return 1
			t=$(readlink -- "$root$cur")
			case $t in
			/*)
				res=
				rest=${t#/}${rest:+/$rest}
				;;
			*) rest=$t${rest:+/$rest} ;;
			esac
			continue
		fi
		[ -e "$root$cur" ] || return 1
		res=$cur
	done
	printf '%s\n' "$root$res"
}

# rootfs_ok NAME PROG DEST: every path ldd prints for PROG (and PROG itself)
# resolves inside DEST to a copy of the file it names on this machine.
rootfs_ok() {
	local name=$1 prog=$2 dest=$3 p r bad=
	while IFS= read -r p; do
		[ -n "$p" ] || continue
		r=$(resolve_in_root "$dest" "$p") && [ -f "$r" ] && cmp -s "$r" "$p" ||
			bad="$bad $p"
	done < <(
		echo "$prog"
		ldd "$prog" 2>/dev/null | awk "$LDD_PATHS" | grep /
	)
	if [ -n "$bad" ]; then
		fail "$name" "missing or different in the rootfs:$bad"
	else
		pass "$name"
	fi
}

# --- system programs: ldwalk against ldd ---------------------------------
# Debian packages: coreutils bash python3-minimal sqlite3 openssl gzip bzip2
# bc curl openssh-client perl tar findutils grep mawk sed xz-utils file git
# qemu-system-x86 busybox-static.
SYSTEM_PROGS=(
	/usr/bin/ls /usr/bin/bash /usr/bin/python3 /usr/bin/sqlite3 /usr/bin/openssl
	/usr/bin/gzip /usr/bin/bzip2 /usr/bin/bc /usr/bin/curl /usr/bin/ssh
	/usr/bin/perl /usr/bin/tar /usr/bin/find /usr/bin/grep /usr/bin/awk
	/usr/bin/sed /usr/bin/xz /usr/bin/file /usr/bin/git /usr/bin/qemu-system-x86_64
)
for prog in "${SYSTEM_PROGS[@]}"; do
	name=ldd-$(basename "$prog")
	if [ ! -x "$prog" ]; then
		skip "$name" "$prog not installed"
		continue
	fi
	same_as_ldd "$name" "$prog"
done

# A static program: the closure is the program alone.
for prog in /usr/bin/busybox /bin/busybox; do
	[ -x "$prog" ] || continue
	out=$("$LDWALK" "$prog" 2>&1)
	if [ "$out" = "exe $prog" ]; then
		pass static-busybox
	else
		fail static-busybox "expected only the exe line" "$out"
	fi
	break
done

# --- programs built here: loader corner cases ------------------------------
W=$tmp/w
mkdir -p "$W"/{a,ok,c32,mach,bad,nosoname,gone,noinherit,lib/x86_64-linux-gnu}
cd "$W" || suite_finish
cc() { gcc -O1 -w "$@" 2>"$W/cc.log" || { cat "$W/cc.log" >&2; return 1; }; }
if ! command -v gcc >/dev/null; then
	skip built-programs "no gcc"
else
	echo 'int b(void) { return 2; }' >b.c
	echo 'int b(void); int a(void) { return b(); }' >a.c
	echo 'int a(void); int main(void) { return a() != 2; }' >ma.c
	echo 'int f(void) { return 1; }' >f.c
	echo 'int f(void); int main(void) { return f() != 1; }' >mf.c
	cc -shared -fPIC -Wl,-soname,libb.so -o a/libb.so b.c
	cc -shared -fPIC -Wl,-soname,liba.so -o a/liba.so a.c -La -lb
	cc -shared -fPIC -Wl,-soname,libf.so -o ok/libf.so f.c

	# DT_RPATH is inherited: liba.so (no paths of its own) finds libb.so
	# through the program's DT_RPATH.
	cc -o rpath_inherit ma.c -La -la -Wl,-rpath-link,a -Wl,--disable-new-dtags,-rpath,'$ORIGIN/a'
	same_as_ldd rpath-inherited "$W/rpath_inherit"

	# DT_RUNPATH is not: liba.so cannot find libb.so.
	cc -o runpath_noinherit ma.c -La -la -Wl,-rpath-link,a -Wl,--enable-new-dtags,-rpath,'$ORIGIN/a'
	refused runpath-not-inherited "libb.so" "not found" "needed by $W/a/liba.so" -- \
		"$LDWALK" "$W/runpath_noinherit"

	# A library with DT_RUNPATH does not search its loaders' DT_RPATH.
	cc -shared -fPIC -Wl,-soname,liba.so -o noinherit/liba.so a.c -La -lb \
		-Wl,--enable-new-dtags,-rpath,/nonexistent
	cp a/libb.so noinherit/
	cc -o runpath_blocks ma.c -Lnoinherit -la -Wl,-rpath-link,noinherit \
		-Wl,--disable-new-dtags,-rpath,'$ORIGIN/noinherit'
	if ldd "$W/runpath_blocks" 2>&1 | grep -q 'libb.so => not found'; then
		refused runpath-blocks-rpath "libb.so" "not found" -- "$LDWALK" "$W/runpath_blocks"
	else
		fail runpath-blocks-rpath "ldd found libb.so: the case is wrong"
	fi

	# Candidates of another class or machine are skipped, as ld.so does.
	cp ok/libf.so c32/libf.so
	printf '\001' | dd of=c32/libf.so bs=1 seek=4 conv=notrunc status=none
	cp ok/libf.so mach/libf.so
	printf '\267\000' | dd of=mach/libf.so bs=1 seek=18 conv=notrunc status=none
	cc -o skip_other mf.c -Lok -lf -Wl,--disable-new-dtags,-rpath,'$ORIGIN/c32:$ORIGIN/mach:$ORIGIN/ok'
	same_as_ldd skip-other-class-machine "$W/skip_other"

	# A file that is not ELF where the library is looked for stops ld.so.
	# (longer than an ELF header, or ld.so says "file too short")
	printf 'not a library, just a text file that is longer than an ELF header\n' >bad/libf.so
	cc -o bad_candidate mf.c -Lok -lf -Wl,--disable-new-dtags,-rpath,'$ORIGIN/bad:$ORIGIN/ok'
	refused bad-candidate "$W/bad/libf.so" "invalid ELF header" -- "$LDWALK" "$W/bad_candidate"

	# $LIB is Debian's multiarch directory; an empty list element is the
	# current directory.
	cp ok/libf.so lib/x86_64-linux-gnu/
	cc -o dst_lib mf.c -Lok -lf -Wl,--enable-new-dtags,-rpath,'/nonexistent:${ORIGIN}/$LIB'
	same_as_ldd dst-lib "$W/dst_lib"
	cc -o empty_elem mf.c -Lok -lf -Wl,--disable-new-dtags,-rpath,':/nonexistent'
	cd ok && same_as_ldd rpath-empty-element "$W/empty_elem"
	cd "$W" || suite_finish

	# A DT_NEEDED holding a path (a library without DT_SONAME linked by path).
	cc -shared -fPIC -o nosoname/libn.so f.c
	cc -o needed_path mf.c "$W/nosoname/libn.so"
	same_as_ldd needed-path "$W/needed_path"

	# A DT_NEEDED path naming a FIFO: refused without opening it, which
	# would block (a device's open could act on it).
	mkdir -p fifo
	cc -shared -fPIC -o fifo/libq.so f.c
	cc -o needs_fifo mf.c "$W/fifo/libq.so"
	rm fifo/libq.so
	mkfifo fifo/libq.so
	refused needed-fifo "$W/fifo/libq.so" "not a regular file" -- timeout 20 "$LDWALK" "$W/needs_fifo"

	# -R: the walk inside a root folder, as the program sees it there: its
	# absolute symbolic link stays inside, $ORIGIN is its real folder there,
	# the loader and libc are the folder's.
	R=$W/root
	mkdir -p "$R/opt/app/lib" "$R/usr/bin" "$R/lib64" "$R/lib/x86_64-linux-gnu"
	cc -o "$R/opt/app/prog" mf.c -Lok -lf -Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib'
	cp ok/libf.so "$R/opt/app/lib/"
	ln -s /opt/app/prog "$R/usr/bin/prog"
	cp -L /lib64/ld-linux-x86-64.so.2 "$R/lib64/"
	cp -L /lib/x86_64-linux-gnu/libc.so.6 "$R/lib/x86_64-linux-gnu/"
	want=$(printf '%s\n' "exe /usr/bin/prog" "interp /lib64/ld-linux-x86-64.so.2" \
		"lib /lib/x86_64-linux-gnu/libc.so.6" "lib /opt/app/lib/libf.so")
	got=$("$LDWALK" -R "$R" /usr/bin/prog 2>&1 | LC_ALL=C sort)
	if [ "$got" = "$want" ]; then
		pass ldwalk-root
	else
		fail ldwalk-root "differs" "$(diff <(echo "$want") <(echo "$got"))"
	fi

	# -C -R: the root's ld.so.conf, whose includes loop and multiply (each
	# line includes the file four times): each file is read once, so the
	# walk ends at once.
	mkdir -p "$R/etc/ld.so.conf.d" "$R/opt/conf"
	cc -o "$R/opt/app/prog-conf" mf.c -Lok -lf
	mv "$R/opt/app/lib/libf.so" "$R/opt/conf/"
	printf 'include ld.so.conf.d/*.conf\ninclude %s\n' \
		"ld.so.conf ld.so.conf ld.so.conf ld.so.conf" >"$R/etc/ld.so.conf"
	printf 'include ../ld.so.conf /etc/ld.so.conf\n/opt/conf\n' >"$R/etc/ld.so.conf.d/a.conf"
	got=$(timeout 20 "$LDWALK" -C -R "$R" /opt/app/prog-conf 2>&1 | grep libf)
	if [ "$got" = "libconf /opt/conf/libf.so" ]; then
		pass ldwalk-conf-loops
	else
		fail ldwalk-conf-loops "want libconf /opt/conf/libf.so" "$got"
	fi

	# A missing library: refused, naming it and who needs it.
	cc -shared -fPIC -Wl,-soname,libgone.so -o gone/libgone.so f.c
	cc -o needs_gone mf.c -Lgone -lgone
	rm gone/libgone.so
	refused missing-lib "libgone.so" "not found" "needed by $W/needs_gone" -- "$LDWALK" "$W/needs_gone"
	mkdir -p "$tmp/dest-gone"
	refused extract-missing-lib "libgone.so" "not found" -- "$EXTRACT" "$W/needs_gone" "$tmp/dest-gone"
	if [ -z "$(ls -A "$tmp/dest-gone")" ]; then
		pass extract-missing-lib-copies-nothing
	else
		fail extract-missing-lib-copies-nothing "files left in the rootfs" "$(ls -A "$tmp/dest-gone")"
	fi

	# Static programs (ET_EXEC and static-PIE): just the program.
	echo 'int main(void) { return 0; }' >s.c
	for kind in static static-pie; do
		if cc -"$kind" -o "$kind" s.c; then
			out=$("$LDWALK" "$W/$kind" 2>&1)
			if [ "$out" = "exe $W/$kind" ]; then
				pass "ldwalk-$kind"
			else
				fail "ldwalk-$kind" "expected only the exe line" "$out"
			fi
		else
			skip "ldwalk-$kind" "no static libc"
		fi
	done

	# musl: libc.so is the loader itself; a library of its own through
	# DT_RUNPATH; compared with musl's loader in list mode.
	MUSL_LDSO=/lib/ld-musl-x86_64.so.1
	if command -v musl-gcc >/dev/null && [ -x "$MUSL_LDSO" ]; then
		mkdir -p mu
		musl-gcc -shared -fPIC -Wl,-soname,libmu.so -o mu/libmu.so f.c
		musl-gcc -o musl_prog mf.c -Lmu -lmu -lm -Wl,-rpath,'$ORIGIN/mu'
		same_as_ldd musl "$W/musl_prog" "$MUSL_LDSO" --list
	else
		skip musl "no musl-gcc or $MUSL_LDSO"
	fi
fi

# --- refusals of inputs that are not programs ---------------------------
refused ldwalk-not-elf "not an ELF file" -- "$LDWALK" "$tmp/text.txt"
printf '#!/bin/sh\necho hi\n' >"$tmp/script.sh"
chmod +x "$tmp/script.sh"
refused extract-script "not an ELF file" -- "$EXTRACT" "$tmp/script.sh" "$tmp/dest-script"
refused extract-not-elf "not an ELF file" -- "$EXTRACT" "$tmp/text.txt" "$tmp/dest-text"
if [ ! -e "$tmp/dest-text" ] && [ ! -e "$tmp/dest-script" ]; then
	pass extract-not-elf-creates-nothing
else
	fail extract-not-elf-creates-nothing "a rootfs directory was made"
fi
# An ELF of another class (a copy of /bin/true marked 32-bit).
cp /bin/true "$tmp/true32"
printf '\001' | dd of="$tmp/true32" bs=1 seek=4 conv=notrunc status=none
refused ldwalk-32bit "not an x86-64 ELF program" "wrong ELF class" -- "$LDWALK" "$tmp/true32"
refused extract-no-file "no such file" -- "$EXTRACT" "$tmp/nonexistent" "$tmp/dest-none"

# --- extract.sh: rootfs trees ------------------------------------------------
for prog in /usr/bin/ls /usr/bin/bash /usr/bin/python3 /usr/bin/ssh /usr/bin/awk \
	/usr/bin/curl "$W/rpath_inherit" "$W/musl_prog" "$W/static"; do
	name=rootfs-$(basename "$prog")
	if [ ! -x "$prog" ]; then
		skip "$name" "$prog not there"
		continue
	fi
	dest=$tmp/root-$(basename "$prog")
	if ! out=$("$EXTRACT" "$prog" "$dest" 2>&1); then
		fail "$name" "extract.sh failed" "$out"
		continue
	fi
	if [ "$prog" = "$W/musl_prog" ]; then
		# ldd does not know musl programs: check musl's own list.
		bad=
		for p in "$prog" /lib/ld-musl-x86_64.so.1 "$W/mu/libmu.so"; do
			r=$(resolve_in_root "$dest" "$p") && [ -f "$r" ] && cmp -s "$r" "$p" || bad="$bad $p"
		done
		if [ -n "$bad" ]; then fail "$name" "missing in the rootfs:$bad"; else pass "$name"; fi
		continue
	fi
	rootfs_ok "$name" "$prog" "$dest"
done

# The usual workflow: from inside the new rootfs, dest defaulting to ".".
mkdir -p "$tmp/myls"
if out=$(cd "$tmp/myls" && "$EXTRACT" /usr/bin/ls 2>&1) &&
	[ -n "$(resolve_in_root "$tmp/myls" /lib/x86_64-linux-gnu/libc.so.6)" ] &&
	[ -L "$tmp/myls/lib" ] && [ -f "$tmp/myls/usr/bin/ls" ]; then
	pass extract-default-dest
else
	fail extract-default-dest "no usable tree in the current directory" "$out"
fi

# A program already inside the rootfs (as the app recipes build them) stays
# where it is; only its loader and libraries are added.
if [ -x "$W/rpath_inherit" ]; then
	mkdir -p "$tmp/inroot"
	gcc -O1 -o "$tmp/inroot/prog" "$W/mf.c" "$W/ok/libf.so" -Wl,-rpath,'$ORIGIN' 2>/dev/null
	cp "$W/ok/libf.so" "$tmp/inroot/"
	if out=$("$EXTRACT" "$tmp/inroot/prog" "$tmp/inroot" 2>&1) &&
		[ ! -e "$tmp/inroot$tmp" ] && [ -f "$tmp/inroot/usr/lib/x86_64-linux-gnu/libc.so.6" ]; then
		pass extract-inside-rootfs
	else
		fail extract-inside-rootfs "copied into itself or libc missing" "$out"
	fi
fi

# --- the extracted tree in the guest (when a kernel is built) -------------
if [ -f "$KERNEL" ] && command -v qemu-system-x86_64 >/dev/null; then
	run_guest "$tmp/guest-ls.out" "$tmp/guest-ls.err" -r "$tmp/myls" -- /usr/bin/ls /usr/bin
	if [ "$(grep -x ls "$tmp/guest-ls.out")" = ls ]; then
		pass guest-ls
	else
		fail guest-ls "ls in the guest did not list /usr/bin" \
			"$(cat "$tmp/guest-ls.out" "$tmp/guest-ls.err" | tail -5)"
	fi
else
	skip guest-ls "no kernel at $KERNEL"
fi

suite_finish
