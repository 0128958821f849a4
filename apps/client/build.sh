#!/usr/bin/env bash
# The HTTP client (client.c) as a dynamically linked glibc program with its
# library closure, into the rootfs directory $1 as /client. The cmd names
# the host as the guest sees it; the port (and a path) follow:
#   ./run_app.sh -n client 8000 /index.html   (a server on the host's
#   127.0.0.1:8000, e.g. python3 -m http.server --bind 127.0.0.1 8000)
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs gcc libc6-dev
gcc -O2 -Wall -Wextra -o "$out/client" "$here/client.c"
readelf -lW "$out/client" | grep -q 'program interpreter' || {
	echo "client: expected a dynamically linked binary" >&2
	exit 1
}
extract "$out/client"
