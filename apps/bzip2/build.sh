#!/usr/bin/env bash
# bzip2 with its library closure, a deterministic text file /data.txt and the
# same compressed on the host (/data.txt.bz2, for decompressing in the
# guest), into the rootfs directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs bzip2
extract /bin/bzip2
make_data "$out/data.txt"
bzip2 -9 -c "$out/data.txt" > "$out/data.txt.bz2"
chmod 644 "$out/data.txt.bz2"
fix_time "$out/data.txt.bz2"
