# shellcheck shell=bash
# Shared helpers for the app recipes (apps/<name>/build.sh), sourced as
#   . "$(dirname "$0")/../_lib.sh"
# Sets: here (the recipe's folder), TOP (the repo), out (ROOTFS_DIR = $1).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$here/../.." && pwd)
out=${1:?usage: build.sh ROOTFS_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The closure copier: extract.sh <binary> [dest-rootfs] copies a binary, its
# interpreter and its shared libraries into the rootfs, keeping paths and
# symlinks. EXTRACT overrides it (e.g. for trying another copier).
EXTRACT=${EXTRACT:-$TOP/extract.sh}

# A fixed time for the files the recipes make, so that archives and
# listings of them come out the same on every build.
FIXED_TIME="2021-06-15 12:34:56 UTC"

# need_pkgs PKG...: installs the Debian packages that are missing.
need_pkgs() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	echo "apps: installing ${missing[*]}" >&2
	# The package lists may be missing or stale on a fresh machine.
	$SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2 || {
		$SUDO apt-get update -qq >&2
		$SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2
	}
}

# extract BINARY...: each binary with its interpreter and library closure.
extract() {
	local b
	[ -x "$EXTRACT" ] || {
		echo "apps: $EXTRACT: missing (needed to copy shared libraries)" >&2
		return 1
	}
	for b in "$@"; do
		"$EXTRACT" "$b" "$out" >&2
	done
}

# fix_time PATH...: gives files (not following symlinks) the fixed time.
fix_time() {
	touch -h -d "$FIXED_TIME" "$@"
}

# make_data FILE: a deterministic text file (~220 KB, 4000 lines of
# pseudo-random words from a fixed-seed generator; the arithmetic stays exact
# in awk's doubles) that compresses well but not trivially.
make_data() {
	awk 'BEGIN {
		split("alpha bravo charlie delta echo foxtrot golf hotel india " \
		      "juliett kilo lima mike november oscar papa quebec romeo " \
		      "sierra tango uniform victor whiskey xray yankee zulu", w, " ")
		s = 12345
		for (i = 1; i <= 4000; i++) {
			line = sprintf("%05d", i)
			for (j = 0; j < 6; j++) {
				s = (s * 69069 + 1) % 4294967296
				line = line " " w[int(s / 65536) % 26 + 1]
			}
			s = (s * 69069 + 1) % 4294967296
			printf "%s %.0f\n", line, s
		}
	}' > "$1"
	chmod 644 "$1"
	fix_time "$1"
}

# ship_passwd: a minimal /etc/passwd and /etc/group naming root, so that
# ls -l and friends print names instead of numbers.
ship_passwd() {
	mkdir -p "$out/etc"
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$out/etc/passwd"
	printf 'root:x:0:\n' > "$out/etc/group"
	chmod 644 "$out/etc/passwd" "$out/etc/group"
}
