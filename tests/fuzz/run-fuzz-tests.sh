#!/usr/bin/env bash
# The system-call fuzzer in the guest: tests/fuzz/sysfuzz.c (guest only:
# it is never run natively, random calls as root would damage the host)
# runs a fixed set of seeds, 20,000 calls each; each run must end with its
# summary line and status 0, with no kernel fault (status 125) and no hang
# (the timeout). Then regress.c, the bugs the fuzzer found as small
# deterministic cases, natively and in the guest, compared.
#
# usage: tests/fuzz/run-fuzz-tests.sh [PATTERN...]   (globs on case names:
#        seed-N, regress)
# env:   FUZZ_TIMEOUT=60      seconds per run
#        FUZZ_CALLS=20000     calls per seed
#        FUZZ_SEEDS="1 2..."  the seeds (default: the fixed set below)
#        FUZZ_FAILED_FILE=F   each failing seed is added to F as a line
#                             "SEED CALLS why" (make fuzz's soak does)
#        KERNEL, BUILD        as for every suite (tests/lib.sh)
# A failing seed is rerun with `build/fuzz/sysfuzz SEED CALLS -v` in the
# guest (see the FAIL line): the last call printed is the culprit.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init fuzz --timeout FUZZ_TIMEOUT=60 -- "$@"
need_kernel

CALLS=${FUZZ_CALLS:-20000}
# Fixed seeds: the first forty (13, 14, 16, 17, 31, 33, 35 and 37 each
# found a bug), and the soak's seeds that found one (docs/fuzzing.md).
SEEDS=${FUZZ_SEEDS:-"$(seq -s ' ' 1 40) 1028 1030 1140 1157"}

build sysfuzz "$B/sysfuzz" gcc -static -O2 -g -Wall -Wextra -Werror "$HERE/sysfuzz.c"
build regress "$B/regress" gcc -static -O2 -g -Wall -Wextra -Werror "$HERE/regress.c"

# fuzz_seed NAME SEED: one guest run; passes on the summary line and 0.
fuzz_seed() {
	local name=$1 seed=$2 d st
	selected "$name" || return 0
	if [ -n "${BUILD_ERR[sysfuzz]:-}" ]; then
		fail "$name" "build failed: ${BUILD_ERR[sysfuzz]}"
		return
	fi
	if [ "$NATIVE_ONLY" = 1 ]; then
		skip "$name" "guest only"
		return
	fi
	d=$LOGS/$name
	mkdir -p "$d"
	run_guest "$d/guest.out" "$d/guest.err" -- "$B/sysfuzz" "$seed" "$CALLS"
	st=$?
	local why=''
	case $st in
	0) grep -q "^sysfuzz: seed $seed: [0-9]* calls, [0-9]* errors, [0-9]* signals$" "$d/guest.out" ||
		why="no summary line" ;;
	125) why="kernel fault (status 125)" ;;
	124 | 137) why="hang: $(status_text "$st")" ;;
	*) why="status $(status_text "$st")" ;;
	esac
	if [ -z "$why" ]; then
		pass "$name" "$(sed -n 's/^sysfuzz: seed [0-9]*: //p' "$d/guest.out")"
		return
	fi
	fail "$name" "$why; rerun: ./run.sh ${B#"$TOP"/}/sysfuzz $seed $CALLS -v"
	[ -z "${FUZZ_FAILED_FILE:-}" ] || echo "$seed $CALLS $why" >>"$FUZZ_FAILED_FILE"
	tail -n 3 "$d/guest.out" | detail 3
	show_stderr "$d/guest.err"
}

for s in $SEEDS; do
	fuzz_seed "seed-$s" "$s"
done
tcase regress -- "$B/regress"

suite_finish
