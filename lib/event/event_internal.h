/* Internal interfaces of lib/event: anonymous vnodes, readiness of a
 * file, sets of wait queues to sleep on, and time conversions. */
#pragma once
#include <stdint.h>
#include <linux/time_types.h>
#include <uk/vfs.h>
#include <uk/sched.h>

#define EV_NSEC 1000000000ULL

extern const struct uk_vnode_ops ev_epoll_ops;
extern const struct uk_vnode_ops ev_eventfd_ops;
extern const struct uk_vnode_ops ev_timerfd_ops;
extern const struct uk_vnode_ops ev_signalfd_ops;

/* The private data of every vnode of this library starts with this: a
 * count of readiness events, which lets edge-triggered epoll see a new
 * event even when the readiness mask did not change (a second write to
 * an eventfd, a second expiry of a timerfd). */
struct ev_common {
	uint64_t gen;
};

/* The event count of one of our vnodes; 0 for any other vnode. */
uint64_t ev_vnode_gen(struct uk_vnode *vn);

/* A new anonymous vnode (mode 0600, no file type, as Linux's anon
 * inodes) with one reference; NULL when out of memory. */
struct uk_vnode *ev_vnode_new(const struct uk_vnode_ops *ops);
/* Opens vn read-write (plus O_NONBLOCK from flags) and installs it in
 * the lowest free descriptor. Consumes the vnode's reference: on failure
 * it is dropped, and ops->release frees what priv holds. */
int ev_install(struct uk_vnode *vn, int flags, int cloexec, const char *path);

/* What ops->poll reports, or Linux's default mask for vnodes without
 * one. */
unsigned int ev_file_poll(struct uk_file *f);

/* The vnodes a poller sleeps on, each referenced so that a descriptor
 * closed by another thread meanwhile cannot free the queue we are on. */
struct ev_waitset {
	struct uk_vnode **vn;
	int n, cap;
	unsigned long mark;	/* on the vnodes it holds (0: none yet) */
};
/* Adds vn (once), and for an epoll the vnodes it watches, recursively. */
void ev_waitset_add(struct ev_waitset *ws, struct uk_vnode *vn);
/* Sleeps on all of them: 0 when woken (scan again), -ETIMEDOUT, -EINTR,
 * -ENOMEM. */
int ev_waitset_sleep(struct ev_waitset *ws, uint64_t deadline_ns);
void ev_waitset_release(struct ev_waitset *ws);
/* epoll.c: adds the vnodes watched by the epoll vn. */
void ev_epoll_add_waits(struct ev_waitset *ws, struct uk_vnode *vn);

/* Time. Deadlines are monotonic ns; UK_NO_DEADLINE waits forever. */
uint64_t ev_deadline_after(uint64_t ns);
uint64_t ev_deadline_ms(int ms);	/* negative: forever */
/* 0, or -EINVAL for a negative or non-normalised timespec. */
int ev_ts_to_ns(const struct __kernel_timespec *ts, uint64_t *ns);
void ev_ns_to_ts(uint64_t ns, struct __kernel_timespec *ts);
/* The time left until deadline (0 once passed). */
uint64_t ev_remaining(uint64_t deadline_ns);

/* A blocking read or write interrupted by a signal is restarted when
 * the handler has SA_RESTART, as Linux's; poll, select and epoll_wait
 * never are, and fail with EINTR. */
#ifdef UK_ERESTARTSYS
#define EV_ERESTART (-UK_ERESTARTSYS)
#else
#define EV_ERESTART (-EINTR)
#endif

/* The signal mask argument of ppoll/pselect6/epoll_pwait: its size must
 * be the kernel's sigset_t (EINVAL) and it is read in (EFAULT), as on
 * Linux; then it holds until ev_sigmask_out(the call's result), which
 * every call that took one makes (lib/signal says when the old mask
 * comes back). */
#define EV_SIGSET_SIZE 8
int ev_sigmask_in(const void *umask, size_t size);
long ev_sigmask_out(const void *umask, long rc);
/* A timeout from the program: its ns, or -EFAULT, -EINVAL. */
int ev_ts_in(const struct __kernel_timespec *uts, uint64_t *ns);
/* The time left to deadline back into the program's timeout, as Linux
 * does; a timeout it cannot write is left as it was (Linux's too). */
void ev_ts_out(struct __kernel_timespec *uts, uint64_t deadline);
