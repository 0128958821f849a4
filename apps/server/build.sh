#!/usr/bin/env bash
# The TCP echo / tiny HTTP server (server.c) as a dynamically linked glibc
# program with its library closure, into the rootfs directory $1 as /server.
# Run it with networking: ./run_app.sh -n -p 18080:8080 server
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs gcc libc6-dev
gcc -O2 -Wall -Wextra -o "$out/server" "$here/server.c"
readelf -lW "$out/server" | grep -q 'program interpreter' || {
	echo "server: expected a dynamically linked binary" >&2
	exit 1
}
extract "$out/server"
