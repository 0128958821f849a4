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
 *   restart       a thread blocked in read on a pipe, interrupted by a
 *                 signal just after another thread made a system call:
 *                 EINTR without SA_RESTART, the read restarted (and
 *                 completed by a later write) with it
 *   timers        POSIX timers: a one-shot SIGEV_SIGNAL (si_code SI_TIMER,
 *                 the sigev value), timer_gettime counting down, overruns
 *                 of a periodic timer while its signal is blocked, an
 *                 absolute CLOCK_REALTIME expiry, SIGEV_NONE, glibc's
 *                 SIGEV_THREAD, timer_delete
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

/* --- restart ---------------------------------------------------------------------- */
static int restart_pipe[2];
static volatile int reader_errno;
static volatile long reader_ret;
static char reader_byte;

static void *pipe_reader(void *arg)
{
	(void)arg;
	reader_ret = read(restart_pipe[0], &reader_byte, 1);
	reader_errno = reader_ret < 0 ? errno : 0;
	return NULL;
}

/* One round: the reader blocks, main makes a call of its own, then
 * interrupts the reader; with SA_RESTART a write completes its read. */
static int restart_round(int flags)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = count_handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	if (pipe(restart_pipe))
		return fail("pipe");
	hits = 0;
	pthread_t t;
	if (pthread_create(&t, NULL, pipe_reader, NULL))
		return fail("pthread_create");
	struct timespec ts = { 0, 100000000 };
	nanosleep(&ts, NULL);	/* the reader is in read by now */
	(void)getppid();	/* another thread's call in between */
	pthread_kill(t, SIGUSR2);
	nanosleep(&ts, NULL);
	if (flags & SA_RESTART)
		write(restart_pipe[1], "x", 1);
	pthread_join(t, NULL);
	close(restart_pipe[0]);
	close(restart_pipe[1]);
	if (hits != 1)
		return fail("the handler did not run once");
	if (flags & SA_RESTART) {
		if (reader_ret != 1 || reader_byte != 'x')
			return fail("SA_RESTART: the read was not restarted");
		say("SA_RESTART: the read was restarted and got the later byte");
	} else {
		if (reader_ret != -1 || reader_errno != EINTR)
			return fail("no SA_RESTART: the read did not fail with EINTR");
		say("no SA_RESTART: the read failed with EINTR");
	}
	return 0;
}

static int t_restart(void)
{
	return restart_round(0) || restart_round(SA_RESTART);
}

/* --- POSIX timers ---------------------------------------------------------------- */
static volatile int timer_hits, timer_code, timer_value, timer_overrun;

static void timer_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (!timer_hits++)
		timer_overrun = si->si_overrun;
	timer_code = si->si_code;
	timer_value = si->si_value.sival_int;
}

static volatile int thread_notified;
static volatile void *thread_value;

static void thread_notify(union sigval v)
{
	thread_value = v.sival_ptr;
	thread_notified = 1;
}

/* Waits (bounded) until *flag is set; 0 on time. */
static int wait_flag(volatile int *flag, int ms)
{
	for (int i = 0; i < ms && !*flag; i++)
		usleep(1000);
	return *flag ? 0 : -1;
}

static int t_timers(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = timer_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);

	struct sigevent ev = { 0 };
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR2;
	ev.sigev_value.sival_int = 1234;
	timer_t t;
	if (timer_create(CLOCK_MONOTONIC, &ev, &t))
		return fail("timer_create");
	struct itimerspec its = { .it_value = { 0, 200 * 1000 * 1000 } }, cur;
	if (timer_settime(t, 0, &its, NULL))
		return fail("timer_settime");
	if (timer_gettime(t, &cur) || cur.it_value.tv_sec != 0 || cur.it_value.tv_nsec <= 0 ||
	    cur.it_value.tv_nsec > 200 * 1000 * 1000)
		return fail("timer_gettime of an armed timer");
	if (wait_flag(&timer_hits, 5000))
		return fail("the one-shot timer never fired");
	if (timer_code != SI_TIMER || timer_value != 1234)
		return fail("siginfo of the timer signal");
	say("one-shot: SI_TIMER, value 1234");
	if (timer_gettime(t, &cur) || cur.it_value.tv_sec || cur.it_value.tv_nsec)
		return fail("timer_gettime after the expiry");
	say("gettime: 0 after the expiry");

	/* Periodic, 10 ms, its signal blocked for 100 ms: the delivery on
	 * unblocking carries the expiries that found it pending as its
	 * overrun. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);
	timer_hits = 0;
	its.it_value.tv_nsec = 10 * 1000 * 1000;
	its.it_interval.tv_nsec = 10 * 1000 * 1000;
	timer_settime(t, 0, &its, NULL);
	usleep(100 * 1000);
	if (timer_hits)
		return fail("a blocked signal was delivered");
	sigprocmask(SIG_SETMASK, &old, NULL);
	struct itimerspec off = { 0 };
	timer_settime(t, 0, &off, NULL);
	if (timer_hits < 1 || timer_overrun < 3)
		return fail("overrun of the periodic timer");
	say("periodic: overrun >= 3 on unblocking");

	/* Re-arming drops a signal of the old arming still pending. */
	sigprocmask(SIG_BLOCK, &block, &old);
	timer_hits = 0;
	its.it_interval.tv_nsec = 0;
	its.it_value.tv_nsec = 1000 * 1000;
	timer_settime(t, 0, &its, NULL);
	usleep(30 * 1000);
	timer_settime(t, 0, &off, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (timer_hits)
		return fail("a stale timer signal survived re-arming");
	say("re-arm: the pending signal is dropped");

	/* Absolute expiry on CLOCK_REALTIME. */
	timer_t rt;
	ev.sigev_value.sival_int = 99;
	if (timer_create(CLOCK_REALTIME, &ev, &rt))
		return fail("timer_create CLOCK_REALTIME");
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_interval.tv_nsec = 0;
	its.it_value = now;
	its.it_value.tv_nsec += 30 * 1000 * 1000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	timer_hits = 0;
	if (timer_settime(rt, TIMER_ABSTIME, &its, NULL))
		return fail("timer_settime TIMER_ABSTIME");
	if (wait_flag(&timer_hits, 5000) || timer_value != 99)
		return fail("the absolute timer");
	say("absolute: fired with value 99");
	timer_delete(rt);

	/* SIGEV_NONE: no signal, but it counts down. */
	timer_t none;
	struct sigevent nev = { .sigev_notify = SIGEV_NONE };
	if (timer_create(CLOCK_MONOTONIC, &nev, &none))
		return fail("timer_create SIGEV_NONE");
	its.it_value.tv_sec = 5;
	its.it_value.tv_nsec = 0;
	timer_settime(none, 0, &its, NULL);
	timer_gettime(none, &cur);
	if (cur.it_value.tv_sec > 5 || (cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0))
		return fail("SIGEV_NONE countdown");
	timer_delete(none);
	say("SIGEV_NONE: counts down");

	/* glibc's SIGEV_THREAD: a helper thread calls the function. */
	static int cookie;
	struct sigevent tev = { 0 };
	tev.sigev_notify = SIGEV_THREAD;
	tev.sigev_notify_function = thread_notify;
	tev.sigev_value.sival_ptr = &cookie;
	timer_t th;
	if (timer_create(CLOCK_MONOTONIC, &tev, &th))
		return fail("timer_create SIGEV_THREAD");
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 20 * 1000 * 1000;
	timer_settime(th, 0, &its, NULL);
	if (wait_flag(&thread_notified, 5000) || thread_value != &cookie)
		return fail("SIGEV_THREAD notification");
	timer_delete(th);
	say("SIGEV_THREAD: called with its value");

	if (timer_delete(t))
		return fail("timer_delete");
	errno = 0;
	if (timer_settime(t, 0, &its, NULL) == 0 || errno != EINVAL)
		return fail("timer_settime on a deleted timer");
	say("delete: then EINVAL");
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
		{ "timers", t_timers },		    { "restart", t_restart },
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
