#!/usr/bin/env bash
# The external judges' root file system: Debian's python3.11 with its whole
# standard library and its regression tests (libpython3.11-testsuite, with
# the _test* extension modules), dash as /bin/sh and the coreutils the
# tests call, /etc files the guest would otherwise make for itself, and Go
# 1.19's toolchain and standard-library test binaries (go test -c,
# CGO_ENABLED=0) in /gotest, time zones.
#
# usage: tests/compat/build-root.sh ROOT [GO-PACKAGE...]
# Installs the Debian packages it needs. Rebuilt from scratch when this
# recipe or apps/python changed since ROOT/.built; Go's test binaries are
# built when missing (the build cache makes that cheap). Log on stdout.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
ROOT=${1:?usage: build-root.sh ROOT [GO-PACKAGE...]}
shift
mkdir -p "$ROOT"
ROOT=$(cd "$ROOT" && pwd)
GO_PKGS=("$@")
case "${BUILD:-}" in
/*) ;;
"") BUILD=$TOP/build ;;
*) BUILD=$TOP/$BUILD ;;
esac
export BUILD
PY=/usr/lib/python3.11
GOROOT_SRC=/usr/lib/go-1.19/src

# need_pkgs from the tests' harness (its log: $LOGS/apt.log).
# shellcheck source=tests/lib.sh
. "$HERE/../lib.sh"
LOGS=$BUILD/compat/logs
mkdir -p "$LOGS"

# The test package must be the interpreter's own version: installing it
# brings python3.11 to the same version.
need_pkgs python3.11 libpython3.11-testsuite dash coreutils golang-1.19-go golang-1.19-src

extract() { "$TOP/extract.sh" -q "$1" "$ROOT"; }

if [ ! -f "$ROOT/.built" ] ||
	[ -n "$(find "$HERE/build-root.sh" "$TOP/apps/python" "$PY/test/__init__.py" \
		-newer "$ROOT/.built" -print -quit)" ]; then
	echo "compat: making $ROOT"
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	# The catalogue's python root, then what it leaves out.
	"$TOP/apps/python/build.sh" "$ROOT"
	tar -C "$PY" -cf - --exclude=__pycache__ --exclude='./config-*' . |
		tar -C "$ROOT$PY" -xf -
	for so in "$ROOT$PY"/lib-dynload/*.so; do
		extract "$PY/lib-dynload/${so##*/}"
	done
	# A shell and the commands the tests run.
	extract /usr/bin/dash
	ln -sf dash "$ROOT/usr/bin/sh"
	[ -e "$ROOT/bin" ] || ln -s usr/bin "$ROOT/bin"
	for c in cat echo true false sleep ls env tr pwd rm mkdir cp mv head tail \
		wc sort uname id chmod touch date printf yes kill test expr basename \
		dirname ln readlink stat tee seq od; do
		p=$(type -P "$c" || true)
		case $p in /*) extract "$p" ;; esac
	done
	# The /etc the guest makes where a root has none, so that both runs
	# read the same.
	mkdir -p "$ROOT/etc" "$ROOT/root" "$ROOT/tmp" "$ROOT/dev" "$ROOT/proc"
	chmod 1777 "$ROOT/tmp"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' \
		>"$ROOT/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
	printf 'passwd:\tfiles\ngroup:\tfiles\nshadow:\tfiles\nhosts:\tfiles dns\nnetworks:\tfiles\nprotocols:\tfiles\nservices:\tfiles\n' \
		>"$ROOT/etc/nsswitch.conf"
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
	# Go's toolchain (the tests build helper programs with it) and its
	# sources (each package's folder is its tests' cwd), and the time zones
	# that Go's and Python's time tests load.
	extract /usr/lib/go-1.19/bin/go
	cp -a /usr/lib/go-1.19/. "$ROOT/usr/lib/go-1.19/"
	mkdir -p "$ROOT/usr/share"
	cp -a /usr/share/go-1.19 "$ROOT/usr/share/"
	ln -sf ../lib/go-1.19/bin/go "$ROOT/usr/bin/go"
	cp -a /usr/share/zoneinfo "$ROOT/usr/share/"
	# Go's time tests read the zones from GOROOT's lib/time/zoneinfo.zip
	# (stored, uncompressed), which Debian leaves out for its tzdata.
	mkdir -p "$ROOT/usr/share/go-1.19/lib/time"
	ln -sfn ../../share/go-1.19/lib "$ROOT/usr/lib/go-1.19/lib"
	python3 - "$ROOT/usr/share/go-1.19/lib/time/zoneinfo.zip" <<'PY'
import os, sys, zipfile
src = "/usr/share/zoneinfo"
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    for d, dirs, files in sorted(os.walk(src)):
        dirs[:] = sorted(x for x in dirs if x not in ("posix", "right"))
        for f in sorted(files):
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                if fh.read(4) == b"TZif":
                    z.write(p, os.path.relpath(p, src))
PY
	for f in services protocols; do
		[ -f "/etc/$f" ] && cp "/etc/$f" "$ROOT/etc/$f"
	done
	# Bytecode for the whole library, made once here: both runs then
	# read it (PYTHONDONTWRITEBYTECODE) instead of compiling each time.
	ch=("$(command -v chroot || echo /usr/sbin/chroot)")
	[ "$(id -u)" = 0 ] || ch=(unshare -r chroot)
	env -i PATH=/usr/bin:/bin "${ch[@]}" "$ROOT" /usr/bin/python3 -m compileall -q "$PY" \
		>/dev/null 2>&1 || true
	touch "$ROOT/.built"
fi

# --- Go's test binaries ------------------------------------------------------
GO=/usr/lib/go-1.19/bin/go
mkdir -p "$ROOT/gotest"
for pkg in "${GO_PKGS[@]}"; do
	bin=$ROOT/gotest/${pkg//\//_}.test
	if [ ! -x "$bin" ]; then
		echo "compat: go test -c $pkg"
		(cd "$GOROOT_SRC/$pkg" && env GOCACHE="$BUILD/go-cache" GOFLAGS= GO111MODULE= \
			GOPROXY=off CGO_ENABLED=0 "$GO" test -c -o "$bin.new" .) &&
			mv "$bin.new" "$bin"
	fi
done
exit 0
