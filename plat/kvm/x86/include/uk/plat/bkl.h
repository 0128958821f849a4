/* The big kernel lock: one CPU at a time runs kernel code, while the
 * programs run on every CPU in parallel. A CPU takes it when it enters
 * the kernel from the program (a system call, an interrupt, a fault) and
 * gives it up when it goes back, or when it idles; kernel code therefore
 * runs as on one CPU, and a blocked thread's switch to another keeps it
 * (the lock is the CPU's, not the thread's). Finer locks can take its
 * place library by library (docs/smp.md). */
#pragma once
#include <stdint.h>

/* A ticket lock, held at boot by the boot CPU. */
extern struct ukplat_ticket_lock {
	volatile uint32_t next, serving;
} ukplat_bkl;

/* With CONFIG_LIBSCHED_LOCKCHECK the lock records its holder, and the
 * kernel stops with a message when a CPU takes it twice, gives up one it
 * does not hold, or runs code that needs it without it
 * (UKPLAT_BKL_HELD()). */
#if CONFIG_LIBSCHED_LOCKCHECK
#include <uk/plat/smp.h>
extern volatile int ukplat_bkl_owner;
void __attribute__((noreturn)) ukplat_bkl_check_failed(const char *what, const char *where);
#define UKPLAT_BKL_HELD()						\
	do {								\
		if (ukplat_bkl_owner != ukplat_cpu_id())		\
			ukplat_bkl_check_failed("not held", __func__);	\
	} while (0)
#else
#define UKPLAT_BKL_HELD() do { } while (0)
#endif

/* The system-call path's: taken at entry, given up on the way out
 * (ukplat_regs_restore to the program gives it up too). Inline: every
 * system call takes it. A waiter serves TLB shootdowns (ukplat_bkl_wait)
 * and, after spinning a while, halts until the holder's unlock wakes it
 * (ukplat_bkl_halted counts such waiters; ukplat_bkl_wake wakes the one
 * whose turn it is). */
void ukplat_bkl_wait(uint32_t ticket);
extern volatile int ukplat_bkl_halted;
void ukplat_bkl_wake(uint32_t ticket);
static inline void ukplat_bkl_lock(void)
{
#if CONFIG_LIBSCHED_LOCKCHECK
	if (ukplat_bkl_owner == ukplat_cpu_id())
		ukplat_bkl_check_failed("taken again by its holder", __func__);
#endif
	uint32_t ticket = __atomic_fetch_add(&ukplat_bkl.next, 1, __ATOMIC_RELAXED);
	if (__builtin_expect(__atomic_load_n(&ukplat_bkl.serving, __ATOMIC_ACQUIRE) != ticket, 0))
		ukplat_bkl_wait(ticket);
#if CONFIG_LIBSCHED_LOCKCHECK
	ukplat_bkl_owner = ukplat_cpu_id();
#endif
}

static inline void ukplat_bkl_unlock(void)
{
#if CONFIG_LIBSCHED_LOCKCHECK
	if (ukplat_bkl_owner != ukplat_cpu_id())
		ukplat_bkl_check_failed("given up by a CPU that does not hold it", __func__);
	ukplat_bkl_owner = -1;
#endif
	uint32_t next = ukplat_bkl.serving + 1;
	/* Sequentially consistent: either a waiter about to halt sees its
	 * turn, or this sees the waiter halted (bkl.c). */
	__atomic_store_n(&ukplat_bkl.serving, next, __ATOMIC_SEQ_CST);
	if (__builtin_expect(__atomic_load_n(&ukplat_bkl_halted, __ATOMIC_SEQ_CST), 0))
		ukplat_bkl_wake(next);
}

/* The same, out of line, for assembly. */
void ukplat_bkl_unlock_call(void);
/* The scheduler's idle: CPU cpu gives the lock up, halts until an
 * interrupt (whose handler takes the lock for itself), and takes it
 * again. */
void ukplat_idle_unlocked(int cpu);
