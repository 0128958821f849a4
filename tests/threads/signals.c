/*
 * Signals, one case per argument:
 *   segv_longjmp  SIGSEGV on an unmapped page, recovered with siglongjmp
 *                 (three times: the mask must come back each time)
 *   segv_fixup    SIGSEGV on a PROT_NONE page; the handler mprotects it and
 *                 returns, so rt_sigreturn restarts the faulting store
 *   altstack      infinite recursion caught by a SIGSEGV handler running on
 *                 a sigaltstack
 *   siginfo       SA_SIGINFO handler: si_signo, si_code, si_addr
 *   resethand     SA_RESETHAND: the handler runs once, then the default
 *                 action kills the process (status 128+SIGUSR1 = 138)
 *   sigmask       rt_sigprocmask blocks SIGUSR1, raise leaves it pending
 *                 (sigpending), unblocking delivers it
 *   raise         raise(SIGUSR1), kill(getpid()), tgkill with a handler;
 *                 SA_NODEFER/sa_mask nesting; SIG_IGN
 *   threads       pthread_kill to a thread waiting in sigsuspend (the
 *                 handler runs on that thread); kill(getpid()) with the
 *                 signal blocked in main goes to the thread that has it
 *                 unblocked
 * Deterministic stdout; exit 0 on success.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile sig_atomic_t hits;
static long pagesz;

static void say(const char *s)
{
	fputs(s, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static int fail(const char *s)
{
	printf("FAILED: %s\n", s);
	fflush(stdout);
	return 1;
}

/* --- segv_longjmp ------------------------------------------------------ */
static void longjmp_handler(int sig)
{
	hits++;
	siglongjmp(jb, sig);
}

static int t_segv_longjmp(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = longjmp_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL))
		return fail("sigaction");
	char *p = mmap(NULL, pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return fail("mmap");
	munmap(p, pagesz);
	for (int round = 0; round < 3; round++) {
		int r = sigsetjmp(jb, 1);
		if (r == 0) {
			*(volatile char *)p = 1;
			return fail("the store to an unmapped page did not fault");
		}
		if (r != SIGSEGV)
			return fail("siglongjmp value");
		sigset_t cur;
		sigprocmask(SIG_BLOCK, NULL, &cur);
		if (sigismember(&cur, SIGSEGV))
			return fail("SIGSEGV still blocked after siglongjmp");
		printf("recovered %d\n", round + 1);
	}
	if (hits != 3)
		return fail("handler count");
	say("recovered");
	return 0;
}

/* --- segv_fixup ----------------------------------------------------------- */
static char *fix_page;

static void fixup_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	hits++;
	if ((char *)si->si_addr >= fix_page && (char *)si->si_addr < fix_page + pagesz)
		mprotect(fix_page, pagesz, PROT_READ | PROT_WRITE);
	else
		_exit(3);
}

static int t_segv_fixup(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = fixup_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	fix_page = mmap(NULL, pagesz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fix_page == MAP_FAILED)
		return fail("mmap");
	volatile int *q = (volatile int *)(fix_page + 128);
	*q = 42;		/* faults once, then is restarted */
	if (hits != 1 || *q != 42)
		return fail("the store was not restarted after the handler");
	say("resumed after fixup");
	return 0;
}

/* --- altstack --------------------------------------------------------------- */
static char *alt_base;
static size_t alt_size;
static volatile int on_alt;

static void overflow_handler(int sig)
{
	char here;
	on_alt = &here >= alt_base && &here < alt_base + alt_size;
	siglongjmp(jb, sig);
}

static volatile unsigned long depth;
static volatile int never;

static unsigned long recurse(unsigned long n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	pad[511] = (char)n;
	depth = n;
	if (never)
		return 0;
	return recurse(n + 1) + pad[0] + pad[511];
}

static int t_altstack(void)
{
	alt_size = 256 * 1024;
	alt_base = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (alt_base == MAP_FAILED)
		return fail("mmap");
	stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL))
		return fail("sigaltstack");
	stack_t old;
	if (sigaltstack(NULL, &old) || old.ss_sp != alt_base || old.ss_size != alt_size ||
	    (old.ss_flags & SS_DISABLE))
		return fail("sigaltstack query");
	struct sigaction sa = { 0 };
	sa.sa_handler = overflow_handler;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(jb, 1) == 0) {
		recurse(0);
		return fail("recursion returned");
	}
	if (!on_alt)
		return fail("the handler did not run on the alternate stack");
	if (depth < 100)
		return fail("overflowed too early");
	say("caught overflow");
	return 0;
}

/* --- siginfo ------------------------------------------------------------------ */
static void *want_addr;
static volatile int info_ok;

static void info_handler(int sig, siginfo_t *si, void *ucv)
{
	info_ok = sig == SIGSEGV && si->si_signo == SIGSEGV && si->si_addr == want_addr &&
		  ucv != NULL;
	hits = si->si_code;
	siglongjmp(jb, 1);
}

static int t_siginfo(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	char *p = mmap(NULL, 2 * pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return fail("mmap");
	/* a PROT_NONE page: SEGV_ACCERR */
	mprotect(p, pagesz, PROT_NONE);
	want_addr = p + 123;
	if (sigsetjmp(jb, 1) == 0) {
		*(volatile char *)want_addr = 1;
		return fail("no fault");
	}
	if (!info_ok)
		return fail("si_addr/si_signo (PROT_NONE page)");
	if (hits != SEGV_ACCERR) {
		printf("si_code %d, expected SEGV_ACCERR (%d)\n", (int)hits, SEGV_ACCERR);
		return fail("si_code (PROT_NONE page)");
	}
	/* an unmapped page: SEGV_MAPERR */
	munmap(p + pagesz, pagesz);
	want_addr = p + pagesz + 77;
	if (sigsetjmp(jb, 1) == 0) {
		(void)*(volatile char *)want_addr;
		return fail("no fault");
	}
	if (!info_ok)
		return fail("si_addr/si_signo (unmapped page)");
	if (hits != SEGV_MAPERR) {
		printf("si_code %d, expected SEGV_MAPERR (%d)\n", (int)hits, SEGV_MAPERR);
		return fail("si_code (unmapped page)");
	}
	say("si_addr ok");
	return 0;
}

/* --- resethand ------------------------------------------------------------------ */
static void count_handler(int sig)
{
	(void)sig;
	hits++;
}

static int t_resethand(void)
{
	struct sigaction sa = { 0 }, old;
	sa.sa_handler = count_handler;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	if (hits != 1)
		return fail("the handler did not run");
	say("handler ran once");
	sigaction(SIGUSR1, NULL, &old);
	if (old.sa_handler != SIG_DFL)
		return fail("the disposition was not reset to SIG_DFL");
	say("reset to SIG_DFL");
	raise(SIGUSR1);	/* the default action: terminate */
	return fail("still alive after the second SIGUSR1");
}

/* --- sigmask --------------------------------------------------------------------- */
static int t_sigmask(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = count_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);

	sigset_t block, old, pend;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, &block, &old, 8))
		return fail("rt_sigprocmask");
	raise(SIGUSR1);
	raise(SIGUSR1);		/* standard signals do not queue */
	if (hits != 0)
		return fail("delivered while blocked");
	sigemptyset(&pend);
	sigpending(&pend);
	if (!sigismember(&pend, SIGUSR1) || sigismember(&pend, SIGUSR2))
		return fail("sigpending");
	say("pending while blocked");
	/* an unblocked signal still gets through */
	raise(SIGUSR2);
	if (hits != 1)
		return fail("SIGUSR2 not delivered");
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	if (!sigismember(&cur, SIGUSR1) || sigismember(&cur, SIGUSR2))
		return fail("the mask read back");
	/* SIGKILL and SIGSTOP cannot be blocked */
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	if (sigismember(&cur, SIGKILL) || sigismember(&cur, SIGSTOP))
		return fail("SIGKILL or SIGSTOP blocked");
	sigprocmask(SIG_SETMASK, &block, NULL);
	/* unblocking delivers the pending signal once, before the call returns */
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (hits != 2)
		return fail("not delivered (exactly once) on unblock");
	sigpending(&pend);
	if (sigismember(&pend, SIGUSR1))
		return fail("still pending after delivery");
	say("delivered on unblock");
	return 0;
}

/* --- raise ------------------------------------------------------------------------- */
static volatile int last_sig, try_nest, in_handler, max_nest;

static void usr_handler(int sig)
{
	last_sig = sig;
	hits++;
	in_handler++;
	if (in_handler > max_nest)
		max_nest = in_handler;
	if (sig == SIGUSR1 && try_nest) {
		try_nest = 0;
		raise(SIGUSR1);	/* SA_NODEFER: runs nested right away */
	}
	in_handler--;
}

static void blocked_handler(int sig)
{
	(void)sig;
	hits++;
	raise(SIGUSR2);	/* in sa_mask: must wait for this handler to return */
	if (last_sig == SIGUSR2)
		max_nest = 99;
	last_sig = SIGUSR1;
}

static void usr2_handler(int sig)
{
	last_sig = sig;
	hits++;
}

static int t_raise(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = usr_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	if (raise(SIGUSR1) != 0 || hits != 1 || last_sig != SIGUSR1)
		return fail("raise");
	say("raise: handler ran, sig 10");
	if (kill(getpid(), SIGUSR1) != 0 || hits != 2)
		return fail("kill");
	say("kill: handler ran");
	if (syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) != 0 || hits != 3)
		return fail("tgkill");
	say("tgkill: handler ran");

	/* SA_NODEFER: the handler interrupts itself */
	hits = 0;
	max_nest = 0;
	try_nest = 1;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	if (hits != 2 || max_nest != 2)
		return fail("SA_NODEFER nesting");
	say("nodefer: nested 2");

	/* sa_mask: SIGUSR2 raised inside the SIGUSR1 handler waits */
	hits = 0;
	last_sig = 0;
	max_nest = 0;
	sa.sa_handler = blocked_handler;
	sa.sa_flags = 0;
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	struct sigaction sa2 = { 0 };
	sa2.sa_handler = usr2_handler;
	sigemptyset(&sa2.sa_mask);
	sigaction(SIGUSR2, &sa2, NULL);
	raise(SIGUSR1);
	if (hits != 2 || max_nest != 0 || last_sig != SIGUSR2)
		return fail("sa_mask deferral");
	say("sa_mask: deferred until return");

	/* SIG_IGN */
	signal(SIGUSR1, SIG_IGN);
	hits = 0;
	raise(SIGUSR1);
	if (hits != 0)
		return fail("SIG_IGN");
	say("ignored");
	return 0;
}

/* --- threads --------------------------------------------------------------------- */
static volatile pid_t handler_tid, worker_tid;
static volatile int worker_ready, worker_wakeups;

static void tid_handler(int sig)
{
	(void)sig;
	handler_tid = gettid();
	hits++;
}

static void *sig_worker(void *arg)
{
	(void)arg;
	sigset_t none;
	sigemptyset(&none);
	worker_tid = gettid();
	for (int i = 0; i < 2; i++) {
		__atomic_store_n(&worker_ready, i + 1, __ATOMIC_SEQ_CST);
		/* atomically unblock SIGUSR1 and wait for it */
		if (sigsuspend(&none) == -1 && errno == EINTR)
			worker_wakeups++;
	}
	return NULL;
}

static void wait_for(volatile int *v, int want)
{
	struct timespec ts = { 0, 1000000 };
	for (int i = 0; i < 10000 && __atomic_load_n(v, __ATOMIC_SEQ_CST) < want; i++)
		nanosleep(&ts, NULL);
}

static int t_threads(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = tid_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/* blocked in main; the worker inherits the mask and unblocks it only
	 * inside sigsuspend */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, NULL);

	pthread_t t;
	if (pthread_create(&t, NULL, sig_worker, NULL))
		return fail("pthread_create");
	wait_for(&worker_ready, 1);
	pthread_kill(t, SIGUSR1);
	wait_for(&worker_ready, 2);
	if (hits != 1 || handler_tid != worker_tid || handler_tid == gettid())
		return fail("pthread_kill: the handler did not run on the target thread");
	say("pthread_kill: handler ran on the target thread");
	/* process-directed: only the worker (in sigsuspend) can take it */
	kill(getpid(), SIGUSR1);
	pthread_join(t, NULL);
	if (hits != 2 || handler_tid != worker_tid || worker_wakeups != 2)
		return fail("kill: not delivered to the thread with the signal unblocked");
	say("kill: delivered to the thread with it unblocked");
	sigset_t pend;
	sigpending(&pend);
	if (sigismember(&pend, SIGUSR1))
		return fail("still pending");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cases[] = {
		{ "segv_longjmp", t_segv_longjmp }, { "segv_fixup", t_segv_fixup },
		{ "altstack", t_altstack },	    { "siginfo", t_siginfo },
		{ "resethand", t_resethand },	    { "sigmask", t_sigmask },
		{ "raise", t_raise },		    { "threads", t_threads },
	};

	pagesz = sysconf(_SC_PAGESIZE);
	if (argc != 2) {
		fprintf(stderr, "usage: signals CASE\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (strcmp(argv[1], cases[i].name) == 0)
			return cases[i].fn();
	fprintf(stderr, "signals: no case %s\n", argv[1]);
	return 2;
}
