#!/usr/bin/env bash
# Debian's redis-server with its library closure, into the rootfs directory
# $1. Run it with networking and a RAM root:
#   ./run_app.sh -i -n -p 16379:6379 redis   then   redis-cli -p 16379 ping
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs redis-server
extract /usr/bin/redis-server
mkdir -p "$out/tmp"
chmod 1777 "$out/tmp"
