#!/usr/bin/env bash
# Debian's python3 (3.11) into the rootfs directory $1: the interpreter's
# closure, the standard library /usr/lib/python3.11 without its tests, IDLE,
# tkinter, ensurepip, lib2to3, the static libraries for embedding (config-*)
# and __pycache__ (Python compiles what it imports), the closure of each
# extension module in lib-dynload (less the test modules, and nis, _dbm and
# ossaudiodev, whose libraries, Kerberos and Berkeley DB, weigh 4 MB), and
# the script /hello.py with its input /input.json.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs python3 python3.11 libpython3.11-stdlib
lib=/usr/lib/python3.11
extract /usr/bin/python3
mkdir -p "$out$lib"
tar -C "$lib" -cf - \
	--exclude=./test --exclude=./idlelib --exclude=./tkinter \
	--exclude=./ensurepip --exclude=./lib2to3 --exclude='./config-*' \
	--exclude=__pycache__ \
	--exclude='./lib-dynload/_test*' --exclude='./lib-dynload/xx*' \
	--exclude='./lib-dynload/_xx*' --exclude='./lib-dynload/_ctypes_test*' \
	--exclude='./lib-dynload/nis.*' --exclude='./lib-dynload/_dbm.*' \
	--exclude='./lib-dynload/ossaudiodev.*' \
	. | tar -C "$out$lib" -xf -
# The extension modules' own libraries (libcrypto for _hashlib, libffi...).
for so in "$out$lib"/lib-dynload/*.so; do
	extract "$lib/lib-dynload/${so##*/}"
done
# sitecustomize.py is a symlink into /etc.
if [ -L "$lib/sitecustomize.py" ]; then
	t=$(readlink -f "$lib/sitecustomize.py")
	mkdir -p "$out$(dirname "$t")"
	cp "$t" "$out$t"
fi
mkdir -p "$out/tmp"
chmod 1777 "$out/tmp"
for f in hello.py input.json; do
	cp "$here/$f" "$out/$f"
	chmod 644 "$out/$f"
	fix_time "$out/$f"
done
