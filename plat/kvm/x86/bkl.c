/* The big kernel lock (uk/plat/bkl.h): a ticket lock, held at boot by the
 * boot CPU until it first enters the program. Interrupts and faults take
 * it when they come from the program, or from a CPU idling without it;
 * from kernel code they find it held by their own CPU already. */
#include <stdint.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/bkl.h>
#include "x86.h"

struct ukplat_ticket_lock ukplat_bkl = { 1, 0 };
#if CONFIG_LIBSCHED_LOCKCHECK
volatile int ukplat_bkl_owner;		/* the boot CPU's at boot */

void ukplat_bkl_check_failed(const char *what, const char *where)
{
	printf("lockcheck: CPU %d: the big kernel lock %s (in %s; holder %d)\n",
	       ukplat_cpu_id(), what, where, ukplat_bkl_owner);
	ukplat_backtrace(2, (unsigned long)__builtin_frame_address(0));
	ukplat_halt(125);
}
#endif

/* Which CPUs idle without the lock (their interrupts must take it). */
static volatile int idling[UKPLAT_MAX_CPUS];

/* A waiter serves the TLB shootdowns the holder asks of it (tlb.c): its
 * interrupts may be off, and the holder waits for them. */
void ukplat_bkl_wait(uint32_t ticket)
{
	while (__atomic_load_n(&ukplat_bkl.serving, __ATOMIC_ACQUIRE) != ticket) {
		if (__atomic_load_n(&x86_tlb_requests, __ATOMIC_RELAXED))
			x86_tlb_serve();
		__asm__ volatile("pause");
	}
}

void ukplat_bkl_unlock_call(void)
{
	ukplat_bkl_unlock();
}

/* The CPU a trap runs on, from its IST stack's slot (layout.h). */
static int ist_cpu(void)
{
	return (int)(ukplat_stack_slot() - ukplat_cpu_current);
}

int x86_bkl_trap_enter(int from_app)
{
	if (from_app) {
		ukplat_bkl_lock();
		return 1;
	}
	int cpu = ist_cpu();
	if (!idling[cpu]) {
		UKPLAT_BKL_HELD();	/* kernel code of this CPU holds it */
		return 0;
	}
	/* An idle CPU's interrupt: it holds the lock until it returns to
	 * the halt, and a fault taken meanwhile finds it held. */
	ukplat_bkl_lock();
	idling[cpu] = 0;
	return 2;
}

void x86_bkl_trap_leave(int how)
{
	if (how == 2)
		idling[ist_cpu()] = 1;
	if (how)
		ukplat_bkl_unlock();
}

void ukplat_idle_unlocked(int cpu)
{
	idling[cpu] = 1;
	ukplat_bkl_unlock();
	/* sti takes effect after hlt starts: no wake-up is lost. */
	__asm__ volatile("sti; hlt; cli" : : : "memory");
	ukplat_bkl_lock();
	idling[cpu] = 0;
}
