# shellcheck shell=bash
# Shared by the nginx recipes (nginx, nginx_static), sourced after
# apps/_lib.sh: nginx_site MIME_TYPES puts into the rootfs $out the
# configuration apps/nginx/nginx.conf (foreground, a master and two workers, port 8080,
# errors to stderr, no access log), the given mime.types, the directories
# nginx wants and a static site in /www: an index.html and two
# deterministic files, 1k.bin (1 KiB) and 10m.bin (10 MiB).
nginx_site() {
	local mime=$1 nginx_dir
	nginx_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	need_pkgs openssl
	mkdir -p "$out/etc/nginx" "$out/var/lib/nginx" "$out/var/log/nginx" "$out/run" \
		"$out/tmp" "$out/www" "$out/usr/share/nginx"
	chmod 1777 "$out/tmp"
	install -m 644 "$nginx_dir/nginx.conf" "$out/etc/nginx/nginx.conf"
	install -m 644 "$mime" "$out/etc/nginx/mime.types"
	ship_passwd
	printf 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >> "$out/etc/passwd"
	printf 'nogroup:x:65534:\n' >> "$out/etc/group"
	printf '<!doctype html>\n<title>unikernel nginx</title>\n<p>hello from nginx on the unikernel</p>\n' \
		> "$out/www/index.html"
	nginx_gen 1024 "$out/www/1k.bin"
	nginx_gen 10485760 "$out/www/10m.bin"
	chmod 644 "$out/www/"*
	fix_time "$out/www/"* "$out/etc/nginx/"*
}

# nginx_gen BYTES FILE: pseudo-random bytes from a fixed key (AES-128-CTR
# over zeros), the same on every build.
nginx_gen() {
	head -c "$1" /dev/zero |
		openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
			-iv 00000000000000000000000000000000 > "$2"
	[ "$(stat -c %s "$2")" = "$1" ]
}
