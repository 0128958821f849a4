#!/usr/bin/env bash
# Debian's nginx with its library closure and the site of apps/nginx/site.sh
# (nginx.conf: foreground, a master and two workers as nobody, port 8080; /www with index.html,
# 1k.bin and 10m.bin), into the rootfs directory $1. Run it with:
#   ./run_app.sh -i -n -p 18080:8080 nginx   then   curl http://127.0.0.1:18080/1k.bin
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
# shellcheck source=apps/nginx/site.sh
. "$here/site.sh"
[ -x /usr/sbin/nginx ] || need_pkgs nginx-light || need_pkgs nginx
extract /usr/sbin/nginx
nginx_site /etc/nginx/mime.types
