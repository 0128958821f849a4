#!/usr/bin/env bash
# Several CPUs: the smp=test boot (plat/kvm/x86/smptest.c) on microvm, pc
# and q35 with run.sh -c 1, 2 and 4 (under TCG, -c 2 and 4 run the CPUs
# in parallel): every AP starts, knows its index, and IPIs go both ways;
# without ACPI (microvm,acpi=off) one CPU is found; and a program still
# runs with the APs parked (a program that does not ask for them); and
# the stress cases (tests/smp/stress.c), each 20 rounds at -c 2, with
# Linux's output; and the CPU count as glibc's sysconf, the affinity mask
# and /proc/cpuinfo tell it (tests/smp/ncpu.c); busybox nproc, Python's
# multiprocessing, the JVM's thread pool and node's worker_threads at -c 2.
# usage: tests/smp/run-smp-tests.sh [PATTERN...]   env: SMP_TIMEOUT=240
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init smp --timeout SMP_TIMEOUT=240 -- "$@"
need_kernel

HELLO=$B/hello
build hello "$HELLO" gcc -O2 -static-pie "$TOP/tests/guest/hello.c"
STRESS=$B/stress
build stress "$STRESS" gcc -O2 -Wall -Wextra -Werror -static-pie -pthread "$TOP/tests/smp/stress.c"
NCPU=$B/ncpu
build ncpu "$NCPU" gcc -O2 -Wall -Wextra -Werror -static-pie "$TOP/tests/smp/ncpu.c"

# smp_case NAME CPUS-FOUND [run.sh options...]: the smp=test boot ends
# with status 0, one line naming CPUS-FOUND CPUs with APIC ids 0..N-1,
# and no program output.
smp_case() {
	local name=$1 n=$2 d=$LOGS/$1 line st why='' i ids=''
	shift 2
	selected "$name" || return 0
	if [ -n "${BUILD_ERR[hello]:-}" ]; then
		fail "$name" "build of hello failed: ${BUILD_ERR[hello]}"
		return
	fi
	for ((i = 0; i < n; i++)); do ids+=" $i"; done
	if [ "$n" = 1 ]; then
		line="smp: 1 CPU up, APIC ids 0, IPI to self"
	else
		line="smp: $n CPUs up, APIC ids$ids, IPIs both ways"
	fi
	mkdir -p "$d"
	run_guest "$d/out" "$d/err" "$@" -a smp=test -- "$HELLO"
	st=$?
	[ "$st" = 0 ] || why="status $(status_text "$st")"
	grep -aqxF -- "$line" "$d/err" || why="${why:+$why; }no line '$line'"
	[ ! -s "$d/out" ] || why="${why:+$why; }the program ran"
	if [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name" "$why" "$(tail -n 8 "$d/err")"
	fi
}

for m in microvm pc q35; do
	for c in 1 2 4; do
		smp_case "smp.$m.c$c" "$c" -M "$m" -c "$c"
	done
done
# microvm without ACPI has no MADT: one CPU, whatever QEMU has.
smp_case smp.microvm-noacpi.c2 1 -M microvm -c 2 -q "-M microvm,acpi=off"
# The APs stay parked unless asked for: a program runs as with one CPU.
for m in microvm pc; do
	tcase "hello.$m.c4" --build hello -M "$m" -c 4 -- "$HELLO"
done
# The stress cases at -c 2, natively on this host's CPUs (the results do
# not depend on how many there are). Each takes under a minute on a quiet
# host; the suite's timeout leaves room for a loaded one (epoll's 200
# connections cost most: docs/smp.md's known problems).
for c in atomics condvar requeue pipes epoll forkalloc syscalls; do
	tcase "stress.$c" --build stress -c 2 -- "$STRESS" "$c" 20
done
# System calls from two CPUs whose QEMU threads share one host core: a
# waiter for the big kernel lock must halt (giving the core to the
# holder) rather than spin its host time slice away at each call. A
# round takes milliseconds; when waiters spun, seconds to a minute.
one_host_core() { # OUT ERR STDIN
	(
		core=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*\([0-9]*\).*/\1/p' /proc/self/status)
		taskset -pc "$core" "$BASHPID" >/dev/null || exit 99
		run_guest "$1" "$2" --stdin "$3" -c 2 -- "$STRESS" syscalls 20
	)
}
TIMEOUT=60 tcase stress.syscalls.one-host-core --build stress --guest one_host_core -- "$STRESS" syscalls 20
# The same under a kernel that checks the big kernel lock at run time
# (WITH_SCHED_LOCKCHECK=y: a CPU that runs kernel code without it, takes
# it twice or gives up one it does not hold stops the guest).
LOCKCHECK=$BUILD/lockcheck
if selected stress.lockcheck; then
	if make -s -C "$TOP" BUILD="$LOCKCHECK" WITH_SCHED_LOCKCHECK=y >"$LOGS/lockcheck.build" 2>&1; then
		tcase stress.lockcheck --build stress --kernel "$LOCKCHECK/elfloader_kvm-x86_64" -c 2 -- "$STRESS" all 3
	else
		fail stress.lockcheck "make WITH_SCHED_LOCKCHECK=y failed" "$(tail -n 5 "$LOGS/lockcheck.build")"
	fi
fi
# What a program counts: 2 CPUs at -c 2, 1 at -c 1.
for c in 1 2; do
	tcase "ncpu.c$c" --build ncpu --guest-only --expect "cpus $c $c $c $c" -c "$c" -- "$NCPU"
done
# nproc (busybox's, sched_getaffinity) and Python's multiprocessing at -c 2.
BBROOT=$APPS_OUT/busybox/rootfs
if build_app busybox; then
	tcase nproc.c2 --guest-only --expect 2 -c 2 --rootfs "$BBROOT" -- /bin/nproc
else
	fail nproc.c2 "the busybox rootfs does not build (see ${LOGS#"$TOP"/}/app-busybox.build)"
fi
PYROOT=$APPS_OUT/python/rootfs
if build_app python; then
	mkdir -p "$PYROOT/tmp" && cp "$HERE/pool.py" "$PYROOT/tmp/pool.py"
	tcase python-pool.c2 --guest-only --expect "332833500 2 2" -c 2 --rootfs "$PYROOT" -- /usr/bin/python3 /tmp/pool.py
else
	fail python-pool.c2 "the python rootfs does not build (see ${LOGS#"$TOP"/}/app-python.build)"
fi

# The JVM's pool of 4 threads and node's worker_threads at -c 2: the same
# line as the host's own java and node print when held to 2 CPUs
# (taskset; both count the CPUs of their affinity mask). The guest's root
# has their loaders and system libraries; the JVM's tree and its
# configuration come over bind mounts of the host's.
need_pkgs openjdk-17-jdk-headless nodejs
JVM=/usr/lib/jvm/java-17-openjdk-amd64
JROOT=$B/jvm-root
if [ ! -x "$JVM/bin/javac" ]; then
	BUILD_ERR[jvm]="no $JVM/bin/javac (openjdk-17-jdk-headless)"
else
	mkdir -p "$JROOT/tmp" "$JROOT/etc/java-17-openjdk"
	build_jvm() { javac -d "$JROOT/tmp" "$HERE/Pool.java" && touch "$2"; } # -o STAMP
	build jvm "$B/jvm.stamp" build_jvm
	for f in "$JVM/bin/java" "$JVM/lib/server/libjvm.so" /lib/x86_64-linux-gnu/libz.so.1; do
		extract_libs jvm "$f" "$JROOT"
	done
fi
jvm_guest() { # OUT ERR STDIN
	run_guest "$1" "$2" --stdin "$3" -c 2 -m 1G -r "$JROOT" -b "$JVM:$JVM:ro" \
		-b /etc/java-17-openjdk:/etc/java-17-openjdk:ro -- "$JVM/bin/java" -cp /tmp Pool
}
tcase jvm-pool.c2 --build jvm --native /usr/bin/taskset --guest jvm_guest -- \
	taskset -c 0,1 "$JVM/bin/java" -cp "$JROOT/tmp" Pool
NODE=$(command -v node || command -v nodejs || echo /usr/bin/node)
NROOT=$B/node-root
if [ ! -x "$NODE" ]; then
	BUILD_ERR[node]="no node (nodejs)"
else
	mkdir -p "$NROOT/tmp" && cp "$HERE/workers.js" "$NROOT/tmp/workers.js"
	extract_libs node "$(readlink -f "$NODE")" "$NROOT"
fi
node_guest() { # OUT ERR STDIN
	run_guest "$1" "$2" --stdin "$3" -c 2 -m 1G -r "$NROOT" -- "$(readlink -f "$NODE")" /tmp/workers.js
}
tcase node-workers.c2 --build node --native /usr/bin/taskset --guest node_guest -- \
	taskset -c 0,1 "$NODE" "$NROOT/tmp/workers.js"
suite_finish
