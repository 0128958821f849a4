#!/usr/bin/env bash
# Runs an app of the catalogue (apps/<name>/): sets up the machine and
# builds the kernel on first use, builds the app's root file system with
# its recipe (cached under build/apps/), then boots it with run.sh.
set -eu
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

apps() {
	for d in "$TOP"/apps/*/; do
		[ -x "$d/build.sh" ] && basename "$d"
	done
}

usage() {
	cat >&2 <<USAGE
usage: run_app.sh [-l] [run.sh options] <app> [args...]
  -l   start a dynamically linked app through its dynamic loader, named
       as the program (tells loader trouble from the kernel's PT_INTERP path)
  run.sh options (-m, -M, -c, -d, -g, -s, -v, -i, -n, -p H:G, -e VAR=VAL, -k)
  pass through. The rootfs is shared over 9p (what the app writes lands
  in build/apps/<app>/rootfs) unless -i asks for a RAM copy.
apps:
USAGE
	apps | sed 's/^/  /' >&2
	exit 2
}

via_loader=
runopts=()
while [ $# -gt 0 ]; do
	case $1 in
	-l) via_loader=1; shift ;;
	-h | --help) usage ;;
	-[kmMceqp]) runopts+=("$1" "$2"); shift 2 ;;
	-[dgsvin]) runopts+=("$1"); shift ;;
	-*) echo "run_app.sh: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
app=$1
shift
dir=$TOP/apps/$app
[ -x "$dir/build.sh" ] || { echo "run_app.sh: no app named '$app'" >&2; usage; }

# First use on this machine: install what is needed, build the kernel.
[ -f "$TOP/build/.setup-done" ] || make -s -C "$TOP" setup >&2
make -s -C "$TOP" >&2

# The app's rootfs, rebuilt when its recipe folder changes.
out=$TOP/build/apps/$app
stamp=$out/.built
if [ ! -f "$stamp" ] || [ -n "$(find "$dir" "$TOP/apps/_lib.sh" -newer "$stamp" -print -quit)" ]; then
	rm -rf "$out"
	mkdir -p "$out/rootfs"
	"$dir/build.sh" "$out/rootfs" >&2
	touch "$stamp"
fi

read -r -a cmd < "$dir/cmd"
if [ -n "$via_loader" ]; then
	interp=$(readelf -lW "$out/rootfs${cmd[0]}" 2>/dev/null |
		sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	if [ -z "$interp" ]; then
		echo "run_app.sh: $app is statically linked: -l applies to dynamic apps" >&2
		exit 2
	fi
	cmd=("$interp" "${cmd[@]}")
fi
exec "$TOP/run.sh" "${runopts[@]}" -r "$out/rootfs" "${cmd[@]}" "$@"
