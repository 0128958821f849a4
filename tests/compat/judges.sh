# tests/compat/judges.sh: what make compat and the compat suite share
# (sourced after tests/lib.sh's suite_init): the modules, the judges' root,
# and one module's run natively and in the guest.
#
# A module's runs go to $B/out/JUDGE/MODULE/ (native.out, guest.out: stdout
# and stderr together, so that the kernel's complaints fall among the
# cases; .status, .secs), and tests/compat/judge.py reads them into
# result.json there.
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced: the suites use these

# CPython's modules, and Go's standard-library packages.
PY_MODULES=(test_os test_posix test_fcntl test_select test_selectors test_mmap
	test_time test_threading test_epoll test_stat test_glob test_shutil
	test_tempfile test_fileio test_file test_poll test_resource test_thread
	test_queue test_sched test_pipes test_pty test_signal test_subprocess
	test_socket test_uuid test_zipfile test_tarfile test_hashlib test_json)
GO_PKGS=(os os/exec os/signal os/user syscall sync time net io io/fs
	path/filepath runtime)

COMPAT_ROOT=$BUILD/compat/root
GOSRC=/usr/lib/go-1.19/src
# The guest's memory, and the timeouts: natively NATIVE_TIMEOUT seconds;
# in the guest GUEST_TIMEOUT when set, else 20 times the native run's time
# (TCG is slow) plus GUEST_TIMEOUT_BASE (3 minutes; make compat gives 10:
# a test that builds a program with Go's toolchain, as os's
# TestExecutableDeleted does, takes minutes under TCG), at most
# GUEST_TIMEOUT_MAX (20 minutes).
COMPAT_MEM=${COMPAT_MEM:-1G}
# The guest's CPUs (COMPAT_CPUS=2 for two: Go's runtime skips its
# parallelism tests on one; os/exec's children made the kernel fault at
# -c 2 until the IST stack fix of docs/smp.md, and a whole run at -c 2
# has not been made since).
COMPAT_CPUS=${COMPAT_CPUS:-1}
NATIVE_TIMEOUT=${NATIVE_TIMEOUT:-900}
GUEST_TIMEOUT_MAX=${GUEST_TIMEOUT_MAX:-1200}
GUEST_TIMEOUT_BASE=${GUEST_TIMEOUT_BASE:-180}
JUDGE=$TOP/tests/compat/judge.py
# Both runs' environment (run.sh -E: the guest gets exactly this one).
COMPAT_ENV=(PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin
	HOME=/root TERM=dumb LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1)

# build_judges_root GO-PACKAGE...: the root (log $LOGS/root.build); on
# failure BUILD_ERR[root].
build_judges_root() {
	note "the judges' root: ${COMPAT_ROOT#"$TOP"/} (log ${LOGS#"$TOP"/}/root.build)"
	"$TOP/tests/compat/build-root.sh" "$COMPAT_ROOT" "$@" >"$LOGS/root.build" 2>&1 ||
		BUILD_ERR[root]="tests/compat/build-root.sh failed: $(grep -v '^extract' "$LOGS/root.build" | tail -n 2 | tr '\n' ' ')"
}

# module_cmd JUDGE MODULE: the command line in the root, in CMD.
CMD=()
module_cmd() {
	case $1 in
	python)
		CMD=(/usr/bin/python3 -m test -v "$2")
		# Its VSOCK cases hang natively on hosts without vsock.
		[ "$2" = test_socket ] && CMD+=(-i '*VSOCK*')
		;;
	go)
		# As go test runs it: in the package's folder, the binary's path
		# absolute; Go's own timeout first, so that it names the test.
		CMD=(/bin/sh -c "cd $GOSRC/$2 && exec /gotest/${2//\//_}.test -test.v -test.short -test.timeout=$3s")
		;;
	esac
}

# run_module JUDGE MODULE: natively, then in the guest; judge.py's line.
# Returns 1 when the module could not run natively at all.
MODULE_DIR=
run_module() {
	local judge=$1 mod=$2 d=$B/out/$1/${2//\//_} t0 st gt
	MODULE_DIR=$d
	rm -rf "$d"
	mkdir -p "$d"
	module_cmd "$judge" "$mod" $((NATIVE_TIMEOUT - 30))
	clean_tmp
	t0=$SECONDS
	(
		cd / || exit 99
		env -i "${COMPAT_ENV[@]}" timeout -k 5 "$NATIVE_TIMEOUT" \
			"${CHROOT[@]}" "$COMPAT_ROOT" "${CMD[@]}" </dev/null >"$d/native.out" 2>&1
	)
	st=$?
	echo "$st" >"$d/native.status"
	echo $((SECONDS - t0)) >"$d/native.secs"
	gt=${GUEST_TIMEOUT:-$((20 * (SECONDS - t0) + GUEST_TIMEOUT_BASE))}
	[ "$gt" -le "$GUEST_TIMEOUT_MAX" ] || gt=$GUEST_TIMEOUT_MAX
	[ "$NATIVE_ONLY" = 1 ] && return 0
	module_cmd "$judge" "$mod" $((gt - 60))
	clean_tmp
	t0=$SECONDS
	(
		cd "$TOP" || exit 99
		timeout -k 5 "$gt" "$RUN" -k "$KERNEL" -E "${COMPAT_ENV[@]/#/-e}" -m "$COMPAT_MEM" \
			-c "$COMPAT_CPUS" -r "$COMPAT_ROOT" "${CMD[@]}" </dev/null >"$d/guest.out" 2>&1
	)
	st=$?
	echo "$st" >"$d/guest.status"
	echo $((SECONDS - t0)) >"$d/guest.secs"
	python3 "$JUDGE" result "$judge" "$mod" "$d" >"$d/judge.txt" 2>&1
}

# clean_tmp: the root's /tmp emptied, so that each run starts from the
# same root whatever the one before left there (a run cut off by its
# timeout leaves its files).
clean_tmp() {
	find "$COMPAT_ROOT/tmp" -mindepth 1 -delete 2>/dev/null || true
}

# chroot_cmd: CHROOT, the native runs' prefix: a private mount namespace
# (so that nothing of it shows in the root the guest shares) with the
# host's /dev and /proc bound into the root, as the guest has its own, then
# chroot. As root, or in a user namespace.
chroot_cmd() {
	local -a us=(unshare -m)
	if [ "$(id -u)" != 0 ]; then
		if unshare -r true 2>/dev/null; then
			us=(unshare -r -m)
		else
			note "not root and no user namespaces: the native runs will fail"
		fi
	fi
	# shellcheck disable=SC2016 # expanded by that shell
	CHROOT=("${us[@]}" sh -c 'r=$1; shift; mount --rbind /dev "$r/dev" &&
		mount --rbind /proc "$r/proc" && exec chroot "$r" "$@"' chroot)
}
