/* The signal masks of ppoll, pselect6 and epoll_pwait hold while they wait
 * and the caller's comes back after: a pending signal the temporary mask
 * unblocks interrupts the wait (EINTR), its handler runs with that mask
 * (and the old mask returns after it); one the temporary mask blocks waits
 * until the call returns. select carries whole seconds out of tv_usec. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t ran, usr2_blocked_in_handler;

static void on_sig(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	usr2_blocked_in_handler = sigismember(&cur, SIGUSR2);
	ran = sig;
}

static void show_mask(const char *when)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("%s: SIGUSR1 blocked %d, SIGUSR2 blocked %d, SIGALRM blocked %d\n", when,
	       sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2), sigismember(&cur, SIGALRM));
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	signal(SIGUSR1, on_sig);
	signal(SIGALRM, on_sig);
	sigset_t usr1, only_usr2, only_alrm;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&only_usr2);
	sigaddset(&only_usr2, SIGUSR2);
	sigemptyset(&only_alrm);
	sigaddset(&only_alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	raise(SIGUSR1);
	struct timespec second = { 1, 0 };
	errno = 0;
	int r = ppoll(NULL, 0, &second, &only_usr2);
	int e = errno;
	printf("ppoll with SIGUSR1 pending, unblocked by its mask: %d %s\n", r, strerror(e));
	printf("the handler ran %d, with ppoll's mask (SIGUSR2 blocked) %d\n", ran == SIGUSR1,
	       usr2_blocked_in_handler);
	show_mask("after ppoll");

	ran = 0;
	raise(SIGUSR1);
	int ep = epoll_create1(0);
	struct epoll_event ev;
	sigset_t none;
	sigemptyset(&none);
	errno = 0;
	r = epoll_pwait(ep, &ev, 1, 1000, &none);
	e = errno;
	printf("epoll_pwait likewise: %d %s, handler ran %d\n", r, strerror(e), ran == SIGUSR1);
	show_mask("after epoll_pwait");

	ran = 0;
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	alarm(1);
	struct timespec two = { 2, 0 };
	double t0 = now();
	r = pselect(0, NULL, NULL, NULL, &two, &only_alrm);
	printf("pselect blocking SIGALRM (alarm 1 s, timeout 2 s): %d after %.0f s\n", r, now() - t0);
	printf("the handler ran once it returned: %d\n", ran == SIGALRM);
	show_mask("after pselect");

	struct timeval tv = { 0, 1500000 };
	t0 = now();
	r = select(0, NULL, NULL, NULL, &tv);
	double took = now() - t0;
	printf("select with tv_usec 1500000: %d after 1.5 s %d\n", r, took > 1.4 && took < 3);
	tv.tv_sec = 0;
	tv.tv_usec = -1;
	errno = 0;
	r = select(0, NULL, NULL, NULL, &tv);
	printf("select with tv_usec -1: %d %s\n", r, strerror(errno));
	return 0;
}
