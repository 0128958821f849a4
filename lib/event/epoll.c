/* epoll: an interest list of (descriptor, events, data) items on an
 * anonymous vnode. epoll_wait scans the list for ready items and, while
 * there are none, sleeps on the wait queues of all the watched vnodes.
 * The scan asks a vnode for its readiness only when it was ready at the
 * last look or its wait queue has been woken since: a change that makes
 * a vnode ready wakes its queue (a sleeping epoll_wait relies on that as
 * well), so a server's idle connections cost a comparison each. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>
#include "event_internal.h"

/* Nesting depth of epolls within epolls, as Linux's EP_MAX_NESTS. */
#define EP_MAX_NESTS 4
#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct epoll_event))
/* Flags of the request that are not readiness bits. */
#define EP_CTL_FLAGS (EPOLLET | EPOLLONESHOT | EPOLLWAKEUP | EPOLLEXCLUSIVE)

struct ep_item {
	struct ep_item *prev, *next;
	int fd;
	struct uk_file *file;	/* identity only: see the top of the file */
	struct uk_vnode *vn;	/* referenced */
	uint32_t events;	/* as requested, with EPOLLET, EPOLLONESHOT */
	uint64_t data;
	/* Edge-triggered: what the last scan saw (struct ep_state). */
	uint32_t last;
	uint64_t last_gen;
	unsigned long last_wakes;
	int last_nread;
	/* Both kinds of the vnode's wake-ups at the last look (ULONG_MAX:
	 * not looked at yet). */
	unsigned long seen;
	int disabled;		/* one-shot item that fired, until MOD */
};

struct eventpoll {
	struct ev_common common;	/* gen: changes of the interest list */
	struct ep_item *head, *tail;
	int n;
};

/* Closed descriptors. Linux drops an item when its file is closed for
 * the last time; the VFS gives no hook for that, so an item remembers
 * its descriptor, its file (for identity only, never dereferenced unless
 * the descriptor still holds it) and a reference to its vnode (which
 * also keeps the item's wait queue valid). An item whose descriptor no
 * longer holds that file on that vnode is dead and is dropped when seen.
 * The difference from Linux: an item survives only through its own
 * descriptor, not through a dup of it. */
static struct uk_file *item_file(struct ep_item *it)
{
	/* A look, not a hold (uk_fd_get's lasts until the call returns): a
	 * waiting epoll_wait must not keep another thread's close from
	 * ending the file (a listener closed and opened again on its port,
	 * as Go's TestClosingListener does). The result is not kept across
	 * a sleep. */
	struct uk_file *f = uk_fdtable_file(uk_proc()->files, it->fd);
	return f && f == it->file && f->vn == it->vn ? f : NULL;
}

static void item_unlink(struct eventpoll *ep, struct ep_item *it)
{
	if (it->prev)
		it->prev->next = it->next;
	else
		ep->head = it->next;
	if (it->next)
		it->next->prev = it->prev;
	else
		ep->tail = it->prev;
	it->prev = it->next = NULL;
	ep->n--;
}

static void item_append(struct eventpoll *ep, struct ep_item *it)
{
	it->prev = ep->tail;
	it->next = NULL;
	if (ep->tail)
		ep->tail->next = it;
	else
		ep->head = it;
	ep->tail = it;
	ep->n++;
}

static void item_free(struct eventpoll *ep, struct ep_item *it)
{
	item_unlink(ep, it);
	uk_vnode_put(it->vn);
	free(it);
}

/* What a scan sees of an item. */
struct ep_state {
	uint32_t ready;		/* readiness, limited to what it asked for */
	uint64_t gen;		/* ev_vnode_gen */
	unsigned long wakes;	/* the vnode's wait queue's wake-ups */
	int nread;		/* ops->nread (FIONREAD), or -1 */
};

/* The wake-ups of the kinds the item asked for (the counts only grow, so
 * their sum changes when either does). */
static unsigned long item_wakes(struct ep_item *it)
{
	unsigned long w = 0;
	if (it->events & (EPOLLIN | EPOLLRDNORM | EPOLLRDBAND | EPOLLPRI | EPOLLRDHUP))
		w += it->vn->wq.wakes_in;
	if (it->events & (EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND))
		w += it->vn->wq.wakes_out;
	return w;
}

static void item_state(struct ep_item *it, struct uk_file *f, struct ep_state *st)
{
	st->ready = ev_file_poll(f) & ((it->events & ~EP_CTL_FLAGS) | EPOLLERR | EPOLLHUP);
	st->gen = ev_vnode_gen(it->vn);
	st->wakes = item_wakes(it);
	st->nread = -1;
	if ((it->events & EPOLLET) && (st->ready & EPOLLIN) && it->vn->ops->nread)
		st->nread = it->vn->ops->nread(it->vn, f);
}

/* Edge-triggered items: an edge is an event on the vnode since the
 * previous scan while it is ready, as Linux queues an item on every
 * wake-up of its wait queue. Seen as: the vnode's wait queue was woken
 * (data arrived, room freed, state changed: a socket whose send buffer
 * filled and drained again between two scans reports EPOLLOUT anew); the
 * readiness gained a bit; the vnode is one of ours (eventfd, timerfd,
 * epoll) and counted a new event; or the vnode answers FIONREAD (pipes)
 * and the bytes waiting grew. So a second epoll_wait with no new event
 * times out, and new data fires again whether or not the old data was
 * drained. Wake-ups count by kind (data in, room out) as Linux's wake
 * keys tell them apart, so reading from a pipe is no new EPOLLIN edge
 * for its reader; a wake-up of no particular kind counts as both. */
static uint32_t item_report(struct ep_item *it, const struct ep_state *st)
{
	uint32_t r = st->ready;
	if (!(it->events & EPOLLET) || !r)
		return r;
	if ((r & ~it->last) || st->gen != it->last_gen || st->wakes != it->last_wakes)
		return r;
	if ((r & EPOLLIN) && it->last_nread >= 0 && st->nread > it->last_nread)
		return r;
	return 0;
}

/* The epoll's own readiness: readable when an item is ready. Nested
 * epolls recurse; the depth bound stops a runaway (loops are refused at
 * EPOLL_CTL_ADD). Polling never sleeps, so a static depth is safe. */
static unsigned int ep_poll(struct uk_vnode *vn, struct uk_file *f)
{
	static int depth;
	(void)f;
	struct eventpoll *ep = vn->priv;
	unsigned int r = 0;
	if (depth >= EP_MAX_NESTS + 1)
		return 0;
	depth++;
	for (struct ep_item *it = ep->head; it; it = it->next) {
		struct uk_file *itf = item_file(it);
		struct ep_state st;
		if (!itf || it->disabled)
			continue;
		item_state(it, itf, &st);
		if (item_report(it, &st)) {
			r = EPOLLIN | EPOLLRDNORM;
			break;
		}
	}
	depth--;
	return r;
}

static void ep_release(struct uk_vnode *vn)
{
	struct eventpoll *ep = vn->priv;
	if (!ep)
		return;
	while (ep->head)
		item_free(ep, ep->head);
	free(ep);
}

const struct uk_vnode_ops ev_epoll_ops = {
	.poll = ep_poll,
	.release = ep_release,
};

void ev_epoll_add_waits(struct ev_waitset *ws, struct uk_vnode *vn)
{
	static int depth;
	struct eventpoll *ep = vn->priv;
	if (depth >= EP_MAX_NESTS + 1)
		return;
	depth++;
	for (struct ep_item *it = ep->head; it; it = it->next)
		if (item_file(it))
			ev_waitset_add(ws, it->vn);
	depth--;
}

static int ep_create(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *ep = calloc(1, sizeof(*ep));
	struct uk_vnode *vn = ep ? ev_vnode_new(&ev_epoll_ops) : NULL;
	if (!vn) {
		free(ep);
		return -ENOMEM;
	}
	vn->priv = ep;
	return ev_install(vn, 0, !!(flags & EPOLL_CLOEXEC), "anon_inode:[eventpoll]");
}

UK_SYSCALL_R_DEFINE(int, epoll_create, int, size)
{
	if (size <= 0)
		return -EINVAL;
	return ep_create(0);
}

UK_SYSCALL_R_DEFINE(int, epoll_create1, int, flags)
{
	return ep_create(flags);
}

static struct eventpoll *ep_of(struct uk_file *f)
{
	return f->vn->ops == &ev_epoll_ops ? f->vn->priv : NULL;
}

/* For kcmp's KCMP_EPOLL_TFD: the file of the toff-th item (0 first)
 * registered with descriptor tfd in epoll f, as Linux's
 * get_epoll_tfile_raw_ptr; an identity only. */
struct uk_file *uk_epoll_target(struct uk_file *f, int tfd, unsigned toff, int *is_epoll)
{
	struct eventpoll *ep = ep_of(f);
	*is_epoll = !!ep;
	for (struct ep_item *it = ep ? ep->head : NULL; it; it = it->next)
		if (it->fd == tfd && !toff--)
			return it->file;
	return NULL;
}

/* Whether `to` can be reached from `from` through live items (or the
 * chain is too deep): adding `from` to `to` would then make a loop. */
static int ep_reaches(struct eventpoll *from, struct eventpoll *to, int depth)
{
	if (from == to || depth > EP_MAX_NESTS)
		return 1;
	for (struct ep_item *it = from->head; it; it = it->next) {
		struct uk_file *f = item_file(it);
		struct eventpoll *sub = f ? ep_of(f) : NULL;
		if (sub && ep_reaches(sub, to, depth + 1))
			return 1;
	}
	return 0;
}

static struct ep_item *ep_find(struct eventpoll *ep, int fd)
{
	for (struct ep_item *it = ep->head; it; it = it->next) {
		if (it->fd != fd)
			continue;
		if (item_file(it))
			return it;
		item_free(ep, it);	/* dead: its descriptor was closed */
		return NULL;
	}
	return NULL;
}

static void item_set(struct ep_item *it, const struct epoll_event *ev)
{
	/* EPOLLWAKEUP needs CAP_BLOCK_SUSPEND and means nothing here. */
	it->events = ev->events & ~EPOLLWAKEUP;
	it->data = ev->data;
	/* Nothing seen yet: what is ready now is reported. */
	it->last = 0;
	it->last_gen = ev_vnode_gen(it->vn);
	it->last_wakes = item_wakes(it);
	it->last_nread = -1;
	it->seen = ULONG_MAX;
	it->disabled = 0;
}

/* Not ready at the last look, and nothing has happened to the vnode
 * since. A nested epoll is always looked at: what makes it ready wakes
 * its items' queues, not its own. */
static unsigned long all_wakes(struct uk_vnode *vn)
{
	return vn->wq.wakes_in + vn->wq.wakes_out;
}

static int item_unchanged(struct ep_item *it)
{
	return !it->last && it->seen == all_wakes(it->vn) &&
	       it->vn->ops != &ev_epoll_ops && ev_vnode_gen(it->vn) == it->last_gen;
}

UK_SYSCALL_R_DEFINE(int, epoll_ctl, int, epfd, int, op, int, fd,
		    struct epoll_event *, uevent)
{
	struct epoll_event kev, *event = &kev;
	if (op != EPOLL_CTL_DEL && uk_copy_from_user(event, uevent, sizeof(*event)))
		return -EFAULT;
	struct uk_file *epf = uk_fd_get(epfd);
	struct uk_file *f = uk_fd_get(fd);
	if (!epf || !f || (epf->flags & O_PATH) || (f->flags & O_PATH))
		return -EBADF;
	/* Files without readiness (regular files, directories) cannot be
	 * watched on Linux either. */
	if (!f->vn->ops->poll)
		return -EPERM;
	struct eventpoll *ep = ep_of(epf);
	if (!ep || f == epf)
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (event->events & EPOLLEXCLUSIVE)) {
		/* Linux allows it only at ADD, with plain readiness bits. */
		if (op == EPOLL_CTL_MOD || ep_of(f) ||
		    (event->events & ~(EPOLLEXCLUSIVE | EPOLLIN | EPOLLOUT |
				       EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET)))
			return -EINVAL;
	}
	struct ep_item *it = ep_find(ep, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		if (ep_of(f) && ep_reaches(ep_of(f), ep, 1))
			return -ELOOP;
		if (!(it = calloc(1, sizeof(*it))))
			return -ENOMEM;
		it->fd = fd;
		it->file = f;
		it->vn = f->vn;
		uk_vnode_get(it->vn);
		item_set(it, event);
		item_append(ep, it);
		break;
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		item_set(it, event);
		break;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		item_free(ep, it);
		break;
	default:
		return -EINVAL;
	}
	/* Threads waiting on this epoll re-scan: a ready item may be new. */
	ep->common.gen++;
	uk_waitq_wake(&epf->vn->wq, -1);
	return 0;
}

/* One pass: fills up to max of the program's events, or -EFAULT when
 * not even the first can go out; an item whose event could not go out
 * keeps its edge (Linux puts it back on the ready list). Reported
 * level-triggered items move to the tail so that a busy descriptor
 * cannot starve the others when max is small (as Linux's ready list
 * rotates). */
static int ep_scan(struct eventpoll *ep, struct epoll_event *events, int max)
{
	int got = 0, n = ep->n;
	struct ep_item *it = ep->head;
	for (int i = 0; i < n && it && got < max; i++) {
		struct ep_item *next = it->next;
		/* (A dead item skipped here is dropped when next looked at;
		 * it is never reported.) */
		if (it->disabled || item_unchanged(it)) {
			it = next;
			continue;
		}
		struct uk_file *f = item_file(it);
		if (!f) {
			item_free(ep, it);
			it = next;
			continue;
		}
		unsigned long seen = all_wakes(it->vn);
		struct ep_state st;
		item_state(it, f, &st);
		uint32_t r = item_report(it, &st);
		struct epoll_event ev = { .events = r, .data = it->data };
		if (r && uk_copy_to_user(&events[got], &ev, sizeof(ev)))
			return got ? got : -EFAULT;
		/* Consume the edge: remember what was seen. */
		it->last = st.ready;
		it->last_gen = st.gen;
		it->last_wakes = st.wakes;
		it->last_nread = st.nread;
		it->seen = seen;
		if (r) {
			got++;
			if (it->events & EPOLLONESHOT) {
				it->disabled = 1;
			} else if (!(it->events & EPOLLET)) {
				item_unlink(ep, it);
				item_append(ep, it);
			}
		}
		it = next;
	}
	return got;
}

static long ep_wait(int epfd, struct epoll_event *events, int max,
		    uint64_t deadline)
{
	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	if (!uk_user_range_ok(events, max * sizeof(struct epoll_event)))
		return -EFAULT;
	struct uk_file *epf = uk_fd_get(epfd);
	if (!epf)
		return -EBADF;
	struct eventpoll *ep = ep_of(epf);
	if (!ep)
		return -EINVAL;
	/* Our reference keeps ep alive if another thread closes epfd while
	 * we sleep. */
	struct uk_vnode *vn = epf->vn;
	uk_vnode_get(vn);
	long rc;
	for (;;) {
		rc = ep_scan(ep, events, max);
		if (rc || (deadline != UK_NO_DEADLINE &&
			   ukplat_monotonic_ns() >= deadline))
			break;
		struct ev_waitset ws = { 0 };
		ev_waitset_add(&ws, vn);
		int w = ev_waitset_sleep(&ws, deadline);
		ev_waitset_release(&ws);
		if (w == -EINTR || w == -ENOMEM) {
			rc = w;
			break;
		}
		if (w == -ETIMEDOUT) {
			rc = ep_scan(ep, events, max);
			break;
		}
	}
	uk_vnode_put(vn);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, epoll_wait, int, epfd, struct epoll_event *, events,
		    int, maxevents, int, timeout_ms)
{
	return ep_wait(epfd, events, maxevents, ev_deadline_ms(timeout_ms));
}

UK_SYSCALL_R_DEFINE(int, epoll_pwait, int, epfd, struct epoll_event *, events,
		    int, maxevents, int, timeout_ms, const void *, sigmask,
		    size_t, sigsetsize)
{
	int rc = ev_sigmask_in(sigmask, sigsetsize);
	return rc ? rc : ev_sigmask_out(sigmask, ep_wait(epfd, events, maxevents,
							 ev_deadline_ms(timeout_ms)));
}

UK_SYSCALL_R_DEFINE(int, epoll_pwait2, int, epfd, struct epoll_event *, events,
		    int, maxevents, const struct __kernel_timespec *, timeout,
		    const void *, sigmask, size_t, sigsetsize)
{
	uint64_t deadline = UK_NO_DEADLINE, ns;
	if (timeout) {
		int rc = ev_ts_in(timeout, &ns);
		if (rc)
			return rc;
		deadline = ev_deadline_after(ns);
	}
	int rc = ev_sigmask_in(sigmask, sigsetsize);
	return rc ? rc : ev_sigmask_out(sigmask, ep_wait(epfd, events, maxevents, deadline));
}
