#!/usr/bin/env bash
# Debian's haproxy with its library closure and the configuration
# haproxy.cfg (one foreground process, one thread, logs to stderr, HTTP on
# port 8080 proxied to the server named by $BACKEND), into the rootfs
# directory $1. The guest runs one program, so the server haproxy stands
# in front of runs on the host, which the guest reaches as 10.0.2.2:
#   python3 -m http.server --bind 127.0.0.1 8000 &
#   ./run_app.sh -i -n -p 18080:8080 -e BACKEND=10.0.2.2:8000 haproxy
#   curl http://127.0.0.1:18080/
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs haproxy
extract /usr/sbin/haproxy
mkdir -p "$out/etc/haproxy" "$out/tmp"
chmod 1777 "$out/tmp"
install -m 644 "$here/haproxy.cfg" "$out/etc/haproxy/haproxy.cfg"
fix_time "$out/etc/haproxy/haproxy.cfg"
ship_passwd
