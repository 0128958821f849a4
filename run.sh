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
  -r ROOTFS    directory to use as the root file system: shared with the
               guest over virtio-9p (what the program writes lands there)
  -i           with -r: pack ROOTFS into a cpio initrd instead (a RAM copy;
               writes are lost when the guest stops)
  -b SRC:DEST[:ro]  the host directory SRC over another virtio-9p share on
               DEST in the root (made if missing; repeatable; a bind mount)
  -m MEM       guest memory, QEMU syntax (default: 256M)
  -M MACHINE   microvm (default), pc or q35
  -c N         N virtual CPUs (default 1, or UK_CPUS; QEMU -smp N, found by the kernel
               in ACPI's MADT); under TCG, N > 1 runs them in parallel on
               the host's cores (-accel tcg,thread=multi): docs/smp.md
  -e VAR=VAL   add to the program's environment (repeatable)
  -d           force TCG (no KVM; UK_ACCEL=kvm|tcg forces either; without
               them a cached probe boot decides: docs/accelerator.md)
  -g           start QEMU's GDB stub on :1234 and wait for GDB
  -s           trace system calls (kernel built with LIBSYSCALL_STRACE)
  -v           print the accelerator chosen and why, and the program's
               load base and entry point
  -q ARGS      extra QEMU arguments (word-split)
  -n           network: a virtio-net device on QEMU's user-mode networking
               (guest 10.0.2.15/24, gateway and host 10.0.2.2)
  -p H:G       with -n: forward host TCP port H to guest port G (repeatable)
  -t TAP       network through the host's tap interface TAP instead of
               user-mode networking (bridge it yourself; the guest takes
               its address by DHCP unless -a ip=ADDR/PREFIX -a gw=ADDR)
  -a WORD      an extra boot argument for the kernel (repeatable), e.g.
               -a netstat=5 (network counters every 5 s on stderr)
  -E           the program's environment is the -e variables alone (no
               PATH, HOME, TERM, LANG defaults)
  -S           signals to run.sh (but SIGKILL) go to the program in the
               guest, not to QEMU; SIGKILL ends QEMU (a container's kill)
USAGE
	exit 2
}

kernel=$TOP/build/elfloader_kvm-x86_64
rootfs= mem=256M machine=microvm cpus=${UK_CPUS:-1}
QEMU=${QEMU:-qemu-system-x86_64}
gdb= strace= verbose= extra= use_initrd=
envs=()
net= fwds= tap= guest_signals= noenv=
bootargs=() binds=()
while getopts "k:r:m:M:c:e:dgsvq:ihnp:t:a:SEb:" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	r) rootfs=$OPTARG ;;
	m) mem=$OPTARG ;;
	M) machine=$OPTARG ;;
	c) cpus=$OPTARG ;;
	e) envs+=("$OPTARG") ;;
	d) export UK_ACCEL=tcg UK_ACCEL_BY="run.sh -d" ;;
	g) gdb="-s -S" ;;
	s) strace=1 ;;
	v) verbose=1 ;;
	q) extra=$OPTARG ;;
	i) use_initrd=1 ;;
	n) net=1 ;;
	p) fwds+=",hostfwd=tcp:127.0.0.1:${OPTARG%%:*}-:${OPTARG#*:}" ;;
	t) tap=$OPTARG ;;
	a) bootargs+=("$OPTARG") ;;
	S) guest_signals=--guest-signals ;;
	E) noenv=1 ;;
	b) binds+=("$OPTARG") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
# The kernel takes up to 64 CPUs (UKPLAT_MAX_CPUS).
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] && [ "$cpus" -le 64 ] ||
	{ echo "run.sh: -c $cpus: expected a number of CPUs from 1 to 64" >&2; exit 2; }
prog=$1
shift

if [ ! -f "$kernel" ] || [ ! -x "$TOP/build/tools/ukconsole" ]; then
	make -s -C "$TOP" >&2
fi

# The root: the rootfs directory over 9p, or an initrd: a cached newc
# archive of the rootfs (-i), or of the lone binary.
cache=$TOP/build/initrd
mkdir -p "$cache"
share=()
initrd= tmp=
if [ -n "$rootfs" ]; then
	[ -d "$rootfs" ] || { echo "run.sh: $rootfs: not a directory" >&2; exit 2; }
	rootfs=$(cd "$rootfs" && pwd)
fi
case $machine in
microvm) dev9p=virtio-9p-device ;;
*) dev9p=virtio-9p-pci ;;
esac
if [ -n "$rootfs" ] && [ -z "$use_initrd" ]; then
	# QEMU's option syntax doubles commas inside a value.
	share=(-fsdev "local,id=fs0,path=${rootfs//,/,,},security_model=none,multidevs=remap"
		-device "$dev9p,fsdev=fs0,mount_tag=rootfs")
elif [ -n "$rootfs" ]; then
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
[ ${#share[@]} -eq 0 ] || cmdline+=" root=9p:rootfs"
# Bind mounts: one 9p device each, tagged bindN, mounted by the kernel.
for ((i = 0; i < ${#binds[@]}; i++)); do
	b=${binds[i]} ro=
	src=${b%%:*} dest=${b#*:}
	case $dest in *:ro) dest=${dest%:ro} ro=,readonly=on ;; esac
	[ -d "$src" ] || { echo "run.sh: -b $b: $src is not a directory" >&2; exit 2; }
	[[ "$dest" =~ ^/[A-Za-z0-9._/+@-]*$ ]] ||
		{ echo "run.sh: -b $b: the destination must be an absolute path of [A-Za-z0-9._/+@-]" >&2; exit 2; }
	src=$(cd "$src" && pwd)
	share+=(-fsdev "local,id=bind$i,path=${src//,/,,},security_model=none,multidevs=remap$ro"
		-device "$dev9p,fsdev=bind$i,mount_tag=bind$i")
	cmdline+=" mount=9p:bind$i:$dest"
done
if [ -t 1 ] && size=$(stty size 2>/dev/null); then
	cmdline+=" winsize=${size% *}x${size#* }"
fi
[ -n "$strace" ] && cmdline+=" strace=1"

case $machine in
microvm) mach=microvm,x-option-roms=off,rtc=on,pit=on ;;
pc | q35) mach=$machine ;;
*) echo "run.sh: unknown machine $machine" >&2; exit 2 ;;
esac
# shellcheck source=scripts/accel.sh
. "$TOP/scripts/accel.sh"
UK_ACCEL_VERBOSE=${verbose:-0} uk_accel "$kernel" "$mach" || exit 2
# TCG runs the guest on the host's TSC: pass its rate (measured once) so
# the guest skips its own calibration. Not with -icount, whose TSC is
# virtual.
if [ "$UK_ACCEL_NAME" = tcg ] && [[ "$extra" != *icount* ]]; then
	khz_file=$TOP/build/.host-tsc-khz
	[ -s "$khz_file" ] || "$TOP/build/tools/ukconsole" --tsc-khz > "$khz_file" 2>/dev/null
	khz=$(cat "$khz_file" 2>/dev/null)
	[ -n "$khz" ] && cmdline+=" tsc_khz=$khz"
fi
# Several CPUs under TCG: one host thread each, so that they really run
# at once (and races show). -icount needs TCG's single thread.
if [ "$cpus" -gt 1 ] && [ "$UK_ACCEL_NAME" = tcg ] && [[ "$extra" != *icount* ]]; then
	for ((i = 0; i < ${#UK_ACCEL_ARGS[@]}; i++)); do
		[ "${UK_ACCEL_ARGS[i]}" = tcg ] && UK_ACCEL_ARGS[i]=tcg,thread=multi
	done
fi
[ -n "$verbose" ] && cmdline+=" verbose=1"
# QEMU's user networking: the guest is 10.0.2.15, the host 10.0.2.2.
# With a tap the address comes from DHCP or -a ip=... gw=...
netopt=()
if [ -n "$net" ] || [ -n "$tap" ]; then
	case $machine in
	microvm) devnet=virtio-net-device ;;
	*) devnet=virtio-net-pci ;;
	esac
	if [ -n "$tap" ]; then
		[ -z "$fwds" ] || { echo "run.sh: -p needs user-mode networking (-n), not -t" >&2; exit 2; }
		netopt=(-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no"
			-device "$devnet,netdev=n0")
		[[ " ${bootargs[*]} " == *" ip="* ]] || cmdline+=" ip=dhcp"
	else
		netopt=(-netdev "user,id=n0$fwds" -device "$devnet,netdev=n0")
		cmdline+=" ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3"
	fi
fi
for a in "${bootargs[@]}"; do
	case $a in
	*" "* | "" | --) echo "run.sh: -a $a: a boot argument is one word" >&2; exit 2 ;;
	esac
	cmdline+=" $a"
done
defaults=("PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
	"HOME=/" "TERM=${TERM:-linux}" "LANG=C.UTF-8")
[ -z "$noenv" ] || defaults=()
for e in "${defaults[@]}" "${envs[@]}"; do
	cmdline+=" env=$(enc "$e")"
done
cmdline+=" --"
for a in "$prog" "$@"; do
	cmdline+=" $(enc "$a")"
done

rdopt=()
[ -z "$initrd" ] || rdopt=(-initrd "$initrd")

# COM2 is ukconsole's socket on fd 3: the guest's stderr out, control
# frames (signals for the program) in.
# shellcheck disable=SC2086
cmd=("$TOP/build/tools/ukconsole" $guest_signals "$QEMU" -M "$mach" "${UK_ACCEL_ARGS[@]}"
	-smp "$cpus" -m "$mem" -nodefaults -no-reboot -display none
	-chardev stdio,id=com1,signal=off -chardev socket,id=com2,fd=3
	-device isa-serial,chardev=com1,iobase=0x3f8,irq=4
	-device isa-serial,chardev=com2,iobase=0x2f8,irq=3
	-device isa-debug-exit,iobase=0xf4,iosize=4
	"${share[@]}" "${netopt[@]}" -kernel "$kernel" "${rdopt[@]}"
	-append "$cmdline" $gdb $extra)
# Nothing to clean up afterwards: ukconsole takes this process's place,
# so that a signal to run.sh's PID reaches it (-S).
[ -n "$tmp" ] || exec "${cmd[@]}"
status=0
"${cmd[@]}" || status=$?
exit $status
