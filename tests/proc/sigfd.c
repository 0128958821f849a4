/* tests/proc's signalfd case: reading blocked signals from a descriptor
 * (one and several per read, their siginfo), poll and epoll readiness, a
 * signal from another process waking epoll_wait, a blocking read, a new
 * mask on the same descriptor, a forked child seeing its own signals only
 * through an inherited one, SIGCHLD's fields, and the errors. PostgreSQL's
 * latches wait on one this way. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "proctest.h"

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void nap_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	nanosleep(&ts, NULL);
}

/* Reads up to n signals; prints them. */
static void read_some(int fd, int n, pid_t from)
{
	struct signalfd_siginfo s[4];
	ssize_t r = read(fd, s, n * sizeof(s[0]));
	if (r < 0) {
		say("read: %s", strerror(errno));
		return;
	}
	say("read %zd bytes", r);
	for (int i = 0; i < r / (ssize_t)sizeof(s[0]); i++)
		say("  signal %u code %d from %s", s[i].ssi_signo, s[i].ssi_code,
		    (pid_t)s[i].ssi_pid == from ? "the expected process" : "another");
}

static int urg_parent(void *arg)
{
	nap_ms(100);
	kill((pid_t)(long)arg, SIGURG);
	return 0;
}

static int blocking_read(void *arg)
{
	(void)arg;
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	int fd = signalfd(-1, &m, 0);
	struct signalfd_siginfo s;
	ssize_t r = read(fd, &s, sizeof(s));
	say("child's blocking read: %zd, signal %u", r, r > 0 ? s.ssi_signo : 0);
	return r == sizeof(s) ? 0 : 1;
}

static int inherited(void *arg)
{
	int fd = (int)(long)arg;
	say("child: the inherited signalfd readable: %d", readable(fd));
	raise(SIGUSR1);
	say("child: after its own SIGUSR1: %d", readable(fd));
	read_some(fd, 1, getpid());
	return 0;
}

int t_signalfd(void)
{
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGURG);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, NULL);
	sigdelset(&m, SIGUSR2);
	sigdelset(&m, SIGCHLD);
	int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	say("signalfd: %s, cloexec %d, nonblock %d", fd >= 0 ? "a descriptor" : strerror(errno),
	    !!(fcntl(fd, F_GETFD) & FD_CLOEXEC), !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	result("read with nothing pending", read(fd, (char[128]){ 0 }, 128));
	say("readable: %d", readable(fd));
	kill(getpid(), SIGUSR1);
	say("readable after kill: %d", readable(fd));
	read_some(fd, 2, getpid());
	raise(SIGURG);
	kill(getpid(), SIGUSR1);
	read_some(fd, 4, getpid());
	result("read of 127 bytes", read(fd, (char[128]){ 0 }, 127));

	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, got;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	pid_t c = child(urg_parent, (void *)(long)getpid());
	int n = epoll_wait(ep, &got, 1, 5000);
	say("epoll_wait: %d, events %#x, data %u", n, n > 0 ? got.events : 0, n > 0 ? got.data.u32 : 0);
	read_some(fd, 1, c);
	say("the child: %s", status_text(reap(c)));
	/* Its SIGCHLD is pending, blocked, and not in this mask. */
	say("readable with SIGCHLD pending: %d", readable(fd));

	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	int cfd = signalfd(-1, &chld, SFD_NONBLOCK);
	struct signalfd_siginfo s;
	ssize_t r = read(cfd, &s, sizeof(s));
	say("SIGCHLD: %zd, signal %u code %d status %d, pid %s", r, s.ssi_signo, s.ssi_code,
	    s.ssi_status, (pid_t)s.ssi_pid == c ? "the child's" : "another");

	c = child(blocking_read, NULL);
	nap_ms(100);
	kill(c, SIGUSR2);
	say("blocking read child: %s", status_text(reap(c)));
	read(cfd, &s, sizeof(s));

	kill(getpid(), SIGUSR1);
	say("the parent's SIGUSR1 pending, readable: %d", readable(fd));
	say("inherited: %s", status_text(reap(child(inherited, (void *)(long)fd))));
	read(cfd, &s, sizeof(s));
	sigset_t usr2;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	result("a new mask on the same descriptor", signalfd(fd, &usr2, 0) == fd);
	say("readable with SIGUSR1 out of the mask: %d", readable(fd));
	raise(SIGUSR2);
	read_some(fd, 1, getpid());
	struct timespec zero = { 0, 0 };
	say("SIGUSR1 still pending: sigtimedwait %d", sigtimedwait(&m, NULL, &zero));

	result("bad flags", signalfd(-1, &m, 1));
	result("a 4-byte mask", syscall(SYS_signalfd4, -1, &m, 4, 0));
	int p[2];
	pipe(p);
	result("a pipe's descriptor", signalfd(p[0], &m, 0));
	result("no descriptor", signalfd(999, &m, 0));
	return 0;
}
