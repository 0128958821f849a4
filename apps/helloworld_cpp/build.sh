#!/usr/bin/env bash
# The C++ hello world, dynamically linked (libstdc++, libm, libgcc_s, libc),
# with its closure copied into the rootfs directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs g++
g++ -O2 -Wall -o "$out/helloworld_cpp" "$here/../helloworld_cpp/main.cc"
extract "$out/helloworld_cpp"
