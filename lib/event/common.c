/* Shared by poll, epoll, eventfd, timerfd and signalfd: the anonymous-inode file
 * system, default readiness, sleeping on many vnodes, time helpers. */
#include <errno.h>
#include <stdlib.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <uk/plat.h>
#include <uk/uaccess.h>
#include "event_internal.h"

#define ANON_INODE_FS_MAGIC 0x09041934
/* The scheduler keeps one wait entry per queue on the kernel stack; a
 * wait on more queues (select over hundreds of descriptors) sleeps on
 * the first ones only and wakes every SLICE to scan them all. */
#define MAX_SLEEP_QUEUES 128
#define SLICE_NS 10000000ULL

static struct uk_mount *anonfs;

uint64_t ev_vnode_gen(struct uk_vnode *vn)
{
	if (vn->ops != &ev_eventfd_ops && vn->ops != &ev_timerfd_ops &&
	    vn->ops != &ev_epoll_ops && vn->ops != &ev_signalfd_ops)
		return 0;
	return ((struct ev_common *)vn->priv)->gen;
}

struct uk_vnode *ev_vnode_new(const struct uk_vnode_ops *ops)
{
	if (!anonfs && !(anonfs = uk_mount_new("anon_inodefs", ANON_INODE_FS_MAGIC)))
		return NULL;
	return uk_vnode_alloc(anonfs, ops, 0600);
}

int ev_install(struct uk_vnode *vn, int flags, int cloexec, const char *path)
{
	struct uk_file *f = uk_file_new(vn, O_RDWR | (flags & O_NONBLOCK), path);
	if (!f) {
		uk_vnode_put(vn);
		return -ENOMEM;
	}
	int fd = uk_fd_install(f, 0, cloexec);
	if (fd < 0)
		uk_file_put(f);		/* drops the vnode too */
	return fd;
}

unsigned int ev_file_poll(struct uk_file *f)
{
	struct uk_vnode *vn = f->vn;
	if (!vn->ops->poll)
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return vn->ops->poll(vn, f);
}

void ev_waitset_add(struct ev_waitset *ws, struct uk_vnode *vn)
{
	/* A pipe's two ends share a vnode, and programs poll both or list
	 * a descriptor twice: sleep on each queue once. Each set marks its
	 * vnodes with a number of its own, so that this costs no search of
	 * the set (another set marking a vnode meanwhile can only make it
	 * listed twice, which is harmless). */
	static unsigned long marks;
	if (!ws->mark)
		ws->mark = ++marks;
	if (vn->waitset_mark == ws->mark)
		return;
	if (ws->n == ws->cap) {
		int cap = ws->cap ? 2 * ws->cap : 16;
		struct uk_vnode **v = realloc(ws->vn, cap * sizeof(*v));
		if (!v)
			return;	/* sleep on fewer queues: the deadline still holds */
		ws->vn = v;
		ws->cap = cap;
	}
	uk_vnode_get(vn);
	vn->waitset_mark = ws->mark;
	ws->vn[ws->n++] = vn;
	if (vn->ops == &ev_epoll_ops)
		ev_epoll_add_waits(ws, vn);
}

int ev_waitset_sleep(struct ev_waitset *ws, uint64_t deadline_ns)
{
	if (!ws->n) {
		/* poll(NULL, 0, ms) is a sleep. */
		int rc = uk_sleep_until(deadline_ns);
		return rc == -EINTR ? -EINTR : -ETIMEDOUT;
	}
	int n = ws->n;
	uint64_t d = deadline_ns;
	if (n > MAX_SLEEP_QUEUES) {
		n = MAX_SLEEP_QUEUES;
		uint64_t slice = ev_deadline_after(SLICE_NS);
		if (slice < d)
			d = slice;
	}
	struct uk_waitq **wqs = malloc(n * sizeof(*wqs));
	if (!wqs)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		wqs[i] = &ws->vn[i]->wq;
	int rc = uk_waitq_wait_many(wqs, n, d);
	free(wqs);
	/* The end of a slice is not the caller's deadline: scan again. */
	return rc == -ETIMEDOUT && d != deadline_ns ? 0 : rc;
}

void ev_waitset_release(struct ev_waitset *ws)
{
	for (int i = 0; i < ws->n; i++)
		uk_vnode_put(ws->vn[i]);
	free(ws->vn);
	ws->vn = NULL;
	ws->n = ws->cap = 0;
}

uint64_t ev_deadline_after(uint64_t ns)
{
	uint64_t now = ukplat_monotonic_ns();
	return ns >= UK_NO_DEADLINE - now ? UK_NO_DEADLINE : now + ns;
}

uint64_t ev_deadline_ms(int ms)
{
	return ms < 0 ? UK_NO_DEADLINE : ev_deadline_after((uint64_t)ms * 1000000);
}

int ev_ts_to_ns(const struct __kernel_timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || (uint64_t)ts->tv_nsec >= EV_NSEC)
		return -EINVAL;
	/* Saturate: a timeout of centuries is forever. */
	if ((uint64_t)ts->tv_sec >= (UK_NO_DEADLINE - EV_NSEC) / EV_NSEC)
		*ns = UK_NO_DEADLINE - 1;
	else
		*ns = ts->tv_sec * EV_NSEC + ts->tv_nsec;
	return 0;
}

void ev_ns_to_ts(uint64_t ns, struct __kernel_timespec *ts)
{
	ts->tv_sec = ns / EV_NSEC;
	ts->tv_nsec = ns % EV_NSEC;
}

int ev_ts_in(const struct __kernel_timespec *uts, uint64_t *ns)
{
	struct __kernel_timespec ts;
	if (uk_copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	return ev_ts_to_ns(&ts, ns);
}

void ev_ts_out(struct __kernel_timespec *uts, uint64_t deadline)
{
	struct __kernel_timespec ts;
	ev_ns_to_ts(ev_remaining(deadline), &ts);
	(void)uk_copy_to_user(uts, &ts, sizeof(ts));
}

/* lib/signal's (weak: without it no signal comes, and a mask means
 * nothing). */
void uk_signal_mask_during(uint64_t mask) __attribute__((weak));
void uk_signal_mask_after(long rc) __attribute__((weak));

int ev_sigmask_in(const void *umask, size_t size)
{
	uint64_t mask;
	if (!umask)
		return 0;
	if (size != EV_SIGSET_SIZE)
		return -EINVAL;
	if (uk_copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	if (uk_signal_mask_during)
		uk_signal_mask_during(mask);
	return 0;
}

long ev_sigmask_out(const void *umask, long rc)
{
	if (umask && uk_signal_mask_after)
		uk_signal_mask_after(rc);
	return rc;
}

uint64_t ev_remaining(uint64_t deadline_ns)
{
	uint64_t now = ukplat_monotonic_ns();
	return deadline_ns > now ? deadline_ns - now : 0;
}
