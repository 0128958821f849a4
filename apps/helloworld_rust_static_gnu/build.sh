#!/usr/bin/env bash
# The Rust hello world (apps/helloworld_rust/main.rs) linked statically
# against glibc with +crt-static: a static-PIE (ET_DYN, no PT_INTERP), into
# the rootfs directory $1.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs rustc gcc libc6-dev
RUSTC=${RUSTC:-/usr/bin/rustc}
"$RUSTC" -C opt-level=2 -C strip=debuginfo -C target-feature=+crt-static \
	-o "$out/helloworld_rust_static_gnu" "$here/../helloworld_rust/main.rs"
if readelf -lW "$out/helloworld_rust_static_gnu" | grep -q 'program interpreter'; then
	echo "helloworld_rust_static_gnu: expected a static binary" >&2
	exit 1
fi
