/* signal: the default actions, the mask and pending-set calls, sending
 * and taking signals with their siginfo, the handler's frame against
 * Linux's x86_64 rt_sigframe layout (as glibc's <sys/ucontext.h> reads
 * it), and the interval timer. The boot thread stands in for the
 * program's main thread; every test leaves its mask and dispositions as
 * it found them. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/mman.h>
#include <linux/time.h>
#include <uk/mm.h>
#include <uk/plat.h>
#include <uk/test.h>
#include "../signal_internal.h"

#define SYSCALL(name) long uk_syscall_r_##name(long, long, long, long, long, long)
SYSCALL(rt_sigaction);
SYSCALL(rt_sigprocmask);
SYSCALL(rt_sigpending);
SYSCALL(rt_sigtimedwait);
SYSCALL(kill);
SYSCALL(tgkill);
SYSCALL(tkill);
SYSCALL(setitimer);
SYSCALL(getitimer);
SYSCALL(alarm);

/* Linux's numbers (asm/signal.h), spelled out. */
enum { HUP = 1, INT = 2, QUIT = 3, ILL = 4, ABRT = 6, KILL = 9, USR1 = 10,
       SEGV = 11, USR2 = 12, PIPE = 13, ALRM = 14, TERM = 15, CHLD = 17,
       CONT = 18, STOP = 19, TSTP = 20, TTIN = 21, TTOU = 22, URG = 23,
       WINCH = 28, SYS = 31, RTMIN = 32 };
#define BIT(s) (1ULL << ((s) - 1))
#define HOW_BLOCK 0
#define HOW_UNBLOCK 1
#define HOW_SETMASK 2

static long sigprocmask(int how, uint64_t *set, uint64_t *old)
{
	return uk_syscall_r_rt_sigprocmask(how, (long)set, (long)old, 8, 0, 0);
}

static long sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *old)
{
	return uk_syscall_r_rt_sigaction(sig, (long)act, (long)old, 8, 0, 0);
}

static uint64_t pending(void)
{
	uint64_t set = 0;
	uk_syscall_r_rt_sigpending((long)&set, 8, 0, 0, 0, 0);
	return set;
}

/* Takes a pending signal of set without waiting: its number, or -EAGAIN. */
static long take(uint64_t set, struct k_siginfo *info)
{
	struct __kernel_timespec zero = { 0, 0 };
	return uk_syscall_r_rt_sigtimedwait((long)&set, (long)info, (long)&zero, 8, 0, 0);
}

UK_TESTCASE(signal, default_actions)
{
	/* Linux ignores SIGCHLD, SIGCONT, SIGURG and SIGWINCH by default;
	 * the stop signals stop (jobctl.c). Every other signal, real-time
	 * ones included, ends the program. */
	for (int s = 1; s <= 64; s++) {
		int ign = s == CHLD || s == CONT || s == URG || s == WINCH;
		if (sig_default_ignored(s) != ign)
			UK_TEST_EQ(s, 0);	/* names the signal */
		if (sig_default_stops(s) != (s == STOP || s == TSTP || s == TTIN || s == TTOU))
			UK_TEST_EQ(s, 0);
	}
	/* A blocked signal stays pending even when ignored: the disposition
	 * may change before it is unblocked (Linux's sig_ignored). */
	uint64_t set = BIT(CHLD) | BIT(WINCH) | BIT(USR1), old;
	UK_TEST_EQ(sigprocmask(HOW_BLOCK, &set, &old), 0);
	UK_TEST_EQ(uk_syscall_r_kill(1, CHLD, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_kill(1, WINCH, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_kill(1, USR1, 0, 0, 0, 0), 0);
	UK_TEST_EQ(pending(), BIT(CHLD) | BIT(WINCH) | BIT(USR1));
	/* Setting SIG_IGN discards what is pending of that signal. */
	struct k_sigaction ign = { .handler = SIG_IGN }, prev;
	int sigs[] = { USR1, CHLD, WINCH };
	for (int i = 0; i < 3; i++) {
		UK_TEST_EQ(sigaction(sigs[i], &ign, &prev), 0);
		UK_TEST_EQ(pending() & BIT(sigs[i]), 0);
		UK_TEST_EQ(sigaction(sigs[i], &prev, NULL), 0);
	}
	UK_TEST_EQ(pending(), 0);
	UK_TEST_EQ(sigprocmask(HOW_SETMASK, &old, NULL), 0);
	/* Unblocked, one ignored by default is dropped as it is sent. */
	UK_TEST_EQ(uk_syscall_r_kill(1, WINCH, 0, 0, 0, 0), 0);
	UK_TEST_EQ(sig_is_pending(uk_proc(), WINCH), 0);
}

UK_TESTCASE(signal, masks)
{
	uint64_t old, cur, set;
	UK_TEST_EQ(sigprocmask(HOW_SETMASK, NULL, &old), 0);
	set = BIT(USR1) | BIT(KILL) | BIT(STOP) | BIT(RTMIN + 1);
	UK_TEST_EQ(sigprocmask(HOW_BLOCK, &set, NULL), 0);
	UK_TEST_EQ(sigprocmask(HOW_BLOCK, NULL, &cur), 0);
	/* SIGKILL and SIGSTOP cannot be blocked. */
	UK_TEST_EQ(cur, old | BIT(USR1) | BIT(RTMIN + 1));
	set = BIT(USR1);
	UK_TEST_EQ(sigprocmask(HOW_UNBLOCK, &set, &cur), 0);
	UK_TEST_EQ(cur, old | BIT(USR1) | BIT(RTMIN + 1));
	UK_TEST_EQ(sigprocmask(HOW_BLOCK, NULL, &cur), 0);
	UK_TEST_EQ(cur, old | BIT(RTMIN + 1));
	UK_TEST_EQ(sigprocmask(7, &set, NULL), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_rt_sigprocmask(HOW_BLOCK, (long)&set, 0, 4, 0, 0), -EINVAL);
	UK_TEST_EQ(sigprocmask(HOW_SETMASK, &old, &cur), 0);
	UK_TEST_EQ(cur, old | BIT(RTMIN + 1));

	struct k_sigaction act = { .handler = 0x401000, .flags = SA_RESTART,
				   .mask = BIT(USR2) | BIT(KILL) | BIT(STOP) }, got, prev;
	UK_TEST_EQ(sigaction(0, &act, NULL), -EINVAL);
	UK_TEST_EQ(sigaction(65, &act, NULL), -EINVAL);
	UK_TEST_EQ(sigaction(KILL, &act, NULL), -EINVAL);
	UK_TEST_EQ(sigaction(STOP, &act, NULL), -EINVAL);
	UK_TEST_EQ(sigaction(KILL, NULL, &got), 0);	/* reading is allowed */
	UK_TEST_EQ(uk_syscall_r_rt_sigaction(USR1, (long)&act, 0, 16, 0, 0), -EINVAL);
	UK_TEST_EQ(sigaction(USR1, &act, &prev), 0);
	UK_TEST_EQ(sigaction(USR1, NULL, &got), 0);
	UK_TEST_EQ(got.handler, 0x401000);
	UK_TEST_EQ(got.flags, SA_RESTART);
	UK_TEST_EQ(got.mask, BIT(USR2));	/* KILL and STOP dropped */
	UK_TEST_EQ(sigaction(USR1, &prev, NULL), 0);
}

UK_TESTCASE(signal, send_and_take)
{
	uint64_t set = BIT(USR1) | BIT(USR2) | BIT(TERM), old;
	struct k_siginfo info;
	const unsigned char *raw = (const unsigned char *)&info;
	int v;
	UK_TEST_EQ(sigprocmask(HOW_BLOCK, &set, &old), 0);
	UK_TEST_EQ(take(set, &info), -EAGAIN);
	/* Standard signals do not queue: two sends, one pending. */
	UK_TEST_EQ(uk_syscall_r_kill(1, USR2, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_kill(0, USR1, 0, 0, 0, 0), 0);	/* own group */
	UK_TEST_EQ(uk_syscall_r_kill(1, USR1, 0, 0, 0, 0), 0);
	UK_TEST_EQ(pending(), BIT(USR1) | BIT(USR2));
	/* The lowest number first, with siginfo in Linux's layout:
	 * si_signo at 0, si_code at 8, si_pid at 16, si_uid at 20. */
	memset(&info, 0xa5, sizeof(info));
	UK_TEST_EQ(take(set, &info), USR1);
	memcpy(&v, raw + 0, 4);
	UK_TEST_EQ(v, USR1);
	memcpy(&v, raw + 8, 4);
	UK_TEST_EQ(v, 0);		/* SI_USER */
	memcpy(&v, raw + 16, 4);
	UK_TEST_EQ(v, 1);		/* from pid 1 */
	memcpy(&v, raw + 20, 4);
	UK_TEST_EQ(v, 0);		/* uid 0 */
	UK_TEST_EQ(take(set, &info), USR2);
	UK_TEST_EQ(take(set, &info), -EAGAIN);
	/* tgkill and tkill: SI_TKILL (-6). */
	UK_TEST_EQ(uk_syscall_r_tgkill(1, 1, TERM, 0, 0, 0), 0);
	UK_TEST_EQ(take(set, &info), TERM);
	UK_TEST_EQ(info.si_code, -6);
	UK_TEST_EQ(uk_syscall_r_tkill(1, TERM, 0, 0, 0, 0), 0);
	UK_TEST_EQ(take(set, &info), TERM);
	/* Errors: another process, a bad number, a bad thread. */
	UK_TEST_EQ(uk_syscall_r_kill(2, USR1, 0, 0, 0, 0), -ESRCH);
	UK_TEST_EQ(uk_syscall_r_kill(1, 65, 0, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_kill(1, 0, 0, 0, 0, 0), 0);	/* probe only */
	UK_TEST_EQ(uk_syscall_r_tgkill(2, 1, USR1, 0, 0, 0), -ESRCH);
	UK_TEST_EQ(uk_syscall_r_tgkill(1, 0, USR1, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_tkill(99999, USR1, 0, 0, 0, 0), -ESRCH);
	UK_TEST_EQ(pending(), 0);
	UK_TEST_EQ(sigprocmask(HOW_SETMASK, &old, NULL), 0);
	UK_TEST_EQ(uk_signal_work, 0);
}

/* glibc's gregs indices (REG_R8...) in uc_mcontext, at uc + 40. */
enum { G_R8, G_R9, G_R10, G_R11, G_R12, G_R13, G_R14, G_R15, G_RDI, G_RSI,
       G_RBP, G_RBX, G_RDX, G_RAX, G_RCX, G_RSP, G_RIP, G_EFL, G_CSGSFS,
       G_ERR, G_TRAPNO, G_OLDMASK, G_CR2 };
#define UC_MCONTEXT 40
#define UC_FPREGS (UC_MCONTEXT + 23 * 8)
#define UC_SIGMASK 296
#define SIZEOF_UCONTEXT 304	/* the kernel's: 8-byte sigset */
#define STACK_SIZE (64 * 1024)

static uint64_t u64(unsigned long addr)
{
	uint64_t v;
	memcpy(&v, (const void *)addr, 8);
	return v;
}

UK_TESTCASE(signal, frame_layout)
{
	struct uk_thread *t = uk_current;
	uint64_t saved_mask = t->sigmask;
	struct k_sigaction saved_act = SIGHAND()->action[USR1];
	long stack = uk_mm_mmap(0, STACK_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	UK_TEST_EXPECT(stack > 0);
	if (stack <= 0)
		return;
	unsigned long top = stack + STACK_SIZE - 1000;	/* any alignment */
	struct __regs r;
	unsigned long *w = (unsigned long *)&r;
	for (unsigned i = 0; i < sizeof(r) / 8; i++)
		w[i] = 0x1000 + i;	/* every register tells apart */
	r.rsp = top;
	r.rip = 0x400123;
	r.rflags = 0x202 | 0x100 | 0x400;	/* IF, TF, DF */
	r.error = 6;
	r.orig_rax = 14;		/* a page fault's vector */
	struct k_sigaction ka = { .handler = 0x401000,
				  .flags = SA_SIGINFO | SA_RESTORER,
				  .restorer = 0x402000, .mask = BIT(USR2) };
	struct k_siginfo info = { .si_signo = SEGV, .si_code = 2 };
	info.fault.addr = 0xdead000;
	struct __regs before = r;
	t->sigmask = BIT(TERM);
	UK_TEST_EQ(sig_setup_frame(&r, USR1, &ka, &info), 0);

	unsigned long sp = r.rsp, uc = sp + 8, si = uc + SIZEOF_UCONTEXT;
	/* As after a call: (rsp + 8) is 16-byte aligned, past the red zone. */
	UK_TEST_EQ((sp + 8) % 16, 0);
	UK_TEST_EXPECT(si + sizeof(struct k_siginfo) <= top - 128);
	UK_TEST_EQ(u64(sp), 0x402000);		/* returns to sa_restorer */
	UK_TEST_EQ(r.rip, 0x401000);
	UK_TEST_EQ(r.rdi, USR1);
	UK_TEST_EQ(r.rsi, si);
	UK_TEST_EQ(r.rdx, uc);
	UK_TEST_EQ(r.rflags & (0x100 | 0x400), 0);	/* TF and DF cleared */
	UK_TEST_EQ(u64(uc) & 1, 1);		/* UC_FP_XSTATE */
	unsigned long g = uc + UC_MCONTEXT;
	UK_TEST_EQ(u64(g + 8 * G_R8), before.r8);
	UK_TEST_EQ(u64(g + 8 * G_R15), before.r15);
	UK_TEST_EQ(u64(g + 8 * G_RDI), before.rdi);
	UK_TEST_EQ(u64(g + 8 * G_RSI), before.rsi);
	UK_TEST_EQ(u64(g + 8 * G_RBP), before.rbp);
	UK_TEST_EQ(u64(g + 8 * G_RBX), before.rbx);
	UK_TEST_EQ(u64(g + 8 * G_RDX), before.rdx);
	UK_TEST_EQ(u64(g + 8 * G_RAX), before.rax);
	UK_TEST_EQ(u64(g + 8 * G_RCX), before.rcx);
	UK_TEST_EQ(u64(g + 8 * G_RSP), top);
	UK_TEST_EQ(u64(g + 8 * G_RIP), 0x400123);
	UK_TEST_EQ(u64(g + 8 * G_EFL), before.rflags);
	UK_TEST_EQ(u64(g + 8 * G_ERR), 6);
	UK_TEST_EQ(u64(g + 8 * G_TRAPNO), 14);
	UK_TEST_EQ(u64(g + 8 * G_OLDMASK), BIT(TERM));
	UK_TEST_EQ(u64(g + 8 * G_CR2), 0xdead000);
	/* The XSAVE area: 64-byte aligned, between the frame and the red
	 * zone. */
	unsigned long fp = u64(uc + UC_FPREGS);
	UK_TEST_EQ(fp % 64, 0);
	UK_TEST_EXPECT(fp >= si + sizeof(struct k_siginfo) && fp < top - 128);
	UK_TEST_EQ(u64(uc + UC_SIGMASK), BIT(TERM));
	/* siginfo: si_signo, si_code, si_addr at 16. */
	UK_TEST_EQ(*(int *)si, SEGV);
	UK_TEST_EQ(*(int *)(si + 8), 2);
	UK_TEST_EQ(u64(si + 16), 0xdead000);
	/* During the handler: its mask, sa_mask and the signal itself. */
	UK_TEST_EQ(t->sigmask, BIT(TERM) | BIT(USR2) | BIT(USR1));

	/* SA_NODEFER leaves the signal unblocked; SA_RESETHAND restores
	 * SIG_DFL; SA_ONSTACK moves to the alternate stack, which
	 * uc_stack records (ss_sp at uc + 16, ss_flags 24, ss_size 32). */
	SIGHAND()->action[USR1] = ka;
	ka.flags = SA_NODEFER | SA_RESETHAND | SA_ONSTACK | SA_RESTORER;
	SIGHAND()->action[USR1].flags = ka.flags;
	t->sigmask = 0;
	t->altstack_sp = stack;
	t->altstack_size = 16 * 1024;
	t->altstack_flags = 0;
	r = before;
	UK_TEST_EQ(sig_setup_frame(&r, USR1, &ka, &info), 0);
	UK_TEST_EXPECT(r.rsp > (unsigned long)stack && r.rsp < (unsigned long)stack + 16 * 1024);
	UK_TEST_EQ(u64(r.rsp + 8 + 16), stack);
	UK_TEST_EQ(*(int *)(r.rsp + 8 + 24), 0);	/* was not on it */
	UK_TEST_EQ(u64(r.rsp + 8 + 32), 16 * 1024);
	UK_TEST_EQ(t->sigmask, BIT(USR2));
	UK_TEST_EQ(SIGHAND()->action[USR1].handler, SIG_DFL);
	/* No writable memory under the stack pointer: no frame. */
	r = before;
	r.rsp = 0x1000;
	t->altstack_size = 0;
	UK_TEST_EQ(sig_setup_frame(&r, USR1, &ka, &info), -1);

	t->altstack_sp = 0;
	t->altstack_flags = SS_DISABLE;
	t->sigmask = saved_mask;
	SIGHAND()->action[USR1] = saved_act;
	uk_mm_munmap(stack, STACK_SIZE);
}

UK_TESTCASE(signal, itimer)
{
	uint64_t set = BIT(ALRM), old;
	struct __kernel_old_itimerval v = { { 0, 0 }, { 0, 2000 } }, cur;
	struct k_siginfo info;
	UK_TEST_EQ(sigprocmask(HOW_BLOCK, &set, &old), 0);
	UK_TEST_EQ(uk_syscall_r_setitimer(0, (long)&v, 0, 0, 0, 0), 0);
	struct __kernel_timespec second = { 1, 0 };
	long sig = uk_syscall_r_rt_sigtimedwait((long)&set, (long)&info, (long)&second, 8, 0, 0);
	UK_TEST_EQ(sig, ALRM);
	UK_TEST_EQ(info.si_code, SI_KERNEL);
	/* One-shot: disarmed once expired. */
	UK_TEST_EQ(uk_syscall_r_getitimer(0, (long)&cur, 0, 0, 0, 0), 0);
	UK_TEST_EQ(cur.it_value.tv_sec + cur.it_value.tv_usec, 0);
	UK_TEST_EQ(uk_syscall_r_getitimer(3, (long)&cur, 0, 0, 0, 0), -EINVAL);
	v.it_value.tv_usec = 1000000;
	UK_TEST_EQ(uk_syscall_r_setitimer(0, (long)&v, 0, 0, 0, 0), -EINVAL);
	/* An interval timer reports its interval; setting returns the old. */
	struct __kernel_old_itimerval iv = { { 7, 0 }, { 60, 0 } }, zero = { { 0, 0 }, { 0, 0 } };
	UK_TEST_EQ(uk_syscall_r_setitimer(0, (long)&iv, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_setitimer(0, (long)&zero, (long)&cur, 0, 0, 0), 0);
	UK_TEST_EQ(cur.it_interval.tv_sec, 7);
	UK_TEST_EXPECT(cur.it_value.tv_sec == 59 || cur.it_value.tv_sec == 60);
	/* alarm returns the seconds left, rounded to the nearest. */
	UK_TEST_EQ(uk_syscall_r_alarm(5, 0, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_alarm(0, 0, 0, 0, 0, 0), 5);
	UK_TEST_EQ(uk_syscall_r_alarm(0, 0, 0, 0, 0, 0), 0);
	UK_TEST_EQ(take(set, &info), -EAGAIN);
	UK_TEST_EQ(sigprocmask(HOW_SETMASK, &old, NULL), 0);
}
