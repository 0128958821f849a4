#!/usr/bin/env bash
# GNU bc with its library closure and a script /calc.bc, into the rootfs
# directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs bc
extract /usr/bin/bc
cp "$here/calc.bc" "$out/calc.bc"
chmod 644 "$out/calc.bc"
fix_time "$out/calc.bc"
