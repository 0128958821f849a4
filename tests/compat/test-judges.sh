#!/usr/bin/env bash
# make test's share of the external judges: a few quick CPython modules and
# Go packages (of those make compat runs), each natively then in the guest
# on the judges' root; a module passes when every case that passes natively
# passes in the guest, but those tests/compat/known-failures names (a
# known failure that passes is a NOTE: drop it from the list).
#
# usage: tests/compat/test-judges.sh [MODULE...]   (test_glob, io/fs...)
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init judges -- "$@"
# shellcheck source=tests/compat/judges.sh
. "$HERE/judges.sh"
KNOWN=$HERE/known-failures

# Quick under TCG (under a minute each in the guest) and telling: files,
# directories, stat, descriptors, polling, threads, locks, scheduling.
QUICK_PY=(test_glob test_file test_fileio test_stat test_select test_epoll
	test_thread test_resource test_sched test_pipes test_poll test_queue
	test_threading)
QUICK_GO=(io io/fs path/filepath os/user sync time)

need_kernel
want=()
for m in "${QUICK_GO[@]}"; do selected "$m" && want+=("$m"); done
build_judges_root "${want[@]}"
chroot_cmd

# judge_case JUDGE MODULE: one module's case.
judge_case() {
	local judge=$1 mod=$2 out
	selected "$mod" || return 0
	if [ -n "${BUILD_ERR[root]:-}" ]; then
		fail "$mod" "${BUILD_ERR[root]}"
		return
	fi
	run_module "$judge" "$mod"
	if [ "$NATIVE_ONLY" = 1 ]; then
		python3 "$JUDGE" result "$judge" "$mod" "$MODULE_DIR" >"$MODULE_DIR/judge.txt" 2>&1
		if grep -q "native [1-9]" "$MODULE_DIR/judge.txt"; then
			pass "$mod" "$(cat "$MODULE_DIR/judge.txt")"
		else
			fail "$mod" "no case passed natively" "$(tail -n 20 "$MODULE_DIR/native.out")"
		fi
		return
	fi
	out=$(python3 "$JUDGE" check "$KNOWN" "$MODULE_DIR" 2>&1)
	case $out in
	PASS*) pass "$mod" "$(sed -n '1s/^PASS [^ ]* (\(.*\))$/\1/p' <<<"$out")" ;;
	*) fail "$mod" "$(sed -n '1s/^FAIL [^ ]* (\(.*\))$/\1/p' <<<"$out")" \
		"$(sed -e 1d -e '/^NOTE/d' -e 's/^    | //' <<<"$out")" ;;
	esac
	grep '^NOTE' <<<"$out" | while read -r l; do say "$l"; done
}

for m in "${QUICK_PY[@]}"; do judge_case python "$m"; done
for m in "${QUICK_GO[@]}"; do judge_case go "$m"; done
suite_finish
