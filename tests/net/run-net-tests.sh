#!/usr/bin/env bash
# Socket and name-service tests: builds tests/net/unix.c,
# tests/net/netlink.c (AF_NETLINK route dumps, SIOCGIF* ioctls) and
# tests/net/resolve.c (getaddrinfo, gethostbyname on localhost and numeric
# addresses, from the /etc files the kernel makes when the root has none)
# as glibc static-PIEs and as dynamic programs (the latter in a rootfs made
# with extract.sh), runs each natively and in the guest through run.sh,
# and compares stdout (bytes) and the exit status. resolve runs from the
# rootfs both as an initrd and shared over 9p (whose directory must get
# no /etc from it).
#
# usage: tests/net/run-net-tests.sh [PATTERN...]   (globs on case names)
# env:   NATIVE_ONLY=1     only the native half (checks the program itself)
#        NET_TIMEOUT=120   seconds per run (native or guest)
#        KERNEL=path       kernel image (default $BUILD/elfloader_kvm-x86_64)
#        BUILD=dir         build directory (default <repo>/build); the
#                          programs go to $BUILD/net/
# Output: "PASS name" / "FAIL name (why)" per case, details indented, then
# "N passed, N failed"; the counts also go to $BUILD/test-results/net.txt
# as "P F" (not on a NATIVE_ONLY run, nor on one limited by PATTERNs).
#
# The dynamic program runs natively from its place in the rootfs with the
# host's libraries, which are the ones extract.sh copied (no chroot: the
# test reads /proc/self/fd, which a bare rootfs lacks); in the guest from
# the rootfs packed as an initrd (run.sh -r DIR -i), or shared over 9p
# (run.sh -r DIR) for the -9p case.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init net --timeout NET_TIMEOUT=120 -- "$@"

BIN=$B/bin
ROOT=$B/rootfs
mkdir -p "$BIN" "$ROOT/bin"

# --- building --------------------------------------------------------------------
CFLAGS=(-O2 -g -Wall -Wextra -Werror -pthread)

build_all() {
	local p
	for p in unix resolve; do
		build $p.pie "$BIN/$p.pie" gcc -static-pie "${CFLAGS[@]}" "$HERE/$p.c"
		expect_kind $p.pie "$BIN/$p.pie" static-pie
		build $p.dyn "$ROOT/bin/$p" gcc "${CFLAGS[@]}" "$HERE/$p.c"
		expect_kind $p.dyn "$ROOT/bin/$p" dynamic
		extract_libs $p.dyn "$ROOT/bin/$p" "$ROOT"
	done
	build netlink.pie "$BIN/netlink.pie" gcc -static-pie "${CFLAGS[@]}" "$HERE/netlink.c"
	expect_kind netlink.pie "$BIN/netlink.pie" static-pie
}

# --- the cases ---------------------------------------------------------------------
# A rootfs goes into the guest as a cpio initrd (ramfs) where run.sh can
# also share it over 9p: the test binds socket inodes in /tmp, which is the
# VFS's and ramfs's business, not 9p's.
INITRD_OPT=()
grep -q 'use_initrd=1' "$RUN" 2>/dev/null && INITRD_OPT=(-i)

need_kernel
build_all

tcase unix.pie -- "$BIN/unix.pie"
tcase unix.dyn --rootfs "$ROOT" "${INITRD_OPT[@]}" --native "$ROOT/bin/unix" -- /bin/unix
tcase resolve.pie -- "$BIN/resolve.pie"
tcase resolve.dyn --rootfs "$ROOT" "${INITRD_OPT[@]}" --native "$ROOT/bin/resolve" -- /bin/resolve
tcase resolve.dyn-9p --build resolve.dyn --rootfs "$ROOT" --native "$ROOT/bin/resolve" -- \
	/bin/resolve
# Netlink dumps and SIOCGIF* ioctls: lo alone, then with a network
# device (eth0 is there, and the program prints only lo's lines).
tcase netlink.pie -- "$BIN/netlink.pie"
tcase netlink.pie-with-net --build netlink.pie -n -- "$BIN/netlink.pie"
# The /etc files of a 9p root live in the guest only.
if [ "$NATIVE_ONLY" != 1 ] && selected resolve.dyn-9p; then
	if [ -e "$ROOT/etc" ]; then
		fail resolve.dyn-9p.host-etc "the guest wrote $ROOT/etc on the host"
	else
		pass resolve.dyn-9p.host-etc
	fi
fi

suite_finish
