#!/usr/bin/env bash
# The OCI runtime, tools/runuk, under the container engines that call it:
#   runuk.*    the runtime alone on a bundle of ours: --version, features,
#              spec, the state in each phase (created, running, stopped),
#              kill reaching the program, delete leaving nothing
#   podman.*   podman --runtime runuk with images built here (podman build
#              FROM scratch: the test program; nginx from the catalogue's
#              rootfs): output and status (0, 42, 139 for a crash), a
#              terminal (-t), the environment, working directory, host
#              name, rlimits and a volume (-v), signals to the program, SIGKILL after
#              podman stop's timeout, nginx behind -p 18080:80 (page,
#              logs, stop within the timeout, ps -a)
#   ctr.*      containerd, started here on a private socket and root, runs
#              the same images through ctr run --runc-binary runuk
# Every container must leave no QEMU and no state behind once it ended.
# usage: tests/oci/run-oci-tests.sh [PATTERN...]   env: OCI_TIMEOUT=120
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init oci --timeout OCI_TIMEOUT=120 -- "$@"
need_pkgs podman containerd runc iproute2 libjson-c-dev curl
need_kernel

RUNUK=$BUILD/tools/runuk
[ -x "$RUNUK" ] || make -s -C "$TOP" BUILD="$BUILD" tools >"$LOGS/tools.build" 2>&1
# This host's hard limits are below podman's defaults.
ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
PODMAN=(podman --runtime "$RUNUK")
HELLO_IMG=localhost/uktest-hello
NGINX_IMG=localhost/uktest-nginx
CTD=$B/containerd
CTR=(ctr -a "$CTD/containerd.sock" -n uktest)
CTR_STATE=/run/containerd/runc/uktest	# the shim's --root for runuk
RUNUK_ROOT=/run/runuk			# podman passes no --root: our default

build ukprog "$B/ukprog" gcc -O2 -Wall -Wextra -Werror -static-pie "$HERE/ukprog.c"
build sigwait "$B/sigwait" gcc -O2 -Wall -Wextra -Werror -static-pie "$TOP/tests/guest/sigwait.c"
[ -z "${BUILD_ERR[sigwait]:-}" ] || BUILD_ERR[ukprog]=${BUILD_ERR[sigwait]}

# --- helpers ------------------------------------------------------------------
# section PREFIX: whether a case named PREFIX... may be selected (its setup
# is worth doing).
section() {
	local p
	[ ${#PATTERNS[@]} -eq 0 ] && return 0
	for p in "${PATTERNS[@]}"; do
		[[ "$p" == "$1"* || "$p" == [*?]* ]] && return 0
	done
	return 1
}

# t COMMAND...: under the suite's timeout.
t() { timeout -k 5 "$TIMEOUT" "$@"; }

# qemu_of CASE: QEMU processes of containers started with UKTEST_CASE=CASE
# in their environment (which run.sh puts on QEMU's command line).
qemu_of() { pgrep -f "qemu-system.*env=UKTEST_CASE=$1( |$)"; }

# leftovers CASE DIR: what a container of CASE left behind: a QEMU (given
# 5 s to die), or its state directory DIR. Empty when nothing.
leftovers() {
	local i
	for ((i = 0; i < 50; i++)); do
		qemu_of "$1" >/dev/null || break
		sleep 0.1
	done
	qemu_of "$1" >/dev/null && echo "a QEMU is left: $(qemu_of "$1" | tr '\n' ' ')"
	[ -z "$2" ] || [ ! -e "$2" ] || echo "state left: $2"
}

# take_opts WORDS... [-- ARGS...]: OPTS gets the words before "--", ARGS
# those after it.
take_opts() {
	OPTS=() ARGS=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do OPTS+=("$1"); shift; done
	[ $# -eq 0 ] || shift
	ARGS=("$@")
}

# verdict NAME WHY DETAILS: pass when WHY is empty.
verdict() {
	if [ -z "$2" ]; then pass "$1"; else fail "$1" "$2" "${3:-}"; fi
}

# wait_for TEXT FILE...: until one of the FILEs has TEXT (the timeout).
wait_for() {
	local i text=$1
	shift
	for ((i = 0; i < TIMEOUT * 10; i++)); do
		grep -qs "$text" "$@" && return 0
		sleep 0.1
	done
	return 1
}

# fetch URL OUT: curl until it answers (60 s).
fetch() {
	local i
	for ((i = 0; i < 60; i++)); do
		curl -sf -m 5 -o "$2" "$1" && return 0
		sleep 1
	done
	return 1
}

# --- the images -----------------------------------------------------------------
# image NAME TAG CONTEXT: podman build of CONTEXT (a Containerfile FROM
# scratch); BUILD_ERR[NAME] on failure.
image() {
	t podman build -q -t "$2" "$3" >"$LOGS/$1.build" 2>&1 ||
		BUILD_ERR[$1]="podman build: $(tail -n 2 "$LOGS/$1.build" | tr '\n' ' ')"
}
if [ -z "${BUILD_ERR[ukprog]:-}" ]; then
	rm -rf "$B/hello" && mkdir -p "$B/hello/rootfs/work"
	cp "$B/ukprog" "$B/sigwait" "$B/hello/rootfs/"
	printf 'FROM scratch\nCOPY rootfs/ /\nENTRYPOINT ["/ukprog"]\n' >"$B/hello/Containerfile"
	image hello "$HELLO_IMG" "$B/hello"
else
	BUILD_ERR[hello]=${BUILD_ERR[ukprog]}
fi
# nginx: the catalogue's rootfs, on port 80 with its access log on stdout.
if build_app nginx; then
	rm -rf "$B/nginx" && mkdir -p "$B/nginx"
	cp -a "$APPS_OUT/nginx/rootfs" "$B/nginx/rootfs"
	sed -i 's/listen 8080/listen 80/; s#access_log off;#access_log /dev/stdout;#' \
		"$B/nginx/rootfs/etc/nginx/nginx.conf"
	printf '%s\n' 'FROM scratch' 'COPY rootfs/ /' 'STOPSIGNAL SIGTERM' \
		'CMD ["/usr/sbin/nginx", "-e", "stderr", "-c", "/etc/nginx/nginx.conf"]' \
		>"$B/nginx/Containerfile"
	image nginx "$NGINX_IMG" "$B/nginx"
else
	BUILD_ERR[nginx]=${BUILD_ERR[app.nginx]}
fi

# --- runuk alone ----------------------------------------------------------------
if section runuk.; then
	ROOT=$B/runuk-state
	R=("$RUNUK" --root "$ROOT" --log "$LOGS/runuk.log" --log-format json)
	if selected runuk.version; then
		out=$("$RUNUK" --version 2>&1)
		[[ "$out" == "runuk version "*"spec: 1.0."* ]] && pass runuk.version ||
			fail runuk.version "unexpected output" "$out"
	fi
	if selected runuk.features; then
		"$RUNUK" features >"$LOGS/features.json" 2>&1
		why=$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]));
assert f["ociVersionMax"].startswith("1.0"), "ociVersionMax"
assert "network" in f["linux"]["namespaces"], "namespaces"' "$LOGS/features.json" 2>&1 | tail -n 1)
		verdict runuk.features "$why" "$(cat "$LOGS/features.json")"
	fi
	if selected runuk.spec; then
		rm -rf "$B/spec" && mkdir -p "$B/spec"
		why=$(cd "$B/spec" && "$RUNUK" spec 2>&1 && python3 -c 'import json; c=json.load(open("config.json"));
assert c["process"]["args"] == ["sh"] and c["root"]["path"] == "rootfs"' 2>&1 | tail -n 1)
		verdict runuk.spec "$why"
	fi
	# Flags that callers pass and a guest cannot honour are accepted.
	if selected runuk.global-flags; then
		out=$("$RUNUK" --root "$ROOT" --systemd-cgroup --criu /bin/false --rootless false \
			--log "$LOGS/flags.log" --log-format text list 2>&1)
		verdict runuk.global-flags "$([ $? = 0 ] || echo "status $?")" "$out"
	fi
	if selected runuk.lifecycle; then
		why=''
		d=$B/bundle
		rm -rf "$d" && mkdir -p "$d/rootfs" && cp "$B/sigwait" "$d/rootfs/"
		(cd "$d" && "$RUNUK" spec)
		python3 - "$d/config.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["/sigwait", "15"]
c["process"]["env"] += ["UKTEST_CASE=runuk.lifecycle"]
c["linux"]["namespaces"] = [{"type": "network"}]
json.dump(c, open(sys.argv[1], "w"))
EOF
		state() { "${R[@]}" state lc 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' 2>/dev/null; }
		"${R[@]}" delete --force lc 2>/dev/null
		lifecycle() {
			t "${R[@]}" create --bundle "$d" --pid-file "$B/lc.pid" lc \
				</dev/null >"$LOGS/lc.out" 2>"$LOGS/lc.err" || { echo "create failed"; return; }
			s=$(state)
			[ "$s" = created ] || echo "state after create: $s"
			[ "$(cat "$B/lc.pid" 2>/dev/null)" -gt 1 ] 2>/dev/null || echo "no pid file"
			t "${R[@]}" start lc || { echo "start failed"; return; }
			s=$(state)
			[ "$s" = running ] || echo "state after start: $s"
			wait_for ready "$LOGS/lc.out" || { echo "the program never said ready"; return; }
			"${R[@]}" kill lc TERM || echo "kill failed"
			for ((i = 0; i < 100; i++)); do [ "$(state)" = stopped ] && break; sleep 0.1; done
			s=$(state)
			[ "$s" = stopped ] || echo "state after kill: $s"
			grep -q 'got 15' "$LOGS/lc.out" || echo "the program did not get SIGTERM"
		}
		why=$(lifecycle | paste -sd ';' -)
		"${R[@]}" delete --force lc || why="${why:+$why; }delete failed"
		why="${why:+$why; }$(leftovers runuk.lifecycle "$ROOT/lc")"
		verdict runuk.lifecycle "${why%; }" "$(cat "$LOGS/lc.out" "$LOGS/lc.err")"
	fi
	if selected runuk.bad-bundle; then
		out=$("${R[@]}" create --bundle "$B/no-such-bundle" bad 2>&1)
		st=$?
		[ $st = 1 ] && [[ "$out" == *no-such-bundle* ]] && [ ! -e "$ROOT/bad" ] &&
			pass runuk.bad-bundle || fail runuk.bad-bundle "status $st" "$out"
	fi
fi

# --- podman -------------------------------------------------------------------
# pm_case NAME STATUS EXPECTED-STDOUT [podman run options] -- ARGS: podman
# run (kept, then removed) of the hello image: its stdout, its status,
# podman ps -a's "Exited (STATUS)", nothing left.
pm_case() {
	local name=$1 want=$2 expect=$3 why='' st id
	shift 3
	take_opts "$@"
	set -- ${ARGS[@]+"${ARGS[@]}"}
	selected "$name" || return 0
	[ -z "${BUILD_ERR[hello]:-}" ] || { fail "$name" "${BUILD_ERR[hello]}"; return; }
	t "${PODMAN[@]}" run "${ULIMITS[@]}" --label uktest=1 -e "UKTEST_CASE=$name" \
		--name "uktest-$name" ${OPTS[@]+"${OPTS[@]}"} "$HELLO_IMG" "$@" \
		</dev/null >"$LOGS/$name.out" 2>"$LOGS/$name.err"
	st=$?
	[ "$st" = "$want" ] || why="status $(status_text "$st"), expected $want"
	[ "$(tr -d '\r' <"$LOGS/$name.out")" = "$expect" ] ||
		why="${why:+$why; }stdout: $(head -c 200 "$LOGS/$name.out" | tr '\n' ' ')"
	id=$(podman inspect --format '{{.Id}}' "uktest-$name" 2>/dev/null)
	local ps
	ps=$(podman ps -a --filter "name=uktest-$name" --format '{{.Status}}')
	[[ "$ps" == "Exited ($want)"* ]] || why="${why:+$why; }podman ps -a: $ps"
	t podman rm -f "uktest-$name" >/dev/null 2>&1
	why="${why:+$why; }$(leftovers "$name" "${id:+$RUNUK_ROOT/$id}")"
	verdict "$name" "${why%; }" "$(cat "$LOGS/$name.err")"
}

if section podman.; then
	t podman rm -f --filter label=uktest=1 >/dev/null 2>&1
	pm_case podman.hello 0 "hello from the guest" --
	pm_case podman.status 42 "hello from the guest" -- 42
	pm_case podman.crash 139 "" -- crash
	pm_case podman.tty 0 "tty yes" -t -- tty
	pm_case podman.env 0 "bar" -e FOO=bar -- env FOO
	pm_case podman.cwd 0 "/work" -w /work -- cwd
	pm_case podman.hostname 0 "uktest-host" --hostname uktest-host -- host
	# --ulimit nofile=1024:1024 (the kernel's own default is 1024:4096)
	pm_case podman.rlimit 0 "1024:1024" -- nofile
	# A bind mount of a directory: another 9p share; its mountpoint is made.
	mkdir -p "$B/volume" && : >"$B/volume/from-the-host"
	pm_case podman.volume 0 "from-the-host" -v "$B/volume:/srv/data" -- ls /srv/data
fi

# pm_signal NAME SIGNAL STATUS OUT [podman run options] -- ARGS: a
# detached container of the hello image that waits (/sigwait ARGS);
# podman kill -s SIGNAL once it said "ready"; it must end with STATUS and
# print OUT after "ready".
pm_signal() {
	local name=$1 sig=$2 want=$3 out=$4 why='' id st
	shift 4
	take_opts "$@"
	set -- ${ARGS[@]+"${ARGS[@]}"}
	selected "$name" || return 0
	[ -z "${BUILD_ERR[hello]:-}" ] || { fail "$name" "${BUILD_ERR[hello]}"; return; }
	id=$(t "${PODMAN[@]}" run -d "${ULIMITS[@]}" --label uktest=1 -e "UKTEST_CASE=$name" \
		${OPTS[@]+"${OPTS[@]}"} "$HELLO_IMG" "$@" 2>"$LOGS/$name.err")
	for ((i = 0; i < TIMEOUT * 10; i++)); do
		podman logs "$id" 2>/dev/null | grep -q ready && break
		sleep 0.1
	done
	t podman kill -s "$sig" "$id" >/dev/null 2>>"$LOGS/$name.err"
	st=$(t podman wait "$id" 2>>"$LOGS/$name.err")
	[ "$st" = "$want" ] || why="status $st, expected $want"
	podman logs "$id" >"$LOGS/$name.out" 2>&1
	grep -q "^ready" "$LOGS/$name.out" || why="${why:+$why; }no ready"
	[ -z "$out" ] || grep -q "^$out" "$LOGS/$name.out" || why="${why:+$why; }no \"$out\""
	t podman rm -f "$id" >/dev/null 2>&1
	why="${why:+$why; }$(leftovers "$name" "$RUNUK_ROOT/$id")"
	verdict "$name" "${why%; }" "$(cat "$LOGS/$name.out" "$LOGS/$name.err")"
}
if section podman.; then
	pm_signal podman.signal USR1 7 "got 10" --entrypoint /sigwait -- 10
	pm_signal podman.kill KILL 137 "" --entrypoint /sigwait --
fi

# podman stop of a program that ignores SIGTERM: SIGKILL after the timeout.
if selected podman.stop-timeout; then
	name=podman.stop-timeout why=''
	id=$(t "${PODMAN[@]}" run -d "${ULIMITS[@]}" --label uktest=1 -e "UKTEST_CASE=$name" \
		--entrypoint /sigwait "$HELLO_IMG" ignore 15 2>"$LOGS/$name.err")
	for ((i = 0; i < TIMEOUT * 10; i++)); do
		podman logs "$id" 2>/dev/null | grep -q ready && break
		sleep 0.1
	done
	t0=$(date +%s.%N)
	t podman stop -t 3 "$id" >/dev/null 2>>"$LOGS/$name.err"
	el=$(echo "$(date +%s.%N) - $t0" | bc)
	ps=$(podman ps -a --filter "id=$id" --format '{{.Status}}')
	[[ "$ps" == "Exited (137)"* ]] || why="podman ps -a: $ps"
	(($(echo "$el >= 2.5 && $el < 8" | bc))) || why="${why:+$why; }stopped after ${el}s (timeout 3 s)"
	t podman rm -f "$id" >/dev/null 2>&1
	why="${why:+$why; }$(leftovers "$name" "$RUNUK_ROOT/$id")"
	verdict "$name" "${why%; }" "$(cat "$LOGS/$name.err")"
fi

# nginx behind the engine's bridge network: the guest takes the
# container's interface over; -p 18080:80 reaches it from the host.
if selected podman.nginx; then
	name=podman.nginx why=''
	if [ -n "${BUILD_ERR[nginx]:-}" ]; then
		fail $name "${BUILD_ERR[nginx]}"
	else
		id=$(t "${PODMAN[@]}" run -d "${ULIMITS[@]}" --label uktest=1 -e "UKTEST_CASE=$name" \
			-p 18080:80 "$NGINX_IMG" 2>"$LOGS/$name.err")
		if ! fetch http://127.0.0.1:18080/ "$LOGS/$name.page"; then
			why="no page on 127.0.0.1:18080"
		elif ! cmp -s "$LOGS/$name.page" "$B/nginx/rootfs/www/index.html"; then
			why="the page differs from www/index.html"
		fi
		ps=$(podman ps --filter "id=$id" --format '{{.Status}}')
		[[ "$ps" == Up* ]] || why="${why:+$why; }podman ps while serving: $ps"
		podman logs "$id" >"$LOGS/$name.logs" 2>&1
		grep -q 'nginx/' "$LOGS/$name.logs" || why="${why:+$why; }podman logs lacks nginx's start lines"
		grep -q '"GET / HTTP/1.1" 200' "$LOGS/$name.logs" || why="${why:+$why; }podman logs lacks the request"
		t0=$(date +%s.%N)
		t podman stop -t 10 "$id" >/dev/null 2>>"$LOGS/$name.err"
		el=$(echo "$(date +%s.%N) - $t0" | bc)
		(($(echo "$el < 10" | bc))) || why="${why:+$why; }podman stop took ${el}s (timeout 10 s)"
		ps=$(podman ps -a --filter "id=$id" --format '{{.Status}}')
		[[ "$ps" == "Exited (0)"* ]] || why="${why:+$why; }podman ps -a after stop: $ps"
		podman logs "$id" 2>&1 | grep -q 'signal 15 (SIGTERM) received' ||
			why="${why:+$why; }nginx did not log SIGTERM"
		t podman rm -f "$id" >/dev/null 2>&1
		why="${why:+$why; }$(leftovers "$name" "$RUNUK_ROOT/$id")"
		verdict $name "${why%; }" "$(cat "$LOGS/$name.err" "$LOGS/$name.logs" 2>/dev/null)"
	fi
fi

# --- containerd -----------------------------------------------------------------
CTD_PID=
stop_containerd() {
	[ -n "$CTD_PID" ] || return 0
	kill "$CTD_PID" 2>/dev/null
	wait "$CTD_PID" 2>/dev/null
	CTD_PID=
}
trap stop_containerd EXIT
# start_containerd: on $CTD/containerd.sock, root and state under $CTD,
# without its CRI plugin; the images imported from podman's archives.
start_containerd() {
	mkdir -p "$CTD"
	cat >"$CTD/config.toml" <<EOF
version = 2
root = "$CTD/root"
state = "$CTD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTD/containerd.sock"
[ttrpc]
  address = "$CTD/containerd.sock.ttrpc"
EOF
	containerd --config "$CTD/config.toml" >"$LOGS/containerd.log" 2>&1 &
	CTD_PID=$!
	for ((i = 0; i < 100; i++)); do
		"${CTR[@]}" version >/dev/null 2>&1 && break
		sleep 0.1
	done
	"${CTR[@]}" version >/dev/null 2>&1 || { BUILD_ERR[containerd]="containerd did not start"; return 1; }
	local img key
	for key in hello nginx; do
		[ -z "${BUILD_ERR[$key]:-}" ] || continue
		img=$HELLO_IMG
		[ $key = hello ] || img=$NGINX_IMG
		{ t podman save --format oci-archive -o "$B/$key.oci.tar" "$img" &&
			t "${CTR[@]}" images import "$B/$key.oci.tar"; } >>"$LOGS/ctr-$key.import" 2>&1 ||
			BUILD_ERR[ctr.$key]="ctr images import: $(tail -n 1 "$LOGS/ctr-$key.import")"
	done
}

# ctr_case NAME STATUS EXPECTED-STDOUT -- ARGS: ctr run --rm of the hello
# image with ARGS as the command.
ctr_case() {
	local name=$1 want=$2 expect=$3 why='' st
	shift 4
	selected "$name" || return 0
	local err=${BUILD_ERR[containerd]:-${BUILD_ERR[hello]:-${BUILD_ERR[ctr.hello]:-}}}
	[ -z "$err" ] || { fail "$name" "$err"; return; }
	t "${CTR[@]}" run --rm --runc-binary "$RUNUK" --env "UKTEST_CASE=$name" \
		"$HELLO_IMG:latest" "uktest-$name" "$@" </dev/null >"$LOGS/$name.out" 2>"$LOGS/$name.err"
	st=$?
	[ "$st" = "$want" ] || why="status $(status_text "$st"), expected $want"
	[ "$(tr -d '\r' <"$LOGS/$name.out")" = "$expect" ] ||
		why="${why:+$why; }stdout: $(head -c 200 "$LOGS/$name.out" | tr '\n' ' ')"
	why="${why:+$why; }$(leftovers "$name" "$CTR_STATE/uktest-$name")"
	verdict "$name" "${why%; }" "$(cat "$LOGS/$name.err")"
}

# ctr_signal NAME SIGNAL STATUS OUT [ctr run options] -- ARGS: ctr run
# in the background; ctr task kill -s SIGNAL once OUT's first line
# (READY) showed; it must end with STATUS and print OUT.
ctr_signal() {
	local name=$1 sig=$2 want=$3 ready=$4 out=$5 why='' st pid
	shift 5
	take_opts "$@"
	set -- ${ARGS[@]+"${ARGS[@]}"}
	selected "$name" || return 0
	local img=$HELLO_IMG key=hello
	[ ${#OPTS[@]} -eq 0 ] || { img=$NGINX_IMG; key=nginx; }
	local err=${BUILD_ERR[containerd]:-${BUILD_ERR[$key]:-${BUILD_ERR[ctr.$key]:-}}}
	[ -z "$err" ] || { fail "$name" "$err"; return; }
	t "${CTR[@]}" run --rm --runc-binary "$RUNUK" --env "UKTEST_CASE=$name" ${OPTS[@]+"${OPTS[@]}"} \
		"$img:latest" "uktest-$name" "$@" </dev/null >"$LOGS/$name.out" 2>"$LOGS/$name.err" &
	pid=$!
	wait_for "$ready" "$LOGS/$name.out" "$LOGS/$name.err" || why="never said $ready"
	[ -z "${FETCH:-}" ] || fetch "$FETCH" "$LOGS/$name.page" || why="${why:+$why; }no page at $FETCH"
	t "${CTR[@]}" task kill -s "$sig" "uktest-$name" 2>>"$LOGS/$name.err"
	wait "$pid"
	st=$?
	[ "$st" = "$want" ] || why="${why:+$why; }status $(status_text "$st"), expected $want"
	[ -z "$out" ] || grep -q "$out" "$LOGS/$name.out" "$LOGS/$name.err" || why="${why:+$why; }no \"$out\""
	why="${why:+$why; }$(leftovers "$name" "$CTR_STATE/uktest-$name")"
	verdict "$name" "${why%; }" "$(cat "$LOGS/$name.out" "$LOGS/$name.err")"
}

if section ctr.; then
	start_containerd
	for c in hello status crash signal kill nginx; do
		t "${CTR[@]}" task kill -s KILL "uktest-ctr.$c" >/dev/null 2>&1
		t "${CTR[@]}" containers rm "uktest-ctr.$c" >/dev/null 2>&1
	done
	ctr_case ctr.hello 0 "hello from the guest" -- /ukprog
	ctr_case ctr.status 42 "hello from the guest" -- /ukprog 42
	ctr_case ctr.crash 139 "" -- /ukprog crash
	ctr_signal ctr.signal SIGTERM 7 ready "got 15" -- /sigwait 15
	ctr_signal ctr.kill SIGKILL 137 ready "" -- /sigwait
	# The host's network: QEMU's user-mode NAT publishes the annotation's port.
	FETCH=http://127.0.0.1:18081/ ctr_signal ctr.nginx SIGTERM 0 'nginx/' \
		'signal 15 (SIGTERM) received' --net-host --annotation io.runuk.ports=18081:80 --
	stop_containerd
fi
suite_finish
