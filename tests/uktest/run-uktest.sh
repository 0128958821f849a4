#!/usr/bin/env bash
# The libraries' in-kernel tests: builds an image with every _TEST option
# on, boots it with a hello world, and counts the uktest lines: one case
# per test ("uktest.SUITE.NAME"), and uktest.boot for the boot itself.
#
# usage: tests/uktest/run-uktest.sh     env: BUILD (default <repo>/build)
# Output: PASS/FAIL lines, then "N passed, N failed"; the counts also go
# to $BUILD/test-results/uktest.txt as "P F". The image: $BUILD/uktest/.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init uktest
OUT=$B
tests=$(ls -d "$TOP"/lib/*/tests/test_*.c 2>/dev/null | sed 's|.*/lib/\([^/]*\)/tests/.*|\1|' | sort -u)
withs=()
for l in $tests; do
	withs+=("WITH_$(echo "$l" | tr a-z A-Z)_TEST=y")
done
if ! make -s -C "$TOP" BUILD="$OUT" "${withs[@]}" >"$OUT/build.log" 2>&1; then
	fail uktest "the test image does not build; see $OUT/build.log"
	suite_finish
fi
printf '#include <stdio.h>\nint main(void){puts("booted");return 0;}\n' > "$OUT/hello.c"
gcc -static-pie -O2 -o "$OUT/hello" "$OUT/hello.c"
log=$OUT/run.log
timeout 120 "$TOP/run.sh" -k "$OUT/elfloader_kvm-x86_64" "$OUT/hello" >"$log" 2>&1
status=$?
# "uktest:   failed: ..." lines come before their test's "uktest: FAIL" line.
why=()
while IFS= read -r line; do
	case $line in
	"uktest: ok "*) pass "uktest.${line#uktest: ok }" ;;
	"uktest:   failed: "*) why+=("${line#uktest:   failed: }") ;;
	"uktest: FAIL "*)
		fail "uktest.${line#uktest: FAIL }" "${#why[@]} check(s) failed" \
			"$(printf '%s\n' "${why[@]}")"
		why=()
		;;
	esac
done <"$log"
if [ "$status" != 0 ] || ! grep -q '^booted' "$log"; then
	fail uktest.boot "status $status; see $log"
fi
suite_finish
