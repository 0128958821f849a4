#!/usr/bin/env bash
# The Rust hello world, dynamically linked against glibc (libc.so.6,
# libgcc_s), with its closure copied into the rootfs directory $1. Built
# with Debian's rustc directly (no cargo: no crates to fetch).
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs rustc gcc libc6-dev
# /usr/bin/rustc: Debian's, not a rustup toolchain that may come first on PATH.
RUSTC=${RUSTC:-/usr/bin/rustc}
"$RUSTC" -C opt-level=2 -C strip=debuginfo -o "$out/helloworld_rust" "$here/main.rs"
extract "$out/helloworld_rust"
