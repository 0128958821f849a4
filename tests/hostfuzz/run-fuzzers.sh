#!/usr/bin/env bash
# Runs libFuzzer targets one after the other, each for a fixed time, and
# fails when any of them found a crash (or a leak, a timeout, too much
# memory), naming the input that did it. Run by `make fuzz`
# (tests/hostfuzz/hostfuzz.mk), which builds the targets and their seeds.
#
# usage: run-fuzzers.sh DIR "NAME BINARY MAXLEN [FLAG...]"...
#   Each target works in DIR/NAME: seeds/ (read), corpus/ (what it learns,
#   kept from run to run), crashes/ (what fails), log, tmp/ (TMPDIR).
# env: FUZZ_SECONDS (per target, default 60), FUZZ_FLAGS (more libFuzzer
#      flags for every target)
set -u
dir=$1
shift
secs=${FUZZ_SECONDS:-60}
failed=()
start=$SECONDS
for spec in "$@"; do
	read -r -a words <<<"$spec"
	name=${words[0]} bin=${words[1]} maxlen=${words[2]}
	w=$dir/$name
	mkdir -p "$w/corpus" "$w/crashes" "$w/tmp"
	echo "  FUZZ    $name for $secs s"
	# -close_fd_mask=3: the tools' own messages are not the point (the
	# sanitizers' reports still reach the log).
	st=0
	# shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
	TMPDIR=$w/tmp "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$maxlen" -close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$w/crashes/" "${words[@]:3}" ${FUZZ_FLAGS:-} \
		"$w/corpus" "$w/seeds" >"$w/log" 2>&1 || st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log")
	if [ $st -eq 0 ]; then
		echo "          ${runs:-?} inputs, no crash"
		continue
	fi
	failed+=("$name")
	input=$(sed -n "s/.*Test unit written to //p" "$w/log" | tail -1)
	echo "FAIL $name (status $st): ${input:-no input saved}; log $w/log"
	grep -E '^(SUMMARY|invariant failed)|ERROR: ' "$w/log" | head -5 | sed 's/^/          /'
	[ -z "$input" ] || echo "          again: $bin $input"
done
echo "fuzz: ${#} targets in $((SECONDS - start)) s, ${#failed[@]} failed${failed[*]:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
