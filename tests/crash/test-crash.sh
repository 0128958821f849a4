#!/usr/bin/env bash
# Crash reports: programs that die by a fault with no handler (tests/crash/
# crash.c, built here as glibc static-PIE, static, dynamic and musl static
# programs) must end with 128+N and a report on stderr that names the
# function (from the ELF symbol table) and shows at least three
# disassembled instructions, the faulting one marked "=>".
#
# usage: tests/crash/test-crash.sh [PATTERN...]   (globs on case names)
# env:   BUILD (default <repo>/build), KERNEL (default $BUILD/elfloader_kvm-x86_64),
#        TEST_TIMEOUT (seconds per guest run, default 120)
# Output: "PASS name" / "FAIL name (why)" / "SKIP name (why)" lines, counts in
# $BUILD/test-results/crash.txt as "P F" (on a run of every case), then
# "N passed, N failed". Programs and logs: $BUILD/crash/.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init crash --timeout TEST_TIMEOUT=120 -- "$@"
# A fixed rootfs folder: run.sh keeps one cached initrd per rootfs folder.
ROOTFS=$B/rootfs

need_kernel
[ -f "$KERNEL" ] || { fail kernel "no kernel ${KERNEL#"$TOP"/}"; suite_finish; }

# --- the programs -------------------------------------------------------------
rm -rf "$ROOTFS" "$LOGS"
mkdir -p "$ROOTFS" "$LOGS"
# build_prog NAME COMPILER-COMMAND...: the program lands in the rootfs as /NAME.
build_prog() { build "$1" "$ROOTFS/$1" "${@:2}" "$HERE/crash.c"; }
CFLAGS=(-O2 -Wall -Wextra)
build_prog spie gcc -static-pie "${CFLAGS[@]}"
build_prog static gcc -static -no-pie "${CFLAGS[@]}"
build_prog dyn gcc "${CFLAGS[@]}"
build_prog fp gcc -static-pie -O0 -fno-omit-frame-pointer
if command -v musl-gcc >/dev/null; then
	build_prog musl musl-gcc -static "${CFLAGS[@]}"
else
	BUILD_ERR[musl]="musl-gcc not installed"
fi
# The dynamic one brings its interpreter and libc along.
extract_libs dyn "$ROOTFS/dyn" "$ROOTFS"

# --- the checks ---------------------------------------------------------------
# A disassembled line: "  => 0x55555555d6b0 <main+16>: mov ..." (marked or
# not, the symbol part only where one covers the address).
INSN='^  (=>|  ) 0x[0-9a-f]+( <[^>]*>)?: [a-z(]'

# run NAME PROGRAM MODE: runs /PROGRAM MODE in the guest; sets status and
# leaves stdout and stderr in $LOGS/NAME.out and .err. Fails (and returns 1)
# when PROGRAM was not built.
run() {
	local name=$1 prog=$2 mode=$3
	if [ -n "${BUILD_ERR[$prog]:-}" ]; then
		if [ "${BUILD_ERR[$prog]}" = "musl-gcc not installed" ]; then
			skip "$name" "${BUILD_ERR[$prog]}"
		else
			fail "$name" "build failed: ${BUILD_ERR[$prog]}"
		fi
		return 1
	fi
	run_guest "$LOGS/$name.out" "$LOGS/$name.err" -r "$ROOTFS" -- "/$prog" "$mode"
	status=$?
}

# check NAME STATUS [REGEX...]: wants STATUS, "before" on stdout, at least
# three instruction lines and one "=>" line on stderr, and a line matching
# each extended REGEX there.
check() {
	local name=$1 want=$2 err=$LOGS/$1.err n re
	shift 2
	if [ "$status" != "$want" ]; then
		fail "$name" "status $status, want $want" "$(cat "$err")"
		return
	fi
	if ! grep -qx before "$LOGS/$name.out"; then
		fail "$name" "the program's output before the crash is missing" \
			"$(cat "$LOGS/$name.out")"
		return
	fi
	n=$(grep -cE "$INSN" "$err")
	if [ "$n" -lt 3 ]; then
		fail "$name" "$n disassembled instruction lines, want >= 3" "$(cat "$err")"
		return
	fi
	if [ "$(grep -cE '^  => 0x' "$err")" != 1 ]; then
		fail "$name" "no single '=>' line" "$(cat "$err")"
		return
	fi
	for re in "$@"; do
		if ! grep -qE -- "$re" "$err"; then
			fail "$name" "no line matches /$re/" "$(cat "$err")"
			return
		fi
	done
	pass "$name"
}

# tcase NAME PROGRAM MODE STATUS [REGEX...]: run, then check.
tcase() {
	local name=$1 prog=$2 mode=$3
	shift 3
	selected "$name" || return 0
	run "$name" "$prog" "$mode" && check "$name" "$@"
}

# The faulting function named on the rip line and on the "=>" line.
in_fn() { printf '%s' "^rip 0x[0-9a-f]+ in $1\\+0x[0-9a-f]+ \\(/$2\\)\$"; }
at_fn() { printf '%s' "^  => 0x[0-9a-f]+ <$1\\+[0-9]+>: ${2:-}"; }

tcase spie-main spie main 139 "$(in_fn main spie)" "$(at_fn main 'mov ')"
tcase spie-func spie func 139 "$(in_fn crash_here spie)" \
	"$(at_fn crash_here 'mov eax, \[rdi\+0x28\]')"
tcase static-main static main 139 "$(in_fn main static)" "$(at_fn main 'mov ')"
tcase static-func static func 139 "$(in_fn crash_here static)" "$(at_fn crash_here)"
tcase dyn-main dyn main 139 "$(in_fn main dyn)" "$(at_fn main 'mov ')"
tcase dyn-func dyn func 139 "$(in_fn crash_here dyn)" "$(at_fn crash_here)"
tcase musl-func musl func 139 "$(in_fn crash_here musl)" "$(at_fn crash_here)"
# Inside the C library: glibc's static copy has its symbols; the shared
# libc.so.6 is stripped, so the report names the file and its address.
tcase spie-libc spie libc 139 '^rip 0x[0-9a-f]+ in __strlen[a-z0-9_]*\+0x[0-9a-f]+ \(/spie\)$' \
	'^  => 0x[0-9a-f]+ <__strlen[a-z0-9_]*\+[0-9]+>: '
tcase dyn-libc dyn libc 139 '^rip 0x[0-9a-f]+ in /[^ ]*libc\.so\.6\+0x[0-9a-f]+'
# Frame pointers give the callers, with their symbols.
tcase fp-frames fp func 139 "$(in_fn crash_here fp)" \
	'^  #1 0x[0-9a-f]+ in main\+0x[0-9a-f]+ \(/fp\)$'
tcase spie-ill spie ill 132 "$(at_fn 'main[.a-z]*' 'ud2')"

# No code at rip: the caller comes from the return address at [rsp].
name=spie-callnull
if selected $name && run $name spie callnull; then
	if [ "$status" != 139 ]; then
		fail $name "status $status, want 139" "$(cat "$LOGS/$name.err")"
	elif ! grep -qE '^return address at \[rsp\]: 0x[0-9a-f]+ in main\+0x[0-9a-f]+ \(/spie\)$' \
		"$LOGS/$name.err"; then
		fail $name "the caller is not named" "$(cat "$LOGS/$name.err")"
	else
		pass $name
	fi
fi

# A bad pointer given to write(): the kernel answers EFAULT, as Linux
# does, and the program goes on (write returns -1: status 255) with no
# crash report.
name=spie-syscall
if selected $name && run $name spie syscall; then
	if [ "$status" != 255 ]; then
		fail $name "status $status, want 255 (EFAULT from write)" "$(cat "$LOGS/$name.err")"
	elif grep -q ' crashed (' "$LOGS/$name.err"; then
		fail $name "a crash report" "$(cat "$LOGS/$name.err")"
	else
		pass $name
	fi
fi

# More memory touched than the guest has: the program is killed (SIGKILL,
# status 137) with a message that says so and what to do, not a crash.
name=spie-oom
if selected $name && run $name spie oom; then
	if [ "$status" != 137 ]; then
		fail $name "status $status, want 137 (SIGKILL)" "$(tail -n 20 "$LOGS/$name.err")"
	elif ! grep -qE '^out of memory: killed the program \(pid 1\); the guest has [0-9]+ MiB \(run.sh -m gives it more\)$' \
		"$LOGS/$name.err" "$LOGS/$name.out"; then
		fail $name "no out-of-memory message" "$(tail -n 20 "$LOGS/$name.err")"
	elif grep -q ' crashed (' "$LOGS/$name.err"; then
		fail $name "a crash report" "$(cat "$LOGS/$name.err")"
	else
		pass $name
	fi
fi

# The same in a child: it alone is killed, its parent sees SIGKILL and goes on.
name=spie-oomchild
if selected $name && run $name spie oomchild; then
	if [ "$status" != 0 ]; then
		fail $name "status $status, want 0" "$(tail -n 20 "$LOGS/$name.err")"
	elif ! grep -qx 'child killed by signal 9' "$LOGS/$name.out" ||
		! grep -qx 'parent goes on' "$LOGS/$name.out"; then
		fail $name "the parent did not see its child killed, or did not go on" \
			"$(cat "$LOGS/$name.out")"
	elif ! grep -qE '^out of memory: killed spie \(pid [0-9]+\); the guest has [0-9]+ MiB' \
		"$LOGS/$name.err" "$LOGS/$name.out"; then
		fail $name "no out-of-memory message naming the child" "$(tail -n 20 "$LOGS/$name.err")"
	else
		pass $name
	fi
fi

suite_finish
