#!/usr/bin/env bash
# TCP/IP tests (lwIP, virtio-net, the AF_INET family): builds the programs
# of tests/inet/ (guest ones static), then
#   loop-*     loopback inside the guest (tests/inet/loop.c: TCP over
#              127.0.0.1 and ::1 with threads, 1 MiB echo, poll/select/
#              epoll, nonblocking connect, names, FIONREAD, UDP), also
#              run natively first to check the program itself;
#   dgramopt-* UDP-Lite with its coverage options and the IPv6 options
#              with UDP6's ancillary data over the loopback
#              (tests/inet/dgramopt.c): stdout equal to the native run's;
#   rawip-*    raw IP sockets over the loopback: ICMP and ICMPv6 echoes,
#              IP_HDRINCL, ICMP filters, names, EPERM without CAP_NET_RAW
#              (tests/inet/rawip.c, natively as root): stdout equal to the
#              native run's;
#   server-*   the guest echo server behind run.sh -n -p HOST:8080,
#              driven from the host on 127.0.0.1 (1 KiB and 1 MiB, byte
#              for byte), on microvm (virtio-mmio) and q35 (virtio-pci);
#   client-*   a guest client of a host echo server at 10.0.2.2:PORT
#              (QEMU's user networking maps it to the host's 127.0.0.1).
# Only loopback and QEMU user-networking addresses; every program has an
# alarm and every run a timeout, so everything stops by itself.
#
# usage: tests/inet/run-inet-tests.sh       env: KERNEL, BUILD, INET_TIMEOUT
# (skipped, 0 0, when BUILD's configuration lacks CONFIG_LIBLWIP;
# KERNEL_HAS_LWIP=1 runs anyway)
# Output: PASS/FAIL lines, "N passed, N failed"; the counts also go to
# $BUILD/test-results/inet.txt as "P F".
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init inet --timeout INET_TIMEOUT=120

# A kernel built without lwIP (CONFIG_LIBLWIP) has no AF_INET: skip.
cfg=$BUILD/.config
[ -f "$cfg" ] || cfg=$TOP/.config
if [ -z "${KERNEL_HAS_LWIP:-}" ] && ! grep -q '^CONFIG_LIBLWIP=y' "$cfg" 2>/dev/null; then
	skip inet "the kernel is built without CONFIG_LIBLWIP; make WITH_LWIP=y"
	suite_finish
fi

# --- building -------------------------------------------------------------
# end_of FILE: its last lines, for a failure's details.
end_of() { tail -n 15 "$1" 2>/dev/null; }
compile() {	# name flags...
	build "$1" "$B/$1" gcc -O2 -Wall "$HERE/$1.c" "${@:2}" ||
		{ fail "build-$1" "compile error" "$(end_of "$LOGS/$1.build")"; return 1; }
}
ok=1
compile loop -static -pthread || ok=0
compile dgramopt -static -Wextra -Werror || ok=0
compile rawip -static -Wextra -Werror || ok=0
compile server -static || ok=0
compile client -static || ok=0
compile hostclient || ok=0
compile hostserver || ok=0
[ $ok = 1 ] || suite_finish
if [ ! -f "$KERNEL" ]; then
	fail kernel "no kernel at $KERNEL"
	suite_finish
fi

# A free TCP port on the host's loopback.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	echo 18080
}

guest() {	# OUT ERR machine [run.sh options] -- PROG ARGS...
	run_guest "$1" "$2" -d -M "$3" "${@:4}"
}

# --- loopback in the guest --------------------------------------------------
if timeout 60 "$B/loop" > "$B/loop.native.out" 2>&1; then
	pass loop-native
else
	fail loop-native "the program fails natively" "$(end_of "$B/loop.native.out")"
fi
for m in microvm q35; do
	# Without -n: lwIP runs on its loopback interface alone.
	if guest "$B/loop.$m.out" "$B/loop.$m.err" "$m" -- "$B/loop" &&
	   grep -q '^0 failures' "$B/loop.$m.out"; then
		pass "loop-$m"
	else
		cat "$B/loop.$m.err" >> "$B/loop.$m.out"
		fail "loop-$m" "see $B/loop.$m.out" "$(end_of "$B/loop.$m.out")"
	fi
done
# With a network device too (the loopback must not go out on it).
if guest "$B/loop.net.out" "$B/loop.net.err" microvm -n -- "$B/loop" &&
   grep -q '^0 failures' "$B/loop.net.out"; then
	pass loop-with-net
else
	cat "$B/loop.net.err" >> "$B/loop.net.out"
	fail loop-with-net "see $B/loop.net.out" "$(end_of "$B/loop.net.out")"
fi

# --- datagram options: the guest prints what Linux printed -----------------
tcase dgramopt-microvm -M microvm -- "$B/dgramopt"
tcase dgramopt-with-net -M microvm -n -- "$B/dgramopt"

# --- raw IP sockets: the guest prints what Linux printed (as root) ---------
tcase rawip-microvm -M microvm -- "$B/rawip"
tcase rawip-with-net -M microvm -n -- "$B/rawip"

# --- the guest server, host clients ---------------------------------------
for m in microvm q35; do
	hp=$(free_port)
	out=$B/server.$m.out
	rm -f "$out"
	guest "$out" "$B/server.$m.err" "$m" -n -p "$hp:8080" -- "$B/server" 8080 2 &
	gpid=$!
	for _ in $(seq 240); do
		grep -q '^listening' "$out" 2>/dev/null && break
		kill -0 $gpid 2>/dev/null || break
		sleep 0.25
	done
	for size in 1024 1048576; do
		if timeout 60 "$B/hostclient" "$hp" "$size" > "$B/hc.$m.$size.out" 2>&1; then
			pass "server-$m-$size"
		else
			cat "$B/server.$m.err" >> "$B/hc.$m.$size.out"
			fail "server-$m-$size" "host client" "$(end_of "$B/hc.$m.$size.out")"
		fi
	done
	if wait $gpid && grep -q 'echoed 1048576 bytes' "$out"; then
		pass "server-$m-exit"
	else
		cat "$B/server.$m.err" >> "$out"
		fail "server-$m-exit" "the guest server did not finish cleanly" "$(end_of "$out")"
	fi
done

# --- a guest client, the host's server --------------------------------------
for m in microvm q35; do
	pf=$B/hostserver.$m.port
	rm -f "$pf"
	timeout 100 "$B/hostserver" "$pf" > "$B/hostserver.$m.out" 2>&1 &
	hpid=$!
	for _ in $(seq 40); do
		[ -s "$pf" ] && break
		sleep 0.1
	done
	port=$(cat "$pf" 2>/dev/null)
	if [ -z "$port" ]; then
		fail "client-$m" "the host server did not start" "$(end_of "$B/hostserver.$m.out")"
		kill $hpid 2>/dev/null
		continue
	fi
	if guest "$B/client.$m.out" "$B/client.$m.err" "$m" -n -- "$B/client" 10.0.2.2 "$port" 1048576 &&
		grep -q 'echoed identically' "$B/client.$m.out"; then
		pass "client-$m"
	else
		cat "$B/client.$m.err" >> "$B/client.$m.out"
		fail "client-$m" "guest client" "$(end_of "$B/client.$m.out")"
	fi
	wait $hpid 2>/dev/null
done

suite_finish
