/* The accelerator probe (boot argument probe=accel): run.sh boots the
 * kernel once under KVM with it to learn whether this host's KVM can run
 * the guest at all (some nested or paravirtual KVMs cannot). By the time
 * it runs, boot has gone through long mode, paging, the FPU with SSE and
 * XSAVE, the syscall MSRs, the LAPIC and the I/O APICs; the probe adds
 * what every program's first steps need: an extended-state save and
 * restore and one timer interrupt. It then exits with UKPLAT_PROBE_STATUS;
 * a KVM that cannot do one of these stops QEMU or hangs instead. */
#include <stdint.h>
#include <uk/plat.h>
#include "x86.h"

static uint8_t xstate[4096] __attribute__((aligned(64)));

void x86_accel_probe(void)
{
	if (ukplat_fpu_area_size() <= sizeof(xstate)) {
		ukplat_fpu_save(xstate);
		ukplat_fpu_restore(xstate);
	}
	uint64_t deadline = ukplat_monotonic_ns() + 1000000;
	ukplat_timer_set(deadline);
	/* Only the interrupt ends an idle wait: without it this hangs, and
	 * the host's probe times out. */
	do
		ukplat_idle();
	while (ukplat_monotonic_ns() < deadline);
	ukplat_halt(UKPLAT_PROBE_STATUS);
}
