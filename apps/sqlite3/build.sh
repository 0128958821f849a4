#!/usr/bin/env bash
# The sqlite3 shell with its library closure, the script /test.sql and an
# empty /tmp (for an on-disk database), into the rootfs directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs sqlite3
extract /usr/bin/sqlite3
cp "$here/test.sql" "$out/test.sql"
chmod 644 "$out/test.sql"
fix_time "$out/test.sql"
mkdir -p "$out/tmp"
chmod 1777 "$out/tmp"
