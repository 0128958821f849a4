#!/usr/bin/env bash
# coreutils' ls with its library closure, into the rootfs directory $1, plus
# /etc/passwd and /etc/group naming root and a small tree /tree with fixed
# modes, sizes and times (owned by whoever builds: root in the tests), for
# listings comparable with ls on the host.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs coreutils
extract /bin/ls
ship_passwd

t=$out/tree
rm -rf "$t"
mkdir -p "$t/sub/deeper" "$t/empty"
printf 'hello\n' > "$t/hello.txt"
printf '#!/bin/sh\necho run\n' > "$t/run.sh"
head -c 5000 /dev/zero | tr '\0' 'x' > "$t/sub/x5000"
printf 'secret\n' > "$t/.hidden"
printf 'deep\n' > "$t/sub/deeper/file"
: > "$t/zero-length"
ln -s hello.txt "$t/link-to-hello"
ln -s missing "$t/dangling"
chmod 755 "$t" "$t/sub" "$t/sub/deeper" "$t/run.sh"
chmod 700 "$t/empty"
chmod 644 "$t/hello.txt" "$t/sub/x5000" "$t/sub/deeper/file"
chmod 600 "$t/.hidden"
chmod 444 "$t/zero-length"
# Times: children first, the directories last (creating files changes them).
fix_time "$t/hello.txt" "$t/run.sh" "$t/.hidden" "$t/link-to-hello" "$t/dangling"
touch -d "2019-02-03 04:05:06 UTC" "$t/sub/x5000" "$t/sub/deeper/file"
touch -d "2000-01-01 00:00:00 UTC" "$t/zero-length"
touch -d "2022-12-31 23:59:59 UTC" "$t/sub/deeper" "$t/empty"
fix_time "$t/sub" "$t"
