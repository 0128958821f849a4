#!/usr/bin/env bash
# The openssl command with its library closure (libssl, libcrypto), its
# configuration file and a deterministic /data.txt, into the rootfs
# directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs openssl
extract /usr/bin/openssl
mkdir -p "$out/usr/lib/ssl"
# /usr/lib/ssl/openssl.cnf is a symlink to /etc/ssl/openssl.cnf on Debian.
cp -a /usr/lib/ssl/openssl.cnf "$out/usr/lib/ssl/"
if [ -L /usr/lib/ssl/openssl.cnf ]; then
	mkdir -p "$out/etc/ssl"
	cp "$(readlink -f /usr/lib/ssl/openssl.cnf)" "$out/etc/ssl/openssl.cnf"
fi
make_data "$out/data.txt"
