#!/usr/bin/env bash
# The libraries' in-kernel tests: builds an image with every _TEST option
# on, boots it with a hello world, and counts the uktest lines.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
mkdir -p "$BUILD/test-results" "$BUILD/uktest"
# Absolute: make runs in $TOP, and a relative BUILD is the caller's.
BUILD=$(cd "$BUILD" && pwd)
OUT=$BUILD/uktest
tests=$(ls -d "$TOP"/lib/*/tests/test_*.c 2>/dev/null | sed 's|.*/lib/\([^/]*\)/tests/.*|\1|' | sort -u)
withs=()
for l in $tests; do
	withs+=("WITH_$(echo "$l" | tr a-z A-Z)_TEST=y")
done
if ! make -s -C "$TOP" BUILD="$OUT" "${withs[@]}" >"$OUT/build.log" 2>&1; then
	echo "FAIL uktest (the test image does not build; see $OUT/build.log)"
	echo "0 1" > "$BUILD/test-results/uktest.txt"
	exit 1
fi
printf '#include <stdio.h>\nint main(void){puts("booted");return 0;}\n' > "$OUT/hello.c"
gcc -static-pie -O2 -o "$OUT/hello" "$OUT/hello.c"
log=$OUT/run.log
timeout 120 "$TOP/run.sh" -k "$OUT/elfloader_kvm-x86_64" "$OUT/hello" >"$log" 2>&1
status=$?
grep '^uktest: \(ok\|FAIL\)' "$log" | sed 's/^uktest: ok /PASS uktest./; s/^uktest: FAIL /FAIL uktest./'
grep '^uktest:   failed' "$log" | sed 's/^uktest:  /   /'
p=$(grep -c '^uktest: ok ' "$log")
f=$(grep -c '^uktest: FAIL ' "$log")
if [ "$status" != 0 ] || ! grep -q '^booted' "$log"; then
	echo "FAIL uktest.boot (status $status; see $log)"
	f=$((f + 1))
fi
echo "$p $f" > "$BUILD/test-results/uktest.txt"
echo "$p passed, $f failed"
[ "$f" = 0 ]
