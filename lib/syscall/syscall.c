/* The dispatch table, filled at boot from the linker section that
 * UK_SYSCALL_R_DEFINE entries land in, and the C side of the syscall path. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/syscall.h>
#include <uk/plat/bkl.h>
#include <uk/sched.h>
#include <uk/signal.h>
#include <uk/vfs.h>
#include "strace.h"


extern const struct uk_syscall_entry uk_syscalltab_start[], uk_syscalltab_end[];

/* What the fast path dispatches through. While tracing it stays empty, so
 * every call takes the slow path to the tracer and untraced calls pay
 * nothing for the tracer being there. */
static uk_syscall_fn table[UK_SYSCALL_MAX];
static uk_syscall_fn impl[UK_SYSCALL_MAX];
const struct uk_syscall_entry *uk_syscall_entries[UK_SYSCALL_MAX];
static uint64_t logged[UK_SYSCALL_MAX / 64];

static const char *const linux_names[UK_SYSCALL_MAX] = {
#include <uk/syscall_names.h>
};

const char *uk_syscall_name(unsigned long nr)
{
	if (nr < UK_SYSCALL_MAX && uk_syscall_entries[nr])
		return uk_syscall_entries[nr]->name;
	if (nr < UK_SYSCALL_MAX && linux_names[nr])
		return linux_names[nr];
	return "unknown";
}

static int syscall_table_init(void)
{
	for (const struct uk_syscall_entry *e = uk_syscalltab_start;
	     e < uk_syscalltab_end; e++) {
		if (e->nr < 0 || e->nr >= UK_SYSCALL_MAX || table[e->nr]) {
			printf("syscall: bad or duplicate entry %s (%ld)\n",
			       e->name, e->nr);
			return -EINVAL;
		}
		impl[e->nr] = e->fn;
		uk_syscall_entries[e->nr] = e;
	}
	uk_strace_init();
	if (!uk_strace_enabled)
		memcpy(table, impl, sizeof(table));
	return 0;
}
UK_INIT_AT(syscall_table_init, UK_INIT_LEVEL_EARLY);

long uk_syscall_unknown(unsigned long nr)
{
	if (nr >= UK_SYSCALL_MAX) {
		printf("syscall: unknown (%lu) not implemented: -ENOSYS\n", nr);
		return -ENOSYS;
	}
	if (!(logged[nr / 64] & (1ULL << (nr % 64)))) {
		logged[nr / 64] |= 1ULL << (nr % 64);
		printf("syscall: %s (%lu) not implemented: -ENOSYS\n",
		       uk_syscall_name(nr), nr);
	}
	return -ENOSYS;
}

/* Work on the way back to the program: another thread's turn, signals. */
static void __attribute__((noinline)) syscall_exit_work(struct __regs *r)
{
	if (uk_sched_need_resched)
		uk_sched_yield();
	if (uk_signal_work)
		uk_signal_deliver(r);
}

/* The hot path of every system call: no frame pointer here (a backtrace
 * through it still finds its caller's frame). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("omit-frame-pointer")))
#endif
void ukplat_syscall_handler(struct __regs *r)
{
	unsigned long nr = r->orig_rax;
	ukplat_bkl_lock();
	struct uk_thread *t = uk_current;	/* the same after the call */
	t->sys_frame = r;
	if (__builtin_expect(nr < UK_SYSCALL_MAX && table[nr] != NULL, 1)) {
		r->rax = table[nr](r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9);
		if (__builtin_expect(t->nheld, 0))
			uk_fd_release_held();
		if (__builtin_expect(t->need_resched | t->signal_work, 0))
			syscall_exit_work(r);
		ukplat_bkl_unlock();
		return;
	}
#if CONFIG_LIBSYSCALL_STRACE
	if (uk_strace_enabled && nr < UK_SYSCALL_MAX && impl[nr]) {
		uk_strace_call(nr, r);
		ukplat_bkl_unlock();
		return;
	}
#endif
	r->rax = uk_syscall_unknown(nr);
	ukplat_bkl_unlock();
}

long uk_syscall_invoke(unsigned long nr, struct __regs *r)
{
	return impl[nr](r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9);
}
