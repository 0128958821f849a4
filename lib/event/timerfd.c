/* timerfd: a kernel timer behind a descriptor. As on Linux, an expiry
 * counts a tick and stops an interval timer until a read (or gettime)
 * adds the periods missed meanwhile and restarts it. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/time.h>
#include <linux/timerfd.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "event_internal.h"

#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
/* Deadlines are signed monotonic ns: an absolute wall-clock time from
 * before boot is a negative deadline, whose missed periods still count.
 * Beyond this cap (146 years) a timer is armed but never expires. */
#define TFD_MAX_NS (INT64_MAX / 2)

struct timerfd {
	struct ev_common common;	/* gen: expiries and resets */
	struct uk_timer timer;
	struct uk_vnode *vn;
	int clockid;
	int armed;		/* an expiry is due (or an interval timer) */
	int expired;		/* stopped at deadline until forwarded */
	int64_t deadline;	/* monotonic ns of the (last) expiry */
	uint64_t interval;	/* 0: one-shot */
	uint64_t ticks;		/* expiries not yet read */
};

static void tfd_expire(struct timerfd *t)
{
	t->ticks++;
	t->expired = 1;
	if (!t->interval)
		t->armed = 0;
	t->common.gen++;
	uk_waitq_wake(&t->vn->wq, -1);
}

/* Runs with interrupts off. */
static void tfd_timer_fn(struct uk_timer *tm)
{
	tfd_expire((struct timerfd *)((char *)tm - offsetof(struct timerfd, timer)));
}

/* System calls run with interrupts off, so a deadline may have passed
 * with the callback still pending: count it now, so that a read right
 * after the deadline does not sleep for nothing. */
static void tfd_sync(struct timerfd *t)
{
	if (t->armed && !t->expired && (int64_t)ukplat_monotonic_ns() >= t->deadline) {
		uk_timer_cancel(&t->timer);
		tfd_expire(t);
	}
}

/* An expired interval timer: adds the periods that passed since its
 * expiry and restarts it for the next one (Linux's hrtimer_forward). */
static void tfd_forward(struct timerfd *t)
{
	tfd_sync(t);
	if (!t->expired || !t->interval)
		return;
	int64_t now = ukplat_monotonic_ns();
	uint64_t n = now >= t->deadline ? (uint64_t)(now - t->deadline) / t->interval + 1 : 1;
	t->expired = 0;
	t->ticks += n - 1;
	if (n > (uint64_t)(TFD_MAX_NS - t->deadline) / t->interval) {
		t->armed = 0;	/* the next period is beyond time */
		return;
	}
	t->deadline += n * t->interval;
	uk_timer_arm(&t->timer, t->deadline);
}

static ssize_t tfd_do_read(struct uk_vnode *vn, int nonblock, void *buf)
{
	struct timerfd *t = vn->priv;
	for (;;) {
		tfd_sync(t);
		if (t->ticks)
			break;
		if (nonblock)
			return -EAGAIN;
		if (uk_waitq_wait(&vn->wq, UK_NO_DEADLINE) == -EINTR)
			return EV_ERESTART;
	}
	tfd_forward(t);
	uint64_t v = t->ticks;
	t->ticks = 0;
	t->expired = 0;
	/* Taken even when it cannot go out, as on Linux. */
	return uk_copy_out(buf, &v, sizeof(v)) ? -EFAULT : (ssize_t)sizeof(v);
}

static ssize_t tfd_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			size_t len, off_t off)
{
	(void)off;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	/* Held while we may sleep: another thread may close the file. */
	uk_vnode_get(vn);
	ssize_t rc = tfd_do_read(vn, f->flags & O_NONBLOCK, buf);
	uk_vnode_put(vn);
	return rc;
}

static unsigned int tfd_poll(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct timerfd *t = vn->priv;
	tfd_sync(t);
	return t->ticks ? POLLIN | POLLRDNORM : 0;
}

static int tfd_ioctl(struct uk_vnode *vn, struct uk_file *f, unsigned int cmd,
		     unsigned long arg)
{
	(void)f;
	struct timerfd *t = vn->priv;
	if (cmd != TFD_IOC_SET_TICKS)
		return -ENOTTY;
	uint64_t v;
	if (uk_copy_from_user(&v, (const void *)arg, sizeof(v)))
		return -EFAULT;
	if (!v)
		return -EINVAL;
	t->ticks = v;
	t->common.gen++;
	uk_waitq_wake(&vn->wq, -1);
	return 0;
}

static void tfd_release(struct uk_vnode *vn)
{
	struct timerfd *t = vn->priv;
	if (!t)
		return;
	uk_timer_cancel(&t->timer);
	free(t);
}

const struct uk_vnode_ops ev_timerfd_ops = {
	.read = tfd_read,
	.poll = tfd_poll,
	.ioctl = tfd_ioctl,
	.release = tfd_release,
};

UK_SYSCALL_R_DEFINE(int, timerfd_create, int, clockid, int, flags)
{
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	switch (clockid) {
	case CLOCK_MONOTONIC:
	case CLOCK_REALTIME:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:	/* we run as root: CAP_WAKE_ALARM */
	case CLOCK_BOOTTIME_ALARM:
		break;
	default:
		return -EINVAL;
	}
	struct timerfd *t = calloc(1, sizeof(*t));
	struct uk_vnode *vn = t ? ev_vnode_new(&ev_timerfd_ops) : NULL;
	if (!vn) {
		free(t);
		return -ENOMEM;
	}
	t->clockid = clockid;
	t->vn = vn;
	t->timer.fn = tfd_timer_fn;
	vn->priv = t;
	return ev_install(vn, flags, !!(flags & TFD_CLOEXEC), "anon_inode:[timerfd]");
}

static int tfd_of(int fd, struct timerfd **out)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (f->vn->ops != &ev_timerfd_ops)
		return -EINVAL;
	*out = f->vn->priv;
	return 0;
}

static void tfd_get(struct timerfd *t, struct __kernel_itimerspec *cur)
{
	tfd_forward(t);
	int64_t now = ukplat_monotonic_ns();
	ev_ns_to_ts(t->armed && t->deadline > now ? t->deadline - now : 0, &cur->it_value);
	ev_ns_to_ts(t->interval, &cur->it_interval);
}

/* As on Linux: the new setting comes in first, the old one goes out
 * after the change. */
UK_SYSCALL_R_DEFINE(int, timerfd_settime, int, fd, int, flags,
		    const struct __kernel_itimerspec *, unv,
		    struct __kernel_itimerspec *, uov)
{
	struct __kernel_itimerspec nv, ov;
	uint64_t value, interval;
	if (uk_copy_from_user(&nv, unv, sizeof(nv)))
		return -EFAULT;
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (ev_ts_to_ns(&nv.it_value, &value) || ev_ts_to_ns(&nv.it_interval, &interval))
		return -EINVAL;
	struct timerfd *t;
	int err = tfd_of(fd, &t);
	if (err)
		return err;
	if (uov)
		tfd_get(t, &ov);

	uk_timer_cancel(&t->timer);
	t->ticks = 0;
	t->expired = 0;
	t->interval = interval;
	t->armed = value != 0;
	if (t->armed) {
		int64_t v = value < TFD_MAX_NS ? (int64_t)value : TFD_MAX_NS;
		int64_t now = ukplat_monotonic_ns();
		if (!(flags & TFD_TIMER_ABSTIME))
			t->deadline = now + v;
		else if (t->clockid == CLOCK_REALTIME || t->clockid == CLOCK_REALTIME_ALARM)
			/* The wall clock is never stepped here: translate
			 * the absolute time once. (TFD_TIMER_CANCEL_ON_SET
			 * therefore never cancels.) */
			t->deadline = now + (v - (int64_t)ukplat_wall_clock_ns());
		else
			t->deadline = v;	/* boot time is monotonic time */
		if (t->deadline > TFD_MAX_NS)
			t->deadline = TFD_MAX_NS;
		uk_timer_arm(&t->timer, t->deadline < 0 ? 0 : t->deadline);
	}
	t->common.gen++;
	uk_waitq_wake(&t->vn->wq, -1);	/* the count went back to zero */
	tfd_sync(t);	/* an absolute time already past expires now */
	return uov ? uk_copy_to_user(uov, &ov, sizeof(ov)) : 0;
}

UK_SYSCALL_R_DEFINE(int, timerfd_gettime, int, fd, struct __kernel_itimerspec *, ucur)
{
	struct __kernel_itimerspec cur;
	struct timerfd *t;
	int err = tfd_of(fd, &t);
	if (err)
		return err;
	tfd_get(t, &cur);
	return uk_copy_to_user(ucur, &cur, sizeof(cur));
}
