#!/usr/bin/env bash
# A stand-in for qemu-system-x86_64 (run.sh's QEMU=): under -accel kvm it
# behaves as $STANDIN_KVM says, any other run goes to the real QEMU. Every
# call's arguments are appended, one call a line, to $STANDIN_LOG.
#   abort  as a nested paravirtual KVM that refuses the CPU model's MSRs
#   hang   as one that stops at the first SSE instruction: QEMU stays up
#   works  as a working KVM: the run goes on under TCG, -cpu host as max
printf '%s\n' "$*" >>"${STANDIN_LOG:-/dev/null}"
args=("$@")
kvm=0
for ((i = 0; i < ${#args[@]}; i++)); do
	[ "${args[i]}" = -accel ] && [ "${args[i + 1]:-}" = kvm ] && kvm=1
done
if [ $kvm = 1 ]; then
	case ${STANDIN_KVM:-abort} in
	abort)
		echo "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69" >&2
		echo "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion \`ret == cpu->kvm_msr_buf->nmsrs' failed." >&2
		kill -ABRT $$
		;;
	hang)
		echo "KVM internal error. Suberror: 1" >&2
		echo "emulation failure" >&2
		exec sleep 60
		;;
	works)
		for ((i = 0; i < ${#args[@]}; i++)); do
			case ${args[i]} in
			kvm) [ "${args[i - 1]}" = -accel ] && args[i]=tcg ;;
			host) [ "${args[i - 1]}" = -cpu ] && args[i]=max ;;
			esac
		done
		;;
	esac
fi
exec qemu-system-x86_64 "${args[@]}"
