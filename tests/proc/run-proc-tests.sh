#!/usr/bin/env bash
# Processes: tests/proc/proc.c's cases (fork and copy-on-write, wait,
# signals between processes, vfork, execve of scripts and of bad files,
# posix_spawn, process groups and sessions, orphans, threads, job control,
# futexes, signal-driven I/O), then tests/proc/shell.sh under dash, bash and
# busybox sh, each natively in a chroot of the same root and in the guest,
# output and status compared; make -j2 with gcc and python3's processes the
# same way; and, in the guest only, a fork bomb (tests/proc/forkbomb.sh).
# usage: tests/proc/run-proc-tests.sh [PATTERN...]   env: PROC_TIMEOUT=120
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init proc --timeout PROC_TIMEOUT=120 -- "$@"
need_kernel
need_pkgs gcc libc6-dev busybox-static dash bash

ROOT=$B/rootfs
# (The native runs' shm_open needs a /dev/shm; the guest has its own.)
mkdir -p "$ROOT/bin" "$ROOT/tmp" "$ROOT/etc" "$ROOT/dev/shm"
# The native runs' /dev/null (the guest mounts its own /dev over this).
[ -c "$ROOT/dev/null" ] || mknod -m 666 "$ROOT/dev/null" c 1 3 ||
	note "cannot make $ROOT/dev/null: the native shell runs will miss it"
build proctest "$ROOT/proctest" gcc -O2 -g -Wall -Wextra -Wno-array-bounds \
	-static-pie -pthread "$HERE/proc.c" "$HERE/report.c" "$HERE/jobs.c" "$HERE/futex.c" "$HERE/sigio.c" "$HERE/perms.c" \
	"$HERE/caps.c" "$HERE/sigfd.c" "$HERE/fsperm.c" "$HERE/forkmem.c"
expect_kind proctest "$ROOT/proctest" static-pie
build shells-asuser "$ROOT/asuser" gcc -O2 -Wall -Wextra -static-pie "$HERE/asuser.c"
cp -p /bin/busybox "$ROOT/bin/busybox" 2>/dev/null || BUILD_ERR[shells]="no /bin/busybox"
# The commands the shell script runs: busybox's, in both runs alike.
for a in sh echo sleep seq grep wc tr cat sort rm pwd kill true false; do
	ln -sfn busybox "$ROOT/bin/$a"
done
for s in dash bash; do
	cp -p "/bin/$s" "$ROOT/bin/$s" && extract_libs shells "$ROOT/bin/$s" "$ROOT"
done
cp -p "$HERE/shell.sh" "$HERE/forkbomb.sh" "$ROOT/"

# Debian's gcc, binutils and make with what they read: make -j2 builds
# tests/proc/make/ in both runs (its objects cleaned first).
GCCROOT=$B/gccroot
build_gcc_root() {
	local r=$GCCROOT b f d
	rm -rf "$r" && mkdir -p "$r/usr/lib/x86_64-linux-gnu" "$r/bin" "$r/tmp" "$r/src" || return 1
	for b in make gcc gcc-12 x86_64-linux-gnu-gcc-12 as x86_64-linux-gnu-as ld ld.bfd rm \
		x86_64-linux-gnu-ld x86_64-linux-gnu-ld.bfd dash; do
		extract_libs gcc "/usr/bin/$b" "$r"
	done
	ln -sfn /usr/bin/dash "$r/bin/sh"
	# Hard links where the build tree shares the host's file system.
	for d in /usr/lib/gcc /usr/include; do
		cp -al "$d" "$r${d%/*}/" 2>/dev/null || cp -a "$d" "$r${d%/*}/" || return 1
	done
	for f in $(find /usr/lib/gcc/x86_64-linux-gnu/12 -maxdepth 1 -type f -executable); do
		extract_libs gcc "$f" "$r"
	done
	for f in crt1.o crti.o crtn.o Scrt1.o libc.so libc_nonshared.a libc.so.6 libm.so \
		libm.so.6 libmvec.so.1 libgcc_s.so.1; do
		cp -a "/usr/lib/x86_64-linux-gnu/$f" "$r/usr/lib/x86_64-linux-gnu/" || return 1
	done
	cp -p "$HERE"/make/* "$r/src/"
}
if selected make-j2; then
	need_pkgs make gcc binutils libc6-dev
	build_gcc_root || BUILD_ERR[gcc]="the gcc root did not build (see $LOGS)"
	tcase make-j2 --build gcc --rootfs "$GCCROOT" -m 1G -- /bin/sh -c \
		'cd /src && make -s clean && make -j2 && ./prog'
fi

# The python app's root with busybox as /bin/sh and the script.
PYROOT=$B/pyroot
if selected python-processes; then
	if build_app python; then
		rm -rf "$PYROOT" && cp -al "$APPS_OUT/python/rootfs" "$PYROOT" 2>/dev/null ||
			cp -a "$APPS_OUT/python/rootfs" "$PYROOT"
		mkdir -p "$PYROOT/bin" "$PYROOT/dev/shm" && chmod 1777 "$PYROOT/dev/shm"
		cp -p /bin/busybox "$PYROOT/bin/busybox" && ln -sfn busybox "$PYROOT/bin/sh"
		[ -c "$PYROOT/dev/null" ] || mknod -m 666 "$PYROOT/dev/null" c 1 3
		cp -p "$HERE/processes.py" "$PYROOT/processes.py"
	fi
	tcase python-processes --build app.python --rootfs "$PYROOT" -m 512M -- \
		/usr/bin/python3 /processes.py
fi

for c in fork_cow wait signals vfork exec spawn groups orphans threads locks sysv creds pidfd jobs futex sigio perms \
	caps signalfd fsperm forkmem; do
	extra=()
	# The crashes' reports name the process that crashed, not PID 1.
	[ $c = signals ] && extra=(--grep 'SIGSEGV: proctest \(pid [0-9]+\) crashed')
	tcase "proc.$c" --build proctest --rootfs "$ROOT" "${extra[@]}" -- /proctest "$c"
done
# The same checks on a RAM root (ramfs keeps the owners itself).
tcase proc.fsperm-ram --build proctest --rootfs "$ROOT" -i -- /proctest fsperm
for s in dash bash; do
	tcase "shell.$s" --build shells --rootfs "$ROOT" -- "/bin/$s" /shell.sh
done
tcase shell.busybox --build shells --rootfs "$ROOT" -- /bin/busybox sh /shell.sh
# Guest only (the native chroot has no /proc).
tcase proc.exepath --guest-only --build proctest --rootfs "$ROOT" \
	--expect $'/proc/self/exe: /proctest\nrelative path through a symlink: ran, exited 0' \
	-- /proctest exepath
# Guest only (natively it would take the host down): the guest stays up and
# PID 1 ends with its own status.
tcase forkbomb --guest-only --build shells-asuser --rootfs "$ROOT" -i --status 42 \
	--expect $'forks failed: 1\nprocesses left: 1' -- /bin/bash /forkbomb.sh
suite_finish
