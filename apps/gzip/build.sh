#!/usr/bin/env bash
# gzip with its library closure, a deterministic text file /data.txt and the
# same compressed on the host (/data.txt.gz, for decompressing in the
# guest), into the rootfs directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs gzip
extract /bin/gzip
make_data "$out/data.txt"
gzip -9 -n -c "$out/data.txt" > "$out/data.txt.gz"
chmod 644 "$out/data.txt.gz"
fix_time "$out/data.txt.gz"
