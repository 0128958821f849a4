#!/bin/sh
# Builds the hello world app as a glibc static-PIE into the rootfs directory $1.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh ROOTFS_DIR}
mkdir -p "$out"
gcc -static-pie -O2 -Wall -o "$out/helloworld" "$here/main.c"
