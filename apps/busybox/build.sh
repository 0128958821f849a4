#!/usr/bin/env bash
# Debian's static busybox into the rootfs directory $1 as /bin/busybox, with
# a link in /bin for each of its applets (busybox --list), /etc/passwd
# naming root and an empty /tmp.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs busybox-static
mkdir -p "$out/bin" "$out/tmp"
chmod 1777 "$out/tmp"
cp /bin/busybox "$out/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -sfn busybox "$out/bin/$a"
done
ship_passwd
