/* The "jobs" case: job control between processes, without a terminal.
 * Each child runs in a process group of its own, which its parent (in
 * another group of the same session) keeps from being orphaned, so stop
 * signals stop it natively and in the guest alike:
 *   - SIGSTOP stops every thread (a counter they bump stays still), the
 *     parent's SIGCHLD says CLD_STOPPED and waitpid(WUNTRACED) reports it
 *     once; SIGCONT resumes it, with CLD_CONTINUED and WCONTINUED
 *   - waitid with WSTOPPED and WNOWAIT leaves the report for the next wait
 *   - SIGTSTP's default action stops, its handler runs instead when set
 *   - SIGCONT continues a process that blocks it; its handler runs once
 *     unblocked; a stop signal drops a pending SIGCONT
 *   - SA_NOCLDSTOP: no SIGCHLD for stops, the wait still sees them
 *   - SIGKILL ends a stopped process
 *   - a stopped group that its parent's end orphans gets SIGHUP and
 *     SIGCONT; SIGTSTP to an orphaned group is dropped
 *   - a blocked SIGCHLD at its default disposition waits for sigtimedwait
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "proctest.h"

/* Bumped by a child's threads, read by the parent. */
static volatile long *counters;

static void *bump(void *arg)
{
	volatile long *c = arg;
	for (;;) {
		(*c)++;
		usleep(1000);
	}
	return NULL;
}

/* Two threads counting, each its own counter, until killed. */
static int counting(void *arg)
{
	(void)arg;
	setpgid(0, 0);
	pthread_t t;
	pthread_create(&t, NULL, bump, (void *)&counters[1]);
	bump((void *)&counters[0]);
	return 0;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Whether both counters move within a second. */
static int both_move(void)
{
	long a = counters[0], b = counters[1];
	for (int i = 0; i < 100; i++) {
		msleep(10);
		if (counters[0] != a && counters[1] != b)
			return 1;
	}
	return 0;
}

static int neither_moves(void)
{
	msleep(50);	/* a thread already on its way may finish one step */
	long a = counters[0], b = counters[1];
	msleep(300);
	return counters[0] == a && counters[1] == b;
}

static volatile sig_atomic_t chld_count, chld_code, chld_status;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	chld_count++;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

static const char *code_name(int code)
{
	switch (code) {
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	case CLD_STOPPED: return "CLD_STOPPED";
	case CLD_CONTINUED: return "CLD_CONTINUED";
	default: return "other";
	}
}

/* Waits (up to 5 s) for the SIGCHLD handler to have run n times. */
static void await_chld(int n)
{
	for (int i = 0; i < 500 && chld_count < n; i++)
		msleep(10);
}

static void stop_and_continue(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	chld_count = 0;
	pid_t p = child(counting, NULL);
	setpgid(p, p);
	say("the child's threads count: %d", both_move());
	int st;
	kill(p, SIGSTOP);
	pid_t w = waitpid(p, &st, WUNTRACED);
	say("waitpid(WUNTRACED): same pid %d, %s", w == p, status_text(st));
	await_chld(1);
	say("SIGCHLD: %s, status %s", code_name(chld_code), strsignal(chld_status));
	say("stopped: neither thread counts: %d", neither_moves());
	result("waitpid(WUNTRACED|WNOHANG) again", waitpid(p, &st, WUNTRACED | WNOHANG));
	kill(p, SIGCONT);
	w = waitpid(p, &st, WCONTINUED);
	say("waitpid(WCONTINUED): same pid %d, %s", w == p, status_text(st));
	await_chld(2);
	say("SIGCHLD: %s, status %s", code_name(chld_code), strsignal(chld_status));
	say("continued: both threads count: %d", both_move());

	siginfo_t si;
	kill(p, SIGSTOP);
	for (int i = 0; i < 2; i++) {
		memset(&si, 0, sizeof(si));
		int r = waitid(P_PID, p, &si, WSTOPPED | (i ? 0 : WNOWAIT));
		say("waitid(WSTOPPED%s): %d, %s, %s, same pid %d", i ? "" : "|WNOWAIT", r,
		    code_name(si.si_code), strsignal(si.si_status), si.si_pid == p);
	}
	memset(&si, 0, sizeof(si));
	int r = waitid(P_PID, p, &si, WSTOPPED | WNOHANG);
	say("waitid(WSTOPPED|WNOHANG) once reported: %d, pid %d", r, si.si_pid);
	kill(p, SIGKILL);
	say("SIGKILL to the stopped child: %s", status_text(reap(p)));
	signal(SIGCHLD, SIG_DFL);
}

static volatile sig_atomic_t tstp_handled, cont_handled;

static void on_tstp(int sig)
{
	(void)sig;
	tstp_handled = 1;
}

static void on_cont(int sig)
{
	(void)sig;
	cont_handled++;
}

/* Raises SIGTSTP at its default action, then says it was continued. */
static int tstp_self(void *arg)
{
	int fd = (int)(long)arg;
	setpgid(0, 0);
	raise(SIGTSTP);
	return write(fd, "c", 1) == 1 ? 0 : 1;
}

static int tstp_handler(void *arg)
{
	(void)arg;
	setpgid(0, 0);
	signal(SIGTSTP, on_tstp);
	raise(SIGTSTP);
	return tstp_handled ? 7 : 1;
}

/* Blocks SIGCONT with a handler set; says (exit status) how often the
 * handler ran once it unblocks after being stopped and continued. */
static int cont_blocked(void *arg)
{
	int fd = (int)(long)arg;
	setpgid(0, 0);
	signal(SIGCONT, on_cont);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGCONT);
	sigprocmask(SIG_BLOCK, &s, NULL);
	if (write(fd, "r", 1) != 1)
		return 99;
	raise(SIGSTOP);
	int before = cont_handled;
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	return before * 10 + cont_handled;
}

/* A stop signal drops a SIGCONT that is pending (blocked). */
static int cont_dropped(void *arg)
{
	(void)arg;
	setpgid(0, 0);
	signal(SIGCONT, on_cont);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGCONT);
	sigaddset(&s, SIGTSTP);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGCONT);
	raise(SIGTSTP);	/* blocked too: only drops the SIGCONT */
	sigset_t pend;
	sigpending(&pend);
	int r = sigismember(&pend, SIGCONT) * 10 + sigismember(&pend, SIGTSTP);
	signal(SIGTSTP, SIG_IGN);	/* no stop when it unblocks */
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	return r;
}

static void stop_signals(void)
{
	int pfd[2];
	if (pipe(pfd))
		return;
	pid_t p = child(tstp_self, (void *)(long)pfd[1]);
	setpgid(p, p);
	int st;
	waitpid(p, &st, WUNTRACED);
	say("SIGTSTP at its default: %s", status_text(st));
	kill(p, SIGCONT);
	char c = 0;
	ssize_t n = read(pfd[0], &c, 1);
	say("after SIGCONT the child goes on: %zd %c", n, c);
	say("and ends: %s", status_text(reap(p)));
	say("SIGTSTP with a handler: %s", status_text(reap(child(tstp_handler, NULL))));

	p = child(cont_blocked, (void *)(long)pfd[1]);
	setpgid(p, p);
	read(pfd[0], &c, 1);
	waitpid(p, &st, WUNTRACED);
	say("SIGCONT blocked, then SIGSTOP: %s", status_text(st));
	kill(p, SIGCONT);
	st = reap(p);
	say("continued all the same; its handler ran %d times before the unblock, %d after",
	    WEXITSTATUS(st) / 10, WEXITSTATUS(st) % 10);
	st = reap(child(cont_dropped, NULL));
	say("SIGCONT pending, then SIGTSTP: SIGCONT pending %d, SIGTSTP pending %d",
	    WEXITSTATUS(st) / 10, WEXITSTATUS(st) % 10);

	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	chld_count = 0;
	p = child(counting, NULL);
	setpgid(p, p);
	kill(p, SIGSTOP);
	waitpid(p, &st, WUNTRACED);
	say("SA_NOCLDSTOP: the wait sees it %s", status_text(st));
	kill(p, SIGCONT);
	waitpid(p, &st, WCONTINUED);
	say("SA_NOCLDSTOP: the wait sees it %s", status_text(st));
	msleep(100);
	say("SA_NOCLDSTOP: SIGCHLDs so far %d", (int)chld_count);
	kill(p, SIGKILL);
	reap(p);
	signal(SIGCHLD, SIG_DFL);
	close(pfd[0]);
	close(pfd[1]);
}

static volatile sig_atomic_t got_hup;

static void on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

/* In a group of its own, kept from being orphaned by its parent in
 * another group of the session: stops; once orphaned, reports SIGHUP's
 * arrival, then raises SIGTSTP, which an orphaned group drops. */
static int orphan(void *arg)
{
	int fd = (int)(long)arg;
	setpgid(0, 0);
	signal(SIGHUP, on_hup);
	raise(SIGSTOP);
	char m[2] = { got_hup ? 'h' : '-', 0 };
	raise(SIGTSTP);
	m[1] = 't';
	return write(fd, m, 2) == 2 ? 0 : 1;
}

/* A session leader with a stopped child; it ends, which orphans the
 * child's group (the child's new parent, the subreaper, is in another
 * session): POSIX's newly orphaned group with a stopped member. */
static int leader(void *arg)
{
	setsid();
	pid_t g = child(orphan, arg);
	int st;
	waitpid(g, &st, WUNTRACED);
	return WIFSTOPPED(st) ? 0 : 1;
}

static void orphaned_group(void)
{
	int pfd[2];
	if (pipe(pfd))
		return;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid_t l = child(leader, (void *)(long)pfd[1]);
	say("the session leader saw its child stop and ended: %s", status_text(reap(l)));
	close(pfd[1]);
	char m[3] = { 0 };
	ssize_t n = read(pfd[0], m, 2);
	say("the orphan: %zd bytes, SIGHUP %s, SIGTSTP %s", n,
	    m[0] == 'h' ? "handled" : "missed", m[1] == 't' ? "dropped" : "missed");
	int st;
	pid_t w = wait(&st);
	say("the subreaper reaps it: %d, %s", w > 0, status_text(st));
	close(pfd[0]);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static int exit3(void *arg)
{
	(void)arg;
	return 3;
}

static void sigwait_child(void)
{
	signal(SIGCHLD, SIG_DFL);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	pid_t p = child(exit3, NULL);
	siginfo_t si;
	struct timespec ts = { 5, 0 };
	int r = sigtimedwait(&s, &si, &ts);
	say("sigtimedwait for a blocked SIGCHLD at its default: %s, %s, status %d, same pid %d",
	    r == SIGCHLD ? "SIGCHLD" : "nothing", code_name(si.si_code), si.si_status,
	    si.si_pid == p);
	reap(p);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

int t_jobs(void)
{
	counters = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counters == MAP_FAILED)
		return 1;
	stop_and_continue();
	stop_signals();
	orphaned_group();
	sigwait_child();
	return 0;
}
