#!/usr/bin/env bash
# Debian's PostgreSQL 15 server (postgres, initdb), its shared files and
# modules, and what its start script needs (dash, setpriv, mkdir, chown,
# chmod), into the rootfs directory $1. /etc/passwd names a postgres user,
# since the server refuses to run as root. Run it over 9p (the cluster
# lands in the rootfs and outlives the guest) with networking:
#   ./run_app.sh -m 512M -n -p 15432:5432 postgres
#   psql -h 127.0.0.1 -p 15432 -U postgres
# apps/postgres/pg-start (PID 1) runs initdb on the first boot, then the
# server as the postgres user on 0.0.0.0:5432 with trust authentication.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs postgresql-15 util-linux coreutils dash
pg=/usr/lib/postgresql/15
extract "$pg/bin/postgres" "$pg/bin/initdb" /bin/sh /usr/bin/setpriv \
	/bin/mkdir /bin/chown /bin/chmod /bin/cat /usr/bin/locale
# The locales initdb finds with locale -a (C.utf8 becomes a collation).
mkdir -p "$out/usr/lib/locale"
cp -a /usr/lib/locale/C.utf8 "$out/usr/lib/locale/"
# The server's modules, without the JIT (llvmjit pulls in libLLVM; jit is
# off in the configuration pg-start writes): each with its closure.
for so in "$pg"/lib/*.so; do
	case ${so##*/} in llvmjit*) continue ;; esac
	"$EXTRACT" -q "$so" "$out"
done
mkdir -p "$out/usr/share/postgresql"
cp -a /usr/share/postgresql/15 "$out/usr/share/postgresql/"
rm -rf "$out/usr/share/postgresql/15/man"
# Time zones: the server's default and the one initdb settles on.
mkdir -p "$out/usr/share/zoneinfo/Etc"
cp -a /usr/share/zoneinfo/UTC /usr/share/zoneinfo/GMT "$out/usr/share/zoneinfo/"
cp -a /usr/share/zoneinfo/Etc/UTC /usr/share/zoneinfo/Etc/GMT "$out/usr/share/zoneinfo/Etc/"
# The postgres user: the host's user when QEMU runs as one, since a
# non-root QEMU cannot chown files on the host and the server checks that
# it owns its data directory.
pguid=$(id -u)
[ "$pguid" != 0 ] || pguid=102
ship_passwd
printf 'postgres:x:%s:%s:PostgreSQL administrator:/var/lib/postgresql:/bin/sh\n' \
	"$pguid" "$pguid" >> "$out/etc/passwd"
printf 'postgres:x:%s:\n' "$pguid" >> "$out/etc/group"
mkdir -p "$out/usr/local/bin"
install -m 755 "$here/pg-start" "$out/usr/local/bin/pg-start"
# No /tmp in the root: the kernel mounts a RAM one there, which takes the
# server's Unix socket (QEMU refuses a socket node made over 9p).
mkdir -p "$out/var/lib/postgresql"
