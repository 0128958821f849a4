/* The smp=test boot (tests/smp/): CPU 0 starts every AP; each records
 * the ukplat_cpu_id() it sees and sends CPU 0 an IPI, which CPU 0 waits
 * for before it starts the next (IPIs of one vector pending together
 * would merge into one); then CPU 0 sends each AP an IPI that it
 * acknowledges. One line on
 * the console says how it went, and the guest stops: status 0 when all
 * of it happened, 1 otherwise. With one CPU, CPU 0 sends itself one. */
#include <stdint.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/plat/smp.h>
#include "x86.h"

#define WAIT_NS 3000000000ULL	/* TCG on a busy host is slow */

static int seen_id[UKPLAT_MAX_CPUS];
static int acked[UKPLAT_MAX_CPUS];

static void ap_main(void *arg)
{
	int me = (int)(long)arg;
	__atomic_store_n(&seen_id[me], ukplat_cpu_id(), __ATOMIC_RELEASE);
	ukplat_ipi_send(0, UKPLAT_IPI_CALL_VECTOR);
	while (!x86_ipi_count(me, UKPLAT_IPI_CALL_VECTOR))
		ukplat_idle();
	__atomic_store_n(&acked[me], 1, __ATOMIC_RELEASE);
	/* Returning stops this CPU. */
}

static void __attribute__((noreturn)) failed(const char *what, int cpu, int v)
{
	printf("smp: %s (CPU %d: %d)\n", what, cpu, v);
	ukplat_halt(1);
}

/* Idles until CPU 0 has taken want IPIs, the timer bounding the wait. */
static void wait_ipis(unsigned want)
{
	uint64_t deadline = ukplat_monotonic_ns() + WAIT_NS;
	ukplat_timer_set(deadline);
	while (x86_ipi_count(0, UKPLAT_IPI_CALL_VECTOR) < want &&
	       ukplat_monotonic_ns() < deadline)
		ukplat_idle();
	ukplat_timer_stop();
	unsigned got = x86_ipi_count(0, UKPLAT_IPI_CALL_VECTOR);
	if (got < want)
		failed("IPIs missing on CPU 0", 0, (int)got);
}

void x86_smp_test(void)
{
	int n = ukplat_cpu_count();

	for (int i = 1; i < n; i++) {
		seen_id[i] = -1;
		/* A kernel stack as a thread's, naming the CPU's slot. */
		char *stack = ukplat_kstack_alloc();
		if (!stack)
			failed("no memory for a stack", i, 0);
		ukplat_stack_set_slot(stack, &ukplat_cpu_current[i]);
		int rc = ukplat_cpu_start(i, ap_main, (void *)(long)i,
					  stack + UKPLAT_STACK_SIZE);
		if (rc < 0)
			failed("ukplat_cpu_start failed", i, rc);
		wait_ipis((unsigned)i);
		int id = __atomic_load_n(&seen_id[i], __ATOMIC_ACQUIRE);
		if (id != i)
			failed("ukplat_cpu_id() is wrong", i, id);
	}
	if (n == 1) {
		ukplat_ipi_send(0, UKPLAT_IPI_CALL_VECTOR);
		wait_ipis(1);
	}
	for (int i = 1; i < n; i++)
		ukplat_ipi_send(i, UKPLAT_IPI_CALL_VECTOR);
	uint64_t deadline = ukplat_monotonic_ns() + WAIT_NS;
	for (int i = 1; i < n; i++) {
		while (!__atomic_load_n(&acked[i], __ATOMIC_ACQUIRE)) {
			if (ukplat_monotonic_ns() > deadline)
				failed("no acknowledgement of CPU 0's IPI", i, 0);
			cpu_pause();
		}
	}

	printf("smp: %d CPU%s up, APIC ids", n, n == 1 ? "" : "s");
	for (int i = 0; i < n; i++)
		printf(" %u", x86_cpu_apic_id(i));
	printf(", %s\n", n == 1 ? "IPI to self" : "IPIs both ways");
	ukplat_halt(0);
}
