#!/usr/bin/env bash
# Socket and name-service tests: builds tests/net/unix.c and
# tests/net/resolve.c (getaddrinfo, gethostbyname on localhost and numeric
# addresses, from the /etc files the kernel makes when the root has none)
# as glibc static-PIEs and as dynamic programs (the latter in a rootfs made
# with extract.sh), runs each natively and in the guest through run.sh,
# and compares stdout (bytes) and the exit status. resolve runs from the
# rootfs both as an initrd and shared over 9p (whose directory must get
# no /etc from it).
#
# usage: tests/net/run-net-tests.sh [PATTERN...]   (globs on case names)
# env:   NATIVE_ONLY=1     only the native half (checks the program itself)
#        NET_TIMEOUT=120   seconds per run (native or guest)
#        KERNEL=path       kernel image (default $BUILD/elfloader_kvm-x86_64)
#        BUILD=dir         build directory (default <repo>/build); the
#                          programs go to $BUILD/net/
# Output: "PASS name" / "FAIL name (why)" per case, details indented, then
# "N passed, N failed"; the counts also go to $BUILD/test-results/net.txt
# as "P F" (not on a NATIVE_ONLY run).
#
# The dynamic program runs natively from its place in the rootfs with the
# host's libraries, which are the ones extract.sh copied (no chroot: the
# test reads /proc/self/fd, which a bare rootfs lacks); in the guest from
# the rootfs packed as an initrd (run.sh -r DIR -i), or shared over 9p
# (run.sh -r DIR) for the cases whose rootfs is given as 9p:DIR.
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "${BUILD:-}" in
/*) ;;
"") BUILD=$TOP/build ;;
*) BUILD=$TOP/$BUILD ;;
esac
SRC=$TOP/tests/net
B=$BUILD/net
BIN=$B/bin
ROOT=$B/rootfs
LOGS=$B/logs
RUN=$TOP/run.sh
KERNEL=${KERNEL:-$BUILD/elfloader_kvm-x86_64}
TIMEOUT=${NET_TIMEOUT:-120}
NATIVE_ONLY=${NATIVE_ONLY:-0}
PATTERNS=("$@")
export LC_ALL=C

NATIVE_ENV=(PATH=/usr/local/bin:/usr/bin:/bin HOME=/ TERM=linux LANG=C.UTF-8)

passed=0
failed=0
declare -A BUILD_ERR=()
mkdir -p "$BIN" "$ROOT/bin" "$LOGS" "$BUILD/test-results"

say() { printf '%s\n' "$*"; }
detail() { sed -e 's/^/    | /' | head -n "${1:-12}"; }
pass() { passed=$((passed + 1)); say "PASS $1"; }
fail() { failed=$((failed + 1)); say "FAIL $1 ($2)"; }

selected() {
	local p
	[ ${#PATTERNS[@]} -eq 0 ] && return 0
	for p in "${PATTERNS[@]}"; do
		# shellcheck disable=SC2254
		case "$1" in $p) return 0 ;; esac
	done
	return 1
}

# --- building --------------------------------------------------------------------
CFLAGS=(-O2 -g -Wall -Wextra -Werror -pthread)

# install_if_changed TMP DEST: keeps DEST (and its time, so that run.sh's
# cached initrd stays valid) when the new build is the same.
install_if_changed() {
	if [ -f "$2" ] && cmp -s "$1" "$2"; then
		rm -f "$1"
	else
		mv -f "$1" "$2"
	fi
}

build() { # NAME DEST command...
	local name=$1 dest=$2
	shift 2
	if "$@" -o "$dest.new" >"$LOGS/$name.build" 2>&1; then
		install_if_changed "$dest.new" "$dest"
		return 0
	fi
	rm -f "$dest.new"
	BUILD_ERR[$name]=$(grep -m 3 -iE 'error|not found|cannot' "$LOGS/$name.build" | tr '\n' ' ')
	[ -n "${BUILD_ERR[$name]}" ] || BUILD_ERR[$name]=$(head -n 3 "$LOGS/$name.build" | tr '\n' ' ')
	return 1
}

has_interp() { readelf -lW "$1" 2>/dev/null | grep -q 'program interpreter'; }
elf_type() { readelf -hW "$1" 2>/dev/null | sed -n 's/ *Type: *\([A-Z]*\).*/\1/p'; }

build_all() {
	local p
	for p in unix resolve; do
		if build $p.pie "$BIN/$p.pie" gcc -static-pie "${CFLAGS[@]}" "$SRC/$p.c" &&
			{ [ "$(elf_type "$BIN/$p.pie")" != DYN ] || has_interp "$BIN/$p.pie"; }; then
			BUILD_ERR[$p.pie]="not a static-PIE"
		fi
		if build $p.dyn "$ROOT/bin/$p" gcc "${CFLAGS[@]}" "$SRC/$p.c"; then
			if ! has_interp "$ROOT/bin/$p"; then
				BUILD_ERR[$p.dyn]="not a dynamic program"
			elif ! "$TOP/extract.sh" -q "$ROOT/bin/$p" "$ROOT" >>"$LOGS/$p.dyn.build" 2>&1; then
				BUILD_ERR[$p.dyn]="extract.sh failed: $(tail -n 1 "$LOGS/$p.dyn.build")"
			fi
		fi
	done
}

# --- running ---------------------------------------------------------------------
# A rootfs goes into the guest as a cpio initrd (ramfs) where run.sh can
# also share it over 9p: the test binds socket inodes in /tmp, which is the
# VFS's and ramfs's business, not 9p's.
INITRD_OPT=()
grep -q 'use_initrd=1' "$RUN" 2>/dev/null && INITRD_OPT=(-i)

EMPTY=$B/empty-stdin
: >"$EMPTY"

run_native() { # OUT ERR PROG ARGS...
	local out=$1 err=$2
	shift 2
	(
		cd / || exit 99
		cat -- "$EMPTY" | env -i "${NATIVE_ENV[@]}" timeout -k 5 "$TIMEOUT" \
			"$@" 2>"$err" | cat >"$out"
		exit "${PIPESTATUS[1]}"
	)
}

run_guest() { # OUT ERR ROOTFS|9p:ROOTFS|"" PROG ARGS...
	local out=$1 err=$2 root=$3
	shift 3
	local -a o=(-k "$KERNEL")
	case $root in
	"") ;;
	9p:*) o+=(-r "${root#9p:}") ;;
	*) o+=(-r "$root" "${INITRD_OPT[@]}") ;;
	esac
	(
		cd "$TOP" || exit 99
		cat -- "$EMPTY" | timeout -k 5 "$TIMEOUT" "$RUN" "${o[@]}" "$@" \
			2>"$err" | cat >"$out"
		exit "${PIPESTATUS[1]}"
	)
}

status_text() {
	case "$1" in
	124) echo "124: timed out after ${TIMEOUT}s" ;;
	137) echo "137: killed (timeout -k)" ;;
	*) echo "$1" ;;
	esac
}

show_stderr() { # FILE: the kernel's complaints first, then the tail
	[ -s "$1" ] || return 0
	echo "    guest stderr:"
	{
		grep -aE 'not implemented|not supported|unsupported|syscall|panic|PANIC|[Ff]ault|CRASH|Assertion' "$1" |
			sort | uniq -c | sort -rn | head -n 8
		echo "  (last lines)"
		tail -n 6 "$1"
	} | detail 16
}

# tcase NAME BUILD-KEY ROOTFS|9p:ROOTFS|"" NATIVE-PROG GUEST-PROG [ARGS...]
tcase() {
	local name=$1 key=$2 root=$3 nprog=$4 gprog=$5
	shift 5
	selected "$name" || return 0
	if [ -n "${BUILD_ERR[$key]:-}" ]; then
		fail "$name" "build: ${BUILD_ERR[$key]}"
		return
	fi
	local d=$LOGS/$name ns gs
	rm -rf "$d"
	mkdir -p "$d"
	run_native "$d/native.out" "$d/native.err" "$nprog" "$@"
	ns=$?
	if [ "$ns" != 0 ]; then
		fail "$name" "native status $(status_text "$ns"), expected 0"
		grep -a 'FAIL' "$d/native.out" | head -n 6 | detail 6
		tail -n 4 "$d/native.out" "$d/native.err" | detail 8
		return
	fi
	if [ "$NATIVE_ONLY" = 1 ]; then
		pass "$name"
		return
	fi
	if [ ! -f "$KERNEL" ]; then
		fail "$name" "no kernel ${KERNEL#"$TOP"/}"
		return
	fi
	local t0=$SECONDS
	run_guest "$d/guest.out" "$d/guest.err" "$root" "$gprog" "$@"
	gs=$?
	local secs=$((SECONDS - t0)) why=''
	[ "$gs" = "$ns" ] || why="guest status $(status_text "$gs"), expected $ns"
	cmp -s "$d/native.out" "$d/guest.out" || why="${why:+$why; }guest stdout differs"
	if [ -z "$why" ]; then
		pass "$name"
		return
	fi
	fail "$name" "$why; ${secs}s"
	cmp -s "$d/native.out" "$d/guest.out" ||
		diff -u --label native --label guest "$d/native.out" "$d/guest.out" |
		tail -n +3 | detail 14
	show_stderr "$d/guest.err"
}

# --- the cases ---------------------------------------------------------------------
if [ "$NATIVE_ONLY" != 1 ] && [ ! -f "$KERNEL" ] &&
	[ "$KERNEL" = "$TOP/build/elfloader_kvm-x86_64" ]; then
	say "NOTE no kernel yet: make setup, make (log: ${LOGS#"$TOP"/}/kernel.build)"
	{
		[ -f "$TOP/build/.setup-done" ] || make -s -C "$TOP" setup
		make -s -C "$TOP"
	} >"$LOGS/kernel.build" 2>&1 || tail -n 5 "$LOGS/kernel.build" | detail 5
fi
build_all

tcase unix.pie unix.pie "" "$BIN/unix.pie" "$BIN/unix.pie"
tcase unix.dyn unix.dyn "$ROOT" "$ROOT/bin/unix" /bin/unix
tcase resolve.pie resolve.pie "" "$BIN/resolve.pie" "$BIN/resolve.pie"
tcase resolve.dyn resolve.dyn "$ROOT" "$ROOT/bin/resolve" /bin/resolve
tcase resolve.dyn-9p resolve.dyn "9p:$ROOT" "$ROOT/bin/resolve" /bin/resolve
# The /etc files of a 9p root live in the guest only.
if [ "$NATIVE_ONLY" != 1 ] && selected resolve.dyn-9p; then
	if [ -e "$ROOT/etc" ]; then
		fail resolve.dyn-9p.host-etc "the guest wrote $ROOT/etc on the host"
	else
		pass resolve.dyn-9p.host-etc
	fi
fi

[ "$NATIVE_ONLY" = 1 ] || echo "$passed $failed" >"$BUILD/test-results/net.txt"
say "$passed passed, $failed failed"
[ "$failed" = 0 ]
