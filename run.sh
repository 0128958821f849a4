#!/usr/bin/env bash
# Boots the unikernel with a program from a root file system (or a single
# binary) and gives it this terminal's stdin, stdout and stderr. Exits with
# the program's status (128+N when signal N killed it).
set -eu
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	cat >&2 <<USAGE
usage: run.sh [options] /path/in/rootfs [args...]
       run.sh [options] ./host-binary [args...]   (without -r: packed alone)
options:
  -k KERNEL    kernel image (default: build/elfloader_kvm-x86_64)
  -r ROOTFS    directory to pack as the root file system (cpio initrd)
  -m MEM       guest memory, QEMU syntax (default: 256M)
  -M MACHINE   microvm (default), pc or q35
  -e VAR=VAL   add to the program's environment (repeatable)
  -d           force TCG (no KVM)
  -g           start QEMU's GDB stub on :1234 and wait for GDB
  -s           trace system calls (kernel built with LIBSYSCALL_STRACE)
  -v           print the program's load base and entry point
  -q ARGS      extra QEMU arguments (word-split)
USAGE
	exit 2
}

kernel=$TOP/build/elfloader_kvm-x86_64
rootfs= mem=256M machine=microvm
# KVM where the host has it, TCG otherwise (QEMU falls back by itself, but
# says so on every run when /dev/kvm is missing).
accel="-accel kvm -accel tcg"
[ -w /dev/kvm ] || accel="-accel tcg"
gdb= strace= verbose= extra=
envs=()
while getopts "k:r:m:M:e:dgsvq:h" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	r) rootfs=$OPTARG ;;
	m) mem=$OPTARG ;;
	M) machine=$OPTARG ;;
	e) envs+=("$OPTARG") ;;
	d) accel="-accel tcg" ;;
	g) gdb="-s -S" ;;
	s) strace=1 ;;
	v) verbose=1 ;;
	q) extra=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
prog=$1
shift

if [ ! -f "$kernel" ] || [ ! -x "$TOP/build/tools/ukconsole" ]; then
	make -s -C "$TOP" >&2
fi

# The initrd: a cached newc archive of the rootfs, or of the lone binary.
cache=$TOP/build/initrd
mkdir -p "$cache"
if [ -n "$rootfs" ]; then
	[ -d "$rootfs" ] || { echo "run.sh: $rootfs: not a directory" >&2; exit 2; }
	rootfs=$(cd "$rootfs" && pwd)
	# One archive per rootfs folder, repacked when anything in it changed.
	where=$(printf '%s' "$rootfs" | md5sum | cut -c1-12)
	key=$(cd "$rootfs" && find . -printf '%p %s %T@ %m %l\n' | sort | md5sum | cut -c1-16)
	initrd=$cache/rootfs-$where-$key.cpio
	if [ ! -f "$initrd" ]; then
		rm -f "$cache/rootfs-$where-"*.cpio
		(cd "$rootfs" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$initrd.tmp.$$"
		mv "$initrd.tmp.$$" "$initrd"
	fi
else
	[ -f "$prog" ] || { echo "run.sh: $prog: no such file" >&2; exit 127; }
	tmp=$(mktemp -d "$cache/bin.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	cp "$prog" "$tmp/$(basename "$prog")"
	initrd=$tmp/initrd.cpio
	(cd "$tmp" && basename "$prog" | cpio -o -H newc --quiet) > "$initrd"
	prog=/$(basename "$prog")
fi

# Boot arguments: every word %XX-encoded so spaces and any byte survive;
# an empty word is %00.
enc() {
	local s=$1 out= c i h
	[ -n "$s" ] || { printf '%%00'; return; }
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._/,:=+@-]) out+=$c ;;
		*) printf -v h '%%%02X' "'$c"; out+=${h: -3} ;;
		esac
	done
	printf '%s' "$out"
}
export LC_ALL=C

tty=0
[ -t 0 ] && tty=$((tty | 1))
[ -t 1 ] && tty=$((tty | 2))
[ -t 2 ] && tty=$((tty | 4))
cmdline="tty=$tty"
if [ -t 1 ] && size=$(stty size 2>/dev/null); then
	cmdline+=" winsize=${size% *}x${size#* }"
fi
[ -n "$strace" ] && cmdline+=" strace=1"
[ -n "$verbose" ] && cmdline+=" verbose=1"
defaults=("PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
	"HOME=/" "TERM=${TERM:-linux}" "LANG=C.UTF-8")
for e in "${defaults[@]}" "${envs[@]}"; do
	cmdline+=" env=$(enc "$e")"
done
cmdline+=" --"
for a in "$prog" "$@"; do
	cmdline+=" $(enc "$a")"
done

case $machine in
microvm) mach="-M microvm,x-option-roms=off,rtc=on,pit=on" ;;
pc | q35) mach="-M $machine" ;;
*) echo "run.sh: unknown machine $machine" >&2; exit 2 ;;
esac

status=0
# shellcheck disable=SC2086
"$TOP/build/tools/ukconsole" qemu-system-x86_64 $mach $accel -cpu max \
	-m "$mem" -nodefaults -no-reboot -display none \
	-chardev stdio,id=com1,signal=off -chardev file,id=com2,path=/proc/self/fd/3 \
	-device isa-serial,chardev=com1,iobase=0x3f8,irq=4 \
	-device isa-serial,chardev=com2,iobase=0x2f8,irq=3 \
	-device isa-debug-exit,iobase=0xf4,iosize=4 \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" $gdb $extra || status=$?
exit $status
