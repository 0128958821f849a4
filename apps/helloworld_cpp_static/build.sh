#!/usr/bin/env bash
# The C++ hello world (apps/helloworld_cpp/main.cc) linked statically as a
# static-PIE: libstdc++, libgcc_eh and glibc all inside the one binary.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs g++
g++ -static-pie -O2 -Wall -o "$out/helloworld_cpp_static" "$here/../helloworld_cpp/main.cc"
