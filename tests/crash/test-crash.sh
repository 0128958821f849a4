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
# $BUILD/test-results/crash.txt as "P F", then "N passed, N failed".
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "${BUILD:-}" in
/*) ;;
*) BUILD=$TOP/build ;;
esac
export BUILD
KERNEL=${KERNEL:-$BUILD/elfloader_kvm-x86_64}
TIMEOUT=${TEST_TIMEOUT:-120}
SRC=$TOP/tests/crash/crash.c
# A fixed work directory: run.sh keeps one cached initrd per rootfs folder.
W=$BUILD/crash
ROOTFS=$W/rootfs
PATTERNS=("$@")

passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() {
	echo "FAIL $1 ($2)"
	failed=$((failed + 1))
	[ -z "${3:-}" ] || printf '%s\n' "$3" | head -n 40 | sed 's/^/    | /'
}
skip() { echo "SKIP $1 ($2)"; }

finish() {
	mkdir -p "$BUILD/test-results"
	echo "$passed $failed" >"$BUILD/test-results/crash.txt"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

selected() {
	local p
	[ ${#PATTERNS[@]} -eq 0 ] && return 0
	for p in "${PATTERNS[@]}"; do
		# shellcheck disable=SC2254
		case "$1" in $p) return 0 ;; esac
	done
	return 1
}

if [ ! -f "$KERNEL" ]; then
	make -s -C "$TOP" >&2 || { fail kernel "make failed"; finish; }
fi

# --- the programs -------------------------------------------------------------
rm -rf "$W"
mkdir -p "$ROOTFS"
declare -A BUILT=()
# build NAME COMPILER-COMMAND...: the program lands in the rootfs as /NAME.
build() {
	local name=$1
	shift
	if "$@" -o "$ROOTFS/$name" "$SRC" >"$W/$name.build" 2>&1; then
		BUILT[$name]=1
	else
		BUILT[$name]="$(head -n 3 "$W/$name.build" | tr '\n' ' ')"
	fi
}
CFLAGS=(-O2 -Wall -Wextra)
build spie gcc -static-pie "${CFLAGS[@]}"
build static gcc -static -no-pie "${CFLAGS[@]}"
build dyn gcc "${CFLAGS[@]}"
build fp gcc -static-pie -O0 -fno-omit-frame-pointer
if command -v musl-gcc >/dev/null; then
	build musl musl-gcc -static "${CFLAGS[@]}"
else
	BUILT[musl]="musl-gcc not installed"
fi
# The dynamic one brings its interpreter and libc along.
if [ "${BUILT[dyn]}" = 1 ] &&
	! "$TOP/extract.sh" -q "$ROOTFS/dyn" "$ROOTFS" >"$W/extract.log" 2>&1; then
	BUILT[dyn]="extract.sh: $(head -n 2 "$W/extract.log" | tr '\n' ' ')"
fi

# --- the checks ---------------------------------------------------------------
# A disassembled line: "  => 0x55555555d6b0 <main+16>: mov ..." (marked or
# not, the symbol part only where one covers the address).
INSN='^  (=>|  ) 0x[0-9a-f]+( <[^>]*>)?: [a-z(]'

# run NAME PROGRAM MODE: runs /PROGRAM MODE in the guest; sets status and
# leaves stdout and stderr in $W/NAME.out and .err. Fails (and returns 1)
# when PROGRAM was not built.
run() {
	local name=$1 prog=$2 mode=$3
	if [ "${BUILT[$prog]}" != 1 ]; then
		if [ "${BUILT[$prog]}" = "musl-gcc not installed" ]; then
			skip "$name" "${BUILT[$prog]}"
		else
			fail "$name" "build failed: ${BUILT[$prog]}"
		fi
		return 1
	fi
	status=0
	timeout "$TIMEOUT" "$TOP/run.sh" -k "$KERNEL" -r "$ROOTFS" "/$prog" "$mode" \
		</dev/null >"$W/$name.out" 2>"$W/$name.err" || status=$?
}

# check NAME STATUS [REGEX...]: wants STATUS, "before" on stdout, at least
# three instruction lines and one "=>" line on stderr, and a line matching
# each extended REGEX there.
check() {
	local name=$1 want=$2 err=$W/$1.err n re
	shift 2
	if [ "$status" != "$want" ]; then
		fail "$name" "status $status, want $want" "$(cat "$err")"
		return
	fi
	if ! grep -qx before "$W/$name.out"; then
		fail "$name" "the program's output before the crash is missing" \
			"$(cat "$W/$name.out")"
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
		fail $name "status $status, want 139" "$(cat "$W/$name.err")"
	elif ! grep -qE '^return address at \[rsp\]: 0x[0-9a-f]+ in main\+0x[0-9a-f]+ \(/spie\)$' \
		"$W/$name.err"; then
		fail $name "the caller is not named" "$(cat "$W/$name.err")"
	else
		pass $name
	fi
fi

# A bad pointer given to write(): the kernel faults on the program's
# behalf and the report shows the program's syscall instruction. (Should
# the kernel answer EFAULT instead, the program just returns: skipped.)
name=spie-syscall
if selected $name && run $name spie syscall; then
	if [ "$status" = 255 ]; then
		skip $name "write() returned an error instead of a SIGSEGV"
	else
		check $name 139 \
			'^the program.s syscall at 0x[0-9a-f]+ in [_a-z]*write[_a-z0-9]*\+0x' \
			'^  => 0x[0-9a-f]+ <[_a-z]*write[_a-z0-9]*\+[0-9]+>: syscall$'
	fi
fi

finish
