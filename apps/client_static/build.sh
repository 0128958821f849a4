#!/usr/bin/env bash
# The client of apps/client/ as a glibc static-PIE (ET_DYN, no PT_INTERP),
# into the rootfs directory $1 as /client:  ./run_app.sh -n client_static PORT [PATH]
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs gcc libc6-dev
gcc -static-pie -O2 -Wall -Wextra -o "$out/client" "$here/../client/client.c"
if readelf -lW "$out/client" | grep -q 'program interpreter'; then
	echo "client_static: expected a static-PIE" >&2
	exit 1
fi
