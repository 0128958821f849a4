#!/usr/bin/env bash
# Terminal tests: the guest behind run.sh on a pseudo-terminal, driven by
# tests/tty/ptydrive.py as a person would type, each case also run
# natively on a pseudo-terminal so the expectation is Linux's:
#   sigint-handler   ^C while the program sleeps (not reading): its
#                    SIGINT handler runs, exit 0
#   sigint-default   ^C with no handler: death by SIGINT, status 130
#   jobctl           tests/tty/jobctl.c: background groups' reads,
#                    writes and terminal changes (SIGTTIN, SIGTTOU,
#                    TOSTOP), tcsetpgrp and TIOCSCTTY with their errors,
#                    ^Z stopping the foreground job, ^C ending it
#   bash-jobs        an interactive bash (the catalogue's, with readline):
#                    `sleep 100 &`, jobs, a foreground job stopped by ^Z,
#                    jobs, fg, ^C ends the job but not the shell, kill %1
#                    (background jobs' PIDs masked: they differ)
#   python-repl      python3's REPL: a sleep interrupted by ^C prints
#                    KeyboardInterrupt, the next line runs, ^D ends it
# Output lines are compared after dropping empty ones (the guest's
# console and the host's pty differ in carriage returns only); for the
# REPL, whose prompt (stdout) and traceback (stderr) reach the host on
# two serial lines in no fixed order, without the prompts and sorted.
#
# usage: tests/tty/run-tty-tests.sh
# env:   KERNEL=path  kernel image (default $BUILD/elfloader_kvm-x86_64)
#        BUILD=dir    build directory (default <repo>/build)
# Output: PASS/FAIL per case, then "N passed, N failed"; the counts also
# go to $BUILD/test-results/tty.txt as "P F".
# shellcheck disable=SC2317 # lines and unordered are called by name ($norm)
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init tty --dir tests/tty --keep-locale # the native runs: the caller's terminal
DRIVE=(python3 "$HERE/ptydrive.py" 90)

lines() { grep -v '^[[:space:]]*$' "$1"; }
unordered() { sed 's/>>> //g' "$1" | grep -v '^[[:space:]]*$' | sort; }
# bash's: readline turns bracketed paste on and off (ESC [?2004h, l) on
# stderr, which reaches the host on the guest's other serial line, in no
# fixed order with the jobs' lines on stdout: those codes are dropped.
jobpids() {
	sed 's/\x1b\[?2004[hl]//g' "$1" | grep -v '^[[:space:]]*$' |
		sed -E 's/^(.*)\[([0-9]+)\] [0-9]+$/\1[\2] PID/'
}

# tcase NAME SCRIPT NATIVE-COMMAND -- GUEST-RUN.SH-ARGS...
# (NORM=unordered tcase ... for the unordered comparison)
tcase() {
	local name=$1 script=$2 native=() guest=() norm=${NORM:-lines}
	shift 2
	while [ "$1" != -- ]; do native+=("$1"); shift; done
	shift
	guest=("$@")
	"${DRIVE[@]}" "$script" -- "${native[@]}" >"$B/$name.native" 2>&1 ||
		{ fail "$name" "the native run timed out"; return; }
	"${DRIVE[@]}" "$script" -- "$TOP/run.sh" -k "$KERNEL" "${guest[@]}" >"$B/$name.guest" 2>&1 ||
		{ fail "$name" "the guest timed out"; tail -n 5 "$B/$name.guest" | sed 's/^/    | /'; return; }
	if ! diff <("$norm" "$B/$name.native") <("$norm" "$B/$name.guest") >"$B/$name.diff"; then
		fail "$name" "the guest's terminal differs from Linux's"
		head -n 12 "$B/$name.diff" | sed 's/^/    | /'
		return
	fi
	pass "$name"
}

if ! build sigint "$B/sigint" gcc -O2 -Wall -Wextra -Werror -static-pie "$HERE/sigint.c"; then
	fail build "tests/tty/sigint.c does not compile"
else
	tcase sigint-handler 'ready=>\x03' "$B/sigint" -- "$B/sigint"
	tcase sigint-default 'ready=>\x03' "$B/sigint" nohandler -- "$B/sigint" nohandler
fi

if ! build jobctl "$B/jobctl" gcc -O2 -Wall -Wextra -Werror -static-pie "$HERE/jobctl.c" \
	"$TOP/tests/proc/report.c"; then
	fail build "tests/tty/jobctl.c does not compile"
else
	tcase jobctl 'sleeping=>\x1a||sleeping again=>\x03' "$B/jobctl" -- "$B/jobctl"
fi

# The catalogue's bash rootfs; its sh -c job prints "gone" only when it
# runs (the typed line says g""one), so ^Z comes once it is in the
# foreground. kill %1 is followed by wait %1 so that the job's end is
# reported before the next prompt, not whenever SIGCHLD happens to come.
BASHROOT=$APPS_OUT/bash/rootfs
build_app bash || BASHROOT=
JOBS='# =>sleep 100 &\r||# =>jobs\r||# =>sh -c "echo g\"\"one; sleep 50"\r||gone=>\x1a||'
JOBS+='# =>jobs\r||# =>fg %2\r||sleep 50=>\x03||# =>echo alive $?\r||# =>kill %1; wait %1\r||'
JOBS+='# =>jobs\r||# =>exit\r'
# Both runs with this environment alone.
BASHENV=(TERM=xterm "PS1=# " PATH=/usr/bin:/bin)
GUESTENV=(-E)
for v in "${BASHENV[@]}"; do GUESTENV+=(-e "$v"); done
if [ -z "$BASHROOT" ]; then
	fail bash-jobs "the bash rootfs does not build (see ${LOGS#"$TOP"/}/app-bash.build)"
else
	NORM=jobpids tcase bash-jobs "$JOBS" env -i "${BASHENV[@]}" bash --norc --noprofile -i -- \
		"${GUESTENV[@]}" -r "$BASHROOT" /bin/bash --norc --noprofile -i
fi

# The catalogue's python rootfs (as run_app.sh builds it).
PYROOT=$APPS_OUT/python/rootfs
build_app python || PYROOT=
# After ^C the script waits for the next prompt, not for the traceback:
# the two come on different lines of the guest (stdout, stderr) and may
# interleave anywhere.
REPL='>>> =>import time; time.sleep(30)\r||time.sleep(30)=>\x03||>>> =>print("after", 6*7)\r||after 42=>\x04'
if [ -z "$PYROOT" ]; then
	fail python-repl "the python rootfs does not build (see ${LOGS#"$TOP"/}/app-python.build)"
else
	NORM=unordered tcase python-repl "$REPL" python3 -q -- -i -r "$PYROOT" /usr/bin/python3 -q
fi

suite_finish
