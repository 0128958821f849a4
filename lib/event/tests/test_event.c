/* event: eventfd counters, poll and select on pipes, epoll's level,
 * edge and one-shot modes, and timerfd, through the system calls the
 * program would make (on kernel buffers), against Linux's results. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/time.h>
#include <linux/timerfd.h>
#include <uk/plat.h>
#include <uk/test.h>
#include <uk/vfs.h>

#define SYSCALL(name) long uk_syscall_r_##name(long, long, long, long, long, long)
SYSCALL(eventfd2);
SYSCALL(read);
SYSCALL(write);
SYSCALL(close);
SYSCALL(pipe2);
SYSCALL(poll);
SYSCALL(select);
SYSCALL(epoll_create1);
SYSCALL(epoll_ctl);
SYSCALL(epoll_wait);
SYSCALL(timerfd_create);
SYSCALL(timerfd_settime);
SYSCALL(timerfd_gettime);
SYSCALL(openat);
SYSCALL(unlinkat);

#define EFD_SEMAPHORE 1
#define EFD_NONBLOCK O_NONBLOCK
#define MS 1000000ULL

static long rd(int fd, void *buf, size_t len)
{
	return uk_syscall_r_read(fd, (long)buf, len, 0, 0, 0);
}

static long wr(int fd, const void *buf, size_t len)
{
	return uk_syscall_r_write(fd, (long)buf, len, 0, 0, 0);
}

static long wr64(int fd, uint64_t v)
{
	return wr(fd, &v, sizeof(v));
}

static uint64_t rd64(int fd)
{
	uint64_t v = 0xdeadbeef;
	return rd(fd, &v, sizeof(v)) == 8 ? v : 0xdeadbeef;
}

static void close_fd(int fd)
{
	/* The system-call path lets go of the files a call used when it
	 * returns; calls made directly here hold them until told. */
	uk_fd_release_held();
	uk_syscall_r_close(fd, 0, 0, 0, 0, 0);
	uk_fd_release_held();
}

/* revents of one descriptor after a poll that does not wait. */
static int revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events, .revents = -1 };
	long n = uk_syscall_r_poll((long)&p, 1, 0, 0, 0, 0);
	return n < 0 ? (int)n : p.revents;
}

UK_TESTCASE(event, eventfd)
{
	char small[4];
	int fd = uk_syscall_r_eventfd2(3, EFD_NONBLOCK, 0, 0, 0, 0);
	UK_TEST_EXPECT(fd >= 3);
	UK_TEST_EQ(revents(fd, POLLIN | POLLOUT), POLLIN | POLLOUT);
	UK_TEST_EQ(rd64(fd), 3);		/* the whole count */
	uint64_t v;
	UK_TEST_EQ(rd(fd, &v, 8), -EAGAIN);
	UK_TEST_EQ(revents(fd, POLLIN | POLLOUT), POLLOUT);
	UK_TEST_EQ(wr64(fd, 2), 8);
	UK_TEST_EQ(wr64(fd, 5), 8);
	UK_TEST_EQ(rd64(fd), 7);		/* writes add up */
	UK_TEST_EQ(rd(fd, small, 4), -EINVAL);	/* less than 8 bytes */
	UK_TEST_EQ(wr(fd, small, 4), -EINVAL);
	UK_TEST_EQ(wr64(fd, UINT64_MAX), -EINVAL);
	/* The counter stops at 2^64 - 2: not writable there. */
	UK_TEST_EQ(wr64(fd, UINT64_MAX - 1), 8);
	UK_TEST_EQ(revents(fd, POLLIN | POLLOUT), POLLIN);
	UK_TEST_EQ(wr64(fd, 1), -EAGAIN);
	UK_TEST_EQ(rd64(fd), UINT64_MAX - 1);
	close_fd(fd);
	/* EFD_SEMAPHORE: one at a time. */
	fd = uk_syscall_r_eventfd2(2, EFD_NONBLOCK | EFD_SEMAPHORE, 0, 0, 0, 0);
	UK_TEST_EQ(rd64(fd), 1);
	UK_TEST_EQ(rd64(fd), 1);
	UK_TEST_EQ(rd(fd, &v, 8), -EAGAIN);
	close_fd(fd);
	UK_TEST_EQ(uk_syscall_r_eventfd2(0, 0x100, 0, 0, 0, 0), -EINVAL);
}

UK_TESTCASE(event, poll_pipe)
{
	int p[2];
	char c;
	UK_TEST_EQ(uk_syscall_r_pipe2((long)p, O_NONBLOCK, 0, 0, 0, 0), 0);
	UK_TEST_EQ(revents(p[0], POLLIN), 0);
	UK_TEST_EQ(revents(p[1], POLLOUT), POLLOUT);
	UK_TEST_EQ(wr(p[1], uk_test_ustr("x"), 1), 1);
	UK_TEST_EQ(revents(p[0], POLLIN | POLLRDNORM), POLLIN | POLLRDNORM);
	/* Several descriptors: the count of those with events; a closed
	 * one is POLLNVAL, a negative one ignored. */
	struct pollfd set[4] = {
		{ .fd = p[0], .events = POLLIN }, { .fd = p[1], .events = POLLIN },
		{ .fd = 1000, .events = POLLIN }, { .fd = -1, .events = POLLIN },
	};
	UK_TEST_EQ(uk_syscall_r_poll((long)set, 4, 0, 0, 0, 0), 2);
	UK_TEST_EQ(set[0].revents, POLLIN);
	UK_TEST_EQ(set[1].revents, 0);
	UK_TEST_EQ(set[2].revents, POLLNVAL);
	UK_TEST_EQ(set[3].revents, 0);
	/* The writer gone: POLLHUP, reported though not asked for, with
	 * POLLIN while data is left. */
	close_fd(p[1]);
	UK_TEST_EQ(revents(p[0], POLLIN), POLLIN | POLLHUP);
	UK_TEST_EQ(rd(p[0], &c, 1), 1);
	UK_TEST_EQ(revents(p[0], POLLIN), POLLHUP);
	UK_TEST_EQ(rd(p[0], &c, 1), 0);
	close_fd(p[0]);
	/* The reader gone: POLLERR on the write end. */
	UK_TEST_EQ(uk_syscall_r_pipe2((long)p, O_NONBLOCK, 0, 0, 0, 0), 0);
	close_fd(p[0]);
	UK_TEST_EQ(revents(p[1], POLLOUT), POLLOUT | POLLERR);
	close_fd(p[1]);
	/* Nothing ready: the timeout passes, 0 is returned. */
	UK_TEST_EQ(uk_syscall_r_pipe2((long)p, 0, 0, 0, 0, 0), 0);
	struct pollfd one = { .fd = p[0], .events = POLLIN };
	uint64_t t0 = ukplat_monotonic_ns();
	UK_TEST_EQ(uk_syscall_r_poll((long)&one, 1, 5, 0, 0, 0), 0);
	UK_TEST_EXPECT(ukplat_monotonic_ns() - t0 >= 5 * MS);
	/* select: the read set keeps the ready bits only; a descriptor
	 * that is not open fails the call. */
	unsigned long rset[16] = { 0 }, wset[16] = { 0 };
	rset[0] = (1UL << p[0]) | (1UL << p[1]);
	wset[0] = 1UL << p[1];
	struct __kernel_old_timeval tv = { 0, 0 };
	UK_TEST_EQ(uk_syscall_r_select(p[1] + 1, (long)rset, (long)wset, 0, (long)&tv, 0), 1);
	UK_TEST_EQ(rset[0], 0);
	UK_TEST_EQ(wset[0], 1UL << p[1]);
	wr(p[1], uk_test_ustr("y"), 1);
	rset[0] = 1UL << p[0];
	UK_TEST_EQ(uk_syscall_r_select(p[0] + 1, (long)rset, 0, 0, (long)&tv, 0), 1);
	UK_TEST_EQ(rset[0], 1UL << p[0]);
	rset[0] = 1UL << 60;
	UK_TEST_EQ(uk_syscall_r_select(61, (long)rset, 0, 0, (long)&tv, 0), -EBADF);
	close_fd(p[0]);
	close_fd(p[1]);
}

static int ep_wait(int ep, struct epoll_event *ev, int max)
{
	return uk_syscall_r_epoll_wait(ep, (long)ev, max, 0, 0, 0);
}

static int ep_ctl(int ep, int op, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data = data };
	return uk_syscall_r_epoll_ctl(ep, op, fd, (long)&e, 0, 0);
}

UK_TESTCASE(event, epoll)
{
	int p[2], ep = uk_syscall_r_epoll_create1(0, 0, 0, 0, 0, 0);
	struct epoll_event ev[4];
	char buf[8];
	UK_TEST_EXPECT(ep >= 3);
	uk_syscall_r_pipe2((long)p, O_NONBLOCK, 0, 0, 0, 0);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 0x1234), 0);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 0), -EEXIST);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_MOD, p[1], EPOLLOUT, 0), -ENOENT);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_DEL, p[1], 0, 0), -ENOENT);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0), -EINVAL);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_ADD, 1000, EPOLLIN, 0), -EBADF);
	UK_TEST_EQ(ep_ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 0), -EINVAL);
	UK_TEST_EQ(ep_wait(ep, ev, 0), -EINVAL);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 0);
	/* Level-triggered: reported while readable, with its data. */
	wr(p[1], uk_test_ustr("ab"), 2);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 1);
	UK_TEST_EQ(ev[0].events, EPOLLIN);
	UK_TEST_EQ(ev[0].data, 0x1234);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 1);
	/* Edge-triggered: once per new arrival. */
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 7), 0);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 1);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 0);
	wr(p[1], uk_test_ustr("c"), 1);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 1);
	UK_TEST_EQ(ev[0].data, 7);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 0);
	/* One-shot: silent after one report until re-armed by MOD. */
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 8), 0);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 1);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 0);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 9), 0);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 1);
	UK_TEST_EQ(ev[0].data, 9);
	/* The write end: EPOLLOUT; EPOLLERR once the reader is gone. */
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_DEL, p[0], 0, 0), 0);
	UK_TEST_EQ(rd(p[0], buf, sizeof(buf)), 3);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 10), 0);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 1);
	UK_TEST_EQ(ev[0].events, EPOLLOUT);
	close_fd(p[0]);
	UK_TEST_EQ(ep_wait(ep, ev, 4), 1);
	UK_TEST_EQ(ev[0].events, EPOLLOUT | EPOLLERR);
	close_fd(p[1]);
	/* A regular file cannot be watched. */
	int f = uk_syscall_r_openat(AT_FDCWD, (long)uk_test_ustr("/uktest_event"), O_CREAT | O_RDWR, 0600, 0, 0);
	UK_TEST_EXPECT(f >= 0);
	UK_TEST_EQ(ep_ctl(ep, EPOLL_CTL_ADD, f, EPOLLIN, 0), -EPERM);
	close_fd(f);
	uk_syscall_r_unlinkat(AT_FDCWD, (long)uk_test_ustr("/uktest_event"), 0, 0, 0, 0);
	close_fd(ep);
}

UK_TESTCASE(event, timerfd)
{
	struct __kernel_itimerspec its = { { 0, 0 }, { 0, 30 * MS } }, cur;
	int fd = uk_syscall_r_timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK, 0, 0, 0, 0);
	uint64_t v;
	UK_TEST_EXPECT(fd >= 3);
	UK_TEST_EQ(rd(fd, &v, 8), -EAGAIN);		/* not armed */
	uint64_t t0 = ukplat_monotonic_ns();
	UK_TEST_EQ(uk_syscall_r_timerfd_settime(fd, 0, (long)&its, 0, 0, 0), 0);
	UK_TEST_EQ(revents(fd, POLLIN), 0);
	/* poll without a timeout sleeps until the expiry wakes it. */
	struct pollfd p = { .fd = fd, .events = POLLIN };
	UK_TEST_EQ(uk_syscall_r_poll((long)&p, 1, -1, 0, 0, 0), 1);
	UK_TEST_EXPECT(ukplat_monotonic_ns() - t0 >= 30 * MS);
	UK_TEST_EQ(rd64(fd), 1);
	UK_TEST_EQ(uk_syscall_r_timerfd_gettime(fd, (long)&cur, 0, 0, 0, 0), 0);
	UK_TEST_EQ(cur.it_value.tv_sec + cur.it_value.tv_nsec, 0);	/* disarmed */
	/* An interval timer counts every period missed. */
	its.it_interval.tv_nsec = 1 * MS;
	its.it_value.tv_nsec = 1 * MS;
	uk_syscall_r_timerfd_settime(fd, 0, (long)&its, 0, 0, 0);
	struct pollfd none = { .fd = -1 };
	uk_syscall_r_poll((long)&none, 1, 10, 0, 0, 0);	/* sleeps 10 ms */
	v = rd64(fd);
	UK_TEST_EXPECT(v >= 9 && v < 1000);
	/* epoll_wait sleeps until the next period. */
	int ep = uk_syscall_r_epoll_create1(0, 0, 0, 0, 0, 0);
	struct epoll_event ev;
	ep_ctl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, 42);
	UK_TEST_EQ(uk_syscall_r_epoll_wait(ep, (long)&ev, 1, 1000, 0, 0), 1);
	UK_TEST_EQ(ev.data, 42);
	close_fd(ep);
	/* gettime: the time left, and the interval. */
	its.it_value.tv_sec = 10;
	its.it_value.tv_nsec = 0;
	uk_syscall_r_timerfd_settime(fd, 0, (long)&its, 0, 0, 0);
	uk_syscall_r_timerfd_gettime(fd, (long)&cur, 0, 0, 0, 0);
	UK_TEST_EXPECT(cur.it_value.tv_sec == 9 || cur.it_value.tv_sec == 10);
	UK_TEST_EQ(cur.it_interval.tv_nsec, 1 * MS);
	its.it_value.tv_nsec = 1000000000;
	UK_TEST_EQ(uk_syscall_r_timerfd_settime(fd, 0, (long)&its, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_timerfd_settime(fd, 0x10, (long)&its, 0, 0, 0), -EINVAL);
	close_fd(fd);
	UK_TEST_EQ(uk_syscall_r_timerfd_create(1000, 0, 0, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_timerfd_create(CLOCK_MONOTONIC, 1, 0, 0, 0, 0), -EINVAL);
}
