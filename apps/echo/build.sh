#!/usr/bin/env bash
# coreutils' echo with its library closure, into the rootfs directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs coreutils
extract /bin/echo
