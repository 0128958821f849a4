#!/usr/bin/env bash
# The Rust hello world (apps/helloworld_rust/main.rs) for the
# x86_64-unknown-linux-musl target: a static(-PIE) binary with musl inside,
# into the rootfs directory $1.
#
# Needs a Rust standard library built for that target. Debian 12 ships none
# (its rustc packages carry only x86_64-unknown-linux-gnu, plus wasm32 and
# windows; there is no musl libstd package), and rustup's downloads are out
# of reach here, so with Debian's rustc this recipe fails with a message
# saying so. RUSTC=/path/to/rustc picks a toolchain that has the target
# (e.g. one where `rustup target add x86_64-unknown-linux-musl` was run).
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs rustc musl-tools
RUSTC=${RUSTC:-/usr/bin/rustc}
target=x86_64-unknown-linux-musl
libdir=$("$RUSTC" --target "$target" --print target-libdir 2>/dev/null || true)
if ! compgen -G "$libdir/libstd-*.rlib" >/dev/null; then
	cat >&2 <<MSG
helloworld_rust_static_musl: cannot build: $RUSTC ($("$RUSTC" --version 2>/dev/null))
has no standard library for $target (nothing like libstd-*.rlib in
${libdir:-its target-libdir}). Debian 12 packages no Rust std for musl
targets (only x86_64-unknown-linux-gnu, wasm32 and windows), and rustup's
downloads cannot be reached from here. Set RUSTC to a rustc whose sysroot
has the $target target to build this app.
MSG
	exit 1
fi
"$RUSTC" --target "$target" -C opt-level=2 -C strip=debuginfo \
	-C target-feature=+crt-static \
	-o "$out/helloworld_rust_static_musl" "$here/../helloworld_rust/main.rs"
if readelf -lW "$out/helloworld_rust_static_musl" | grep -q 'program interpreter'; then
	echo "helloworld_rust_static_musl: expected a static binary" >&2
	exit 1
fi
