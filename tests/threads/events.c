/*
 * Event interfaces, one case per argument:
 *   epoll_et    edge-triggered epoll on a pipe: one EPOLLIN per write, none
 *               while the old data sits unread; level-triggered for contrast;
 *               EPOLL_CTL_MOD/DEL, EPOLLONESHOT, EPOLLHUP
 *   timerfd     a 10 ms interval timer read until 10 expirations add up;
 *               a disarmed timer; TFD_NONBLOCK's EAGAIN; timerfd_gettime
 *   eventfd     counter semantics: sums, read resets, EAGAIN, EFD_SEMAPHORE,
 *               the overflow limit, poll readiness
 *   poll        poll on a pipe: timeouts, POLLIN, POLLOUT, POLLHUP, POLLNVAL
 *   select      select on a pipe: timeouts, readable, writable
 *   wakeup      a thread blocked in epoll_wait (and one in read on an
 *               eventfd) is woken by another thread's write
 *   alarm_eintr alarm(1) interrupts a blocking read on a pipe: EINTR
 *               (SIGALRM handler without SA_RESTART)
 *   itimer      setitimer(ITIMER_REAL) at 20 ms intervals: 5 SIGALRMs
 *               waited for with sigsuspend; getitimer; disarming
 *   close_read  a thread blocked in read on a pipe whose descriptor another
 *               thread closes, then reuses for other files: the read still
 *               gets the byte written later (the call holds the open file)
 * Deterministic stdout; exit 0 on success.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void say(const char *s)
{
	fputs(s, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static int failf(const char *what, int line)
{
	printf("FAILED (line %d): %s (errno %d %s)\n", line, what, errno, strerror(errno));
	fflush(stdout);
	return 1;
}
#define FAIL(what) failf(what, __LINE__)
#define CHECK(cond)                     \
	do {                            \
		if (!(cond))            \
			return FAIL(#cond); \
	} while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- epoll_et ----------------------------------------------------------------- */
static int t_epoll_et(void)
{
	int p[2], q[2];
	struct epoll_event ev, out[4];
	char buf[64];

	CHECK(pipe(p) == 0 && pipe(q) == 0);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(ep >= 0);
	CHECK(fcntl(ep, F_GETFD) == FD_CLOEXEC);
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u64 = 0x1111;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST);

	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	double t0 = now();
	CHECK(epoll_wait(ep, out, 4, 50) == 0);
	CHECK(now() - t0 >= 0.045);
	say("empty pipe: no event, timeout honoured");

	CHECK(write(p[1], "abc", 3) == 3);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1);
	CHECK(out[0].events == EPOLLIN && out[0].data.u64 == 0x1111);
	say("write: one EPOLLIN");
	/* the data is still there, but edge-triggered reports it once */
	CHECK(epoll_wait(ep, out, 4, 50) == 0);
	CHECK(read(p[0], buf, 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	say("unread data: no second event");
	CHECK(write(p[1], "d", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1 && out[0].events == EPOLLIN);
	CHECK(read(p[0], buf, sizeof buf) == 3 && memcmp(buf, "bcd", 3) == 0);
	say("new data: a new event");

	/* level-triggered: reported on every wait until drained */
	ev.events = EPOLLIN;
	ev.data.u64 = 0x2222;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev) == 0);
	CHECK(write(q[1], "xy", 2) == 2);
	for (int i = 0; i < 3; i++)
		CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 0x2222);
	CHECK(read(q[0], buf, sizeof buf) == 2);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	say("level-triggered: reported until drained");

	/* both ready at once */
	CHECK(write(p[1], "1", 1) == 1 && write(q[1], "2", 1) == 1);
	int n = epoll_wait(ep, out, 4, 1000);
	CHECK(n == 2);
	CHECK(out[0].data.u64 + out[1].data.u64 == 0x3333);
	CHECK(read(p[0], buf, sizeof buf) == 1 && read(q[0], buf, sizeof buf) == 1);
	say("two ready fds: two events");

	/* EPOLLONESHOT, rearmed by EPOLL_CTL_MOD */
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u64 = 0x3333;
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &ev) == 0);
	CHECK(write(q[1], "z", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 0x3333);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &ev) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	say("oneshot: once until rearmed");

	/* DEL, then EPOLLHUP when the write end closes */
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL) == -1 && errno == ENOENT);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	close(p[1]);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1 && (out[0].events & EPOLLHUP));
	say("del: gone; closed writer: EPOLLHUP");
	close(p[0]);
	close(q[0]);
	close(q[1]);
	close(ep);
	say("epoll ok");
	return 0;
}

/* --- timerfd --------------------------------------------------------------------- */
static int t_timerfd(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	CHECK(fd >= 0);
	struct itimerspec its = { 0 }, cur;
	CHECK(timerfd_gettime(fd, &cur) == 0);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

	its.it_value.tv_nsec = 10 * 1000000;
	its.it_interval.tv_nsec = 10 * 1000000;
	double t0 = now();
	CHECK(timerfd_settime(fd, 0, &its, NULL) == 0);
	CHECK(timerfd_gettime(fd, &cur) == 0);
	CHECK(cur.it_interval.tv_nsec == 10 * 1000000 && cur.it_value.tv_sec == 0);
	uint64_t total = 0, reads = 0, n;
	while (total < 10) {
		CHECK(read(fd, &n, sizeof n) == sizeof n);
		CHECK(n >= 1);
		total += n;
		reads++;
	}
	double el = now() - t0;
	CHECK(el >= 0.095);
	CHECK(el < 5);
	say("timerfd: 10 expirations at 10 ms intervals");

	/* disarm; a nonblocking read then finds nothing */
	memset(&its, 0, sizeof its);
	CHECK(timerfd_settime(fd, 0, &its, NULL) == 0);
	int fl = fcntl(fd, F_GETFL);
	CHECK(fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0);
	(void)read(fd, &n, sizeof n);	/* whatever fired before the disarm */
	CHECK(read(fd, &n, sizeof n) == -1 && errno == EAGAIN);
	say("disarmed: EAGAIN");

	/* one-shot, absolute time, with poll */
	int fd2 = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	CHECK(fd2 >= 0);
	struct timespec nowts;
	clock_gettime(CLOCK_MONOTONIC, &nowts);
	its.it_value = nowts;
	its.it_value.tv_nsec += 30 * 1000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	CHECK(timerfd_settime(fd2, TFD_TIMER_ABSTIME, &its, NULL) == 0);
	CHECK(read(fd2, &n, sizeof n) == -1 && errno == EAGAIN);
	struct pollfd pfd = { .fd = fd2, .events = POLLIN };
	CHECK(poll(&pfd, 1, 2000) == 1 && (pfd.revents & POLLIN));
	CHECK(read(fd2, &n, sizeof n) == sizeof n && n == 1);
	CHECK(poll(&pfd, 1, 50) == 0);
	say("one-shot absolute timer: fired once");
	close(fd);
	close(fd2);
	say("timerfd ok");
	return 0;
}

/* --- eventfd ------------------------------------------------------------------------ */
static int t_eventfd(void)
{
	uint64_t v;
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(read(fd, &v, sizeof v) == -1 && errno == EAGAIN);
	v = 3;
	CHECK(write(fd, &v, sizeof v) == sizeof v);
	v = 4;
	CHECK(write(fd, &v, sizeof v) == sizeof v);
	CHECK(read(fd, &v, sizeof v) == sizeof v && v == 7);
	CHECK(read(fd, &v, sizeof v) == -1 && errno == EAGAIN);
	say("counter: 3 + 4 read as 7, then EAGAIN");

	/* short buffers and the forbidden value */
	uint32_t small = 1;
	CHECK(write(fd, &small, sizeof small) == -1 && errno == EINVAL);
	CHECK(read(fd, &small, sizeof small) == -1 && errno == EINVAL);
	v = UINT64_MAX;
	CHECK(write(fd, &v, sizeof v) == -1 && errno == EINVAL);
	/* the counter stops at 2^64 - 2: a nonblocking write then fails */
	v = UINT64_MAX - 1;
	CHECK(write(fd, &v, sizeof v) == sizeof v);
	v = 1;
	CHECK(write(fd, &v, sizeof v) == -1 && errno == EAGAIN);
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN);
	CHECK(read(fd, &v, sizeof v) == sizeof v && v == UINT64_MAX - 1);
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT);
	say("limits: EINVAL, full counter EAGAIN, poll readiness");
	close(fd);

	/* EFD_SEMAPHORE: each read takes 1 */
	fd = eventfd(3, EFD_NONBLOCK | EFD_SEMAPHORE);
	CHECK(fd >= 0);
	for (int i = 0; i < 3; i++)
		CHECK(read(fd, &v, sizeof v) == sizeof v && v == 1);
	CHECK(read(fd, &v, sizeof v) == -1 && errno == EAGAIN);
	say("semaphore: 3 reads of 1, then EAGAIN");
	close(fd);
	say("eventfd ok");
	return 0;
}

/* --- poll --------------------------------------------------------------------------------- */
static int t_poll(void)
{
	int p[2];
	char c;
	CHECK(pipe(p) == 0);
	struct pollfd fds[2] = { { .fd = p[0], .events = POLLIN }, { .fd = p[1], .events = POLLOUT } };

	CHECK(poll(fds, 1, 0) == 0 && fds[0].revents == 0);
	double t0 = now();
	CHECK(poll(fds, 1, 100) == 0);
	double el = now() - t0;
	CHECK(el >= 0.095 && el < 2);
	say("empty pipe: 0, after the timeout");
	CHECK(poll(fds, 2, 0) == 1 && fds[1].revents == POLLOUT && fds[0].revents == 0);
	say("write end: POLLOUT");
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(poll(fds, 2, 1000) == 2 && fds[0].revents == POLLIN);
	CHECK(read(p[0], &c, 1) == 1);
	say("data: POLLIN");
	/* negative fds are ignored; closed fds give POLLNVAL */
	struct pollfd odd[2] = { { .fd = -1, .events = POLLIN }, { .fd = 999, .events = POLLIN } };
	CHECK(poll(odd, 2, 0) == 1 && odd[0].revents == 0 && odd[1].revents == POLLNVAL);
	say("fd -1 ignored, bad fd POLLNVAL");
	close(p[1]);
	CHECK(poll(fds, 1, 1000) == 1 && (fds[0].revents & POLLHUP));
	say("closed writer: POLLHUP");
	close(p[0]);
	/* poll with no fds is a sleep */
	t0 = now();
	CHECK(poll(NULL, 0, 50) == 0);
	CHECK(now() - t0 >= 0.045);
	say("poll ok");
	return 0;
}

/* --- select ------------------------------------------------------------------------------------ */
static int t_select(void)
{
	int p[2];
	char c;
	fd_set r, w;
	struct timeval tv;

	CHECK(pipe(p) == 0);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	double t0 = now();
	CHECK(select(p[0] + 1, &r, NULL, NULL, &tv) == 0);
	double el = now() - t0;
	CHECK(el >= 0.095 && el < 2);
	CHECK(!FD_ISSET(p[0], &r));
	CHECK(tv.tv_sec == 0 && tv.tv_usec == 0);	/* Linux updates the timeout */
	say("empty pipe: 0 after the timeout");
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	int maxfd = (p[0] > p[1] ? p[0] : p[1]) + 1;
	CHECK(select(maxfd, &r, &w, NULL, &tv) == 1 && FD_ISSET(p[1], &w) && !FD_ISSET(p[0], &r));
	say("write end: writable");
	CHECK(write(p[1], "x", 1) == 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 1;
	tv.tv_usec = 0;
	CHECK(select(maxfd, &r, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &r));
	CHECK(read(p[0], &c, 1) == 1);
	say("data: readable");
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timespec ts = { 0, 0 };
	CHECK(pselect(maxfd, &r, NULL, NULL, &ts, NULL) == 0);
	close(p[1]);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK(select(maxfd, &r, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &r));
	CHECK(read(p[0], &c, 1) == 0);
	say("closed writer: readable, EOF");
	close(p[0]);
	/* a closed fd: EBADF */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	CHECK(select(p[0] + 1, &r, NULL, NULL, &tv) == -1 && errno == EBADF);
	say("select ok");
	return 0;
}

/* --- wakeup ------------------------------------------------------------------------------------ */
static int wk_efd, wk_efd2;

static void *wk_writer(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 50 * 1000000 };
	uint64_t one = 1;
	nanosleep(&ts, NULL);
	if (write(wk_efd, &one, sizeof one) != sizeof one)
		return (void *)1;
	nanosleep(&ts, NULL);
	one = 5;
	if (write(wk_efd2, &one, sizeof one) != sizeof one)
		return (void *)1;
	return NULL;
}

static int t_wakeup(void)
{
	wk_efd = eventfd(0, 0);
	wk_efd2 = eventfd(0, 0);
	CHECK(wk_efd >= 0 && wk_efd2 >= 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = wk_efd }, out;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, wk_efd, &ev) == 0);
	pthread_t t;
	CHECK(pthread_create(&t, NULL, wk_writer, NULL) == 0);
	double t0 = now();
	CHECK(epoll_wait(ep, &out, 1, 10000) == 1 && out.data.fd == wk_efd);
	CHECK(now() - t0 < 5);
	say("epoll_wait woken by another thread's write");
	uint64_t v;
	CHECK(read(wk_efd2, &v, sizeof v) == sizeof v && v == 5);	/* blocks */
	say("blocking eventfd read woken by another thread");
	void *ret;
	pthread_join(t, &ret);
	CHECK(ret == NULL);
	say("wakeup ok");
	return 0;
}

/* --- alarm_eintr ------------------------------------------------------------------------------- */
static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static int t_alarm_eintr(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_alarm;
	sa.sa_flags = 0;	/* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK(alarm(1) == 0);
	CHECK(alarm(1) > 0);	/* the old one's remaining seconds */
	char c;
	double t0 = now();
	ssize_t r = read(p[0], &c, 1);	/* nothing will ever come */
	int e = errno;
	double el = now() - t0;
	CHECK(r == -1 && e == EINTR);
	CHECK(alarms == 1);
	CHECK(el >= 0.5 && el < 10);
	say("EINTR ok");
	/* alarm(0) cancels */
	CHECK(alarm(5) == 0);
	CHECK(alarm(0) >= 4);
	return 0;
}

/* --- itimer --------------------------------------------------------------------------------------- */
static int t_itimer(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	struct itimerval it = { .it_interval = { 0, 20000 }, .it_value = { 0, 20000 } }, cur;
	double t0 = now();
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0);
	CHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 20000);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec <= 20000);
	while (alarms < 5)
		sigsuspend(&old);
	double el = now() - t0;
	memset(&it, 0, sizeof it);
	CHECK(setitimer(ITIMER_REAL, &it, &cur) == 0);
	CHECK(cur.it_interval.tv_usec == 20000);
	CHECK(el >= 0.095 && el < 5);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
	say("itimer: 5 SIGALRMs at 20 ms intervals");
	/* disarmed: nothing more comes */
	int before = alarms;
	struct timespec ts = { 0, 60 * 1000000 };
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	CHECK(alarms == before);
	say("disarmed: quiet");
	say("itimer ok");
	return 0;
}

/* --- close_read ------------------------------------------------------------ */
static int close_pipe[2];
static volatile long close_got = -2;
static char close_byte;

static void *blocked_reader(void *arg)
{
	(void)arg;
	close_got = read(close_pipe[0], &close_byte, 1);
	return NULL;
}

static int t_close_read(void)
{
	if (pipe(close_pipe))
		return printf("pipe failed\n"), 1;
	pthread_t t;
	pthread_create(&t, NULL, blocked_reader, NULL);
	struct timespec ts = { 0, 100000000 };
	nanosleep(&ts, NULL);	/* the reader sleeps in read by now */
	close(close_pipe[0]);
	/* The descriptor number is given out again, and that file closed. */
	for (int i = 0; i < 5; i++) {
		int fd = open("/proc/self/stat", O_RDONLY);
		close(fd);
	}
	write(close_pipe[1], "k", 1);
	pthread_join(t, NULL);
	printf("the read after its descriptor was closed: %ld byte%s '%c'\n", close_got,
	       close_got == 1 ? "," : "s", close_got == 1 ? close_byte : '?');
	close(close_pipe[1]);
	return close_got == 1 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cases[] = {
		{ "epoll_et", t_epoll_et }, { "timerfd", t_timerfd },	      { "eventfd", t_eventfd },
		{ "poll", t_poll },	    { "select", t_select },	      { "wakeup", t_wakeup },
		{ "alarm_eintr", t_alarm_eintr }, { "itimer", t_itimer },
		{ "close_read", t_close_read },
	};

	if (argc != 2) {
		fprintf(stderr, "usage: events CASE\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (strcmp(argv[1], cases[i].name) == 0)
			return cases[i].fn();
	fprintf(stderr, "events: no case %s\n", argv[1]);
	return 2;
}
