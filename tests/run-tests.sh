#!/usr/bin/env bash
# Guest test suite: builds tests/guest/* as ordinary Linux programs, runs each
# case natively, then in the guest through ./run.sh, and compares stdout and
# exit status (and, for crash cases, the guest's stderr).
#
# usage: tests/run-tests.sh [PATTERN...]   (shell globs on case names; default all)
# env:   NATIVE_ONLY=1      only the native half of each case (no guest needed)
#        TEST_TIMEOUT=60    seconds per run (native or guest)
#        KERNEL=path        kernel image (default $BUILD/elfloader_kvm-x86_64)
#        BUILD=dir          build directory (default <repo>/build)
#        TEST_HOST_STATUS=N exit status of `make test-host` (set by tests.mk)
# Output: one "PASS name" / "FAIL name (why)" / "SKIP name (why)" line per case
# (failure details follow, indented), then exactly one "N passed, N failed".
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "${BUILD:-}" in
/*) ;;
*) BUILD=$TOP/build ;;
esac
B=$BUILD/tests
LOGS=$B/logs
SRC=$TOP/tests/guest
RUN=$TOP/run.sh
KERNEL=${KERNEL:-$BUILD/elfloader_kvm-x86_64}
SQUARE_BUILD=$BUILD/square
SQUARE_KERNEL=$SQUARE_BUILD/elfloader_kvm-x86_64
TIMEOUT=${TEST_TIMEOUT:-60}
NATIVE_ONLY=${NATIVE_ONLY:-0}
PATTERNS=("$@")

# The environment given to native runs; the guest gets run.sh's default
# environment (PATH, HOME=/, TERM, LANG...) plus the same -e additions.
NATIVE_ENV=(PATH=/usr/local/bin:/usr/bin:/bin HOME=/ TERM=linux LANG=C.UTF-8)

passed=0
failed=0
declare -A BUILD_ERR=()

mkdir -p "$B" "$LOGS"

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

# --- building the test programs ---------------------------------------------
CFLAGS=(-O2 -g -Wall -Wextra)

# build NAME command... : runs the compiler command with -o $B/NAME
build() {
	local name=$1
	shift
	if "$@" -o "$B/$name" >"$LOGS/$name.build" 2>&1; then
		return 0
	fi
	BUILD_ERR[$name]=$(head -n 3 "$LOGS/$name.build" | tr '\n' ' ')
	return 1
}

has_interp() { readelf -lW "$1" 2>/dev/null | grep -q INTERP; }
is_dyn() { readelf -hW "$1" 2>/dev/null | grep -q 'Type:.*DYN'; }

# musl-gcc's specs file knows nothing of -static-pie: it links Scrt1.o with
# -pie and a PT_INTERP of /lib/ld-musl-x86_64.so.1, i.e. a *dynamic* PIE. When
# that happens, link with a fixed specs file instead: rcrt1.o (musl's
# self-relocating start file), -static -pie --no-dynamic-linker.
MUSL_SPECS_IN=/usr/lib/x86_64-linux-musl/musl-gcc.specs
MUSL_SPECS=$B/musl-static-pie.specs
musl_fixed_specs() {
	[ -f "$MUSL_SPECS_IN" ] || return 1
	sed -e 's#%{!shared: \([^ ]*\)/Scrt1.o}#%{static-pie:\1/rcrt1.o;!shared:\1/Scrt1.o}#' \
	    -e 's#^-dynamic-linker \([^ ]*\) -nostdlib#%{static-pie:-static -pie --no-dynamic-linker -z text;:-dynamic-linker \1} -nostdlib#' \
	    "$MUSL_SPECS_IN" >"$MUSL_SPECS" && grep -q rcrt1 "$MUSL_SPECS"
}

# build_musl_pie NAME SOURCE
build_musl_pie() {
	local name=$1 src=$2
	if ! command -v musl-gcc >/dev/null; then
		BUILD_ERR[$name]="musl-gcc not installed"
		return 1
	fi
	build "$name" musl-gcc -static-pie "${CFLAGS[@]}" "$src" || return 1
	if has_interp "$B/$name"; then
		echo "musl-gcc -static-pie produced a PT_INTERP; relinking with $MUSL_SPECS" \
			>>"$LOGS/$name.build"
		musl_fixed_specs &&
			build "$name" gcc -specs="$MUSL_SPECS" -static-pie "${CFLAGS[@]}" "$src" ||
			return 1
	fi
	if has_interp "$B/$name" || ! is_dyn "$B/$name"; then
		BUILD_ERR[$name]="not a static-PIE (ET_DYN without PT_INTERP)"
		return 1
	fi
}

build_all() {
	local t
	build hello-glibc-pie gcc -static-pie "${CFLAGS[@]}" "$SRC/hello.c"
	build_musl_pie hello-musl-pie "$SRC/hello.c"
	build hello-glibc-static gcc -static -no-pie "${CFLAGS[@]}" "$SRC/hello.c"
	build hello-cpp g++ -static "${CFLAGS[@]}" "$SRC/hello_cpp.cc"
	build args gcc -static-pie "${CFLAGS[@]}" "$SRC/args.c"
	build_musl_pie args-musl "$SRC/args.c"
	build args-static gcc -static -no-pie "${CFLAGS[@]}" "$SRC/args.c"
	for t in exit cat_stdin bigmalloc mprotect nullderef abort enosys square sys; do
		build "$t" gcc -static-pie "${CFLAGS[@]}" "$SRC/$t.c"
	done
	# fs.c (file-system semantics) comes from another fragment; run it if present
	[ -f "$SRC/fs.c" ] && build fs gcc -static-pie "${CFLAGS[@]}" "$SRC/fs.c"
	# sanity: the glibc static-PIE really is one
	if [ -z "${BUILD_ERR[hello-glibc-pie]:-}" ] &&
		{ has_interp "$B/hello-glibc-pie" || ! is_dyn "$B/hello-glibc-pie"; }; then
		BUILD_ERR[hello-glibc-pie]="gcc -static-pie did not give ET_DYN without PT_INTERP"
	fi
	if [ -z "${BUILD_ERR[hello-glibc-static]:-}" ] &&
		is_dyn "$B/hello-glibc-static"; then
		BUILD_ERR[hello-glibc-static]="gcc -static -no-pie gave ET_DYN"
	fi
}

# --- stdin for cat_stdin: every byte value (0x00, 0xff...), long lines -------
gen_stdin() {
	local i r
	for r in 1 2 3 4; do
		# shellcheck disable=SC2059
		for i in $(seq 0 255); do printf "\\$(printf %03o "$i")"; done
	done
	printf '\n'
	printf 'x%.0s' $(seq 1 5000)
	printf '\n'
	for i in $(seq 1 100); do
		printf 'line %d: the quick brown fox jumps over the lazy dog\n' "$i"
	done
	printf '%0*d\n' 3000 0
	printf 'crlf\r\n\ttab\0nul\377ff\0\0 no newline at the end'
}

# --- running ------------------------------------------------------------------
# run_native OUT ERR STDIN ENV BIN ARGS... ; returns the program's status.
# stdin and stdout are pipes, cwd is /, like in the guest.
run_native() {
	local out=$1 err=$2 in=$3 envs=$4
	shift 4
	local -a extra=()
	[ -n "$envs" ] && read -r -a extra <<<"$envs"
	(
		cd / || exit 99
		cat -- "$in" | env -i "${NATIVE_ENV[@]}" "${extra[@]}" \
			timeout -k 5 "$TIMEOUT" "$@" 2>"$err" | cat >"$out"
		exit "${PIPESTATUS[1]}"
	)
}

# run_guest OUT ERR STDIN KERNEL RUNOPTS BIN ARGS... ; returns run.sh's status.
run_guest() {
	local out=$1 err=$2 in=$3 kernel=$4 opts=$5
	shift 5
	local -a o=()
	[ -n "$opts" ] && read -r -a o <<<"$opts"
	(
		cd "$TOP" || exit 99
		cat -- "$in" | timeout -k 5 "$TIMEOUT" "$RUN" -k "$kernel" "${o[@]}" "$@" \
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

# show_diff EXPECTED ACTUAL
show_diff() {
	if grep -qI . "$1" 2>/dev/null && grep -qI . "$2" 2>/dev/null ||
		[ ! -s "$1" ] || [ ! -s "$2" ]; then
		diff -u --label expected --label actual "$1" "$2" | tail -n +3 | detail 10
	else
		{
			cmp "$1" "$2"
			echo "expected $(stat -c %s "$1") bytes, got $(stat -c %s "$2") bytes"
		} 2>&1 | detail 3
	fi
}

show_stderr() { # FILE
	[ -s "$1" ] || return 0
	echo "    guest stderr (last lines):"
	tail -n 12 "$1" | detail 12
}

# tcase NAME [options] -- BIN [ARGS...]
#   --stdin FILE     feed FILE (piped) instead of an empty pipe
#   --status N       expected exit status (default 0)
#   --expect TEXT    expected stdout (a line); default: the native stdout
#   --guest-only     no native run (--expect is then required)
#   --grep PAT       the guest's stderr must match PAT (grep -E); repeatable
#   --kernel FILE    kernel for the guest run
#   -m MEM / -M MACHINE / -e VAR=VALUE : passed to run.sh (-e also natively)
tcase() {
	local name=$1
	shift
	local in=/dev/null status=0 expect='' has_expect=0 guest_only=0
	local kernel=$KERNEL opts='' envs=''
	local -a greps=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--stdin) in=$2; shift 2 ;;
		--status) status=$2; shift 2 ;;
		--expect) expect=$2; has_expect=1; shift 2 ;;
		--guest-only) guest_only=1; shift ;;
		--grep) greps+=("$2"); shift 2 ;;
		--kernel) kernel=$2; shift 2 ;;
		-m | -M) opts="$opts $1 $2"; shift 2 ;;
		-e) opts="$opts -e $2"; envs="$envs $2"; shift 2 ;;
		--) shift; break ;;
		*) echo "tcase $name: bad option $1" >&2; return ;;
		esac
	done
	local bin=$1
	shift
	selected "$name" || return 0

	local prog
	prog=$(basename "$bin")
	if [ -n "${BUILD_ERR[$prog]:-}" ] || [ ! -x "$bin" ]; then
		fail "$name" "build of $prog failed: ${BUILD_ERR[$prog]:-missing}"
		return
	fi

	local exp=$LOGS/$name.expected nout=$LOGS/$name.native.out nerr=$LOGS/$name.native.err
	local gout=$LOGS/$name.guest.out gerr=$LOGS/$name.guest.err st
	[ "$has_expect" = 1 ] && printf '%s\n' "$expect" >"$exp"

	# 1. native: must behave as expected, and gives the reference stdout
	if [ "$guest_only" = 0 ]; then
		run_native "$nout" "$nerr" "$in" "$envs" "$bin" "$@"
		st=$?
		if [ "$st" != "$status" ]; then
			fail "$name" "native status $(status_text "$st"), expected $status"
			detail 5 <"$nerr"
			return
		fi
		if [ "$has_expect" = 1 ]; then
			if ! cmp -s "$exp" "$nout"; then
				fail "$name" "native stdout differs from the expected text"
				show_diff "$exp" "$nout"
				return
			fi
		else
			cp "$nout" "$exp"
		fi
		if [ "$in" != /dev/null ] && grep -q cat_stdin <<<"$prog" && ! cmp -s "$in" "$nout"; then
			fail "$name" "native stdout differs from stdin"
			return
		fi
	fi

	# 2. guest
	if [ "$NATIVE_ONLY" = 1 ]; then
		pass "$name"
		return
	fi
	if [ ! -x "$RUN" ]; then
		fail "$name" "no executable run.sh"
		return
	fi
	if [ ! -f "$kernel" ]; then
		fail "$name" "no kernel ${kernel#"$TOP"/}"
		return
	fi
	run_guest "$gout" "$gerr" "$in" "$kernel" "$opts" "$bin" "$@"
	st=$?
	local why=''
	if [ "$st" != "$status" ]; then
		why="guest status $(status_text "$st"), expected $status"
	fi
	if ! cmp -s "$exp" "$gout"; then
		why="${why:+$why; }guest stdout differs"
	fi
	local p
	for p in "${greps[@]}"; do
		grep -Eq -- "$p" "$gerr" || why="${why:+$why; }guest stderr lacks /$p/"
	done
	if [ -z "$why" ]; then
		pass "$name"
		return
	fi
	fail "$name" "$why"
	cmp -s "$exp" "$gout" || show_diff "$exp" "$gout"
	show_stderr "$gerr"
}

# --- negative tests: malformed ELFs from tests/elf/mkbad ----------------------
# mkbad (tests/elf/mkbad.c, another fragment's) writes variants of a good ELF
# plus NAME.expect files holding a substring the loader's error must contain.
bad_elf_tests() {
	local mk=$TOP/tests/elf/mkbad
	local src=$TOP/tests/elf/mkbad.c
	local dir=$B/bad-elf f name exp st
	if [ -f "$src" ]; then
		mk=$B/mkbad
		if ! gcc -O2 -Wall -o "$mk" "$src" >"$LOGS/mkbad.build" 2>&1; then
			fail bad-elf "build of tests/elf/mkbad.c failed"
			detail 5 <"$LOGS/mkbad.build"
			return
		fi
	elif [ ! -x "$mk" ]; then
		return 0
	fi
	if [ -n "${BUILD_ERR[hello-glibc-pie]:-}" ]; then
		fail bad-elf "no hello-glibc-pie to derive the variants from"
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	if ! "$mk" "$B/hello-glibc-pie" "$dir" >"$LOGS/mkbad.log" 2>&1; then
		fail bad-elf "mkbad failed"
		detail 5 <"$LOGS/mkbad.log"
		return
	fi
	local n=0
	for exp in "$dir"/*.expect; do
		[ -e "$exp" ] || continue
		f=${exp%.expect}
		name=bad-elf.$(basename "$f")
		[ -f "$f" ] || { fail "$name" "mkbad wrote $exp but no $f"; continue; }
		n=$((n + 1))
		selected "$name" || continue
		if [ "$NATIVE_ONLY" = 1 ]; then
			skip "$name" "guest only"
			continue
		fi
		if [ ! -x "$RUN" ] || [ ! -f "$KERNEL" ]; then
			fail "$name" "no run.sh or kernel"
			continue
		fi
		chmod +x "$f"
		local gout=$LOGS/$name.guest.out gerr=$LOGS/$name.guest.err
		run_guest "$gout" "$gerr" /dev/null "$KERNEL" "" "$f"
		st=$?
		local want
		want=$(head -n 1 "$exp")
		if [ "$st" = 0 ]; then
			fail "$name" "guest status 0, expected non-zero"
		elif [ "$st" = 124 ] || [ "$st" = 137 ]; then
			fail "$name" "guest status $(status_text "$st")"
			show_stderr "$gerr"
		elif ! grep -qF -- "$want" "$gerr"; then
			fail "$name" "guest stderr lacks \"$want\""
			show_stderr "$gerr"
		else
			pass "$name"
		fi
	done
	[ "$n" -gt 0 ] || fail bad-elf "mkbad wrote no NAME.expect files"
}

# --- the square syscall (CONFIG_LIBSQUARE) needs a second kernel -------------
square_test() {
	selected square || return 0
	if [ -n "${BUILD_ERR[square]:-}" ]; then
		fail square "build of square failed: ${BUILD_ERR[square]}"
		return
	fi
	if [ "$NATIVE_ONLY" = 1 ]; then
		skip square "guest only"
		return
	fi
	if ! grep -qs 'config LIBSQUARE' "$TOP"/lib/*/Config.uk; then
		skip square "TODO: no CONFIG_LIBSQUARE in the tree yet"
		return
	fi
	local cfg_before
	cfg_before=$(md5sum <"$TOP/.config" 2>/dev/null)
	make -C "$TOP" BUILD="$SQUARE_BUILD" WITH_SQUARE=y >"$LOGS/square-kernel.build" 2>&1
	local rc=$?
	if [ "$(md5sum <"$TOP/.config" 2>/dev/null)" != "$cfg_before" ]; then
		fail square-config "make BUILD=... WITH_SQUARE=y changed the shared .config"
	fi
	if [ "$rc" != 0 ] || [ ! -f "$SQUARE_KERNEL" ]; then
		fail square "make BUILD=${SQUARE_BUILD#"$TOP"/} WITH_SQUARE=y failed"
		tail -n 5 "$LOGS/square-kernel.build" | detail 5
		return
	fi
	if ! grep -qs 'CONFIG_LIBSQUARE 1' "$SQUARE_BUILD/include/uk/autoconf.h"; then
		skip square "TODO: make WITH_SQUARE=y does not enable CONFIG_LIBSQUARE yet"
		return
	fi
	# guest only: natively, Linux has no syscall 400
	tcase square --guest-only --kernel "$SQUARE_KERNEL" --expect 25 -- "$B/square"
}

# --- the cases ----------------------------------------------------------------
build_all
gen_stdin >"$B/cat_stdin.in"

for v in hello-glibc-pie hello-musl-pie hello-glibc-static hello-cpp; do
	for m in microvm pc; do
		tcase "$v.$m" -M "$m" --expect "Hello, world!" -- "$B/$v"
	done
done

for v in args args-musl args-static; do
	tcase "$v" -e TESTVAR=hello -- "$B/$v" first "with spaces" "" last
done
tcase args-none -- "$B/args"

for s in 0 1 42 255; do
	tcase "exit-$s" --status "$s" -- "$B/exit" "$s"
done

tcase cat_stdin --stdin "$B/cat_stdin.in" -- "$B/cat_stdin"
tcase cat_stdin-empty -- "$B/cat_stdin"
tcase bigmalloc -m 256M --expect ok -- "$B/bigmalloc"
tcase mprotect --status 139 --expect before -- "$B/mprotect"
tcase nullderef --status 139 --expect before --grep SIGSEGV --grep '[Rr][Ii][Pp]' -- "$B/nullderef"
tcase abort --status 134 --expect before -- "$B/abort"
tcase enosys --expect "ENOSYS ok" -- "$B/enosys"
tcase sys -- "$B/sys"
[ -f "$SRC/fs.c" ] && tcase fs -- "$B/fs" /tmp
square_test
bad_elf_tests

# --- totals: ours plus the other fragments' build/test-results/*.txt ----------
total_p=$passed
total_f=$failed
host_f=
for r in "$BUILD"/test-results/*.txt; do
	[ -f "$r" ] || continue
	read -r p f _ <"$r" || true
	case "$p$f" in
	*[!0-9]* | "")
		say "FAIL $(basename "$r") (unreadable results: $(head -c 40 "$r"))"
		total_f=$((total_f + 1))
		continue
		;;
	esac
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	[ "$(basename "$r")" = host.txt ] && host_f=$f
done
if [ "${TEST_HOST_STATUS:-0}" != 0 ] && [ "${host_f:-0}" = 0 ]; then
	say "FAIL test-host (make test-host exited $TEST_HOST_STATUS)"
	total_f=$((total_f + 1))
fi
say "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
