#!/usr/bin/env bash
# Processes: tests/proc/proc.c's cases (fork and copy-on-write, wait,
# signals between processes, vfork, execve of scripts and of bad files,
# posix_spawn, process groups and sessions, orphans, threads), then
# tests/proc/shell.sh under dash, bash and busybox sh, each natively in a
# chroot of the same root and in the guest, output and status compared.
# usage: tests/proc/run-proc-tests.sh [PATTERN...]   env: PROC_TIMEOUT=120
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init proc --timeout PROC_TIMEOUT=120 -- "$@"
need_kernel
need_pkgs gcc libc6-dev busybox-static dash bash

ROOT=$B/rootfs
mkdir -p "$ROOT/bin" "$ROOT/tmp" "$ROOT/etc" "$ROOT/dev"
# The native runs' /dev/null (the guest mounts its own /dev over this).
[ -c "$ROOT/dev/null" ] || mknod -m 666 "$ROOT/dev/null" c 1 3 ||
	note "cannot make $ROOT/dev/null: the native shell runs will miss it"
build proctest "$ROOT/proctest" gcc -O2 -g -Wall -Wextra -Wno-array-bounds \
	-static-pie -pthread "$HERE/proc.c"
expect_kind proctest "$ROOT/proctest" static-pie
cp -p /bin/busybox "$ROOT/bin/busybox" 2>/dev/null || BUILD_ERR[shells]="no /bin/busybox"
# The commands the shell script runs: busybox's, in both runs alike.
for a in sh echo sleep seq grep wc tr cat sort rm pwd kill true false; do
	ln -sfn busybox "$ROOT/bin/$a"
done
for s in dash bash; do
	cp -p "/bin/$s" "$ROOT/bin/$s" && extract_libs shells "$ROOT/bin/$s" "$ROOT"
done
cp -p "$HERE/shell.sh" "$ROOT/shell.sh"

for c in fork_cow wait signals vfork exec spawn groups orphans threads locks sysv creds; do
	tcase "proc.$c" --build proctest --rootfs "$ROOT" -- /proctest "$c"
done
for s in dash bash; do
	tcase "shell.$s" --build shells --rootfs "$ROOT" -- "/bin/$s" /shell.sh
done
tcase shell.busybox --build shells --rootfs "$ROOT" -- /bin/busybox sh /shell.sh
suite_finish
