#!/usr/bin/env bash
# Builds the guest's libelf subset (same sources, compat headers and glue)
# for the host and runs smoke.c against it. Usage: smoke.sh [build-dir]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=${1:-$top/build}
tp=$build/third_party
src=$tp/elfutils-0.188
out=$build/libelf-smoke

bash "$top/scripts/fetch-source.sh" elfutils "$tp"

# The file list is the one lib/libelf/Makefile.uk builds for the guest.
files=$(sed -n '/^LIBLIBELF_FILES :=/,/^$/p' "$here/../Makefile.uk" |
	grep -o '[a-z0-9_]*\.c')

# Guest flags, less the kernel code model, so the objects link into a
# normal (non-PIE) host program; libc calls resolve to glibc.
cflags=(-std=gnu11 -O2 -g -ffreestanding -nostdinc
	-isystem "$(gcc -print-file-name=include)" -fno-pie -mno-red-zone
	-mgeneral-regs-only -fno-asynchronous-unwind-tables
	-I"$top/lib/nolibc/include" -I"$out/uapi" -I"$here/../compat"
	-I"$src/libelf" -I"$src/lib" -D_GNU_SOURCE -DHAVE_CONFIG_H -D__thread=)

# nolibc's errno.h takes Linux's values from the uapi headers, as the
# guest build links them (scripts/build.mk).
mkdir -p "$out/uapi"
ln -sfn /usr/include/asm-generic "$out/uapi/asm-generic"
objs=()
for f in $files; do
	gcc "${cflags[@]}" -Wall -Wextra -c "$src/libelf/$f" -o "$out/${f%.c}.o"
	objs+=("$out/${f%.c}.o")
done
gcc "${cflags[@]}" -Wall -Wextra -Werror -c "$here/../glue.c" -o "$out/glue.o"
gcc -std=gnu11 -O0 -g -fno-pie -Wall -Wextra -Werror -I"$src/libelf" \
	-c "$here/smoke.c" -o "$out/smoke.o"
gcc -no-pie -o "$out/smoke" "$out/smoke.o" "$out/glue.o" "${objs[@]}"
"$out/smoke"
