/* poll, ppoll, select and pselect6: scan the descriptors' readiness, and
 * while none is ready sleep on all their wait queues and scan again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/time.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "event_internal.h"

/* What select counts as readable, writable, exceptional (as Linux). */
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET (POLLPRI)

#define WORD_BITS (8 * sizeof(unsigned long))
/* select's sets stop at 1024 descriptors (glibc's FD_SETSIZE), which
 * keeps them on the kernel stack; poll and epoll reach any. */
#define SELECT_MAX_FDS 1024
#define SET_WORDS (SELECT_MAX_FDS / WORD_BITS)

/* A descriptor poll and select may use: open, and not an O_PATH one
 * (which Linux does not let them look at). */
static struct uk_file *poll_file(int fd)
{
	struct uk_file *f = uk_fd_get(fd);
	return f && !(f->flags & O_PATH) ? f : NULL;
}

/* One pass over pfds: fills revents, returns how many are non-zero. */
static int poll_scan(struct pollfd *pfds, unsigned int nfds,
		     struct ev_waitset *ws)
{
	int count = 0;
	for (unsigned int i = 0; i < nfds; i++) {
		struct pollfd *p = &pfds[i];
		unsigned int r = 0;
		if (p->fd >= 0) {
			struct uk_file *f = poll_file(p->fd);
			if (!f)
				r = POLLNVAL;
			else
				r = ev_file_poll(f) &
				    ((unsigned short)p->events | POLLERR | POLLHUP);
			if (f && ws)
				ev_waitset_add(ws, f->vn);
		}
		p->revents = r;
		if (r)
			count++;
	}
	return count;
}

static long poll_wait(struct pollfd *pfds, unsigned int nfds, uint64_t deadline)
{
	for (;;) {
		struct ev_waitset ws = { 0 };
		int count = poll_scan(pfds, nfds, &ws);
		if (count || (deadline != UK_NO_DEADLINE &&
			      ukplat_monotonic_ns() >= deadline)) {
			ev_waitset_release(&ws);
			return count;
		}
		int rc = ev_waitset_sleep(&ws, deadline);
		ev_waitset_release(&ws);
		if (rc == -EINTR || rc == -ENOMEM)
			return rc;
		if (rc == -ETIMEDOUT)
			return poll_scan(pfds, nfds, NULL);
	}
}

/* The array comes into the kernel (on the stack when small) and only the
 * revents go back, as Linux writes them: also after an interrupted wait,
 * and a read-only array fails there (EFAULT). */
#define POLL_FAST 32

static long do_poll(struct pollfd *upfds, unsigned int nfds, uint64_t deadline)
{
	struct pollfd fast[POLL_FAST];
	if (nfds > (unsigned int)uk_fd_limit())
		return -EINVAL;
	struct pollfd *pfds = nfds <= POLL_FAST ? fast : malloc(nfds * sizeof(*pfds));
	if (!pfds)
		return -ENOMEM;
	long rc = uk_copy_from_user(pfds, upfds, nfds * sizeof(*pfds));
	if (!rc)
		rc = poll_wait(pfds, nfds, deadline);
	for (unsigned int i = 0; i < nfds && rc != -EFAULT && rc != -ENOMEM; i++)
		if (uk_put_user(pfds[i].revents, &upfds[i].revents))
			rc = -EFAULT;
	if (pfds != fast)
		free(pfds);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, poll, struct pollfd *, pfds, unsigned int, nfds,
		    int, timeout_ms)
{
	return do_poll(pfds, nfds, ev_deadline_ms(timeout_ms));
}

/* The relative timeout of ppoll and pselect6: NULL waits forever. */
static int ts_deadline(const struct __kernel_timespec *ts, uint64_t *deadline)
{
	uint64_t ns;
	if (!ts) {
		*deadline = UK_NO_DEADLINE;
		return 0;
	}
	int rc = ev_ts_in(ts, &ns);
	if (rc)
		return rc;
	*deadline = ev_deadline_after(ns);
	return 0;
}

/* Linux writes the time left back into the caller's timeout, so that a
 * call restarted after a signal waits only for the rest. */
static void ts_update(struct __kernel_timespec *ts, uint64_t deadline, long rc)
{
	if (ts && deadline != UK_NO_DEADLINE && (rc >= 0 || rc == -EINTR))
		ev_ts_out(ts, deadline);
}

UK_SYSCALL_R_DEFINE(int, ppoll, struct pollfd *, pfds, unsigned int, nfds,
		    struct __kernel_timespec *, tsp, const void *, sigmask,
		    size_t, sigsetsize)
{
	uint64_t deadline;
	int rc = ts_deadline(tsp, &deadline);
	if (!rc)
		rc = ev_sigmask_in(sigmask, sigsetsize);
	if (rc)
		return rc;
	long n = do_poll(pfds, nfds, deadline);
	ts_update(tsp, deadline, n);
	return ev_sigmask_out(sigmask, n);
}

/* One pass over the sets: fills res, returns the number of bits set. */
static int select_scan(int nfds, unsigned long in[3][SET_WORDS],
		       unsigned long res[3][SET_WORDS], struct ev_waitset *ws)
{
	static const unsigned int want[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };
	int count = 0;
	memset(res, 0, 3 * SET_WORDS * sizeof(unsigned long));
	for (int fd = 0; fd < nfds; fd++) {
		unsigned long bit = 1UL << (fd % WORD_BITS);
		int w = fd / WORD_BITS;
		if (!((in[0][w] | in[1][w] | in[2][w]) & bit))
			continue;
		struct uk_file *f = poll_file(fd);
		if (!f)
			continue;	/* checked up front; gone since: never ready */
		unsigned int r = ev_file_poll(f);
		for (int s = 0; s < 3; s++) {
			if ((in[s][w] & bit) && (r & want[s])) {
				res[s][w] |= bit;
				count++;
			}
		}
		if (ws)
			ev_waitset_add(ws, f->vn);
	}
	return count;
}

/* The sets come in and, after a wait that did not fail, go out again
 * (EFAULT for one that cannot, as on Linux). */
static long do_select(int nfds, unsigned long *sets[3], uint64_t deadline)
{
	unsigned long in[3][SET_WORDS], res[3][SET_WORDS];
	if (nfds < 0)
		return -EINVAL;
	if (nfds > SELECT_MAX_FDS)
		nfds = SELECT_MAX_FDS;
	size_t words = (nfds + WORD_BITS - 1) / WORD_BITS;
	memset(in, 0, sizeof(in));
	for (int s = 0; s < 3; s++)
		if (sets[s] && uk_copy_from_user(in[s], sets[s], words * sizeof(unsigned long)))
			return -EFAULT;
	/* A bit for a descriptor that is not open fails the whole call. */
	for (int fd = 0; fd < nfds; fd++) {
		unsigned long bit = 1UL << (fd % WORD_BITS);
		int w = fd / WORD_BITS;
		if (((in[0][w] | in[1][w] | in[2][w]) & bit) && !poll_file(fd))
			return -EBADF;
	}
	int count;
	for (;;) {
		struct ev_waitset ws = { 0 };
		count = select_scan(nfds, in, res, &ws);
		if (count || (deadline != UK_NO_DEADLINE &&
			      ukplat_monotonic_ns() >= deadline)) {
			ev_waitset_release(&ws);
			break;
		}
		int rc = ev_waitset_sleep(&ws, deadline);
		ev_waitset_release(&ws);
		if (rc == -EINTR || rc == -ENOMEM)
			return rc;
		if (rc == -ETIMEDOUT) {
			count = select_scan(nfds, in, res, NULL);
			break;
		}
	}
	for (int s = 0; s < 3; s++)
		if (sets[s] && uk_copy_to_user(sets[s], res[s], words * sizeof(unsigned long)))
			return -EFAULT;
	return count;
}

UK_SYSCALL_R_DEFINE(int, select, int, nfds, unsigned long *, rfds,
		    unsigned long *, wfds, unsigned long *, efds,
		    struct __kernel_old_timeval *, utv)
{
	uint64_t deadline = UK_NO_DEADLINE;
	struct __kernel_old_timeval tv;
	if (utv) {
		if (uk_copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		/* Linux carries whole seconds out of tv_usec; only a
		 * negative time is EINVAL. */
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		struct __kernel_timespec ts = {
			.tv_sec = tv.tv_sec + tv.tv_usec / 1000000,
			.tv_nsec = (tv.tv_usec % 1000000) * 1000,
		};
		uint64_t ns;
		ev_ts_to_ns(&ts, &ns);
		deadline = ev_deadline_after(ns);
	}
	unsigned long *sets[3] = { rfds, wfds, efds };
	long n = do_select(nfds, sets, deadline);
	if (utv && (n >= 0 || n == -EINTR)) {
		uint64_t left = ev_remaining(deadline);
		tv.tv_sec = left / EV_NSEC;
		tv.tv_usec = (left % EV_NSEC) / 1000;
		(void)uk_copy_to_user(utv, &tv, sizeof(tv));	/* as ev_ts_out */
	}
	return n;
}

/* pselect6's sixth argument: the signal mask and its size. */
struct sigset_arg {
	const void *ss;
	size_t ss_len;
};

UK_SYSCALL_R_DEFINE(int, pselect6, int, nfds, unsigned long *, rfds,
		    unsigned long *, wfds, unsigned long *, efds,
		    struct __kernel_timespec *, tsp, const struct sigset_arg *, sig)
{
	struct sigset_arg ksig = { NULL, 0 };
	uint64_t deadline;
	if (sig && uk_copy_from_user(&ksig, sig, sizeof(ksig)))
		return -EFAULT;
	int rc = ts_deadline(tsp, &deadline);
	if (!rc)
		rc = ev_sigmask_in(ksig.ss, ksig.ss_len);
	if (rc)
		return rc;
	unsigned long *sets[3] = { rfds, wfds, efds };
	long n = do_select(nfds, sets, deadline);
	ts_update(tsp, deadline, n);
	return ev_sigmask_out(ksig.ss, n);
}
