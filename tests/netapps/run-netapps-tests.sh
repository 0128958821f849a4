#!/usr/bin/env bash
# Network app tests: builds the network apps of the catalogue (apps/server*,
# apps/client*, apps/redis*, apps/nginx*, apps/haproxy; rootfs cached under
# build/apps/ like run_app.sh does), boots each in the guest with QEMU's user
# networking and drives it with real programs on the host:
#   server, server_static          curl GET / and /echo/..., a 256 KiB echo
#   server_go, server_go_static    curl GET / (fixed body) and a 404
#   client*, client_go*            the guest fetches a 256 KiB file from a
#                                  python3 http.server on the host's 127.0.0.1
#   redis, redis_static, redis7    redis-cli PING/SET/GET/INCR/LPUSH/LRANGE
#                                  (redis7: and INFO server says 7.x)
#   redis-bgsave                   1,000 keys, BGSAVE (a forked child writes
#                                  dump.rdb to a 9p directory while the
#                                  parent answers), a second boot on that
#                                  directory loads them back
#   nginx, nginx_static            curl the 1 KiB and 10 MiB files, cmp'ed,
#                                  served by two forked workers (the log
#                                  says both started, and no alerts)
#   haproxy                        20 curl GETs of the 256 KiB file through
#                                  haproxy in the guest from a python3
#                                  http.server on the host, cmp'ed
#   postgres                       PostgreSQL 15 over a 9p root (a copy of the
#                                  app's): initdb on the first boot, psql
#                                  creates, inserts and selects, pgbench -i
#                                  then -c 8 -t 200 with no failed
#                                  transaction, a clean shutdown (SIGTERM
#                                  through run.sh -S), and a second boot of
#                                  the same root that sees the table
# and under load (through build/tools/tcprelay, which opens the many
# connections of a load generator to QEMU's forward one at a time: QEMU's
# user networking listens with a backlog of 1):
#   redis-load                     redis-benchmark -n 150000 -c 50 -t set,get,
#                                  no errors, redis answers afterwards, and
#                                  the guest's free memory (memstat) is back
#                                  within 64 pages of where the warm-up left it
#   nginx-load                     wrk -c 50 for 30 s on a small file: no
#                                  socket errors, only 2xx, nginx answers after
#   epoll-200                      tests/netapps/epollecho.c (an edge-triggered
#                                  epoll server, natively first) holds 200
#                                  connections at once and answers each
#   server_go-1000                 1,000 sequential HTTP requests, each on a
#                                  new connection, every body checked
# Servers get a host forward 127.0.0.1:P -> guest port, P free in 17000-17999;
# the guest reaches a host server on 127.0.0.1:P as 10.0.2.2:P. Each guest
# runs under timeout in its own process group (setsid), which the test kills
# at the end of the case, then checks that nothing of it (QEMU) is left.
# Every wait is bounded in tries and time.
#
# usage: tests/netapps/run-netapps-tests.sh [PATTERN...]  (globs on case names)
# env:   NETAPPS_TIMEOUT=120  seconds a guest may live
#        KERNEL=path          kernel image (default $BUILD/elfloader_kvm-x86_64)
#        BUILD=dir            build directory (default <repo>/build)
# Output: "PASS name" / "FAIL name (why)" per case with details indented,
# then "N passed, N failed"; a full run (no pattern) also writes the counts
# to $BUILD/test-results/netapps.txt as "P F".
# shellcheck disable=SC2317 # the case functions are called by name (run_case)
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init netapps --dir tests/netapps --timeout NETAPPS_TIMEOUT=120 -- "$@"
NATIVE_ONLY=0 # nothing runs natively here
export TERM=linux
APPS=$TOP/apps
# Host clients talk to 127.0.0.1 only, never through a proxy.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
CURL=(curl --noproxy '*' -sS)
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

# --- ports and guests ----------------------------------------------------------------
declare -A USED=()
port_free() { [ -z "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]; }
# free_port: a port in 17000-17999 that nothing listens on or uses (bounded).
free_port() {
	local i p
	for ((i = 0; i < 200; i++)); do
		p=$((17000 + (RANDOM % 1000)))
		[ -n "${USED[$p]:-}" ] && continue
		if port_free "$p"; then
			USED[$p]=1
			echo "$p"
			return 0
		fi
	done
	return 1
}

GPID=
# start_guest LOG APP [run.sh options...] -- PROG ARGS...: boots the app's
# rootfs (as an initrd) with networking in the background, in a process
# group of its own; sets GPID (the group's id).
start_guest() {
	local log=$1 app=$2 opts=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	setsid timeout -k 5 "$TIMEOUT" "$RUN" -k "$KERNEL" -i -n "${opts[@]}" \
		-r "$APPS_OUT/$app/rootfs" "$@" </dev/null >"$log" 2>&1 &
	GPID=$!
}

# app_cmd APP: the app's command line (apps/APP/cmd, split on blanks the way
# run_app.sh reads it) in CMD.
CMD=()
app_cmd() { read -r -a CMD <"$APPS/$1/cmd"; }

guest_alive() { kill -0 "$GPID" 2>/dev/null; }

# group_left PGID: the live (not zombie) processes of that group.
group_left() {
	ps -e -o pgid=,pid=,stat=,comm= | awk -v g="$1" '$1 == g && $3 !~ /^Z/ { print $2, $4 }'
}

# stop_guest: kills the guest's process group (TERM, then KILL), reaps it and
# says (returns 1) when something of it is still running.
stop_guest() {
	local i left
	[ -n "$GPID" ] || return 0
	kill -TERM -- "-$GPID" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		[ -z "$(group_left "$GPID")" ] && break
		sleep 0.2
	done
	if [ -n "$(group_left "$GPID")" ]; then
		kill -KILL -- "-$GPID" 2>/dev/null
		for ((i = 0; i < 25; i++)); do
			[ -z "$(group_left "$GPID")" ] && break
			sleep 0.2
		done
	fi
	wait "$GPID" 2>/dev/null
	left=$(group_left "$GPID")
	GPID=
	if [ -n "$left" ]; then
		say "    | still running after the kill: $left"
		return 1
	fi
	return 0
}

# wait_until TRIES CMD...: runs CMD every second until it succeeds, at most
# TRIES times, while the guest lives.
wait_until() {
	local tries=$1 i
	shift
	for ((i = 0; i < tries; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		guest_alive || { "$@" >/dev/null 2>&1; return; }
		sleep 1
	done
	return 1
}

show_log() { # FILE
	[ -s "$1" ] || return 0
	tail -n 8 "$1" | detail 8
}

# --- data -------------------------------------------------------------------------------
DATA=$B/www
mkdir -p "$DATA"
# A deterministic 256 KiB file for the host server (AES-128-CTR over zeros).
if [ ! -f "$DATA/data.bin" ] || [ "$(stat -c %s "$DATA/data.bin")" != 262144 ]; then
	head -c 262144 /dev/zero |
		openssl enc -aes-128-ctr -nosalt -K 0f0e0d0c0b0a09080706050403020100 \
			-iv 00000000000000000000000000000000 >"$DATA/data.bin"
fi
ECHO_CLIENT='
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
data = bytes((i * 7 + i // 251) & 0xff for i in range(n))
s = socket.create_connection(("127.0.0.1", port), timeout=20)
s.sendall(data)
s.shutdown(socket.SHUT_WR)
got = bytearray()
while True:
    b = s.recv(65536)
    if not b:
        break
    got += b
print("sent %d, got %d back, %s" % (n, len(got), "same" if got == data else "DIFFERENT"))
sys.exit(0 if got == data else 1)
'

# --- the cases ------------------------------------------------------------------------
# Each case function returns 0 (pass) or sets WHY and returns 1; the guest is
# stopped after it either way.
WHY=

http_get() { # PORT PATH OUTFILE [SECONDS]: 0 on a complete HTTP 200 answer
	local code
	code=$("${CURL[@]}" -m "${4:-10}" -o "$3" -w '%{http_code}' "http://127.0.0.1:$1$2" 2>"$3.err") &&
		[ "$code" = 200 ]
}

case_server() { # APP
	local app=$1 d=$B/$1 port
	mkdir -p "$d"
	port=$(free_port) || { WHY="no free port"; return 1; }
	app_cmd "$app"
	start_guest "$d/guest.log" "$app" -p "$port:8080" -- "${CMD[@]}"
	if ! wait_until 90 http_get "$port" / "$d/root.out" 5; then
		WHY="no HTTP answer on port $port"
		return 1
	fi
	if [ "$(cat "$d/root.out")" != "hello from the unikernel server" ]; then
		WHY="GET / answered something else"
		detail <"$d/root.out"
		return 1
	fi
	if ! http_get "$port" /echo/netapps "$d/echo.out" ||
		[ "$(cat "$d/echo.out")" != netapps ]; then
		WHY="GET /echo/netapps failed"
		return 1
	fi
	if ! timeout 30 "$PYTHON" -c "$ECHO_CLIENT" "$port" 262144 >"$d/echo-tcp.out" 2>&1; then
		WHY="TCP echo of 256 KiB failed"
		detail <"$d/echo-tcp.out"
		return 1
	fi
}

case_server_go() { # APP
	local app=$1 d=$B/$1 port code
	mkdir -p "$d"
	port=$(free_port) || { WHY="no free port"; return 1; }
	app_cmd "$app"
	start_guest "$d/guest.log" "$app" -p "$port:8080" -- "${CMD[@]}"
	if ! wait_until 90 http_get "$port" / "$d/root.out" 5; then
		WHY="no HTTP answer on port $port"
		return 1
	fi
	if [ "$(cat "$d/root.out")" != "hello from go net/http on the unikernel" ]; then
		WHY="GET / answered something else"
		detail <"$d/root.out"
		return 1
	fi
	code=$("${CURL[@]}" -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nothing")
	[ "$code" = 404 ] || { WHY="GET /nothing answered $code, expected 404"; return 1; }
	# A few requests in a row on one connection (keep-alive).
	if ! "${CURL[@]}" -m 20 "http://127.0.0.1:$port/" "http://127.0.0.1:$port/" \
		"http://127.0.0.1:$port/" >"$d/three.out" 2>&1 ||
		[ "$(grep -c 'hello from go' "$d/three.out")" != 3 ]; then
		WHY="three requests on one connection failed"
		return 1
	fi
}

HOSTSRV=
# start_hostsrv DIR PORT: a python3 http.server for $DATA on the host's
# 127.0.0.1:PORT (HOSTSRV, killed by run_case), up and serving data.bin.
start_hostsrv() {
	local d=$1 port=$2 i
	"$PYTHON" -m http.server --bind 127.0.0.1 --directory "$DATA" "$port" \
		>"$d/hostserver.log" 2>&1 &
	HOSTSRV=$!
	for ((i = 0; i < 50; i++)); do
		http_get "$port" /data.bin /dev/null 2 && break
		kill -0 "$HOSTSRV" 2>/dev/null || break
		sleep 0.2
	done
	if ! http_get "$port" /data.bin /dev/null 2; then
		WHY="the host server did not start"
		show_log "$d/hostserver.log"
		return 1
	fi
}

case_client() { # APP
	local app=$1 d=$B/$1 port st
	mkdir -p "$d"
	port=$(free_port) || { WHY="no free port"; return 1; }
	start_hostsrv "$d" "$port" || return 1
	# The client runs to its end (bounded by timeout), in a process group
	# of its own like the servers; the body (stdout) goes to its own file.
	app_cmd "$app"
	setsid timeout -k 5 "$TIMEOUT" "$RUN" -k "$KERNEL" -i -n -r "$APPS_OUT/$app/rootfs" \
		"${CMD[@]}" "$port" /data.bin </dev/null >"$d/body.out" 2>"$d/guest.log" &
	GPID=$!
	wait "$GPID"
	st=$?
	if [ "$st" != 0 ]; then
		WHY="the client exited $st"
		show_log "$d/guest.log"
		return 1
	fi
	if ! cmp "$DATA/data.bin" "$d/body.out" >"$d/cmp.out" 2>&1; then
		WHY="the body differs from the file served"
		detail <"$d/cmp.out"
		return 1
	fi
}

REDIS_EXPECT='PONG
OK
v1
1
2
3
3
c
b
a
1'
REDIS_PORT=
rc() { timeout 10 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
redis_up() { [ "$(rc PING 2>/dev/null)" = PONG ]; }
case_redis() { # APP
	local app=$1 d=$B/$1 port
	mkdir -p "$d"
	port=$(free_port) || { WHY="no free port"; return 1; }
	start_guest "$d/guest.log" "$app" -p "$port:6379" -- /usr/bin/redis-server \
		--port 6379 --save "" --appendonly no --protected-mode no
	REDIS_PORT=$port
	if ! wait_until 90 redis_up; then
		WHY="no PONG on port $port"
		return 1
	fi
	{
		rc PING
		rc SET k1 v1
		rc GET k1
		rc INCR counter
		rc INCR counter
		rc INCR counter
		rc LPUSH list a b c
		rc LRANGE list 0 -1
		rc DEL k1
	} >"$d/cli.out" 2>&1
	if [ "$(cat "$d/cli.out")" != "$REDIS_EXPECT" ]; then
		WHY="redis-cli answers differ"
		diff <(printf '%s\n' "$REDIS_EXPECT") "$d/cli.out" | detail
		return 1
	fi
}

# case_redis7: the redis case, and the server says it is 7.x.
case_redis7() { # APP
	local v
	case_redis "$1" || return 1
	v=$(rc INFO server 2>&1 | tr -d '\r' | sed -n 's/^redis_version://p')
	case $v in
	7.*) ;;
	*) WHY="INFO server says redis_version:$v, expected 7.x"; return 1 ;;
	esac
}

# The redis of case_redis_bgsave, its data in $1 (a 9p share on /data).
start_redis_data() { # LOG APP DATADIR PORT
	start_guest "$1" "$2" -p "$4:6379" -b "$3:/data" -- /usr/bin/redis-server \
		--port 6379 --save "" --appendonly no --protected-mode no --dir /data
	REDIS_PORT=$4
	wait_until 90 redis_up || { WHY="no PONG on port $4"; return 1; }
}
bgsave_done() {
	rc INFO persistence | tr -d '\r' >"$1"
	grep -qx 'rdb_bgsave_in_progress:0' "$1" && grep -qx 'rdb_changes_since_last_save:0' "$1"
}
case_redis_bgsave() { # APP
	local app=$1 d=$B/redis-bgsave port i
	rm -rf "$d" && mkdir -p "$d/data"
	port=$(free_port) || { WHY="no free port"; return 1; }
	start_redis_data "$d/guest.log" "$app" "$d/data" "$port" || return 1
	for ((i = 1; i <= 1000; i++)); do printf 'SET key:%d value:%d\r\n' $i $i; done |
		timeout 60 redis-cli -p "$port" --pipe >"$d/pipe.out" 2>&1
	if ! grep -q 'errors: 0, replies: 1000' "$d/pipe.out"; then
		WHY="redis-cli --pipe did not get 1000 good replies"
		detail <"$d/pipe.out"
		return 1
	fi
	[ "$(rc BGSAVE)" = "Background saving started" ] || { WHY="BGSAVE did not start"; return 1; }
	[ "$(rc GET key:500)" = value:500 ] || { WHY="no answer while the child saves"; return 1; }
	if ! wait_until 60 bgsave_done "$d/persistence"; then
		WHY="BGSAVE did not finish in 60 s"
		detail <"$d/persistence"
		return 1
	fi
	if ! grep -qx 'rdb_last_bgsave_status:ok' "$d/persistence" ||
		! grep -q 'Background saving terminated with success' "$d/guest.log"; then
		WHY="BGSAVE failed"
		detail <"$d/persistence"
		return 1
	fi
	stop_guest
	[ -s "$d/data/dump.rdb" ] || { WHY="no dump.rdb in the shared directory"; return 1; }
	mv "$d/guest.log" "$d/first-boot.log"
	start_redis_data "$d/guest.log" "$app" "$d/data" "$port" || return 1
	if [ "$(rc DBSIZE)" != 1000 ] || [ "$(rc GET key:777)" != value:777 ]; then
		WHY="the second boot did not load the 1000 keys back (DBSIZE $(rc DBSIZE))"
		return 1
	fi
}

case_nginx() { # APP
	local app=$1 d=$B/$1 port www=$APPS_OUT/$1/rootfs/www f
	mkdir -p "$d"
	port=$(free_port) || { WHY="no free port"; return 1; }
	app_cmd "$app"
	start_guest "$d/guest.log" "$app" -p "$port:8080" -- "${CMD[@]}"
	if ! wait_until 90 http_get "$port" /1k.bin "$d/1k.bin" 5; then
		WHY="no HTTP answer on port $port"
		return 1
	fi
	for f in index.html 1k.bin 10m.bin; do
		if ! http_get "$port" "/$f" "$d/$f" 100; then
			WHY="GET /$f failed"
			detail <"$d/$f.err"
			return 1
		fi
		if ! cmp "$www/$f" "$d/$f" >"$d/cmp.out" 2>&1; then
			WHY="/$f differs from the original"
			detail <"$d/cmp.out"
			return 1
		fi
	done
	if [ "$(grep -c 'start worker process [0-9]' "$d/guest.log")" != 2 ]; then
		WHY="the master did not start two worker processes"
		show_log "$d/guest.log"
		return 1
	fi
	if grep -E '\[(alert|emerg|crit)\]' "$d/guest.log" >"$d/alerts"; then
		WHY="nginx logged alerts"
		detail <"$d/alerts"
		return 1
	fi
}

# case_haproxy: haproxy in the guest in front of a python3 http.server on
# the host (10.0.2.2:P from the guest, through BACKEND in its environment):
# 20 requests in a row for the 256 KiB file, each cmp'ed.
case_haproxy() { # APP
	local app=$1 d=$B/$1 port hport i
	mkdir -p "$d"
	hport=$(free_port) || { WHY="no free port"; return 1; }
	port=$(free_port) || { WHY="no free port"; return 1; }
	start_hostsrv "$d" "$hport" || return 1
	app_cmd "$app"
	start_guest "$d/guest.log" "$app" -p "$port:8080" -e "BACKEND=10.0.2.2:$hport" \
		-- "${CMD[@]}"
	if ! wait_until 90 http_get "$port" /data.bin "$d/first.bin" 10; then
		WHY="no HTTP answer through haproxy on port $port"
		[ -s "$d/first.bin.err" ] && detail 3 <"$d/first.bin.err"
		return 1
	fi
	for ((i = 1; i <= 20; i++)); do
		if ! http_get "$port" /data.bin "$d/data.bin" 30; then
			WHY="request $i of 20 through haproxy failed"
			detail <"$d/data.bin.err"
			return 1
		fi
		if ! cmp "$DATA/data.bin" "$d/data.bin" >"$d/cmp.out" 2>&1; then
			WHY="request $i of 20: the body differs from the file served"
			detail <"$d/cmp.out"
			return 1
		fi
	done
}

# case_postgres: the postgres app on a 9p root of its own (a copy of the
# app's, so that every run starts with initdb), two boots of it.
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=
pg_sql() { # SQL...: psql's unaligned, quiet output of each -c
	local a=()
	for s in "$@"; do a+=(-c "$s"); done
	PGCONNECT_TIMEOUT=10 timeout 60 "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		-h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "${a[@]}"
}
pg_up() { [ "$(pg_sql 'select 1' 2>/dev/null)" = 1 ]; }
# pg_boot LOG ROOT: run.sh -S (a SIGTERM to it reaches the server, PID 1)
# over 9p; GPID is timeout's PID (and the group's).
pg_boot() {
	local secs=$((TIMEOUT > 300 ? TIMEOUT : 300))
	setsid timeout -k 30 "$secs" "$RUN" -k "$KERNEL" -S -m 512M -n -p "$PG_PORT:5432" \
		-r "$2" /bin/sh /usr/local/bin/pg-start </dev/null >"$1" 2>&1 &
	GPID=$!
}
# pg_stop LOG: SIGTERM (PostgreSQL's smart shutdown) to run.sh, timeout's
# child (timeout itself would pass it to its whole group, QEMU too); the
# guest must end by itself, with status 0, after the server's last word.
pg_stop() {
	local st child
	child=$(ps -o pid= --ppid "$GPID" | head -n 1)
	[ -n "$child" ] && kill -TERM "$child" 2>/dev/null
	wait "$GPID"
	st=$?
	GPID=
	if [ "$st" != 0 ] || ! grep -q 'database system is shut down' "$1"; then
		WHY="no clean shutdown (status $(status_text "$st"))"
		return 1
	fi
}
case_postgres() { # APP
	local app=$1 d=$B/postgres root rows
	rm -rf "$d" && mkdir -p "$d"
	root=$d/rootfs
	cp -al "$APPS_OUT/$app/rootfs" "$root" 2>/dev/null || cp -a "$APPS_OUT/$app/rootfs" "$root" ||
		{ WHY="cannot copy the app's root"; return 1; }
	# Without a cluster that run_app.sh may have left in the app's root
	# (hard links: the guest must not write into those files).
	rm -rf "$root/var/lib/postgresql"/*
	PG_PORT=$(free_port) || { WHY="no free port"; return 1; }
	pg_boot "$d/guest.log" "$root"
	wait_until 240 pg_up || { WHY="no answer to psql on port $PG_PORT (first boot)"; return 1; }
	pg_sql "create table t (id int primary key, v text)" \
		"insert into t values (1, 'one'), (2, 'two'), (3, 'three')" \
		"select id, v from t order by id" >"$d/psql.out" 2>&1
	rows=$'1|one\n2|two\n3|three'
	if [ "$(cat "$d/psql.out")" != "$rows" ]; then
		WHY="psql's create, insert and select answered otherwise"
		detail <"$d/psql.out"
		return 1
	fi
	if ! PGCONNECT_TIMEOUT=10 timeout 300 "$PG_BIN/pgbench" -i -q -h 127.0.0.1 -p "$PG_PORT" \
		-U postgres postgres >"$d/pgbench-init.out" 2>&1; then
		WHY="pgbench -i failed"
		tail -n 4 "$d/pgbench-init.out" | detail
		return 1
	fi
	if ! PGCONNECT_TIMEOUT=10 timeout 300 "$PG_BIN/pgbench" -c 8 -t 200 -h 127.0.0.1 \
		-p "$PG_PORT" -U postgres postgres >"$d/pgbench.out" 2>&1; then
		WHY="pgbench -c 8 -t 200 failed"
		tail -n 6 "$d/pgbench.out" | detail
		return 1
	fi
	grep -E 'processed|failed|latency average|tps' "$d/pgbench.out" | detail
	if ! grep -q 'actually processed: 1600/1600' "$d/pgbench.out" ||
		! grep -q 'number of failed transactions: 0 ' "$d/pgbench.out"; then
		WHY="pgbench did not finish 1600 transactions without a failure"
		return 1
	fi
	pg_stop "$d/guest.log" || return 1
	# The second boot of the same root: recovery-free start, same rows.
	pg_boot "$d/guest2.log" "$root"
	wait_until 120 pg_up || { WHY="no answer to psql on port $PG_PORT (second boot)"; return 1; }
	pg_sql "select id, v from t order by id" >"$d/psql2.out" 2>&1
	if [ "$(cat "$d/psql2.out")" != "$rows" ]; then
		WHY="the second boot does not see the table"
		detail <"$d/psql2.out"
		return 1
	fi
	if [ "$(pg_sql 'select count(*) from pgbench_history' 2>&1)" != 1600 ]; then
		WHY="the second boot does not see pgbench's 1600 transactions"
		return 1
	fi
	if grep -q 'not properly shut down' "$d/guest2.log"; then
		WHY="the second boot found the cluster not properly shut down"
		return 1
	fi
	pg_stop "$d/guest2.log" || return 1
	rm -rf "$root"
}

# --- under load -----------------------------------------------------------------------
RELAY=
# start_relay DIR PORT TARGET: tools/tcprelay on PORT in front of TARGET
# (RELAY, killed by run_case).
start_relay() {
	local d=$1 i
	"$TOP/build/tools/tcprelay" "$2" "$3" >"$d/relay.log" 2>&1 &
	RELAY=$!
	for ((i = 0; i < 50; i++)); do
		grep -q ready "$d/relay.log" 2>/dev/null && return 0
		kill -0 "$RELAY" 2>/dev/null || break
		sleep 0.1
	done
	WHY="the relay did not start"
	show_log "$d/relay.log"
	return 1
}

# The guest's free physical pages as its last memstat line says.
free_pages() { sed -n 's/^memstat: free \([0-9]*\) pages.*/\1/p' "$1" | tail -n 1; }
case_redis_load() { # APP
	local app=$1 d=$B/redis-load port rport warm after
	mkdir -p "$d"
	port=$(free_port) && rport=$(free_port) || { WHY="no free port"; return 1; }
	start_guest "$d/guest.log" "$app" -p "$port:6379" -a memstat=1 -- /usr/bin/redis-server \
		--port 6379 --save "" --appendonly no --protected-mode no
	REDIS_PORT=$port
	wait_until 90 redis_up || { WHY="no PONG on port $port"; return 1; }
	start_relay "$d" "$rport" "$port" || return 1
	# A warm-up of the same load, then the free memory to come back to.
	timeout 120 redis-benchmark -p "$rport" -n 20000 -c 50 -t set,get -q >/dev/null 2>&1
	sleep 3
	warm=$(free_pages "$d/guest.log")
	if ! timeout 300 redis-benchmark -p "$rport" -n 150000 -c 50 -t set,get -q \
		>"$d/bench.raw" 2>&1; then
		WHY="redis-benchmark failed or took over 300 s"
		tr '\r' '\n' <"$d/bench.raw" | grep -v '^ *$' | tail -n 3 | detail
		return 1
	fi
	tr '\r' '\n' <"$d/bench.raw" | grep -v '^ *$' | grep -v 'rps=' >"$d/bench.out"
	detail <"$d/bench.out"
	if grep -qi error "$d/bench.out" ||
		[ "$(grep -c 'requests per second' "$d/bench.out")" != 2 ]; then
		WHY="redis-benchmark reported errors or no SET/GET results"
		return 1
	fi
	[ "$(rc PING 2>&1)" = PONG ] || { WHY="no PONG after the load"; return 1; }
	sleep 3
	after=$(free_pages "$d/guest.log")
	detail <<<"free pages after the warm-up $warm, after 300,000 requests $after"
	if [ -z "$warm" ] || [ -z "$after" ] || [ "$after" -lt $((warm - 64)) ]; then
		WHY="the guest's free memory did not come back (a leak?): $warm pages after the warm-up, $after after the load"
		return 1
	fi
}

case_nginx_load() { # APP
	local app=$1 d=$B/nginx-load port rport
	mkdir -p "$d"
	port=$(free_port) && rport=$(free_port) || { WHY="no free port"; return 1; }
	app_cmd "$app"
	start_guest "$d/guest.log" "$app" -p "$port:8080" -- "${CMD[@]}"
	wait_until 90 http_get "$port" /index.html "$d/first.html" 5 ||
		{ WHY="no HTTP answer on port $port"; return 1; }
	start_relay "$d" "$rport" "$port" || return 1
	if ! timeout 90 wrk -t 2 -c 50 -d 30s "http://127.0.0.1:$rport/index.html" \
		>"$d/wrk.out" 2>&1; then
		WHY="wrk failed"
		detail <"$d/wrk.out"
		return 1
	fi
	grep -E 'requests in|Requests/sec|errors|Non-2xx' "$d/wrk.out" | detail
	if grep -qE 'Socket errors|Non-2xx' "$d/wrk.out" || ! grep -q 'Requests/sec' "$d/wrk.out"; then
		WHY="wrk saw socket errors or non-2xx answers"
		return 1
	fi
	if ! http_get "$port" /index.html "$d/after.html" 10 ||
		! cmp -s "$d/first.html" "$d/after.html"; then
		WHY="nginx does not answer the same after the load"
		return 1
	fi
}

# case_epoll200: the same client against epollecho natively, then in
# the guest (the binary alone as its initrd).
case_epoll200() {
	local d=$B/epoll-200 port rport i
	mkdir -p "$d"
	if ! gcc -O2 -Wall -Wextra -Werror -o "$d/manyconn" "$HERE/manyconn.c" \
		>"$d/cc.log" 2>&1 ||
		! gcc -O2 -static-pie -Wall -Wextra -Werror -o "$d/epollecho" \
			"$HERE/epollecho.c" >>"$d/cc.log" 2>&1; then
		WHY="cannot compile the test programs"
		detail <"$d/cc.log"
		return 1
	fi
	port=$(free_port) && rport=$(free_port) || { WHY="no free port"; return 1; }
	"$d/epollecho" "$port" >"$d/native.log" 2>&1 &
	local npid=$!
	for ((i = 0; i < 50; i++)); do
		grep -q listening "$d/native.log" && break
		sleep 0.1
	done
	timeout 60 "$d/manyconn" "$port" 200 >"$d/native.out" 2>&1
	local nst=$?
	wait "$npid" 2>/dev/null || kill "$npid" 2>/dev/null
	if [ "$nst" != 0 ]; then
		WHY="the native run failed"
		detail <"$d/native.out"
		return 1
	fi
	setsid timeout -k 5 "$TIMEOUT" "$RUN" -k "$KERNEL" -n -p "$port:8080" "$d/epollecho" 8080 \
		</dev/null >"$d/guest.log" 2>&1 &
	GPID=$!
	wait_until 90 grep -q listening "$d/guest.log" || { WHY="the guest server did not start"; return 1; }
	start_relay "$d" "$rport" "$port" || return 1
	if ! timeout 90 "$d/manyconn" "$rport" 200 >"$d/guest.out" 2>&1; then
		WHY="not every connection was answered in the guest"
		detail <"$d/guest.out"
		return 1
	fi
	detail <"$d/guest.out"
	if ! diff -q "$d/native.out" "$d/guest.out" >/dev/null; then
		WHY="the guest's summary differs from the native one"
		return 1
	fi
}

# case_go1000: 1,000 requests one after the other, each on a connection
# of its own (sequential, so no relay), to the Go HTTP server.
GO1000='
import http.client, sys
port = int(sys.argv[1])
for i in range(1000):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request("GET", "/")
    r = c.getresponse()
    body = r.read()
    c.close()
    if r.status != 200 or body != b"hello from go net/http on the unikernel\n":
        print("request %d: status %d, body %r" % (i + 1, r.status, body[:60]))
        sys.exit(1)
print("1000 requests answered")
'
case_go1000() { # APP
	local app=$1 d=$B/server_go-1000 port
	mkdir -p "$d"
	port=$(free_port) || { WHY="no free port"; return 1; }
	app_cmd "$app"
	start_guest "$d/guest.log" "$app" -p "$port:8080" -- "${CMD[@]}"
	wait_until 90 http_get "$port" / "$d/root.out" 5 || { WHY="no HTTP answer on port $port"; return 1; }
	if ! timeout 300 "$PYTHON" -c "$GO1000" "$port" >"$d/go1000.out" 2>&1; then
		WHY="not all of 1,000 requests were answered"
		detail <"$d/go1000.out"
		return 1
	fi
}

# run_case NAME APP FUNCTION: builds, runs, stops, reports.
run_case() {
	local name=$1 app=$2 fn=$3 ok=0
	selected "$name" || return 0
	if [ "$app" != - ] && ! build_app "$app"; then
		fail "$name" "${BUILD_ERR[app.$app]}"
		tail -n 5 "$LOGS/app-$app.build" 2>/dev/null | detail 5
		return
	fi
	WHY=
	"$fn" "$app" || ok=1
	if [ -n "$HOSTSRV" ]; then
		kill "$HOSTSRV" 2>/dev/null
		wait "$HOSTSRV" 2>/dev/null
		HOSTSRV=
	fi
	if [ -n "$RELAY" ]; then
		kill "$RELAY" 2>/dev/null
		wait "$RELAY" 2>/dev/null
		RELAY=
	fi
	if ! stop_guest; then
		[ $ok = 0 ] && WHY="the guest's processes survived the kill"
		ok=1
	fi
	if [ $ok = 0 ]; then
		pass "$name"
	else
		fail "$name" "$WHY"
		show_log "$B/$name/guest.log"
	fi
}

cleanup() {
	[ -n "$HOSTSRV" ] && kill "$HOSTSRV" 2>/dev/null
	[ -n "$RELAY" ] && kill "$RELAY" 2>/dev/null
	[ -n "$GPID" ] && kill -KILL -- "-$GPID" 2>/dev/null
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

need_kernel

run_case server server case_server
run_case server_static server_static case_server
run_case server_go server_go case_server_go
run_case server_go_static server_go_static case_server_go
run_case client client case_client
run_case client_static client_static case_client
run_case client_go client_go case_client
run_case client_go_static client_go_static case_client
run_case redis redis case_redis
run_case redis_static redis_static case_redis
run_case redis7 redis7 case_redis7
run_case redis-bgsave redis case_redis_bgsave
run_case nginx nginx case_nginx
run_case nginx_static nginx_static case_nginx
run_case haproxy haproxy case_haproxy
run_case postgres postgres case_postgres
run_case redis-load redis case_redis_load
run_case nginx-load nginx case_nginx_load
run_case epoll-200 - case_epoll200
run_case server_go-1000 server_go case_go1000

suite_finish
