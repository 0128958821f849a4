#!/usr/bin/env bash
# The hello world app as a dynamically linked glibc program, with its loader
# and libc copied into the rootfs directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs gcc libc6-dev
gcc -O2 -Wall -o "$out/helloworld" "$here/main.c"
extract "$out/helloworld"
