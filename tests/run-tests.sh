#!/usr/bin/env bash
# Guest test suite: builds tests/guest/* as ordinary Linux programs, runs each
# case natively, then in the guest through ./run.sh, and compares stdout and
# exit status (and, for crash cases, the guest's stderr). Run last by make
# test, it then adds up every suite's counts in $BUILD/test-results/.
#
# usage: tests/run-tests.sh [PATTERN...]   (shell globs on case names; default all)
# env:   NATIVE_ONLY=1      only the native half of each case (no guest needed)
#        TEST_TIMEOUT=60    seconds per run (native or guest)
#        KERNEL=path        kernel image (default $BUILD/elfloader_kvm-x86_64)
#        BUILD=dir          build directory (default <repo>/build)
#        TEST_HOST_STATUS=N exit status of `make test-host` (set by tests.mk)
# Output: one "PASS name" / "FAIL name (why)" / "SKIP name (why)" line per case
# (failure details follow, indented), then exactly one "N passed, N failed":
# this suite's counts plus those of $BUILD/test-results/*.txt.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
suite_init guest --dir tests --timeout TEST_TIMEOUT=60 -- "$@"
RESULTS= # no file of its own: it adds up the others' (at the end)

SRC=$TOP/tests/guest
SQUARE_BUILD=$BUILD/square
SQUARE_KERNEL=$SQUARE_BUILD/elfloader_kvm-x86_64

# --- building the test programs ---------------------------------------------
CFLAGS=(-O2 -g -Wall -Wextra)

build_all() {
	local t
	build hello-glibc-pie "$B/hello-glibc-pie" gcc -static-pie "${CFLAGS[@]}" "$SRC/hello.c"
	expect_kind hello-glibc-pie "$B/hello-glibc-pie" static-pie
	build_musl_pie hello-musl-pie "$B/hello-musl-pie" "${CFLAGS[@]}" "$SRC/hello.c"
	build hello-glibc-static "$B/hello-glibc-static" gcc -static -no-pie "${CFLAGS[@]}" "$SRC/hello.c"
	expect_kind hello-glibc-static "$B/hello-glibc-static" static-exec
	build hello-cpp "$B/hello-cpp" g++ -static "${CFLAGS[@]}" "$SRC/hello_cpp.cc"
	build args "$B/args" gcc -static-pie "${CFLAGS[@]}" "$SRC/args.c"
	build_musl_pie args-musl "$B/args-musl" "${CFLAGS[@]}" "$SRC/args.c"
	build args-static "$B/args-static" gcc -static -no-pie "${CFLAGS[@]}" "$SRC/args.c"
	for t in exit cat_stdin bigmalloc overcommit pmask mprotect nullderef abort enosys square sys efault compat compat2 compat3 compat4 xattr; do
		build "$t" "$B/$t" gcc -static-pie "${CFLAGS[@]}" "$SRC/$t.c"
	done
	# fs.c (file-system semantics) comes from another fragment; run it if present
	[ -f "$SRC/fs.c" ] && build fs "$B/fs" gcc -static-pie "${CFLAGS[@]}" "$SRC/fs.c"
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

# --- negative tests: malformed ELFs from tests/elf/mkbad ----------------------
# mkbad (tests/elf/mkbad.c, another fragment's) writes variants of a good ELF
# plus NAME.expect files holding a substring the loader's error must contain.
bad_elf_tests() {
	local mk=$TOP/tests/elf/mkbad
	local src=$TOP/tests/elf/mkbad.c
	local dir=$B/bad-elf f name exp st
	if [ -f "$src" ]; then
		mk=$B/mkbad
		if ! build mkbad "$mk" gcc -O2 -Wall "$src"; then
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
		run_guest "$gout" "$gerr" -- "$f"
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
		tcase "$v.$m" --build "$v" -M "$m" --expect "Hello, world!" -- "$B/$v"
	done
done

for v in args args-musl args-static; do
	tcase "$v" -e TESTVAR=hello -- "$B/$v" first "with spaces" "" last
done
tcase args-none --build args -- "$B/args"

for s in 0 1 42 255; do
	tcase "exit-$s" --build exit --status "$s" -- "$B/exit" "$s"
done

# cat_stdin gives back its stdin, byte for byte
tcase cat_stdin --stdin "$B/cat_stdin.in" --expect-file "$B/cat_stdin.in" -- "$B/cat_stdin"
tcase cat_stdin-empty --build cat_stdin -- "$B/cat_stdin"
tcase bigmalloc -m 256M --expect ok -- "$B/bigmalloc"
tcase overcommit -- "$B/overcommit"
tcase pmask -- "$B/pmask"
tcase mprotect --status 139 --expect before -- "$B/mprotect"
tcase nullderef --status 139 --expect before --grep SIGSEGV --grep '[Rr][Ii][Pp]' -- "$B/nullderef"
tcase abort --status 134 --expect before -- "$B/abort"
tcase enosys --expect "ENOSYS ok" -- "$B/enosys"
tcase sys -- "$B/sys"
[ -f "$SRC/fs.c" ] && tcase fs -- "$B/fs" /tmp
# Bad pointers: EFAULT (or a short count) as natively, also when the
# tracer reads the string arguments; a signal frame that cannot be
# written and a bad rt_sigreturn frame end in SIGSEGV.
# Calls added for compatibility (issue 15): their results and errors.
tcase compat -- "$B/compat" /tmp
tcase compat2 -- "$B/compat2" /tmp
tcase compat3 -- "$B/compat3" /tmp
tcase compat4 -- "$B/compat4" /tmp
tcase xattr -- "$B/xattr" /tmp
tcase efault -- "$B/efault" /tmp
tcase efault-strace --build efault -s -- "$B/efault" /tmp
tcase efault-sigframe --build efault --status 139 --expect before -- "$B/efault" sigframe
tcase efault-sigreturn --build efault --status 139 --expect before -- "$B/efault" sigreturn
square_test
bad_elf_tests
# The calls the kernel serves (ENOSYS stubs left out), from the build's
# table: issue 15 asks for at least 250.
if selected syscall-count; then
	n=$(sh "$TOP/scripts/count-syscalls.sh" "$BUILD" 2>&1)
	case $n in
	*[!0-9]* | "") fail syscall-count "scripts/count-syscalls.sh: $n" ;;
	*) if [ "$n" -ge 250 ]; then pass syscall-count "$n calls"; else
		fail syscall-count "$n calls, fewer than 250"; fi ;;
	esac
fi

# --- totals: ours plus the other suites' build/test-results/*.txt -------------
host_f=
for r in "$BUILD"/test-results/*.txt; do
	[ -f "$r" ] || continue
	read -r p f _ <"$r" || true
	case "$p$f" in
	*[!0-9]* | "")
		fail "$(basename "$r")" "unreadable results: $(head -c 40 "$r")"
		continue
		;;
	esac
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$(basename "$r")" = host.txt ] && host_f=$f
done
if [ "${TEST_HOST_STATUS:-0}" != 0 ] && [ "${host_f:-0}" = 0 ]; then
	fail test-host "make test-host exited $TEST_HOST_STATUS"
fi
suite_finish
