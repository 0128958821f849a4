#!/usr/bin/env bash
# make fuzz's system-call soak: sysfuzz (tests/fuzz/sysfuzz.c, guest only)
# with fresh seeds, FUZZ_SEEDS of them (default 200) from FUZZ_SEED_BASE
# on (default: the time, so each soak tries new ones), FUZZ_CALLS calls
# each (default 20000), through the fuzz suite's seed cases. The seed of
# every failure is kept in $BUILD/fuzz/failing-seeds.txt ("SEED CALLS
# why", added to across soaks) with the command that reruns it; the exit
# status is non-zero when one failed.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "${BUILD:-}" in
/*) ;;
"") BUILD=$TOP/build ;;
*) BUILD=$TOP/$BUILD ;;
esac
n=${FUZZ_SEEDS:-200}
base=${FUZZ_SEED_BASE:-$(date +%s)}
calls=${FUZZ_CALLS:-20000}
failed=$BUILD/fuzz/failing-seeds.txt
mkdir -p "$BUILD/fuzz"
before=$(cat "$failed" 2>/dev/null | wc -l)
echo "  SOAK    sysfuzz: $n seeds from $base, $calls calls each"
FUZZ_SEEDS=$(seq -s ' ' "$base" $((base + n - 1))) FUZZ_CALLS=$calls \
	FUZZ_FAILED_FILE=$failed BUILD=$BUILD \
	bash "$TOP/tests/fuzz/run-fuzz-tests.sh" 'seed-*' | grep -v '^PASS '
after=$(cat "$failed" 2>/dev/null | wc -l)
if [ "$after" -gt "$before" ]; then
	echo "sysfuzz soak: $((after - before)) failing seeds, kept in ${failed#"$TOP"/}; rerun one with"
	tail -n $((after - before)) "$failed" | while read -r seed c _; do
		echo "  ./run.sh ${BUILD#"$TOP"/}/fuzz/sysfuzz $seed $c -v"
	done
	exit 1
fi
echo "sysfuzz soak: $n seeds from $base passed"
