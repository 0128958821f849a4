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
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init threads --timeout THREADS_TIMEOUT=120 -- "$@"

BIN=$B/bin
ROOT=$B/rootfs
PYROOT=$B/python-rootfs
mkdir -p "$BIN" "$ROOT/bin"

need_pkgs gcc g++ libc6-dev binutils golang-go rustc cpio

# Debian's toolchains, not others that may come first on PATH (rustup's).
GO=/usr/bin/go
RUSTC=/usr/bin/rustc

# --- building ------------------------------------------------------------------
CFLAGS=(-O2 -g -Wall -Wextra -pthread)

build_c() { # BASE SOURCE [cc]
	local base=$1 src=$2 cc=${3:-gcc}
	build "$base.pie" "$BIN/$base.pie" "$cc" -static-pie "${CFLAGS[@]}" "$src"
	expect_kind "$base.pie" "$BIN/$base.pie" static-pie
	build "$base.dyn" "$ROOT/bin/$base" "$cc" "${CFLAGS[@]}" "$src"
	expect_kind "$base.dyn" "$ROOT/bin/$base" dynamic
	extract_libs "$base.dyn" "$ROOT/bin/$base" "$ROOT"
}

build_go() {
	if [ ! -x "$GO" ]; then
		BUILD_ERR[go_threads.static]="no $GO (Debian's golang-go)"
		BUILD_ERR[go_threads.dyn]="no $GO (Debian's golang-go)"
		return 0
	fi
	local -a goenv=(env -C "$HERE/go" GOCACHE="$B/go-cache" GOPATH="$B/go-path"
		GOPROXY=off GOFLAGS= GO111MODULE=on)
	local -a gob=("$GO" build -trimpath -buildvcs=false)
	build go_threads.static "$BIN/go_threads.static" "${goenv[@]}" CGO_ENABLED=0 "${gob[@]}"
	expect_kind go_threads.static "$BIN/go_threads.static" static-exec
	build go_threads.dyn "$ROOT/bin/go_threads" "${goenv[@]}" CGO_ENABLED=1 "${gob[@]}"
	expect_kind go_threads.dyn "$ROOT/bin/go_threads" dynamic
	extract_libs go_threads.dyn "$ROOT/bin/go_threads" "$ROOT"
}

build_rust() {
	if [ ! -x "$RUSTC" ]; then
		BUILD_ERR[rust_threads.static]="no $RUSTC (Debian's rustc)"
		BUILD_ERR[rust_threads.dyn]="no $RUSTC (Debian's rustc)"
		return 0
	fi
	local -a rc=("$RUSTC" -C opt-level=2 -C strip=debuginfo)
	build rust_threads.static "$BIN/rust_threads.static" "${rc[@]}" \
		-C target-feature=+crt-static "$HERE/rust/threads.rs"
	expect_kind rust_threads.static "$BIN/rust_threads.static" static-pie
	build rust_threads.dyn "$ROOT/bin/rust_threads" "${rc[@]}" "$HERE/rust/threads.rs"
	expect_kind rust_threads.dyn "$ROOT/bin/rust_threads" dynamic
	extract_libs rust_threads.dyn "$ROOT/bin/rust_threads" "$ROOT"
}

# The python app's rootfs (build_app: run_app.sh's cache), copied with the
# test script as /threads.py.
build_python() {
	if ! build_app python; then
		BUILD_ERR[python_threads]="apps/python: ${BUILD_ERR[app.python]}"
		return
	fi
	local out=$APPS_OUT/python
	if [ ! -f "$PYROOT/.copied" ] || [ "$out/.built" -nt "$PYROOT/.copied" ]; then
		rm -rf "$PYROOT"
		if ! cp -a "$out/rootfs" "$PYROOT"; then
			BUILD_ERR[python_threads]="copying the python rootfs failed"
			return
		fi
		touch "$PYROOT/.copied"
	fi
	cmp -s "$HERE/python/threads.py" "$PYROOT/threads.py" ||
		cp -p "$HERE/python/threads.py" "$PYROOT/threads.py"
}

build_all() {
	build_c pthreads "$HERE/pthreads.c"
	build_c spin_sleep "$HERE/spin_sleep.c"
	build_c signals "$HERE/signals.c"
	build_c events "$HERE/events.c"
	build crash.pie "$BIN/crash.pie" gcc -static-pie "${CFLAGS[@]}" "$HERE/crash.c"
	expect_kind crash.pie "$BIN/crash.pie" static-pie
	build manythreads "$BIN/manythreads" gcc -static-pie "${CFLAGS[@]}" "$HERE/manythreads.c"
	build_c cpp_threads "$HERE/cpp/threads.cc" g++
	build_rust
	build_go
	build_python
}

# --- running ---------------------------------------------------------------------
# crash_note RE: after the crash.pie case, a NOTE saying whether the guest's
# crash report names RE and how many disassembly-like lines it has.
crash_note() {
	[ -n "$CASE_DIR" ] && [ -f "$CASE_DIR/guest.err" ] || return 0
	# a symbol name and instruction lines (mnemonics of the function)
	local sym=lacks insns
	grep -aEq -- "$1" "$CASE_DIR/guest.err" && sym=has
	insns=$(grep -acE '(^|[^a-z])(mov|add|ret|nop|lea|push|pop|call|jmp)([^a-z]|$)' "$CASE_DIR/guest.err")
	note "crash.pie: the guest's crash report $sym /$1/ and has $insns instruction-like lines (not counted yet)"
}

# acase NAME: a catalogue app, its cmd natively (chroot) and in the guest.
acase() {
	local app=$1 name=app.$1
	selected "$name" || return 0
	if ! build_app "$app"; then
		if grep -q 'has no standard library for' "$LOGS/app-$app.build" 2>/dev/null; then
			skip "$name" "no Rust std for the musl target here: see ${LOGS#"$TOP"/}/app-$app.build"
			return
		fi
		fail "$name" "${BUILD_ERR[$name]}"
		return
	fi
	local -a cmd
	read -r -a cmd <"$TOP/apps/$app/cmd"
	tcase "$name" --rootfs "$APPS_OUT/$app/rootfs" -- "${cmd[@]}"
}

# --- the cases -------------------------------------------------------------------
need_kernel
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
	for c in segv_longjmp segv_fixup altstack siginfo sigmask raise threads timers restart; do
		tcase signals.$c.$v "${r[@]}" --build signals.$v -- "${dir}signals$suffix" $c
	done
	# the second SIGUSR1 meets SIG_DFL: death by signal 10
	tcase signals.resethand.$v --status 138 "${r[@]}" --build signals.$v -- \
		"${dir}signals$suffix" resethand
	for c in epoll_et timerfd eventfd poll select wakeup alarm_eintr itimer close_read; do
		tcase events.$c.$v "${r[@]}" --build events.$v -- "${dir}events$suffix" $c
	done
	tcase cpp_threads.$v "${r[@]}" -- "${dir}cpp_threads$suffix"
done
# Every thread's memory comes back (a busy host's MemFree moves too much
# for the same check natively).
tcase manythreads --guest-only --expect "10000 threads: free memory back within 64 KiB" \
	-- "$BIN/manythreads"
# The report's format is the kernel's to settle: only the status counts now.
tcase crash.pie --status 139 -- "$BIN/crash.pie"
crash_note crash_here
tcase rust_threads.static -- "$BIN/rust_threads.static"
tcase rust_threads.dyn --rootfs "$ROOT" -- /bin/rust_threads
tcase go_threads.static -- "$BIN/go_threads.static"
tcase go_threads.dyn --rootfs "$ROOT" -- /bin/go_threads
tcase python_threads --rootfs "$PYROOT" -- /usr/bin/python3 /threads.py

for a in helloworld_go helloworld_go_static helloworld_rust helloworld_rust_static_gnu \
	helloworld_rust_static_musl; do
	acase $a
done

suite_finish
