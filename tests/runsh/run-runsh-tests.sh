#!/usr/bin/env bash
# run.sh itself: the accelerator choice (a cached probe boot under KVM that
# falls back to TCG with its reason) against a stand-in QEMU that fails as
# a KVM that cannot run the guest does, works as a good KVM does, or is
# not asked at all; -s, which traces in strace's form with the default
# image and says so when a kernel lacks the tracer; and -S, under which a
# signal to run.sh reaches the program in the guest (SIGKILL: QEMU ends).
# usage: tests/runsh/run-runsh-tests.sh [PATTERN...]   env: RUNSH_TIMEOUT=60
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init runsh --timeout RUNSH_TIMEOUT=60 -- "$@"
need_kernel

STANDIN=$HERE/stand-in-qemu.sh
DEV=$B/fake-kvm		# a device file that opens: the probe is asked for
HELLO=$B/hello
: >"$DEV"
# Each run's accelerator cases start from no cache and an empty QEMU log
# (the cases count the probe boots in it).
rm -rf "$LOGS"/accel.*
build hello "$HELLO" gcc -O2 -static-pie "$TOP/tests/guest/hello.c"
build strace_prog "$B/strace_prog" gcc -O2 -static-pie "$HERE/strace_prog.c"
build sigwait "$B/sigwait" gcc -O2 -Wall -Wextra -Werror -static-pie "$TOP/tests/guest/sigwait.c"

# accel_run NAME MODE [run.sh options...]: run.sh of the hello program with
# the stand-in in MODE (abort, hang, works) and a cache of this case's;
# out/err/log in $LOGS/NAME. Returns run.sh's status.
accel_run() {
	local name=$1 mode=$2 d=$LOGS/$1
	shift 2
	mkdir -p "$d"
	: >>"$d/log"
	QEMU=$STANDIN STANDIN_KVM=$mode STANDIN_LOG=$d/log UK_KVM_DEV=${KVM_DEV:-$DEV} \
		UK_ACCEL_CACHE=${CACHE:-$d/cache} timeout -k 5 "$TIMEOUT" \
		"$RUN" -k "${RUN_KERNEL:-$KERNEL}" "$@" "$HELLO" </dev/null >"$d/out" 2>"$d/err"
}

# check NAME STATUS: the run printed hello and ended with STATUS; then
# each further argument is "has RE" / "lacks RE" on stderr, or
# "probes N" (calls under -accel kvm) and "final RE" (the last call).
check() {
	local name=$1 st=$2 d=$LOGS/$1 why=''
	shift 2
	[ "$st" = 0 ] || why="status $(status_text "$st")"
	grep -qx 'Hello, world!' "$d/out" || why="${why:+$why; }no hello on stdout"
	while [ $# -gt 0 ]; do
		case $1 in
		has) grep -Eq -- "$2" "$d/err" || why="${why:+$why; }stderr lacks /$2/" ;;
		lacks) ! grep -Eq -- "$2" "$d/err" || why="${why:+$why; }stderr has /$2/" ;;
		probes) local n
			n=$(grep -c -- '-accel kvm.*probe=accel' "$d/log")
			[ "$n" = "$2" ] || why="${why:+$why; }$n probe boots, expected $2" ;;
		final) tail -n 1 "$d/log" | grep -Eq -- "$2" ||
				why="${why:+$why; }the guest's QEMU lacked /$2/" ;;
		esac
		shift 2
	done
	if [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name" "$why" "$(cat "$d/err" "$d/log")"
	fi
}

# TCG as run.sh asks for it: with several CPUs (UK_CPUS) one host thread
# per CPU.
TCG='-accel tcg'
[ "${UK_CPUS:-1}" = 1 ] || TCG='-accel tcg,thread=multi'

# A KVM that refuses our CPU models: both are probed, TCG runs, the reason
# is QEMU's own message; said once, then cached and quiet; -v says it again.
if selected 'accel.refused*'; then
	accel_run accel.refused abort; st=$?
	check accel.refused $st \
		has "^accelerator: TCG: KVM at $DEV cannot run this guest \(QEMU: error: failed to set MSR 0x10a to 0x69\): using TCG$" \
		probes 2 final "$TCG -cpu max"
	CACHE=$LOGS/accel.refused/cache accel_run accel.refused-cached abort; st=$?
	check accel.refused-cached $st lacks accelerator probes 0 final '-accel tcg'
	CACHE=$LOGS/accel.refused/cache accel_run accel.refused-verbose abort -v; st=$?
	check accel.refused-verbose $st has '^accelerator: TCG: KVM at .* cannot run this guest' probes 0
	# A rebuilt kernel is probed again, but the same verdict is not said twice.
	cp "$KERNEL" "$B/kernel-copy" && printf '\0' >>"$B/kernel-copy"
	CACHE=$LOGS/accel.refused/cache RUN_KERNEL=$B/kernel-copy accel_run accel.refused-rebuilt abort; st=$?
	check accel.refused-rebuilt $st lacks accelerator probes 2
fi
# A KVM that stops at the first SSE instruction while QEMU stays up: the
# probe sees QEMU's report and gives up at once.
if selected accel.hangs; then
	accel_run accel.hangs hang; st=$?
	check accel.hangs $st has 'QEMU: KVM internal error\. Suberror: 1\): using TCG' probes 2 final '-accel tcg'
fi
# A KVM that runs the probe: KVM with -cpu host.
if selected accel.works; then
	accel_run accel.works works; st=$?
	check accel.works $st has "^accelerator: KVM at $DEV \(-cpu host ran the probe boot\)$" \
		probes 1 final '-accel kvm -cpu host'
fi
# No device: TCG without a probe.
if selected accel.no-device; then
	KVM_DEV=$B/no-such-kvm accel_run accel.no-device works; st=$?
	check accel.no-device $st has 'accelerator: TCG: no KVM on this host' probes 0 final '-accel tcg'
fi
# Forced choices: no probe; said with -v only.
if selected 'accel.forced*'; then
	UK_ACCEL=tcg accel_run accel.forced-tcg works; st=$?
	check accel.forced-tcg $st lacks accelerator probes 0 final "$TCG -cpu max"
	UK_ACCEL=kvm accel_run accel.forced-kvm works -v; st=$?
	check accel.forced-kvm $st has 'accelerator: KVM \(UK_ACCEL=kvm, not probed\)' probes 0 \
		final '-accel kvm -cpu host'
	accel_run accel.forced-d works -d -v; st=$?
	check accel.forced-d $st has 'accelerator: TCG \(run.sh -d\)' probes 0 final '-accel tcg'
fi
if selected accel.bad-variable; then
	d=$LOGS/accel.bad-variable
	UK_ACCEL=fast accel_run accel.bad-variable works; st=$?
	if [ "$st" = 2 ] && grep -q 'UK_ACCEL=fast: expected kvm or tcg' "$d/err" && [ ! -s "$d/log" ]; then
		pass accel.bad-variable
	else
		fail accel.bad-variable "status $st, QEMU calls $(wc -l <"$d/log")" "$(cat "$d/err")"
	fi
fi

# strace: the default image traces; each call once, in strace's form.
tcase strace --build strace_prog -s --grep '^openat\(-100, "/nonexistent", 0, 0\) = -1 \(errno 2\)$' \
	--grep '^getppid\(\) = 0$' --grep '^write\(1, 0x[0-9a-f]+, 3\) = 3$' \
	--grep '^exit_group\(7\) = \?$' --status 7 -- "$B/strace_prog"
if selected strace.without-tracer; then
	NOTRACE=$BUILD/runsh-notrace
	if make -s -C "$TOP" BUILD="$NOTRACE" WITH_SYSCALL_STRACE=n >"$LOGS/notrace.build" 2>&1; then
		tcase strace.without-tracer --build strace_prog --kernel "$NOTRACE/elfloader_kvm-x86_64" -s \
			--grep 'strace=1: this kernel was built without the tracer' --status 7 -- "$B/strace_prog"
	else
		fail strace.without-tracer "make WITH_SYSCALL_STRACE=n failed" "$(tail -n 5 "$LOGS/notrace.build")"
	fi
fi
# signal_case NAME SIGNAL STATUS OUT [SIGWAIT-ARG]: run.sh -S of sigwait
# (a rootfs: run.sh's own PID becomes ukconsole's), SIGNAL once it said
# "ready"; it must end with STATUS, print OUT after "ready", and leave no
# QEMU of its own behind.
signal_case() {
	local name=$1 sig=$2 want=$3 out=$4 d=$LOGS/$1 pid st i why=''
	shift 4
	selected "$name" || return 0
	[ -z "${BUILD_ERR[sigwait]:-}" ] || { fail "$name" "${BUILD_ERR[sigwait]}"; return; }
	mkdir -p "$d/root" && cp "$B/sigwait" "$d/root/"
	timeout -k 5 "$TIMEOUT" "$RUN" -k "$KERNEL" -S -r "$d/root" /sigwait "$@" \
		</dev/null >"$d/out" 2>"$d/err" &
	pid=$!
	for ((i = 0; i < TIMEOUT * 10; i++)); do
		grep -q ready "$d/out" && break
		sleep 0.1
	done
	# timeout's child: run.sh, then ukconsole in its place.
	kill -"$sig" "$(pgrep -P "$pid")"
	wait "$pid" 2>/dev/null
	st=$?
	[ "$st" = "$want" ] || why="status $(status_text "$st"), expected $want"
	[ "$(tr -d '\r' <"$d/out")" = "$(printf 'ready\n%s' "$out")" ] ||
		why="${why:+$why; }stdout: $(tr '\n' ' ' <"$d/out")"
	for ((i = 0; i < 50; i++)); do	# QEMU's death follows ukconsole's
		pgrep -f "qemu.*$d/root" >/dev/null || break
		sleep 0.1
	done
	! pgrep -f "qemu.*$d/root" >/dev/null || why="${why:+$why; }a QEMU is left"
	if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why" "$(cat "$d/err")"; fi
}
signal_case signals.handler TERM 7 "got 15" 15
signal_case signals.default TERM 143 ""
signal_case signals.usr1 USR1 7 "got 10" 10
signal_case signals.kill KILL 137 ""
suite_finish
