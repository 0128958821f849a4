#!/usr/bin/env bash
# Chooses QEMU's accelerator for our guest: KVM where a probe boot of the
# kernel under KVM succeeded on this host, TCG otherwise. A /dev/kvm that
# opens is not enough: nested and paravirtual KVMs exist that refuse our
# CPU model (QEMU aborts setting an MSR) or stop at the first SSE
# instruction, and QEMU's own "-accel kvm -accel tcg" only falls back when
# the device cannot be opened.
#
# Sourced (run.sh, bench/run-bench.sh): `uk_accel KERNEL MACHINE-OPTION`
# sets UK_ACCEL_NAME (kvm|tcg), UK_ACCEL_ARGS (QEMU's -accel and -cpu) and
# UK_ACCEL_WHY (one line: the choice and its reason). The host's own
# choice goes to stderr when it differs from the last one said on this host
# (so the first run tells, later ones do not); with UK_ACCEL_VERBOSE=1
# every choice does, a forced one included.
# Run: `scripts/accel.sh [-v] [KERNEL [MACHINE-OPTION]]` decides as a run
# would (saying the line if it is new on this host; always with -v).
#
# The probe's verdict is cached in $UK_ACCEL_CACHE (default build/accel),
# keyed by the kernel image, the QEMU binary, the device and the host's
# boot; `rm -rf build/accel` forgets it (docs/accelerator.md).
# Environment: UK_ACCEL=kvm|tcg forces a choice (no probe; UK_ACCEL_BY says
# who forced it, for the line); QEMU names the
# QEMU binary (default qemu-system-x86_64); UK_KVM_DEV the device
# (default /dev/kvm); UK_ACCEL_PROBE_SECS the probe's time limit (10).

UK_ACCEL_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The status a probe boot ends with (UKPLAT_PROBE_STATUS 0x5a), as QEMU's
# isa-debug-exit reports it: (status << 1) | 1.
UK_ACCEL_PROBE_EXIT=181

# uk_accel_probe KERNEL MACHINE CPU: boots the probe under KVM; 0 when it
# reached the end, else prints QEMU's complaint.
uk_accel_probe() {
	local kernel=$1 machine=$2 cpu=$3 err pid i rc limit
	limit=$(( ${UK_ACCEL_PROBE_SECS:-10} * 50 ))
	err=$(mktemp)
	"${QEMU:-qemu-system-x86_64}" -M "$machine" -accel kvm -cpu "$cpu" -m 64M \
		-nodefaults -no-reboot -display none \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-kernel "$kernel" -append probe=accel </dev/null >/dev/null 2>"$err" &
	pid=$!
	# A KVM that fails mid-run leaves QEMU alive and paused: watch for
	# its report rather than waiting out the limit.
	for ((i = 0; i < limit; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		grep -q 'KVM internal error\|KVM_EXIT\|kvm run failed' "$err" && break
		sleep 0.02
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		rc=timeout
	else
		wait "$pid"
		rc=$?
	fi
	if [ "$rc" = "$UK_ACCEL_PROBE_EXIT" ]; then
		rm -f "$err"
		return 0
	fi
	local msg
	msg=$(grep -m1 -iE 'error|fail|assert|cannot|could not' "$err" | sed 's/^qemu-system-x86_64: //')
	[ -n "$msg" ] || msg=$(head -n1 "$err")
	if [ -z "$msg" ]; then
		if [ "$rc" = timeout ]; then
			msg="no answer in ${UK_ACCEL_PROBE_SECS:-10} s"
		else
			msg="exit code $rc"
		fi
	fi
	rm -f "$err"
	printf '%s' "$msg"
	return 1
}

# uk_accel_key KERNEL MACHINE DEV: what the verdict depends on.
uk_accel_key() {
	local q
	q=$(command -v "${QEMU:-qemu-system-x86_64}") || q=none
	{
		md5sum <"$1"
		printf '%s\n' "$2" "$q"
		stat -L -c '%s %Y %i' "$q" 2>/dev/null
		stat -L -c '%t:%T %Z' "$3" 2>/dev/null
		cat /proc/sys/kernel/random/boot_id 2>/dev/null
	} | md5sum | cut -c1-16
}

uk_accel() {
	local kernel=$1 machine=${2:-microvm} dev=${UK_KVM_DEV:-/dev/kvm}
	local cache=${UK_ACCEL_CACHE:-$UK_ACCEL_TOP/build/accel} cpu msg key
	UK_ACCEL_NAME=tcg
	UK_ACCEL_ARGS=(-accel tcg -cpu max)
	case ${UK_ACCEL:-} in
	tcg) UK_ACCEL_WHY="accelerator: TCG (${UK_ACCEL_BY:-UK_ACCEL=tcg})" ;;
	kvm)
		UK_ACCEL_NAME=kvm
		UK_ACCEL_ARGS=(-accel kvm -cpu host)
		UK_ACCEL_WHY="accelerator: KVM (${UK_ACCEL_BY:-UK_ACCEL=kvm}, not probed)"
		;;
	"")
		if [ ! -e "$dev" ]; then
			UK_ACCEL_WHY="accelerator: TCG: no KVM on this host ($dev does not exist)"
		elif [ ! -r "$dev" ] || [ ! -w "$dev" ]; then
			UK_ACCEL_WHY="accelerator: TCG: KVM at $dev is not readable and writable by this user"
		else
			mkdir -p "$cache"
			key=$cache/$(uk_accel_key "$kernel" "$machine" "$dev")
			if [ ! -s "$key" ]; then
				local verdict=
				for cpu in host max; do
					if msg=$(uk_accel_probe "$kernel" "$machine" "$cpu"); then
						verdict="kvm $cpu accelerator: KVM at $dev (-cpu $cpu ran the probe boot)"
						break
					fi
					[ -n "$verdict" ] ||
						verdict="tcg - accelerator: TCG: KVM at $dev cannot run this guest (QEMU: $msg): using TCG"
				done
				printf '%s\n' "$verdict" >"$key.$$" && mv -f "$key.$$" "$key"
				# Verdicts for kernels long rebuilt are of no use.
				find "$cache" -name '????????????????' -mtime +7 -delete 2>/dev/null
			fi
			local name rest
			read -r name cpu rest <"$key"
			UK_ACCEL_WHY=$rest
			if [ "$name" = kvm ]; then
				UK_ACCEL_NAME=kvm
				UK_ACCEL_ARGS=(-accel kvm -cpu "$cpu")
			fi
		fi
		;;
	*)
		echo "UK_ACCEL=$UK_ACCEL: expected kvm or tcg" >&2
		return 2
		;;
	esac
	# The host's own verdict is said once (per clone's build folder), a
	# forced one only on request; both with -v.
	local said=$cache/said
	if [ "${UK_ACCEL_VERBOSE:-0}" = 1 ]; then
		printf '%s\n' "$UK_ACCEL_WHY" >&2
	elif [ -z "${UK_ACCEL:-}" ] && [ "$(cat "$said" 2>/dev/null)" != "$UK_ACCEL_WHY" ]; then
		printf '%s\n' "$UK_ACCEL_WHY" >&2
		mkdir -p "$cache" && printf '%s\n' "$UK_ACCEL_WHY" >"$said"
	fi
	return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	[ "${1:-}" = -v ] && { export UK_ACCEL_VERBOSE=1; shift; }
	uk_accel "${1:-$UK_ACCEL_TOP/build/elfloader_kvm-x86_64}" \
		"${2:-microvm,x-option-roms=off,rtc=on,pit=on}" 2>&1
fi
