#!/usr/bin/env bash
# Applies our patches to a third-party tree unpacked by fetch-source.sh
# (patch -p1 from the tree's top), each once: a patch already in the
# tree is left alone, so the step can run again after a new patch is
# added.
# usage: apply-patches.sh TREE PATCH...
set -eu
tree=$(cd "$1" && pwd)
shift
for p in "$@"; do
	if patch -s -p1 -R --dry-run -d "$tree" < "$p" >/dev/null 2>&1; then
		continue
	fi
	echo "  PATCH   $(basename "$tree"): $(basename "$p")"
	if ! patch -s -p1 -N -d "$tree" < "$p"; then
		echo "apply-patches: $p does not apply to $tree (an older version of it applied?" \
		     "remove $tree to unpack it again)" >&2
		exit 1
	fi
done
