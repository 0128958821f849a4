#!/usr/bin/env bash
# Debian's bash with the everyday commands a shell session starts (coreutils,
# grep, sed, findutils, procps's ps, less's absence made up by cat) into the
# rootfs directory $1, each with its library closure; /etc/passwd naming
# root, /root as its home, an /etc/bash.bashrc that sets the prompt, and
# the terminal descriptions readline looks up by $TERM.
# shellcheck source=apps/_lib.sh
. "$(dirname "$0")/../_lib.sh"
need_pkgs bash coreutils grep sed findutils procps ncurses-base
extract /bin/bash /bin/sh
for c in ls cat cp mv rm mkdir rmdir ln chmod touch pwd sort uniq wc head tail tr \
	cut seq sleep env id uname date basename dirname expr true false tee yes \
	grep sed find xargs ps; do
	extract "$(type -P "$c")"
done
ship_passwd
mkdir -p "$out/root" "$out/tmp" "$out/etc" "$out/lib"
cp -a /lib/terminfo "$out/lib/"
chmod 1777 "$out/tmp"
printf 'PS1='"'"'\\w\\$ '"'"'\n' > "$out/etc/bash.bashrc"
