#!/usr/bin/env bash
# Debian's nginx with its library closure, the configuration nginx.conf
# (foreground, one process, port 8080, errors to stderr, no access log),
# mime.types, the directories nginx wants and a static site in /www: an
# index.html and two deterministic files, 1k.bin (1 KiB) and 10m.bin
# (10 MiB), into the rootfs directory $1. Run it with:
#   ./run_app.sh -i -n -p 18080:8080 nginx   then   curl http://127.0.0.1:18080/1k.bin
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
[ -x /usr/sbin/nginx ] || need_pkgs nginx-light || need_pkgs nginx
need_pkgs openssl
extract /usr/sbin/nginx
mkdir -p "$out/etc/nginx" "$out/var/lib/nginx" "$out/var/log/nginx" "$out/run" \
	"$out/tmp" "$out/www" "$out/usr/share/nginx"
chmod 1777 "$out/tmp"
install -m 644 "$here/nginx.conf" "$out/etc/nginx/nginx.conf"
install -m 644 /etc/nginx/mime.types "$out/etc/nginx/mime.types"
ship_passwd
printf 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >> "$out/etc/passwd"
printf 'nogroup:x:65534:\n' >> "$out/etc/group"
printf '<!doctype html>\n<title>unikernel nginx</title>\n<p>hello from nginx on the unikernel</p>\n' \
	> "$out/www/index.html"
# Pseudo-random bytes from a fixed key (AES-128-CTR over zeros): the same
# on every build.
gen() { # BYTES FILE
	head -c "$1" /dev/zero |
		openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
			-iv 00000000000000000000000000000000 > "$2"
	[ "$(stat -c %s "$2")" = "$1" ]
}
gen 1024 "$out/www/1k.bin"
gen 10485760 "$out/www/10m.bin"
chmod 644 "$out/www/"*
fix_time "$out/www/"* "$out/etc/nginx/"*
