#!/usr/bin/env bash
# Threads, signals and event tests: builds the programs of tests/threads/
# (C as glibc static-PIE and dynamic, C++ static-PIE and dynamic, Rust
# dynamic and +crt-static, Go CGO_ENABLED=0 static and cgo dynamic, a
# Python script in a copy of the python app's rootfs) and the catalogue's Go
# and Rust hello worlds, runs each case natively, then in the guest through
# run.sh, and compares stdout (bytes) and exit status.
#
# usage: tests/threads/run-thread-tests.sh [PATTERN...]  (globs on case names)
# env:   NATIVE_ONLY=1        only the native half (checks the programs)
#        THREADS_TIMEOUT=120  seconds per run (native or guest)
#        KERNEL=path          kernel image (default $BUILD/elfloader_kvm-x86_64)
#        BUILD=dir            build directory (default <repo>/build); the
#                             programs go to $BUILD/threads/
# Output: "PASS name" / "FAIL name (why)" / "SKIP name (why)" per case, with
# details indented (for guest failures, the kernel's complaints from the
# guest's stderr), "NOTE ..." lines that count for nothing, then
# "N passed, N failed". The counts also go to $BUILD/test-results/threads.txt
# as "P F" (not on a NATIVE_ONLY run, nor on one limited by PATTERNs).
#
# Static programs run alone (run.sh ./binary); dynamic ones from the rootfs
# $BUILD/threads/rootfs, natively through chroot into that same rootfs
# (needs root, or user namespaces). Installs the Debian packages it needs.
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "${BUILD:-}" in
/*) ;;
"") BUILD=$TOP/build ;;
*) BUILD=$TOP/$BUILD ;;
esac
SRC=$TOP/tests/threads
B=$BUILD/threads
BIN=$B/bin
ROOT=$B/rootfs
PYROOT=$B/python-rootfs
LOGS=$B/logs
RUN=$TOP/run.sh
KERNEL=${KERNEL:-$BUILD/elfloader_kvm-x86_64}
TIMEOUT=${THREADS_TIMEOUT:-120}
NATIVE_ONLY=${NATIVE_ONLY:-0}
PATTERNS=("$@")
export LC_ALL=C

NATIVE_ENV=(PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin
	HOME=/ TERM=linux LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1)

passed=0
failed=0
declare -A BUILD_ERR=()
mkdir -p "$BIN" "$ROOT/bin" "$LOGS" "$BUILD/test-results"

say() { printf '%s\n' "$*"; }
detail() { sed -e 's/^/    | /' | head -n "${1:-12}"; }
pass() { passed=$((passed + 1)); say "PASS $1"; }
fail() { failed=$((failed + 1)); say "FAIL $1 ($2)"; }
skip() { say "SKIP $1 ($2)"; }

selected() {
	local p
	[ ${#PATTERNS[@]} -eq 0 ] && return 0
	for p in "${PATTERNS[@]}"; do
		# shellcheck disable=SC2254
		case "$1" in $p) return 0 ;; esac
	done
	return 1
}

# --- packages ------------------------------------------------------------------
need_pkgs() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	say "NOTE installing ${missing[*]}"
	{
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" ||
			{
				$SUDO apt-get update -qq &&
					DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
						--no-install-recommends "${missing[@]}"
			}
	} >"$LOGS/apt.log" 2>&1 || {
		say "NOTE apt-get install failed (see ${LOGS#"$TOP"/}/apt.log)"
		tail -n 3 "$LOGS/apt.log" | detail 3
	}
}
need_pkgs gcc g++ libc6-dev binutils golang-go rustc cpio

# Debian's toolchains, not others that may come first on PATH (rustup's).
GO=/usr/bin/go
RUSTC=/usr/bin/rustc

# --- building ------------------------------------------------------------------
CFLAGS=(-O2 -g -Wall -Wextra -pthread)

# install_if_changed TMP DEST: keeps DEST (and its time, so that run.sh's
# cached initrd of the rootfs stays valid) when the new build is the same.
install_if_changed() {
	if [ -f "$2" ] && cmp -s "$1" "$2"; then
		rm -f "$1"
	else
		mv -f "$1" "$2"
	fi
}

# build NAME DEST command... : runs the command with -o DEST.new
build() {
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

# expect_kind NAME FILE static-pie|static-exec|dynamic
expect_kind() {
	local name=$1 f=$2 want=$3 got
	[ -z "${BUILD_ERR[$name]:-}" ] || return 0
	if has_interp "$f"; then
		got=dynamic
	elif [ "$(elf_type "$f")" = DYN ]; then
		got=static-pie
	else
		got=static-exec
	fi
	[ "$got" = "$want" ] || BUILD_ERR[$name]="expected a $want binary, got $got"
}

# The dynamic ones go into the rootfs, with their libraries.
extract_dyn() { # NAME FILE-IN-ROOTFS
	[ -z "${BUILD_ERR[$1]:-}" ] || return 0
	"$TOP/extract.sh" -q "$2" "$ROOT" >>"$LOGS/$1.build" 2>&1 ||
		BUILD_ERR[$1]="extract.sh failed: $(tail -n 1 "$LOGS/$1.build")"
}

build_c() { # BASE SOURCE [cc]
	local base=$1 src=$2 cc=${3:-gcc}
	build "$base.pie" "$BIN/$base.pie" "$cc" -static-pie "${CFLAGS[@]}" "$src"
	expect_kind "$base.pie" "$BIN/$base.pie" static-pie
	build "$base.dyn" "$ROOT/bin/$base" "$cc" "${CFLAGS[@]}" "$src"
	expect_kind "$base.dyn" "$ROOT/bin/$base" dynamic
	extract_dyn "$base.dyn" "$ROOT/bin/$base"
}

build_go() {
	if [ ! -x "$GO" ]; then
		BUILD_ERR[go_threads.static]="no $GO (Debian's golang-go)"
		BUILD_ERR[go_threads.dyn]="no $GO (Debian's golang-go)"
		return 0
	fi
	local -a goenv=(env -C "$SRC/go" GOCACHE="$B/go-cache" GOPATH="$B/go-path"
		GOPROXY=off GOFLAGS= GO111MODULE=on)
	local -a gob=("$GO" build -trimpath -buildvcs=false)
	build go_threads.static "$BIN/go_threads.static" "${goenv[@]}" CGO_ENABLED=0 "${gob[@]}"
	expect_kind go_threads.static "$BIN/go_threads.static" static-exec
	build go_threads.dyn "$ROOT/bin/go_threads" "${goenv[@]}" CGO_ENABLED=1 "${gob[@]}"
	expect_kind go_threads.dyn "$ROOT/bin/go_threads" dynamic
	extract_dyn go_threads.dyn "$ROOT/bin/go_threads"
}

build_rust() {
	if [ ! -x "$RUSTC" ]; then
		BUILD_ERR[rust_threads.static]="no $RUSTC (Debian's rustc)"
		BUILD_ERR[rust_threads.dyn]="no $RUSTC (Debian's rustc)"
		return 0
	fi
	local -a rc=("$RUSTC" -C opt-level=2 -C strip=debuginfo)
	build rust_threads.static "$BIN/rust_threads.static" "${rc[@]}" \
		-C target-feature=+crt-static "$SRC/rust/threads.rs"
	expect_kind rust_threads.static "$BIN/rust_threads.static" static-pie
	build rust_threads.dyn "$ROOT/bin/rust_threads" "${rc[@]}" "$SRC/rust/threads.rs"
	expect_kind rust_threads.dyn "$ROOT/bin/rust_threads" dynamic
	extract_dyn rust_threads.dyn "$ROOT/bin/rust_threads"
}

# The python app's rootfs (built by its recipe like run_app.sh does, in
# run_app.sh's cache), copied with the test script as /threads.py.
build_python() {
	local app=$TOP/apps/python out=$TOP/build/apps/python
	if [ ! -x "$app/build.sh" ]; then
		BUILD_ERR[python_threads]="no apps/python recipe"
		return
	fi
	if [ ! -f "$out/.built" ] ||
		[ -n "$(find "$app" "$TOP/apps/_lib.sh" -newer "$out/.built" -print -quit)" ]; then
		rm -rf "$out"
		mkdir -p "$out/rootfs"
		if ! "$app/build.sh" "$out/rootfs" >"$LOGS/python-app.build" 2>&1; then
			BUILD_ERR[python_threads]="apps/python recipe failed: $(tail -n 2 "$LOGS/python-app.build" | tr '\n' ' ')"
			return
		fi
		touch "$out/.built"
	fi
	if [ ! -f "$PYROOT/.copied" ] || [ "$out/.built" -nt "$PYROOT/.copied" ]; then
		rm -rf "$PYROOT"
		if ! cp -a "$out/rootfs" "$PYROOT"; then
			BUILD_ERR[python_threads]="copying the python rootfs failed"
			return
		fi
		touch "$PYROOT/.copied"
	fi
	cmp -s "$SRC/python/threads.py" "$PYROOT/threads.py" ||
		cp -p "$SRC/python/threads.py" "$PYROOT/threads.py"
}

# A catalogue app's rootfs, built by its recipe in run_app.sh's cache.
declare -A APP_LOG=()
build_app() { # NAME -> 0 when $TOP/build/apps/NAME/rootfs is ready
	local app=$1 dir=$TOP/apps/$1 out=$TOP/build/apps/$1
	APP_LOG[$app]=$LOGS/app-$app.build
	if [ ! -x "$dir/build.sh" ]; then
		BUILD_ERR[app.$app]="no recipe apps/$app/build.sh"
		return 1
	fi
	if [ ! -f "$out/.built" ] ||
		[ -n "$(find "$dir" "$TOP/apps/_lib.sh" -newer "$out/.built" -print -quit)" ] ||
		{ [ "$app" != "${app%_static*}" ] &&
			[ -n "$(find "$TOP/apps/${app%_static*}" -newer "$out/.built" -print -quit)" ]; }; then
		rm -rf "$out"
		mkdir -p "$out/rootfs"
		if ! "$dir/build.sh" "$out/rootfs" >"${APP_LOG[$app]}" 2>&1; then
			BUILD_ERR[app.$app]="recipe failed: $(grep -v '^apps: installing' "${APP_LOG[$app]}" | head -n 2 | tr '\n' ' ')"
			rm -rf "$out"
			return 1
		fi
		touch "$out/.built"
	fi
}

build_all() {
	build_c pthreads "$SRC/pthreads.c"
	build_c spin_sleep "$SRC/spin_sleep.c"
	build_c signals "$SRC/signals.c"
	build_c events "$SRC/events.c"
	build crash.pie "$BIN/crash.pie" gcc -static-pie "${CFLAGS[@]}" "$SRC/crash.c"
	expect_kind crash.pie "$BIN/crash.pie" static-pie
	build_c cpp_threads "$SRC/cpp/threads.cc" g++
	build_rust
	build_go
	build_python
}

# --- running ---------------------------------------------------------------------
# chroot for the dynamic programs' native runs: root, or a user namespace.
CHROOT=(chroot)
if [ "$(id -u)" != 0 ]; then
	if unshare -r true 2>/dev/null; then
		CHROOT=(unshare -r chroot)
	else
		say "NOTE not root and no user namespaces: native runs from a rootfs will fail"
	fi
fi
CHROOT[0]=$(command -v "${CHROOT[0]}" || echo "/usr/sbin/${CHROOT[0]}")

EMPTY=$B/empty-stdin
: >"$EMPTY"

# run_native OUT ERR ROOTFS|"" PROG ARGS... ; returns the program's status.
run_native() {
	local out=$1 err=$2 root=$3
	shift 3
	local -a pre=()
	[ -n "$root" ] && pre=("${CHROOT[@]}" "$root")
	(
		cd / || exit 99
		cat -- "$EMPTY" | env -i "${NATIVE_ENV[@]}" timeout -k 5 "$TIMEOUT" \
			"${pre[@]}" "$@" 2>"$err" | cat >"$out"
		exit "${PIPESTATUS[1]}"
	)
}

# run_guest OUT ERR ROOTFS|"" MEM PROG ARGS... ; returns run.sh's status.
run_guest() {
	local out=$1 err=$2 root=$3 mem=$4
	shift 4
	local -a o=(-k "$KERNEL")
	[ -n "$root" ] && o+=(-r "$root")
	[ -n "$mem" ] && o+=(-m "$mem")
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

show_diff() { # EXPECTED ACTUAL
	diff -u --label native --label guest "$1" "$2" | tail -n +3 | detail 10
}

show_stderr() { # FILE: the kernel's complaints first, then the tail
	[ -s "$1" ] || return 0
	echo "    guest stderr:"
	{
		grep -aE 'not implemented|not supported|unsupported|syscall|panic|PANIC|elfloader|[Ff]ault|CRASH|Assertion|assert' "$1" |
			sort | uniq -c | sort -rn | head -n 8
		echo "  (last lines)"
		tail -n 6 "$1"
	} | detail 16
}

# tcase NAME [options] -- PROG ARGS...
#   --status N    expected exit status (default 0)
#   --rootfs DIR  PROG is a path in DIR (natively: chroot DIR)
#   -m MEM        guest memory (run.sh -m)
#   --build KEY   the BUILD_ERR key of the program (default NAME)
#   --grep-note RE  print a NOTE saying whether the guest's stderr names RE
#                 and how many disassembly-like lines it has
tcase() {
	local name=$1
	shift
	local want=0 root='' mem='' key='' note=''
	while [ $# -gt 0 ]; do
		case $1 in
		--status) want=$2; shift 2 ;;
		--rootfs) root=$2; shift 2 ;;
		-m) mem=$2; shift 2 ;;
		--build) key=$2; shift 2 ;;
		--grep-note) note=$2; shift 2 ;;
		--) shift; break ;;
		*) echo "tcase $name: bad option $1" >&2; return ;;
		esac
	done
	selected "$name" || return 0
	key=${key:-$name}
	if [ -n "${BUILD_ERR[$key]:-}" ]; then
		fail "$name" "build: ${BUILD_ERR[$key]}"
		return
	fi
	local prog=$1
	if [ ! -e "$root$prog" ]; then
		fail "$name" "no program $root$prog"
		return
	fi
	local d=$LOGS/$name ns gs
	rm -rf "$d"
	mkdir -p "$d"

	run_native "$d/native.out" "$d/native.err" "$root" "$@"
	ns=$?
	if [ "$ns" != "$want" ]; then
		fail "$name" "native status $(status_text "$ns"), expected $want"
		cat "$d/native.out" "$d/native.err" | tail -n 6 | detail 6
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
	run_guest "$d/guest.out" "$d/guest.err" "$root" "$mem" "$@"
	gs=$?
	local secs=$((SECONDS - t0)) why=''
	[ "$gs" = "$ns" ] || why="guest status $(status_text "$gs"), expected $ns"
	cmp -s "$d/native.out" "$d/guest.out" || why="${why:+$why; }guest stdout differs"
	if [ -n "$note" ]; then
		# a symbol name and instruction lines (mnemonics of the function)
		local sym=lacks insns
		grep -aEq -- "$note" "$d/guest.err" && sym=has
		insns=$(grep -acE '(^|[^a-z])(mov|add|ret|nop|lea|push|pop|call|jmp)([^a-z]|$)' "$d/guest.err")
		say "NOTE $name: the guest's crash report $sym /$note/ and has $insns instruction-like lines (not counted yet)"
	fi
	if [ -z "$why" ]; then
		pass "$name"
		return
	fi
	fail "$name" "$why; ${secs}s"
	cmp -s "$d/native.out" "$d/guest.out" || show_diff "$d/native.out" "$d/guest.out"
	show_stderr "$d/guest.err"
}

# acase NAME: a catalogue app, its cmd natively (chroot) and in the guest.
acase() {
	local app=$1 name=app.$1
	selected "$name" || return 0
	if ! build_app "$app"; then
		if grep -q 'has no standard library for' "${APP_LOG[$app]:-/dev/null}" 2>/dev/null; then
			skip "$name" "no Rust std for the musl target here: see ${APP_LOG[$app]#"$TOP"/}"
			return
		fi
		fail "$name" "${BUILD_ERR[$name]}"
		return
	fi
	local -a cmd
	read -r -a cmd <"$TOP/apps/$app/cmd"
	tcase "$name" --rootfs "$TOP/build/apps/$app/rootfs" -- "${cmd[@]}"
}

# --- the cases -------------------------------------------------------------------
# On a fresh clone: the machine's setup and the kernel first, as run_app.sh
# does (run.sh would build the kernel itself, but inside each case's timeout).
if [ "$NATIVE_ONLY" != 1 ] && [ ! -f "$KERNEL" ] &&
	[ "$KERNEL" = "$TOP/build/elfloader_kvm-x86_64" ]; then
	say "NOTE no kernel yet: make setup, make (log: ${LOGS#"$TOP"/}/kernel.build)"
	{
		[ -f "$TOP/build/.setup-done" ] || make -s -C "$TOP" setup
		make -s -C "$TOP"
	} >"$LOGS/kernel.build" 2>&1 || tail -n 5 "$LOGS/kernel.build" | detail 5
fi
build_all

# C and C++: NAME.pie runs alone, NAME.dyn from the rootfs.
for v in pie dyn; do
	if [ $v = pie ]; then
		r=() dir=$BIN/ suffix=.pie
	else
		r=(--rootfs "$ROOT") dir=/bin/ suffix=
	fi
	tcase pthreads.$v "${r[@]}" -- "${dir}pthreads$suffix"
	tcase spin_sleep.$v "${r[@]}" -- "${dir}spin_sleep$suffix"
	for c in segv_longjmp segv_fixup altstack siginfo sigmask raise threads timers; do
		tcase signals.$c.$v "${r[@]}" --build signals.$v -- "${dir}signals$suffix" $c
	done
	# the second SIGUSR1 meets SIG_DFL: death by signal 10
	tcase signals.resethand.$v --status 138 "${r[@]}" --build signals.$v -- \
		"${dir}signals$suffix" resethand
	for c in epoll_et timerfd eventfd poll select wakeup alarm_eintr itimer; do
		tcase events.$c.$v "${r[@]}" --build events.$v -- "${dir}events$suffix" $c
	done
	tcase cpp_threads.$v "${r[@]}" -- "${dir}cpp_threads$suffix"
done
# The report's format is the kernel's to settle: only the status counts now.
tcase crash.pie --status 139 --grep-note crash_here -- "$BIN/crash.pie"
tcase rust_threads.static -- "$BIN/rust_threads.static"
tcase rust_threads.dyn --rootfs "$ROOT" -- /bin/rust_threads
tcase go_threads.static -- "$BIN/go_threads.static"
tcase go_threads.dyn --rootfs "$ROOT" -- /bin/go_threads
tcase python_threads --rootfs "$PYROOT" -- /usr/bin/python3 /threads.py

for a in helloworld_go helloworld_go_static helloworld_rust helloworld_rust_static_gnu \
	helloworld_rust_static_musl; do
	acase $a
done

# Full runs only: a native-only run or a subset leaves the last counts.
[ "$NATIVE_ONLY" = 1 ] || [ ${#PATTERNS[@]} -gt 0 ] ||
	echo "$passed $failed" >"$BUILD/test-results/threads.txt"
say "$passed passed, $failed failed"
[ "$failed" = 0 ]
