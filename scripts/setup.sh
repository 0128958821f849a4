#!/usr/bin/env bash
# Installs what the build, the run and the tests need on a Debian 12 machine.
# Idempotent: a second run installs nothing and fetches nothing.
set -eu

need_pkgs=(
	build-essential gcc clang lld make binutils
	qemu-system-x86 qemu-utils cpio
	musl-tools libelf-dev libzydis-dev libzycore-dev
	kconfig-frontends libncurses-dev
	dpkg-dev
	linux-image-amd64 busybox-static xz-utils
	file strace
	# make fuzz: libFuzzer and the sanitizers' runtimes, llvm-symbolizer
	libclang-rt-14-dev llvm
	# programs the catalogue and the tests take from Debian
	sqlite3 bc curl openssh-client python3-minimal python3 openssl bzip2 gzip
	perl git coreutils
	golang-go rustc g++
	redis-server nginx-light haproxy
	# load generators for the network load tests and make bench
	wrk apache2-utils
	# building the _static apps from Debian's source packages
	autoconf automake libtool bison flex ed tcl8.6 chrpath libreadline-dev zlib1g-dev
	# building redis7 (dynamic, against the system's libraries) from its source package
	pkg-config libjemalloc-dev liblzf-dev libssl-dev
	# tools/runuk (the OCI runtime): config.json through json-c, tc for
	# the guest's network; the container engines its tests drive
	libjson-c-dev iproute2 podman containerd runc
)

missing=()
for p in "${need_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

# Source packages (elfutils for the guest's libelf) need a deb-src entry.
# Derive one from the machine's own deb822 sources rather than naming a host.
ensure_deb_src() {
	local src=/etc/apt/sources.list.d/debian.sources
	local dst=/etc/apt/sources.list.d/uk-deb-src.sources
	[ -f "$dst" ] && return 1
	if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ ||
		grep -qs '^deb-src' /etc/apt/sources.list; then
		return 1
	fi
	if [ -f "$src" ]; then
		sed 's/^Types:.*/Types: deb-src/' "$src" | $SUDO tee "$dst" >/dev/null
	elif [ -f /etc/apt/sources.list ]; then
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
			$SUDO tee /etc/apt/sources.list.d/uk-deb-src.list >/dev/null
	fi
	return 0
}

updated=0
if ensure_deb_src; then
	$SUDO apt-get update -qq
	updated=1
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	[ $updated = 1 ] || $SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi
exit 0
