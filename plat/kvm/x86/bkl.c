/* The big kernel lock (uk/plat/bkl.h): a ticket lock, held at boot by the
 * boot CPU until it first enters the program. Interrupts and faults take
 * it when they come from the program, or from a CPU idling without it;
 * from kernel code they find it held by their own CPU already. */
#include <stdint.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/plat/bkl.h>
#include <uk/plat/regs.h>
#include <uk/plat/smp.h>
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

/* A waiter that has not got the lock after BKL_SPIN_US halts until its
 * turn. Under TCG (and under KVM without pause-loop exiting) a virtual CPU
 * is a host thread: one that spins keeps a host core from the holder, and
 * on a busy host the holder, taken off its core, then waits for the
 * spinner's time slice to end, at every system call (a postgres pgbench
 * at -c 2 went 30 times slower with one busy host process beside it).
 * A waiter's interrupts are off, so the wake-up is an NMI: the holder's
 * unlock sends it to the halted waiter whose ticket comes next, and a TLB
 * shootdown to a halted waiter it asks (x86_bkl_kick). */
#define BKL_SPIN_US 200

/* Each CPU's halted waiter: HALTED | its ticket, or 0. */
#define HALTED (1ULL << 32)
static volatile uint64_t halted_for[UKPLAT_MAX_CPUS];
volatile int ukplat_bkl_halted;		/* how many there are */

/* Halts unless its turn came (*serving == ticket) or a TLB request is
 * pending. An NMI from the first look on, before the hlt has run, skips
 * the hlt (x86_bkl_nmi): the wake-up sent after that look is not lost. */
void x86_bkl_halt(uint32_t ticket, volatile uint32_t *serving,
		  volatile int *requests);
extern const char x86_bkl_halt_end[];
__asm__(".text\n"
	".globl x86_bkl_halt, x86_bkl_halt_end\n"
	"x86_bkl_halt:\n\t"
	"cmpl (%rsi), %edi\n\t"
	"je x86_bkl_halt_end\n\t"
	"cmpl $0, (%rdx)\n\t"
	"jne x86_bkl_halt_end\n\t"
	"hlt\n"
	"x86_bkl_halt_end:\n\t"
	"ret\n");

void x86_bkl_nmi(struct __regs *r)
{
	if (r->rip >= (unsigned long)x86_bkl_halt &&
	    r->rip < (unsigned long)x86_bkl_halt_end)
		r->rip = (unsigned long)x86_bkl_halt_end;
}

/* The stores before the look are sequentially consistent, as the
 * unlock's and the shootdown's: either side sees the other's. */
static void halt_for(int cpu, uint32_t ticket)
{
	__atomic_store_n(&halted_for[cpu], HALTED | ticket, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&ukplat_bkl_halted, 1, __ATOMIC_SEQ_CST);
	x86_bkl_halt(ticket, &ukplat_bkl.serving, &x86_tlb_requests);
	__atomic_fetch_sub(&ukplat_bkl_halted, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&halted_for[cpu], 0, __ATOMIC_RELAXED);
}

__attribute__((noinline, cold)) void ukplat_bkl_wake(uint32_t ticket)
{
	int n = ukplat_cpu_count();
	for (int c = 0; c < n; c++)
		if (__atomic_load_n(&halted_for[c], __ATOMIC_SEQ_CST) == (HALTED | ticket))
			x86_nmi_send(c);
}

void x86_bkl_kick(int cpu)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&halted_for[cpu], __ATOMIC_SEQ_CST))
		x86_nmi_send(cpu);
}

/* A waiter serves the TLB shootdowns the holder asks of it (tlb.c): its
 * interrupts are off, and the holder waits for them. */
void ukplat_bkl_wait(uint32_t ticket)
{
	uint64_t start = rdtsc();
	uint64_t spin = ukplat_tsc_khz() * BKL_SPIN_US / 1000;
	int cpu = -1;

	while (__atomic_load_n(&ukplat_bkl.serving, __ATOMIC_ACQUIRE) != ticket) {
		if (__atomic_load_n(&x86_tlb_requests, __ATOMIC_RELAXED))
			x86_tlb_serve();
		if (rdtsc() - start < spin) {
			__asm__ volatile("pause");
			continue;
		}
		if (cpu < 0)
			cpu = ukplat_cpu_id();
		halt_for(cpu, ticket);
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
