#!/usr/bin/env bash
# The hello world app as a glibc static-PIE (ET_DYN, no PT_INTERP), built into
# the rootfs directory $1 as /helloworld.
. "$(dirname "$0")/../_lib.sh"
need_pkgs gcc libc6-dev
gcc -static-pie -O2 -Wall -o "$out/helloworld" "$here/main.c"
