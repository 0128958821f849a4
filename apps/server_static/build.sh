#!/usr/bin/env bash
# The server of apps/server/ as a glibc static-PIE (ET_DYN, no PT_INTERP),
# into the rootfs directory $1 as /server.
# Run it with networking: ./run_app.sh -n -p 18080:8080 server_static
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs gcc libc6-dev
gcc -static-pie -O2 -Wall -Wextra -o "$out/server" "$here/../server/server.c"
if readelf -lW "$out/server" | grep -q 'program interpreter'; then
	echo "server_static: expected a static-PIE" >&2
	exit 1
fi
