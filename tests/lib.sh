# tests/lib.sh: the harness every test suite under tests/ sources (bash).
#
# A new suite, tests/foo/run-foo-tests.sh:
#
#   #!/usr/bin/env bash
#   # What it tests.   usage: tests/foo/run-foo-tests.sh [PATTERN...]
#   set -u
#   # shellcheck source=tests/lib.sh
#   . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#   suite_init foo --timeout FOO_TIMEOUT=120 -- "$@"
#   build prog "$B/prog" gcc -O2 "$HERE/prog.c"
#   tcase prog-args -- "$B/prog" a b      # natively, then in the guest
#   if selected other; then ...; pass other   # or: fail other "why" [details]
#   fi
#   suite_finish
#
# suite_init sets TOP, HERE (the suite's folder), BUILD (absolute), B
# ($BUILD/foo: programs), LOGS, RUN, KERNEL, TIMEOUT, NATIVE_ONLY, PATTERNS
# and LC_ALL=C. Each case prints one "PASS name", "FAIL name (why)" or
# "SKIP name (why)" line (a skip counts for nothing), details indented
# "    | "; "NOTE ..." lines count for nothing. suite_finish prints exactly
# one "N passed, N failed", writes "P F" to $BUILD/test-results/foo.txt
# (on full runs: no PATTERN, not NATIVE_ONLY), which make test adds up,
# and exits non-zero on failures. The functions below say what they
# take; tcase is the native-versus-guest comparison most suites are made of.

# --- the suite ------------------------------------------------------------
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# suite_init NAME [--dir DIR] [--timeout VAR=SECONDS] [--keep-locale] [-- PATTERN...]
#   DIR: B, relative to $BUILD (default NAME) or absolute; TIMEOUT is $VAR
#   (default SECONDS; without --timeout, 120). LC_ALL=C unless
#   --keep-locale. PATTERNs: shell globs on case names that `selected`
#   accepts (none: every case).
suite_init() {
	SUITE=$1
	shift
	local dir=$SUITE tvar='' tdef=120 locale=C
	while [ $# -gt 0 ]; do
		case $1 in
		--dir) dir=$2; shift 2 ;;
		--timeout) tvar=${2%%=*}; tdef=${2#*=}; shift 2 ;;
		--keep-locale) locale=''; shift ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	PATTERNS=("$@")
	# shellcheck disable=SC2034 # for the suite
	HERE=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
	case "${BUILD:-}" in
	/*) ;;
	"") BUILD=$TOP/build ;;
	*) BUILD=$TOP/$BUILD ;;
	esac
	export BUILD
	case $dir in
	/*) B=$dir ;;
	*) B=$BUILD/$dir ;;
	esac
	LOGS=$B/logs
	# A suite run again on several CPUs (UK_CPUS, which run.sh takes as
	# its -c) keeps its own logs and counts.
	if [ "${UK_CPUS:-1}" != 1 ]; then
		LOGS=$B/logs.c$UK_CPUS
		SUITE=$SUITE.c$UK_CPUS
		say "(the guests of this suite have $UK_CPUS CPUs)"
	fi
	RUN=$TOP/run.sh
	KERNEL=${KERNEL:-$BUILD/elfloader_kvm-x86_64}
	TIMEOUT=$tdef
	[ -z "$tvar" ] || TIMEOUT=${!tvar:-$tdef}
	NATIVE_ONLY=${NATIVE_ONLY:-0}
	RESULTS=$BUILD/test-results/$SUITE.txt
	APPS_OUT=$TOP/build/apps
	[ -z "$locale" ] || export LC_ALL=$locale
	passed=0
	failed=0
	mkdir -p "$B" "$LOGS" "$BUILD/test-results"
}

# suite_finish: the closing line, the results file (RESULTS; empty: none),
# and the exit: 0 when nothing failed.
suite_finish() {
	if [ -n "$RESULTS" ] && [ "$NATIVE_ONLY" != 1 ] && [ ${#PATTERNS[@]} -eq 0 ]; then
		echo "$passed $failed" >"$RESULTS"
	fi
	say "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}

say() { printf '%s\n' "$*"; }
note() { say "NOTE $*"; }
# detail [N]: stdin indented as details, at most N lines (default 12).
detail() { sed -e 's/^/    | /' | head -n "${1:-12}"; }
pass() { passed=$((passed + 1)); say "PASS $1${2:+ ($2)}"; }  # NAME [REMARK]
# fail NAME WHY [TEXT]: TEXT (at most 40 lines of it) as details.
fail() {
	failed=$((failed + 1))
	say "FAIL $1 ($2)"
	[ -z "${3:-}" ] || printf '%s\n' "$3" | detail 40
}
skip() { say "SKIP $1 ($2)"; }

# selected NAME: whether NAME matches a PATTERN (or there are none).
selected() {
	local p
	[ ${#PATTERNS[@]} -eq 0 ] && return 0
	for p in "${PATTERNS[@]}"; do
		# shellcheck disable=SC2254
		case "$1" in $p) return 0 ;; esac
	done
	return 1
}

# need_pkgs PKG...: installs the Debian packages missing (apt-get, through
# sudo when not root); a failure is a NOTE, the cases then tell.
need_pkgs() {
	local p SUDO=
	local -a absent=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			absent+=("$p")
	done
	[ ${#absent[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || SUDO=sudo
	note "installing ${absent[*]}"
	{
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
			--no-install-recommends "${absent[@]}" ||
			{
				$SUDO apt-get update -qq &&
					DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
						--no-install-recommends "${absent[@]}"
			}
	} >"$LOGS/apt.log" 2>&1 || {
		note "apt-get install failed (see ${LOGS#"$TOP"/}/apt.log)"
		tail -n 3 "$LOGS/apt.log" | detail 3
	}
}

# need_kernel: on a fresh clone, the machine's setup and the kernel, as
# run_app.sh does (run.sh would build the kernel itself, but inside a
# case's timeout); only for the default KERNEL and not NATIVE_ONLY.
need_kernel() {
	[ "$NATIVE_ONLY" != 1 ] && [ ! -f "$KERNEL" ] &&
		[ "$KERNEL" = "$TOP/build/elfloader_kvm-x86_64" ] || return 0
	note "no kernel yet: make setup, make (log: ${LOGS#"$TOP"/}/kernel.build)"
	{
		[ -f "$TOP/build/.setup-done" ] || make -s -C "$TOP" setup
		make -s -C "$TOP"
	} >"$LOGS/kernel.build" 2>&1 || tail -n 5 "$LOGS/kernel.build" | detail 5
}

# --- building ---------------------------------------------------------------
# Failures go to BUILD_ERR[KEY] (the log's first error lines); a case
# whose KEY has one fails with it.
declare -A BUILD_ERR=()

# install_if_changed TMP DEST: keeps DEST (and its time, so that run.sh's
# cached initrd stays valid) when the new build is the same.
install_if_changed() {
	if [ -f "$2" ] && cmp -s "$1" "$2"; then
		rm -f "$1"
	else
		mv -f "$1" "$2"
	fi
}

# build NAME DEST COMMAND...: COMMAND -o DEST.new, log $LOGS/NAME.build.
build() {
	local name=$1 dest=$2
	shift 2
	if "$@" -o "$dest.new" >"$LOGS/$name.build" 2>&1; then
		install_if_changed "$dest.new" "$dest"
		return 0
	fi
	rm -f "$dest.new"
	BUILD_ERR[$name]=$(grep -m 3 -iE 'error|not found|cannot' "$LOGS/$name.build" | tr '\n' ' ')
	[ -n "${BUILD_ERR[$name]}" ] || BUILD_ERR[$name]=$(head -n 3 "$LOGS/$name.build" | tr '\n' ' ')
	return 1
}

# extract_libs KEY FILE ROOTFS: extract.sh adds FILE's loader and libraries
# to ROOTFS (log: $LOGS/KEY.build); on failure BUILD_ERR[KEY]. Nothing when
# KEY already failed.
extract_libs() {
	[ -z "${BUILD_ERR[$1]:-}" ] || return 0
	"$TOP/extract.sh" -q "$2" "$3" >>"$LOGS/$1.build" 2>&1 ||
		BUILD_ERR[$1]="extract.sh failed: $(tail -n 1 "$LOGS/$1.build")"
}

interp_of() { # FILE: its PT_INTERP path, if any
	readelf -lW "$1" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p'
}
has_interp() { [ -n "$(interp_of "$1")" ]; }
elf_type() { readelf -hW "$1" 2>/dev/null | sed -n 's/ *Type: *\([A-Z]*\).*/\1/p'; }

# expect_kind KEY FILE static-pie|static-exec|dynamic: sets BUILD_ERR[KEY]
# when FILE is another kind (and KEY built).
expect_kind() {
	local key=$1 f=$2 want=$3 got
	[ -z "${BUILD_ERR[$key]:-}" ] || return 0
	if has_interp "$f"; then
		got=dynamic
	elif [ "$(elf_type "$f")" = DYN ]; then
		got=static-pie
	else
		got=static-exec
	fi
	[ "$got" = "$want" ] || BUILD_ERR[$key]="expected a $want binary, got $got"
}

# build_musl_pie NAME DEST CC-ARGS...: a musl static-PIE. musl-gcc's specs
# file knows nothing of -static-pie: it links Scrt1.o with -pie and a
# PT_INTERP, i.e. a dynamic PIE. Then it links again with fixed specs:
# rcrt1.o (musl's self-relocating start), -static -pie --no-dynamic-linker.
build_musl_pie() {
	local name=$1 dest=$2 in=/usr/lib/x86_64-linux-musl/musl-gcc.specs
	local specs=$B/musl-static-pie.specs
	shift 2
	if ! command -v musl-gcc >/dev/null; then
		BUILD_ERR[$name]="musl-gcc not installed"
		return 1
	fi
	build "$name" "$dest" musl-gcc -static-pie "$@" || return 1
	if has_interp "$dest"; then
		[ -f "$in" ] && sed -e 's#%{!shared: \([^ ]*\)/Scrt1.o}#%{static-pie:\1/rcrt1.o;!shared:\1/Scrt1.o}#' \
			-e 's#^-dynamic-linker \([^ ]*\) -nostdlib#%{static-pie:-static -pie --no-dynamic-linker -z text;:-dynamic-linker \1} -nostdlib#' \
			"$in" >"$specs" && grep -q rcrt1 "$specs" &&
			build "$name" "$dest" gcc -specs="$specs" -static-pie "$@" || return 1
		echo "(musl-gcc -static-pie gave a PT_INTERP: linked with $specs)" >>"$LOGS/$name.build"
	fi
	expect_kind "$name" "$dest" static-pie
	[ -z "${BUILD_ERR[$name]:-}" ]
}

# build_app APP: the catalogue app's rootfs, $APPS_OUT/APP/rootfs (run_app.sh's
# cache), built by apps/APP/build.sh when missing or older than its recipe
# folder, apps/_lib.sh, apps/_static_lib.sh or (APP_static*) the folder of
# the program it shares. Log: $LOGS/app-APP.build; failure: BUILD_ERR[app.APP].
declare -A APP_BUILT=()
build_app() {
	local app=$1 out=$APPS_OUT/$1 log=$LOGS/app-$1.build s
	local -a deps=()
	[ -n "${APP_BUILT[$app]:-}" ] && return 0
	[ -z "${BUILD_ERR[app.$app]:-}" ] || return 1
	if [ ! -x "$TOP/apps/$app/build.sh" ]; then
		BUILD_ERR[app.$app]="no recipe apps/$app/build.sh"
		return 1
	fi
	for s in "$TOP/apps/$app" "$TOP/apps/_lib.sh" "$TOP/apps/_static_lib.sh" \
		"$TOP/apps/${app%_static*}"; do
		[ -e "$s" ] && deps+=("$s")
	done
	if [ ! -f "$out/.built" ] || [ -n "$(find "${deps[@]}" -newer "$out/.built" -print -quit)" ]; then
		rm -rf "$out"
		mkdir -p "$out/rootfs"
		if ! "$TOP/apps/$app/build.sh" "$out/rootfs" >"$log" 2>&1; then
			BUILD_ERR[app.$app]="recipe failed: $(grep -v '^apps: installing' "$log" | tail -n 2 | tr '\n' ' ')"
			rm -rf "$out"
			return 1
		fi
		touch "$out/.built"
	fi
	APP_BUILT[$app]=1
}

# --- running ------------------------------------------------------------------
# The native runs' environment: run.sh's defaults for the guest (PYTHON...:
# a native python would write __pycache__ into a rootfs).
NATIVE_ENV=(PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin
	HOME=/ TERM=linux LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1)

# run_native OUT ERR [--stdin FILE] [-r ROOTFS] [-e VAR=VALUE]... [--] PROG ARGS...
# PROG under env -i NATIVE_ENV and timeout, in / (chroot ROOTFS: needs
# root, or user namespaces), stdin (FILE, default empty) and stdout pipes as
# in the guest; stdout to OUT, stderr to ERR. Returns the program's status.
CHROOT=()
run_native() {
	local out=$1 err=$2 in=/dev/null root=''
	local -a envs=() pre=()
	shift 2
	while [ $# -gt 0 ]; do
		case $1 in
		--stdin) in=$2; shift 2 ;;
		-r) root=$2; shift 2 ;;
		-e) envs+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	if [ -n "$root" ]; then
		if [ ${#CHROOT[@]} -eq 0 ]; then
			CHROOT=(chroot)
			if [ "$(id -u)" != 0 ]; then
				if unshare -r true 2>/dev/null; then
					CHROOT=(unshare -r chroot)
				else
					note "not root and no user namespaces: native runs in a rootfs will fail"
				fi
			fi
			CHROOT[0]=$(command -v "${CHROOT[0]}" || echo "/usr/sbin/${CHROOT[0]}")
		fi
		pre=("${CHROOT[@]}" "$root")
	fi
	(
		cd / || exit 99
		cat -- "$in" | env -i "${NATIVE_ENV[@]}" "${envs[@]}" timeout -k 5 "$TIMEOUT" \
			"${pre[@]}" "$@" 2>"$err" | cat >"$out"
		exit "${PIPESTATUS[1]}"
	)
}

# run_guest OUT ERR [--stdin FILE] [RUN.SH OPTIONS...] -- PROG ARGS...
# $RUN -k $KERNEL OPTIONS PROG ARGS (a -k among OPTIONS wins) from $TOP under
# timeout, stdin and stdout as for run_native. Returns run.sh's status.
run_guest() {
	local out=$1 err=$2 in=/dev/null
	local -a o=(-k "$KERNEL")
	shift 2
	while [ $# -gt 0 ]; do
		case $1 in
		--stdin) in=$2; shift 2 ;;
		--) shift; break ;;
		-[kmMcerqptab]) o+=("$1" "$2"); shift 2 ;;
		-*) o+=("$1"); shift ;;
		*) break ;;
		esac
	done
	(
		cd "$TOP" || exit 99
		cat -- "$in" | timeout -k 5 "$TIMEOUT" "$RUN" "${o[@]}" "$@" 2>"$err" | cat >"$out"
		exit "${PIPESTATUS[1]}"
	)
}

status_text() {
	case "$1" in
	124) echo "124: timed out after ${TIMEOUT}s" ;;
	137) echo "137: killed (timeout -k)" ;;
	*) echo "$1" ;;
	esac
}

# show_diff EXPECTED ACTUAL: a diff of text, a cmp of bytes.
show_diff() {
	if { grep -qI . "$1" && grep -qI . "$2"; } 2>/dev/null ||
		[ ! -s "$1" ] || [ ! -s "$2" ]; then
		diff -u --label expected --label actual "$1" "$2" | tail -n +3 | detail 10
	else
		{
			cmp "$1" "$2"
			echo "expected $(stat -c %s "$1") bytes, got $(stat -c %s "$2") bytes"
		} 2>&1 | detail 3
	fi
}

# show_stderr FILE: the kernel's complaints in a guest's stderr, then its tail.
show_stderr() {
	[ -s "$1" ] || return 0
	echo "    guest stderr:"
	{
		grep -aE 'not implemented|not supported|unsupported|syscall|panic|PANIC|elfloader|[Ff]ault|CRASH|Assertion|assert' "$1" |
			sort | uniq -c | sort -rn | head -n 8
		echo "  (last lines)"
		tail -n 6 "$1"
	} | detail 16
}

# tcase NAME [options] -- PROG [ARGS...]: PROG natively (which must end
# with the expected status; its stdout is the reference), then in the guest
# through run.sh: the same status and the same stdout bytes. Options:
#   --status N        the expected exit status (default 0)
#   --stdin FILE      stdin of both runs (default: empty)
#   --expect TEXT     stdout must be the line TEXT (natively too)
#   --expect-file F   stdout must be the bytes of F (natively too)
#   --guest-only      no native run (give --expect or --expect-file)
#   --filter FUNC     FUNC FILE rewrites both stdouts before the comparisons
#                     (the unfiltered ones stay in FILE.raw)
#   --grep RE         the guest's stderr must match RE (grep -E; repeatable)
#   --build KEY       fails at once when BUILD_ERR[KEY] is set (default NAME)
#   --rootfs DIR      PROG is a path in DIR: run.sh -r DIR, natively chroot DIR
#   --native PATH     natively run PATH (no chroot) instead of PROG
#   --clean PATH      remove DIR/PATH after the native run (DIR/tmp keeps its time)
#   --guest FUNC      FUNC OUT ERR STDIN runs the guest instead of run.sh
#   --kernel FILE     the guest's kernel (default $KERNEL)
#   -e VAR=VALUE      in both runs' environment
#   -i -n -d -s, -m MEM, -M MACHINE, -c CPUS, -p H:G, -a WORD: run.sh's options
# The runs' files are in CASE_DIR ($LOGS/NAME/: native.out, guest.err...).
# Returns 0 when it passed (1: failed, skipped or not selected).
tcase() {
	local name=$1
	shift
	local want=0 in=/dev/null exp='' expect_text='' guest_only='' filter='' key=$name
	local root='' nprog='' clean='' gfn='' kernel=$KERNEL
	local -a greps=() envs=() opts=()
	while [ $# -gt 0 ]; do
		case $1 in
		--status) want=$2; shift 2 ;;
		--stdin) in=$2; shift 2 ;;
		--expect) expect_text=$2; exp=-; shift 2 ;;
		--expect-file) exp=$2; shift 2 ;;
		--guest-only) guest_only=1; shift ;;
		--filter) filter=$2; shift 2 ;;
		--grep) greps+=("$2"); shift 2 ;;
		--build) key=$2; shift 2 ;;
		--rootfs) root=$2; shift 2 ;;
		--native) nprog=$2; shift 2 ;;
		--clean) clean=$2; shift 2 ;;
		--guest) gfn=$2; shift 2 ;;
		--kernel) kernel=$2; shift 2 ;;
		-e) envs+=(-e "$2"); opts+=(-e "$2"); shift 2 ;;
		-[mMcpa]) opts+=("$1" "$2"); shift 2 ;;
		-[inds]) opts+=("$1"); shift ;;
		--) shift; break ;;
		*) say "tcase $name: bad option $1" >&2; return 1 ;;
		esac
	done
	CASE_DIR=
	selected "$name" || return 1
	if [ -n "${BUILD_ERR[$key]:-}" ]; then
		fail "$name" "build of $key failed: ${BUILD_ERR[$key]}"
		return 1
	fi
	local prog=${nprog:-$root$1}
	[ -z "$guest_only" ] || prog=$root$1
	if [ ! -e "$prog" ]; then
		fail "$name" "no program $prog"
		return 1
	fi
	local d=$LOGS/$name ns gs
	rm -rf "$d"
	mkdir -p "$d"
	# shellcheck disable=SC2034 # for the caller
	CASE_DIR=$d
	if [ "$exp" = - ]; then
		exp=$d/expected
		printf '%s\n' "$expect_text" >"$exp"
	fi

	# 1. natively: the expected status, and the reference stdout
	if [ -z "$guest_only" ]; then
		local -a nat=(--stdin "$in" "${envs[@]}")
		if [ -n "$nprog" ]; then
			nat+=(-- "$nprog" "${@:2}")
		else
			[ -n "$root" ] && nat+=(-r "$root")
			nat+=(-- "$@")
		fi
		# A run in DIR may make and remove files in DIR/tmp: the folder
		# gets its time back, or run.sh would pack a new initrd of DIR.
		[ -n "$root" ] && [ -z "$nprog" ] && [ -d "$root/tmp" ] && touch -r "$root/tmp" "$d/tmp.time"
		run_native "$d/native.out" "$d/native.err" "${nat[@]}"
		ns=$?
		[ -n "$clean" ] && rm -rf "${root:?}/${clean#/}"
		[ -f "$d/tmp.time" ] && touch -r "$d/tmp.time" "$root/tmp"
		if [ "$ns" != "$want" ]; then
			fail "$name" "native status $(status_text "$ns"), expected $want"
			{
				grep -a -m 6 FAIL "$d/native.out"
				cat "$d/native.out" "$d/native.err" | tail -n 6
			} | detail 12
			return 1
		fi
		if [ -n "$filter" ]; then
			cp "$d/native.out" "$d/native.out.raw"
			"$filter" "$d/native.out"
		fi
		if [ -z "$exp" ]; then
			exp=$d/native.out
		elif ! cmp -s "$exp" "$d/native.out"; then
			fail "$name" "native stdout differs from the expected one"
			show_diff "$exp" "$d/native.out"
			return 1
		fi
	fi

	# 2. in the guest
	if [ "$NATIVE_ONLY" = 1 ]; then
		if [ -n "$guest_only" ]; then
			skip "$name" "guest only"
			return 1
		fi
		pass "$name"
		return 0
	fi
	if [ -z "$gfn" ] && [ ! -x "$RUN" ]; then
		fail "$name" "no executable run.sh"
		return 1
	fi
	if [ ! -f "$kernel" ]; then
		fail "$name" "no kernel ${kernel#"$TOP"/}"
		return 1
	fi
	local t0=$SECONDS
	if [ -n "$gfn" ]; then
		"$gfn" "$d/guest.out" "$d/guest.err" "$in"
	else
		[ -z "$root" ] || opts=(-r "$root" "${opts[@]}")
		run_guest "$d/guest.out" "$d/guest.err" --stdin "$in" -k "$kernel" "${opts[@]}" -- "$@"
	fi
	gs=$?
	local secs=$((SECONDS - t0)) why='' re
	echo "$secs" >"$d/guest.secs"
	if [ -n "$filter" ]; then
		cp "$d/guest.out" "$d/guest.out.raw"
		"$filter" "$d/guest.out"
	fi
	[ "$gs" = "$want" ] || why="guest status $(status_text "$gs"), expected $want"
	cmp -s "$exp" "$d/guest.out" || why="${why:+$why; }guest stdout differs"
	for re in "${greps[@]}"; do
		grep -aEq -- "$re" "$d/guest.err" || why="${why:+$why; }guest stderr lacks /$re/"
	done
	if [ -z "$why" ]; then
		pass "$name"
		return 0
	fi
	fail "$name" "$why; ${secs}s"
	cmp -s "$exp" "$d/guest.out" || show_diff "$exp" "$d/guest.out"
	show_stderr "$d/guest.err"
	return 1
}
