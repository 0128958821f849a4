#!/usr/bin/env bash
# 9pfs tests: a directory of the host as the guest's root (run.sh -r DIR)
# on microvm (virtio-mmio) and on pc and q35 (virtio-pci). The guest
# program tests/9p/t9p.c makes a tree of files, directories, links,
# renames, removals, modes and times; the same program run natively makes
# the reference tree, and the two must match byte for byte. Then: a
# 50 MiB file written and read back (timed against the ramfs), files the
# host changed before boot, files the program never opens staying
# unread, nothing appearing on the host that the program did not make,
# sqlite3 on a database in the shared directory over two runs, run.sh -i
# still giving an initrd (RAM) root, FIFOs and AF_UNIX sockets' names on
# the 9p root (tests/9p/special.c, compared with its native run), chmod/utimensat/truncate/chown on
# the host as soon as each call returns (the guest waits on stdin while
# this script looks), statfs giving the host's numbers, the /etc
# files the guest makes for itself never reaching the host, and run.sh -b
# (mount=9p:TAG:/PATH): another host directory on a directory of the
# root, written through, read-only with :ro, an error without a
# mountpoint. And writable MAP_SHARED mappings (tests/9p/tmmap.c): on
# the host after munmap, msync and exit, seen by read() and a child.
#
# usage: tests/9p/test-9p.sh
# env:   KERNEL=path   kernel image (default $BUILD/elfloader_kvm-x86_64;
#                      needs CONFIG_LIB9PFS)
#        BUILD=dir     build directory (default <repo>/build)
#        T9P_TIMEOUT=300  seconds per guest run
# Output: "PASS name" / "FAIL name (why)" per case, "NOTE ..." lines with
# the timings, then "N passed, N failed"; the counts also go to
# $BUILD/test-results/9p.txt as "P F". The sqlite3 case builds the
# catalogue's sqlite3 rootfs (build/apps/sqlite3) if need be.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
tmp=$(mktemp -d /tmp/test-9p.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
suite_init 9p --dir "$tmp" --timeout T9P_TIMEOUT=300

# --- the program ------------------------------------------------------------
T9P=$tmp/t9p
if ! build t9p "$T9P" gcc -static -O2 -Wall -Wextra "$HERE/t9p.c"; then
	fail build "gcc -static failed" "$(cat "$LOGS/t9p.build")"
	suite_finish
fi
SPECIAL=$tmp/special
if ! build special "$SPECIAL" gcc -static -O2 -Wall -Wextra "$HERE/special.c"; then
	fail build "gcc -static special.c failed" "$(cat "$LOGS/special.build")"
	suite_finish
fi
need_kernel
[ -f "$KERNEL" ] || { fail build "no kernel at $KERNEL"; suite_finish; }
pass build

# guest OUT [run.sh options] -- PROG ARGS...: runs the guest, stdout to OUT,
# stderr to OUT.err; the status is run.sh's.
guest() { run_guest "$1" "$1.err" "${@:2}"; }

# A snapshot of a tree: path, type, mode, size, link target, link count.
snap() { (cd "$1" && find . -printf '%P|%y|%m|%s|%l|%n\n' | sort); }

share=$tmp/share
mkdir -p "$share"
cp "$T9P" "$share/t9p"

# --- the kernel mounts 9p ------------------------------------------------------
guest "$tmp/probe" -r "$share" -- /t9p ls /
if grep -q "no 9pfs" "$tmp/probe.err"; then
	fail root-9p "the kernel has no 9pfs (CONFIG_LIB9PFS): $KERNEL"
	suite_finish
fi
if grep -q '^t9p f ' "$tmp/probe" && grep -q '^dev d' "$tmp/probe" &&
	grep -q '^proc d' "$tmp/probe" && grep -q '^tmp d' "$tmp/probe"; then
	pass root-9p
else
	fail root-9p "the guest's / is not the shared directory" "$(cat "$tmp/probe" "$tmp/probe.err")"
	suite_finish
fi

# --- a tree of everything, against the same program run natively ----------
"$T9P" tree "$tmp/native" >/dev/null || fail tree-native "t9p tree failed natively"
tree_case() {
	local name=$1 dir=$2
	shift 2
	guest "$tmp/$name" "$@" -r "$share" -- /t9p tree "/$dir"
	local st=$?
	if [ $st -ne 0 ] || ! grep -q '^tree ok' "$tmp/$name"; then
		fail "$name" "guest status $st" "$(cat "$tmp/$name" "$tmp/$name.err")"
		return
	fi
	local d
	if ! d=$(diff <(snap "$tmp/native") <(snap "$share/$dir")); then
		fail "$name" "names, types, modes, sizes or links differ from native" "$d"
	elif ! d=$(diff -r --no-dereference "$tmp/native" "$share/$dir" 2>&1); then
		fail "$name" "bytes differ from native" "$d"
	elif [ "$(stat -c %y "$share/$dir/dated")" != "$(stat -c %y "$tmp/native/dated")" ]; then
		fail "$name" "utimensat: $(stat -c %y "$share/$dir/dated") on the host"
	else
		pass "$name"
	fi
}
tree_case tree-microvm out-microvm
tree_case tree-pc out-pc -M pc
tree_case tree-q35 out-q35 -M q35

# --- nothing appears on the host that the program did not make -------------
extra=$(find "$share" -mindepth 1 -maxdepth 1 -printf '%f\n' |
	grep -v -x -e t9p -e 'out-microvm' -e 'out-pc' -e 'out-q35')
if [ -z "$extra" ]; then
	pass no-strays
else
	fail no-strays "on the host: $extra"
fi

# --- FIFOs and sockets' names on the 9p root ---------------------------------
# QEMU cannot hold them (docs/9p.md): the guest keeps them. Data through a
# FIFO between threads and processes, bind/connect/accept through a path,
# stat, readdir, rename, unlink, rmdir: as natively on a host directory.
cp "$SPECIAL" "$share/special"
"$SPECIAL" "$tmp/special-native" >"$tmp/special.want" 2>&1
guest "$tmp/special.got" -r "$share" -- /special /special-dir
st=$?
if [ $st -ne 0 ] || ! grep -q '^special ok$' "$tmp/special.want"; then
	fail special-files "guest status $st, native: $(tail -n 1 "$tmp/special.want")" \
		"$(cat "$tmp/special.got" "$tmp/special.got.err")"
elif ! d=$(diff "$tmp/special.want" "$tmp/special.got"); then
	fail special-files "the guest's output differs from native" "$d
$(cat "$tmp/special.got.err")"
elif [ -e "$share/special-dir" ]; then
	fail special-files "the directory stayed on the host" "$(ls -la "$share/special-dir")"
else
	pass special-files
fi
rm -f "$share/special"

# --- 50 MiB through 9p, and through the ramfs (/tmp) --------------------------
"$T9P" big "$tmp/ref.bin" 50 >/dev/null
if ! guest "$tmp/big" -r "$share" -- /t9p big /big.bin 50 ||
	! grep -q '^big /big.bin' "$tmp/big"; then
	fail big-50MiB "guest run failed" "$(cat "$tmp/big" "$tmp/big.err")"
elif ! cmp -s "$tmp/ref.bin" "$share/big.bin"; then
	fail big-50MiB "the host's copy differs from the reference"
else
	pass big-50MiB
	note "9p:    $(sed -n 's/^big [^:]*: //p' "$tmp/big")"
fi
if ! guest "$tmp/bigram" -r "$share" -- /t9p big /tmp/big.bin 50 ||
	! grep -q '^big /tmp/big.bin' "$tmp/bigram"; then
	fail big-50MiB-ramfs "guest run failed" "$(cat "$tmp/bigram" "$tmp/bigram.err")"
else
	pass big-50MiB-ramfs
	note "ramfs: $(sed -n 's/^big [^:]*: //p' "$tmp/bigram")"
fi
[ ! -e "$share/tmp" ] || fail big-50MiB-ramfs "/tmp reached the host"

# Read back in a later boot (nothing cached from the writing one).
guest "$tmp/check" -r "$share" -- /t9p check /big.bin 50
if grep -q '^check ok' "$tmp/check"; then
	pass big-50MiB-reboot
else
	fail big-50MiB-reboot "guest check" "$(cat "$tmp/check" "$tmp/check.err")"
fi

# --- files changed on the host before boot -----------------------------------
head -c 1048699 /dev/urandom >"$share/hostfile"
want=$("$T9P" sum "$share/hostfile")
guest "$tmp/sum1" -r "$share" -- /t9p sum /hostfile
got=$(cat "$tmp/sum1")
if [ "$got" = "$want" ]; then
	printf 'changed on the host\n' | dd of="$share/hostfile" bs=1 seek=1000 conv=notrunc status=none
	head -c 4321 /dev/urandom >>"$share/hostfile"
	want=$("$T9P" sum "$share/hostfile")
	guest "$tmp/sum2" -r "$share" -- /t9p sum /hostfile
	got=$(cat "$tmp/sum2")
	if [ "$got" = "$want" ]; then
		pass host-changes
	else
		fail host-changes "after the change: guest $got, host $want" "$(cat "$tmp/sum2.err")"
	fi
else
	fail host-changes "guest $got, host $want" "$(cat "$tmp/sum1.err")"
fi

# --- files the program does not open are not read -----------------------------
# A 64 GiB sparse file and a FIFO: listing them must not touch their data
# (reading the FIFO would block the host side; packing the file would
# take minutes).
lazy=$tmp/lazy
mkdir -p "$lazy"
cp "$T9P" "$lazy/t9p"
truncate -s 64G "$lazy/huge.sparse"
mkfifo "$lazy/fifo"
start=$(date +%s)
guest "$tmp/lazy.out" -r "$lazy" -- /t9p ls /
secs=$(($(date +%s) - start))
if grep -q '^huge.sparse f 68719476736$' "$tmp/lazy.out" && grep -q "^fifo p " "$tmp/lazy.out" &&
	[ "$secs" -lt 60 ]; then
	pass unopened-not-read
else
	fail unopened-not-read "listing took ${secs}s" "$(cat "$tmp/lazy.out" "$tmp/lazy.out.err")"
fi

# --- sqlite3 on a database in the shared directory, two runs ------------------
SQROOT=$APPS_OUT/sqlite3/rootfs
if ! build_app sqlite3; then
	fail sqlite-two-runs "no sqlite3 rootfs: ${BUILD_ERR[app.sqlite3]}"
elif [ -x "$SQROOT/usr/bin/sqlite3" ]; then
	sq=$tmp/sqlite
	cp -a "$SQROOT" "$sq"
	mkdir -p "$sq/data"
	guest "$tmp/sq1" -r "$sq" -- /usr/bin/sqlite3 -bail /data/test.db \
		"create table t(id integer primary key, v text);
		 begin; with recursive c(x) as (select 1 union all select x+1 from c where x<1000)
		 insert into t(v) select printf('row %d', x) from c; commit;
		 select count(*) from t;"
	st1=$?
	guest "$tmp/sq2" -r "$sq" -- /usr/bin/sqlite3 -bail /data/test.db \
		"update t set v = v || ' again' where id % 2 = 0; insert into t(v) values ('last');
		 select count(*), sum(length(v)) from t; pragma integrity_check;"
	st2=$?
	out="$(cat "$tmp/sq1" "$tmp/sq2")"
	if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ "$out" = "$(printf '1000\n1001|9897\nok')" ] &&
		[ -z "$(find "$sq/data" -mindepth 1 -maxdepth 1 ! -name test.db)" ]; then
		pass sqlite-two-runs
	else
		fail sqlite-two-runs "status $st1/$st2" "$out
$(cat "$tmp/sq1.err" "$tmp/sq2.err"; ls -la "$sq/data")"
	fi
else
	fail sqlite-two-runs "no /usr/bin/sqlite3 in $SQROOT"
fi

# --- run.sh -i: the initrd (RAM) root, nothing written to the host -----------
small=$tmp/small
mkdir -p "$small"
cp "$T9P" "$small/t9p"
guest "$tmp/initrd" -i -r "$small" -- /t9p tree /out
if grep -q '^tree ok' "$tmp/initrd" && [ ! -e "$small/out" ]; then
	pass initrd-root
else
	fail initrd-root "-i: guest or host state" "$(cat "$tmp/initrd" "$tmp/initrd.err"; ls "$small")"
fi

# --- attribute changes are on the host when the call returns ----------------
# t9p attrs holds the file open and stats nothing: before setattr, the
# changes waited in the vnode until a stat, fsync or close.
attrs=$tmp/attrs
mkdir -p "$attrs"
cp "$T9P" "$attrs/t9p"
mkfifo "$tmp/attrs.in"
timeout "$TIMEOUT" "$RUN" -k "$KERNEL" -r "$attrs" /t9p attrs /f \
	<"$tmp/attrs.in" >"$tmp/attrs.out" 2>"$tmp/attrs.err" &
apid=$!
exec 7>"$tmp/attrs.in"
trap '' PIPE	# a guest gone early fails the case, not the script
# at_step NAME: waits until the guest has made the change NAME.
at_step() {
	local i
	for ((i = 0; i < TIMEOUT * 10; i++)); do
		grep -q "^step $1\$" "$tmp/attrs.out" && return 0
		kill -0 "$apid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
f=$attrs/f
bad=
# check STEP WANT GOT: compares the host's view, then lets the guest on.
check() {
	if ! at_step "$1"; then
		bad+="$1: the guest did not get there; "
		return 1
	fi
	local got
	got=$(eval "$3")
	[ "$got" = "$2" ] || bad+="$1: host has '$got', not '$2'; "
	echo >&7
}
if check created "644 10" 'stat -c "%a %s" "$f"' &&
	check chmod 640 'stat -c %a "$f"' &&
	check fchmod 604 'stat -c %a "$f"' &&
	check utimensat "1000000000.250000000 1100000000.500000000" 'stat -c "%.9X %.9Y" "$f"' &&
	check futimens "1000000000.250000000 1200000000.000000000" 'stat -c "%.9X %.9Y" "$f"' &&
	check truncate 4 'stat -c %s "$f"' &&
	check ftruncate 1234 'stat -c %s "$f"'; then
	# QEMU sets owners only when it runs as root (security_model=none
	# ignores the failure otherwise).
	if [ "$(id -u)" = 0 ]; then
		check chown 1234:5678 'stat -c %u:%g "$f"'
	else
		check chown skip 'echo skip'
	fi
	# "Now" is the host's clock, as with Linux's v9fs.
	check touch ok '[ $(($(date +%s) - $(stat -c %Y "$f"))) -le 30 ] && echo ok'
fi
exec 7>&-
trap - PIPE
wait "$apid"
ast=$?
if [ -z "$bad" ] && [ $ast -eq 0 ] && grep -q '^attrs ok$' "$tmp/attrs.out"; then
	pass setattr-at-once
else
	fail setattr-at-once "${bad:-guest status $ast}" "$(cat "$tmp/attrs.out" "$tmp/attrs.err")"
fi

# --- writable MAP_SHARED: on the host after munmap, msync and exit ------------
# tests/9p/tmmap.c waits on stdin at each "step NAME" while this script
# compares the host's file with the one the same program made natively
# (on Linux the bytes are in the file at once); its output must match
# the native run's too.
TMMAP=$tmp/tmmap
if ! build tmmap "$TMMAP" gcc -static -O2 -Wall -Wextra "$HERE/tmmap.c"; then
	fail mmap-shared "gcc -static failed" "$(cat "$LOGS/tmmap.build")"
else
	mm=$tmp/mm
	mkdir -p "$mm"
	cp "$TMMAP" "$mm/tmmap"
	yes '' | "$TMMAP" "$tmp/mm-native" >"$tmp/mm-native.out" 2>&1
	mkfifo "$tmp/mm.in"
	timeout "$TIMEOUT" "$RUN" -k "$KERNEL" -r "$mm" /tmmap /d \
		<"$tmp/mm.in" >"$tmp/mm.out" 2>"$tmp/mm.err" &
	mpid=$!
	exec 7>"$tmp/mm.in"
	trap '' PIPE
	bad=
	# mm_step NAME FILE...: at step NAME the host's FILEs are the native ones.
	mm_step() {
		local i f
		for ((i = 0; i < TIMEOUT * 10; i++)); do
			grep -q "^step $1\$" "$tmp/mm.out" && break
			kill -0 "$mpid" 2>/dev/null || { bad+="$1: the guest ended first; "; return 1; }
			sleep 0.1
		done
		for f in "${@:2}"; do
			cmp -s "$mm/d/$f" "$tmp/mm-native/$f" || bad+="$1: the host's $f differs from native; "
		done
		echo >&7
	}
	mm_step munmap m-munmap && mm_step m-msync m-msync && mm_step m-async m-async &&
		mm_step share m-share && mm_step child m-child
	exec 7>&-
	trap - PIPE
	wait "$mpid"
	mst=$?
	cmp -s "$mm/d/m-exit" "$tmp/mm-native/m-exit" || bad+="exit: the host's m-exit differs from native; "
	if ! d=$(diff "$tmp/mm-native.out" "$tmp/mm.out"); then
		bad+="output differs from native; "
	fi
	if [ -z "$bad" ] && [ $mst -eq 0 ]; then
		pass mmap-shared
	else
		fail mmap-shared "${bad:-guest status $mst}" "${d:-}
$(cat "$tmp/mm.err")"
	fi
fi

# --- extended attributes: the host's files' user.* ones, as natively ----------
# tests/guest/xattr.c (also run on the guest's RAM /tmp by the guest suite).
TXATTR=$tmp/xattr
if ! build xattr "$TXATTR" gcc -static -O2 -Wall -Wextra -I"$TOP/tests/guest" \
	"$TOP/tests/guest/xattr.c"; then
	fail xattr "gcc -static failed" "$(cat "$LOGS/xattr.build")"
else
	mkdir -p "$tmp/xattr-native" "$share/xd"
	cp "$TXATTR" "$share/xattr"
	"$TXATTR" "$tmp/xattr-native" >"$tmp/xattr.native" 2>&1
	guest "$tmp/xattr.guest" -r "$share" -- /xattr /xd
	if d=$(diff "$tmp/xattr.native" "$tmp/xattr.guest"); then
		pass xattr
	else
		fail xattr "output differs from native" "$d
$(cat "$tmp/xattr.guest.err")"
	fi
	rm -rf "${share:?}/xd" "$share/xattr"
fi

# --- statfs: the host's numbers ----------------------------------------------
# QEMU's server multiplies f_bsize by (msize - 24) / f_bsize and divides
# the block counts by the same factor (a Linux guest sees that too), so
# the sizes compare through that factor; free counts move meanwhile.
guest "$tmp/statfs" -r "$share" -- /t9p statfs /
g=$(sed -n 's/^statfs //p' "$tmp/statfs")
gf=$(sed -n 's/^fstatfs //p' "$tmp/statfs")
# field NAME LINE
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
read -r ht hs _ hb hf ha hc hd hl < <(stat -f -c '%t %s %S %b %f %a %c %d %l' "$share")
why=
if [ -z "$g" ] || [ -z "$gf" ]; then
	why="no statfs line"
else
	gs=$(field bsize "$g")
	k=$((gs / hs))
	tol=$((hb / 100 + k))
	bfree=$(($(field bfree "$g") * k - hf))
	bavail=$(($(field bavail "$g") * k - ha))
	ffree=$(($(field ffree "$g") - hd))
	[ "$(field type "$g")" = "$ht" ] || why+="f_type $(field type "$g"), host $ht; "
	[ $k -ge 1 ] && [ $((gs % hs)) -eq 0 ] || why+="f_bsize $gs, host $hs; "
	[ "$(field frsize "$g")" = "$gs" ] || why+="f_frsize $(field frsize "$g"); "
	[ "$(field blocks "$g")" = $((hb / k)) ] || why+="f_blocks $(field blocks "$g"), host $hb / $k; "
	[ ${bfree#-} -le $tol ] || why+="f_bfree off by $bfree blocks; "
	[ ${bavail#-} -le $tol ] || why+="f_bavail off by $bavail blocks; "
	[ "$(field files "$g")" = "$hc" ] || why+="f_files $(field files "$g"), host $hc; "
	[ ${ffree#-} -le $((hc / 100 + 1)) ] || why+="f_ffree off by $ffree; "
	[ "$(field namelen "$g")" = "$hl" ] || why+="f_namelen $(field namelen "$g"), host $hl; "
	[ "$(field blocks "$gf") $(field type "$gf")" = "$(field blocks "$g") $(field type "$g")" ] ||
		why+="fstatfs differs from statfs; "
fi
if [ -z "$why" ]; then
	pass statfs-host
	note "statfs /: $g (host: bsize $hs, blocks $hb, factor $k)"
else
	fail statfs-host "$why" "$(cat "$tmp/statfs" "$tmp/statfs.err")"
fi

# --- /etc: the guest's own files, never the host's -----------------------------
# Without a host /etc, /etc is a guest-only ramfs; with one, the files it
# lacks are shown in it from memory. Either way nothing lands on the host.
etc1=$tmp/etc1 etc2=$tmp/etc2
mkdir -p "$etc1" "$etc2/etc"
cp "$T9P" "$etc1/t9p"
cp "$T9P" "$etc2/t9p"
printf '127.0.0.1 localhost from-the-host\n' >"$etc2/etc/hosts"
guest "$tmp/etc1.out" -r "$etc1" -- /t9p ls /etc
guest "$tmp/etc2.out" -r "$etc2" -- /t9p ls /etc
want='group f
hostname f
hosts f
nsswitch.conf f
passwd f
resolv.conf f'
if [ "$(cut -d' ' -f1,2 "$tmp/etc1.out")" != "$want" ]; then
	fail etc-files "no host /etc: the guest lists" "$(cat "$tmp/etc1.out" "$tmp/etc1.out.err")"
elif [ "$(cut -d' ' -f1,2 "$tmp/etc2.out")" != "$want" ] ||
	! grep -q "^hosts f $(stat -c %s "$etc2/etc/hosts")\$" "$tmp/etc2.out"; then
	fail etc-files "a host /etc with hosts only: the guest lists" "$(cat "$tmp/etc2.out" "$tmp/etc2.out.err")"
elif [ -e "$etc1/etc" ] || [ "$(ls "$etc2/etc")" != hosts ]; then
	fail etc-files "files reached the host" "$(ls -R "$etc1" "$etc2")"
else
	pass etc-files
fi

# --- run.sh -b: bind mounts, one 9p device each -------------------------------
broot=$tmp/broot bdir=$tmp/bdir
mkdir -p "$broot/data" "$bdir"
cp "$T9P" "$broot/t9p"
printf 'hello' >"$bdir/from-host"
guest "$tmp/bind.out" -r "$broot" -b "$bdir:/data" -- /t9p tree /data/t
guest "$tmp/bind.ls" -r "$broot" -b "$bdir:/data" -- /t9p ls /data
if ! grep -q '^from-host f 5' "$tmp/bind.ls" || ! grep -q '^t d' "$tmp/bind.ls"; then
	fail bind-mount "the guest's /data lists" "$(cat "$tmp/bind.ls" "$tmp/bind.ls.err" "$tmp/bind.out.err")"
elif [ ! -d "$bdir/t" ] || [ -n "$(ls -A "$broot/data")" ]; then
	fail bind-mount "the tree did not land in the bound directory alone" "$(ls -R "$bdir" "$broot")"
else
	pass bind-mount
fi
guest "$tmp/bindro.out" -r "$broot" -b "$bdir:/data:ro" -- /t9p tree /data/ro
st=$?
if [ "$st" = 0 ] || [ -e "$bdir/ro" ]; then
	fail bind-mount-ro "status $st; the host has: $(ls "$bdir" | tr '\n' ' ')" "$(cat "$tmp/bindro.out.err")"
else
	pass bind-mount-ro
fi
# A missing mountpoint is made (in the 9p root, as docker makes it), and
# the bound directory is there.
rm -rf "$broot/nowhere"
guest "$tmp/bindno.out" -r "$broot" -b "$bdir:/nowhere/deeper" -- /t9p ls /nowhere/deeper
if grep -q '^from-host f 5' "$tmp/bindno.out" && [ -d "$broot/nowhere/deeper" ]; then
	pass bind-mount-no-mountpoint
else
	fail bind-mount-no-mountpoint "the mountpoint was not made, or the bound directory is not there" \
		"$(cat "$tmp/bindno.out" "$tmp/bindno.out.err")"
fi
rm -rf "$broot/nowhere"

suite_finish
