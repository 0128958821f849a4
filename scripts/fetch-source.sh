#!/usr/bin/env bash
# Fetches a Debian source package (e.g. elfutils) and unpacks it under the
# build tree, so third-party code is built from Debian's sources but never
# committed. Usage: fetch-source.sh <srcpkg>[=<version>] <destdir>
#
# Idempotent: <destdir>/.<srcpkg>.stamp marks a finished fetch; without it,
# each step still skips what an interrupted earlier run already did (the
# download is kept in <destdir>/.dl-<srcpkg>, the tree is moved into place
# only once complete). Works as root without sudo; a normal user needs sudo
# only if the package index has to be refreshed.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 <srcpkg>[=<version>] <destdir>" >&2
	exit 2
fi
spec=$1
name=${spec%%=*}
mkdir -p "$2"
dest=$(cd "$2" && pwd)
stamp=$dest/.$name.stamp
dl=$dest/.dl-$name

[ -f "$stamp" ] && exit 0

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

# As root apt drops privileges to _apt, which cannot write into a directory
# owned by root; downloading as root is what the warning would fall back to.
apt_opts=(-qq --download-only)
[ "$(id -u)" = 0 ] && apt_opts+=(-o APT::Sandbox::User=root)

mkdir -p "$dl"
cd "$dl"
if ! compgen -G "${name}_*.dsc" >/dev/null; then
	echo "  FETCH   $spec (Debian source package)"
	if ! apt-get source "${apt_opts[@]}" "$spec" >/dev/null 2>&1; then
		# A fresh machine may not have the deb-src index yet.
		$SUDO apt-get update -qq
		if ! apt-get source "${apt_opts[@]}" "$spec" >/dev/null; then
			echo "fetch-source: cannot fetch $spec; is a deb-src" \
				"entry configured? (make setup adds one)" >&2
			exit 1
		fi
	fi
fi

dsc=$(compgen -G "${name}_*.dsc" | sort -V | tail -n1)
# The tree is named after the upstream version: no epoch, no Debian revision.
ver=$(sed -n 's/^Version: *//p' "$dsc")
upver=${ver#*:}
upver=${upver%-*}
tree=$dest/$name-$upver

if [ ! -d "$tree" ]; then
	echo "  UNPACK  $name-$upver"
	rm -rf "$dl/tree"
	# Debian's patches only concern the tools, tests and other ports;
	# skipping them keeps the unpack a plain extraction of pristine sources.
	# Unpacking inside $dl keeps dpkg-source from copying the tarball
	# next to the tree.
	dpkg-source --no-check -x --skip-patches "$dsc" "$dl/tree" >/dev/null
	mv "$dl/tree" "$tree"
fi

touch "$stamp"
