#!/usr/bin/env bash
# App catalogue tests: builds each app's rootfs with its recipe (apps/<name>/,
# cached under build/apps/<name>/ like run_app.sh does), runs each case
# natively -- the very same binaries, paths and inputs, with chroot into the
# rootfs -- then in the guest with run.sh -r, and compares stdout (bytes) and
# exit status.
#
# usage: tests/apps/run-app-tests.sh [PATTERN...]  (globs on case names)
# env:   NATIVE_ONLY=1     only the native half (checks the recipes)
#        APP_TIMEOUT=120   seconds per guest run
#        KERNEL=path       kernel image (default $BUILD/elfloader_kvm-x86_64)
#        BUILD=dir         build directory (default <repo>/build); the
#                          rootfs stay in <repo>/build/apps, run_app.sh's cache
# Output: "PASS name" / "FAIL name (why)" per case with details indented,
# "NOTE ..." lines that count for nothing, then "N passed, N failed"; a full
# run (no pattern, guest too) also writes "P F" to
# $BUILD/test-results/apps.txt.
# Needs root (chroot) for the native half; the tree of the ls app is owned
# by whoever built it, root here, named by the /etc/passwd the app ships.
# shellcheck disable=SC2317 # the filters and run_app_guest are called by name
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
suite_init apps --dir tests/apps --timeout APP_TIMEOUT=120 -- "$@"
export TERM=linux
APPS=$TOP/apps

# Output filters, applied to both sides before comparing.
# ls -la: the sizes of directories and the "total" blocks are the file
# system's business (ext4 says 4096, a ramfs its own), not ls's: masked, and
# the columns squeezed since those widths move the alignment.
ls_mask() {
	awk '/^total [0-9]+$/ { print "total _"; next }
		{ $1 = $1 } /^d/ { $5 = "_" } { print }' "$1" >"$1.f" && mv "$1.f" "$1"
}
# ls -la of a directory of /: also without its ".." line, the root, which in
# the guest holds /dev and /proc besides (its link count and time differ).
ls_mask_top() {
	ls_mask "$1"
	grep -v ' \.\.$' "$1" >"$1.f"
	mv "$1.f" "$1"
}
gunzip_out() { gzip -dc <"$1" >"$1.f" 2>&1; mv "$1.f" "$1"; }
bunzip2_out() { bzip2 -dc <"$1" >"$1.f" 2>&1; mv "$1.f" "$1"; }

# The guest of a --run-app case: run_app.sh -i [-l] APP ARGS (RUN_APP).
RUN_APP=()
run_app_guest() { # OUT ERR STDIN
	RUN=$TOP/run_app.sh run_guest "$1" "$2" --stdin "$3" -i -- "${RUN_APP[@]}"
}

# acase NAME APP [options] -- ARGS...    (ARGS: the command in the rootfs;
#                              "@cmd" stands for the words of apps/APP/cmd)
# natively with chroot into the app's rootfs, in the guest with run.sh -i -r
# (a RAM copy, so the shared rootfs cache stays as the native run sees it).
#   --stdin FILE     piped to both runs (default: an empty pipe)
#   --status N       the expected exit status (default 0)
#   --loader         start through the dynamic loader named as the program
#   --filter FUNC    FUNC OUTFILE rewrites both stdouts before comparing
#   --expect FILE    stdout must also equal FILE (after the filter)
#   --clean PATH     remove ROOTFS/PATH after the native run
#   --note-raw       print a NOTE when the unfiltered stdouts differ
#   --run-app        the guest run goes through run_app.sh (ARGS: @cmd and
#                    any extra arguments)
acase() {
	local name=$1 app=$2
	shift 2
	local loader='' filter='' noteraw='' runapp=''
	local -a opts=()
	while [ $# -gt 0 ]; do
		case $1 in
		--stdin | --status | --clean) opts+=("$1" "$2"); shift 2 ;;
		--filter) filter=$2; opts+=("$1" "$2"); shift 2 ;;
		--expect) opts+=(--expect-file "$2"); shift 2 ;;
		--loader) loader=1; shift ;;
		--note-raw) noteraw=1; shift ;;
		--run-app) runapp=1; shift ;;
		--) shift; break ;;
		*) say "acase: bad option $1" >&2; return 1 ;;
		esac
	done
	selected "$name" || return 0
	local -a cmd=("$@") extra=()
	if [ "${cmd[0]}" = @cmd ]; then
		extra=("${cmd[@]:1}")
		read -r -a cmd <"$APPS/$app/cmd"
		cmd+=("${extra[@]}")
	elif [ -n "$runapp" ]; then
		say "acase: --run-app needs @cmd" >&2
		return 1
	fi
	if ! build_app "$app"; then
		fail "$name" "${BUILD_ERR[app.$app]}"
		return
	fi
	local root=$APPS_OUT/$app/rootfs
	if [ -n "$loader" ]; then
		local interp
		interp=$(interp_of "$root${cmd[0]}")
		if [ -z "$interp" ]; then
			fail "$name" "${cmd[0]} has no PT_INTERP"
			return
		fi
		cmd=("$interp" "${cmd[@]}")
	fi
	if [ -n "$runapp" ]; then
		RUN_APP=(${loader:+-l} "$app" "${extra[@]}")
		opts+=(--guest run_app_guest)
	fi
	tcase "$name" --rootfs "$root" -i "${opts[@]}" -- "${cmd[@]}" || return 0
	local d=$CASE_DIR
	if [ -n "$noteraw" ] && [ -f "$d/guest.out.raw" ] &&
		! cmp -s "$d/native.out.raw" "$d/guest.out.raw"; then
		note "$name: equal only after $filter (native: $(grep -m1 '^total' "$d/native.out.raw"), guest: $(grep -m1 '^total' "$d/guest.out.raw"))"
	fi
}

# --- inputs -------------------------------------------------------------
printf 'scale=20\nsqrt(2)\n2^64\nscale=0\n(7^77) %% 1000003\n' >"$B/bc.in"
PYC='import json,hashlib,os,sys
d = {"argv": sys.argv[1:], "platform": sys.platform,
     "sha256": hashlib.sha256(b"unikernel").hexdigest(),
     "sha1": hashlib.sha1(b"x" * 100000).hexdigest(),
     "sum": sum(i * i for i in range(100000)),
     "wsgiref": sorted(os.listdir("/usr/lib/python3.11/wsgiref")),
     "cwd": os.getcwd(), "hello_py": os.path.isfile("/hello.py"),
     "size": os.stat("/input.json").st_size,
     "fsenc": sys.getfilesystemencoding()}
print(json.dumps(d, sort_keys=True, indent=1))
sys.exit(3)'

# --- the cases ------------------------------------------------------------
acase helloworld_static helloworld_static -- @cmd
acase helloworld helloworld -- @cmd
acase helloworld-loader helloworld --loader -- @cmd
acase helloworld_cpp helloworld_cpp -- @cmd
acase helloworld_cpp-loader helloworld_cpp --loader -- @cmd
acase helloworld_cpp_static helloworld_cpp_static -- @cmd

acase echo echo -- @cmd
acase echo-escapes echo -- /bin/echo -e 'tab\there' 'nl\nend\c' ignored
acase echo-n echo -- /bin/echo -n no newline

acase ls-la-tree ls --filter ls_mask_top --note-raw -- /bin/ls -la /tree
acase ls-la-sub ls --filter ls_mask --note-raw -- /bin/ls -la /tree/sub
acase ls-files ls -- /bin/ls -l /tree/hello.txt /tree/run.sh /tree/link-to-hello /tree/sub/x5000
acase ls-missing ls --status 2 -- /bin/ls /tree/nonexistent
acase ls-loader ls --loader --filter ls_mask_top --note-raw -- /bin/ls -la /tree

acase bc bc -- @cmd
acase bc-stdin bc --stdin "$B/bc.in" -- /usr/bin/bc -q

# Files of a rootfs (acase builds it before it reads them).
GZ_DATA=$APPS_OUT/gzip/rootfs/data.txt
BZ_DATA=$APPS_OUT/bzip2/rootfs/data.txt
SQL=$APPS_OUT/sqlite3/rootfs/test.sql
SSL_DATA=$APPS_OUT/openssl/rootfs/data.txt
# Compressed in the guest, decompressed on the host: the original bytes.
acase gzip-9 gzip --filter gunzip_out --expect "$GZ_DATA" -- @cmd
# The same compressed bytes as natively (the header holds name and mtime).
acase gzip-9-bytes gzip -- @cmd
acase gzip-dc gzip --expect "$GZ_DATA" -- /bin/gzip -dc /data.txt.gz
acase gzip-dc-stdin gzip --stdin "${GZ_DATA}.gz" --expect "$GZ_DATA" -- /bin/gzip -dc
acase bzip2-9 bzip2 --filter bunzip2_out --expect "$BZ_DATA" -- @cmd
acase bzip2-9-bytes bzip2 -- @cmd
acase bzip2-dc bzip2 --expect "$BZ_DATA" -- /bin/bzip2 -dc /data.txt.bz2

acase sqlite3 sqlite3 -- @cmd
acase sqlite3-file sqlite3 --clean /tmp/test.db -- \
	/usr/bin/sqlite3 -bail -batch -init /test.sql /tmp/test.db .quit
acase sqlite3-stdin sqlite3 --stdin "$SQL" -- /usr/bin/sqlite3 -bail -batch :memory:

acase openssl-sha256 openssl -- @cmd
acase openssl-sha512-stdin openssl --stdin "$SSL_DATA" -- /usr/bin/openssl dgst -sha512

acase python-script python -- @cmd
acase python-c python --status 3 -- /usr/bin/python3 -c "$PYC" arg1 'arg two'
acase python-loader python --loader -- @cmd

# Shells that start other programs (processes): bash and busybox sh.
SH_SCRIPT='for w in one two; do echo "$w" | tr a-z A-Z; done; n=$(seq 1 50 | grep 5 | wc -l); echo "count $n"; (exit 3); echo "status $?"; ls / >/tmp/ls.out && echo listed'
acase bash-c bash -- /bin/bash -c "$SH_SCRIPT"
acase bash-stdin bash --status 5 --stdin "$HERE/bash.in" -- /bin/bash
acase busybox-sh busybox -- /bin/sh -c "$SH_SCRIPT"

# The _static variants, built from Debian's source packages as static-PIEs:
# the same cases, and where the output does not depend on the rootfs, the
# same output as Debian's own (dynamic) binary on the host.
bc -l "$APPS/bc/calc.bc" >"$B/bc_static.expect" 2>&1
bc -q <"$B/bc.in" >"$B/bc_static-stdin.expect" 2>&1
sqlite3 -bail -batch -init "$APPS/sqlite3/test.sql" :memory: .quit \
	>"$B/sqlite3_static.expect" 2>&1
acase bc_static bc_static --expect "$B/bc_static.expect" -- @cmd
acase bc_static-stdin bc_static --stdin "$B/bc.in" \
	--expect "$B/bc_static-stdin.expect" -- /usr/bin/bc -q
GZS_DATA=$APPS_OUT/gzip_static/rootfs/data.txt
acase gzip_static-9 gzip_static --filter gunzip_out --expect "$GZS_DATA" -- @cmd
acase gzip_static-9-bytes gzip_static -- @cmd
acase gzip_static-dc gzip_static --expect "$GZS_DATA" -- /bin/gzip -dc /data.txt.gz
acase gzip_static-dc-stdin gzip_static --stdin "${GZS_DATA}.gz" --expect "$GZS_DATA" \
	-- /bin/gzip -dc
acase sqlite3_static sqlite3_static --expect "$B/sqlite3_static.expect" -- @cmd
acase sqlite3_static-file sqlite3_static --clean /tmp/test.db \
	--expect "$B/sqlite3_static.expect" -- \
	/usr/bin/sqlite3 -bail -batch -init /test.sql /tmp/test.db .quit
acase sqlite3_static-stdin sqlite3_static --stdin "$APPS/sqlite3/test.sql" \
	--expect "$B/sqlite3_static.expect" -- /usr/bin/sqlite3 -bail -batch :memory:

# Through run_app.sh itself, the catalogue's entry point (extra arguments
# after the app's own).
acase run_app-helloworld helloworld --run-app -- @cmd
acase run_app-l-python python --run-app --loader -- @cmd extra 'two words'

# The counts for make test's total, from full runs only: a native-only or a
# partial run leaves the last full counts in place.
suite_finish
