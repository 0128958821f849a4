#!/usr/bin/env bash
# nginx built from Debian's nginx source package (with Debian's patches and
# paths) as a glibc static-PIE, as /usr/sbin/nginx with the nginx app's
# configuration and site (apps/nginx/site.sh), into the rootfs directory
# $1. Run it like the nginx app:
#   ./run_app.sh -i -n -p 18080:8080 nginx_static   then   curl http://127.0.0.1:18080/1k.bin
#
# A minimal module set: nginx's default HTTP modules less rewrite (no PCRE:
# Debian 12 has no static libpcre2-8.a without libpcre2-dev), with gzip
# against the static libz.a, no SSL, no mail or stream, no dynamic modules.
# The source package is fetched at build time (scripts/fetch-source.sh
# keeps the download under build/third_party) and built under
# build/apps-src/ (never committed); the binary and mime.types are reused
# while this recipe and the source version stay the same.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
name=nginx_static
srcpkg=nginx
need_pkgs gcc make libc6-dev dpkg-dev file binutils zlib1g-dev

# shellcheck source=apps/_static_lib.sh
. "$here/../_static_lib.sh"
# shellcheck source=apps/nginx/site.sh
. "$here/../nginx/site.sh"

if stale; then
	need_static libc.a libz.a libcrypt.a
	unpack_fresh
	# Debian's paths (debian/rules) and hardening CFLAGS; -fPIE and
	# -static-pie instead of its -fPIC shared link.
	cflags="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS) -fPIE"
	cflags+=" $(dpkg-buildflags --get CPPFLAGS)"
	step configure.log ./configure \
		--prefix=/usr/share/nginx \
		--conf-path=/etc/nginx/nginx.conf \
		--http-log-path=/var/log/nginx/access.log \
		--error-log-path=stderr \
		--lock-path=/var/lock/nginx.lock \
		--pid-path=/run/nginx.pid \
		--http-client-body-temp-path=/var/lib/nginx/body \
		--http-fastcgi-temp-path=/var/lib/nginx/fastcgi \
		--http-proxy-temp-path=/var/lib/nginx/proxy \
		--http-scgi-temp-path=/var/lib/nginx/scgi \
		--http-uwsgi-temp-path=/var/lib/nginx/uwsgi \
		--with-http_stub_status_module \
		--without-http_rewrite_module --without-pcre \
		--with-cc-opt="$cflags" --with-ld-opt=-static-pie
	grep -q '^#define NGX_ZLIB  1' objs/ngx_auto_config.h ||
		die "configure found no zlib (see $work/configure.log)"
	# configure links with -Wl,-E (symbols exported for dynamic
	# modules); in a static-PIE that leaves TLS relocations against
	# exported symbols (R_X86_64_TPOFF64 __libc_tsd_*), which glibc's
	# static-PIE start-up cannot resolve: it crashes before main, on
	# Linux too.
	sed -i 's/-Wl,-E\b//' objs/Makefile
	! grep -q -- '-Wl,-E' objs/Makefile || die "cannot drop -Wl,-E from objs/Makefile"
	step make.log make -j2
	check_static_pie objs/nginx
	# It starts (on the build machine's Linux) and has the modules wanted.
	objs/nginx -V >"$work/version.txt" 2>&1 || die "objs/nginx -V failed: $(cat "$work/version.txt")"
	if readelf -rW objs/nginx | grep -q TPOFF64; then
		die "objs/nginx has symbolic TLS relocations"
	fi
	strip --strip-debug -o "$bin" objs/nginx
	install -m 644 conf/mime.types "$work/mime.types"
	cd "$work" || exit
	rm -rf "$work/src"
	echo "$key" >"$work/.key"
	echo "  BUILT   $name in $((SECONDS - t0))s" >&2
fi

mkdir -p "$out/usr/sbin"
install -m 755 "$bin" "$out/usr/sbin/nginx"
nginx_site "$work/mime.types"
