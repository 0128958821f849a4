/* Scheduling attributes: nice (getpriority, setpriority), policy,
 * real-time priority and deadline parameters (the sched_* calls,
 * sched_setattr and sched_getattr), I/O priority (ioprio_get,
 * ioprio_set), per thread as on Linux, with Linux's permission rules.
 * They are recorded, inherited and reported; the scheduler (one CPU, one
 * FIFO queue, 10 ms slices) runs every thread alike, as a Linux whose
 * threads never compete would show. */
#include <errno.h>
#include <linux/capability.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <string.h>
#include <linux/time_types.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_NONE 0
#define IOPRIO_CLASS_RT 1
#define IOPRIO_CLASS_BE 2
#define IOPRIO_CLASS_IDLE 3
#define IOPRIO_LEVEL(p) ((p) & 7)
#define IOPRIO_BE_NORM ((IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT) | 4)
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3


#define RR_TIMESLICE_NS 100000000L	/* Linux's SCHED_RR default */
#define SLICE_NS 10000000L		/* lib/sched's slice */

void uk_sched_attr_fork(struct uk_thread *t, const struct uk_thread *parent)
{
	t->sattr = parent->sattr;
	if (t->sattr.reset_on_fork) {
		/* Linux: back to SCHED_NORMAL and a nice of at least 0. */
		if (t->sattr.policy == SCHED_FIFO || t->sattr.policy == SCHED_RR) {
			t->sattr.policy = SCHED_NORMAL;
			t->sattr.rt_prio = 0;
		}
		if (t->sattr.nice < 0)
			t->sattr.nice = 0;
		t->sattr.reset_on_fork = 0;
	}
}

static struct uk_cred *me(void)
{
	return &uk_proc()->cred;
}

static int capable(int cap)
{
	return uk_cred_capable(me(), cap);
}

/* Calls fn on every live thread that which/who names (getpriority's
 * PRIO_PROCESS/PGRP/USER and ioprio's WHO_*, the same numbers less one);
 * fn returns non-zero to stop. Returns the number visited. */
static int each_thread(int which, int who, int (*fn)(struct uk_thread *, void *), void *arg)
{
	int n = 0;
	if (which == PRIO_PROCESS) {
		struct uk_thread *t = who ? sched_find_thread(who) : uk_current;
		if (t && t->proc->state == UK_PROC_LIVE) {
			n++;
			fn(t, arg);
		}
		return n;
	}
	int pgid = who ? who : uk_proc()->pgid;
	unsigned uid = who ? (unsigned)who : me()->ruid;
	for (struct uk_process *p = uk_process_first(); p; p = p->next_all) {
		if (p->state != UK_PROC_LIVE || p->reaped)
			continue;
		if (which == PRIO_PGRP ? p->pgid != pgid : p->cred.ruid != uid)
			continue;
		for (struct uk_thread *t = p->threads; t; t = t->next_in_proc) {
			if (t->state == T_DEAD)
				continue;
			n++;
			if (fn(t, arg))
				return n;
		}
	}
	return n;
}

static int valid_which(int which)
{
	return which == PRIO_PROCESS || which == PRIO_PGRP || which == PRIO_USER;
}

/* Linux's nice_to_rlimit: 20 - nice, the form RLIMIT_NICE and the raw
 * getpriority use (1..40). */
static int nice_rlim(int nice)
{
	return 20 - nice;
}

static int can_nice(const struct uk_thread *t, int nice)
{
	return (unsigned long)nice_rlim(nice) <= t->proc->limits[RLIMIT_NICE].rlim_cur ||
	       capable(CAP_SYS_NICE);
}

/* Linux's set_one_prio_perm and check_same_owner: the caller's effective
 * uid is the target's real or effective one. */
static int same_owner(const struct uk_thread *t)
{
	const struct uk_cred *c = &t->proc->cred;
	return c->ruid == me()->euid || c->euid == me()->euid;
}

static int max_prio(struct uk_thread *t, void *arg)
{
	int *best = arg;
	if (nice_rlim(t->sattr.nice) > *best)
		*best = nice_rlim(t->sattr.nice);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, getpriority, int, which, int, who)
{
	int best = -ESRCH;
	if (!valid_which(which))
		return -EINVAL;
	each_thread(which, who, max_prio, &best);
	return best;
}

struct set_nice {
	int nice, error;
};

/* Linux's set_one_prio: the first error sticks, a later success does not
 * clear it. */
static int set_one_nice(struct uk_thread *t, void *arg)
{
	struct set_nice *s = arg;
	if (!same_owner(t) && !capable(CAP_SYS_NICE))
		s->error = -EPERM;
	else if (s->nice < t->sattr.nice && !can_nice(t, s->nice))
		s->error = -EACCES;
	else {
		if (s->error == -ESRCH)
			s->error = 0;
		t->sattr.nice = s->nice;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, setpriority, int, which, int, who, int, nice)
{
	struct set_nice s = { nice < -20 ? -20 : nice > 19 ? 19 : nice, -ESRCH };
	if (!valid_which(which))
		return -EINVAL;
	each_thread(which, who, set_one_nice, &s);
	return s.error;
}

static int rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static struct uk_thread *find(int pid)
{
	return pid ? sched_find_thread(pid) : uk_current;
}

static int fair_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH;
}

/* Linux's __checkparam_dl: a deadline, a runtime of at least 1024 ns
 * within it, a period (the deadline if 0) at least the deadline, between
 * 100 us and 2^22 us (sched_deadline_period_{min,max}_us). */
static int dl_params_ok(const struct sched_attr *a)
{
	uint64_t period = a->sched_period ? a->sched_period : a->sched_deadline;
	if (!a->sched_deadline || a->sched_runtime < 1024 ||
	    ((a->sched_deadline | a->sched_period) & (1ULL << 63)))
		return 0;
	if (period < a->sched_deadline || a->sched_deadline < a->sched_runtime)
		return 0;
	return period >= 100000ULL && period <= (1ULL << 22) * 1000ULL;
}

/* The parameters of t's policy into a (Linux's get_params). */
static void get_params(const struct uk_thread *t, struct sched_attr *a)
{
	if (t->sattr.policy == SCHED_DEADLINE) {
		a->sched_priority = t->sattr.rt_prio;
		a->sched_runtime = t->sattr.dl_runtime;
		a->sched_deadline = t->sattr.dl_deadline;
		a->sched_period = t->sattr.dl_period;
		a->sched_flags = t->sattr.dl_flags;
	} else if (rt_policy(t->sattr.policy)) {
		a->sched_priority = t->sattr.rt_prio;
	} else {
		a->sched_nice = t->sattr.nice;
	}
}

#define SETPARAM_POLICY (-1)

/* Linux's __sched_setscheduler: policy (SETPARAM_POLICY: t's own),
 * priority, nice and deadline parameters, with its checks. */
static int set_attr(struct uk_thread *t, const struct sched_attr *a)
{
	int policy = (int)a->sched_policy;
	int reset = t->sattr.reset_on_fork;
	if (policy < 0) {
		policy = t->sattr.policy;
	} else {
		reset = !!(a->sched_flags & SCHED_FLAG_RESET_ON_FORK);
		if (policy != SCHED_NORMAL && policy != SCHED_FIFO && policy != SCHED_RR &&
		    policy != SCHED_BATCH && policy != SCHED_IDLE && policy != SCHED_DEADLINE)
			return -EINVAL;
	}
	if (a->sched_flags & ~(uint64_t)SCHED_FLAG_ALL)
		return -EINVAL;
	if (a->sched_priority > 99)
		return -EINVAL;
	if ((policy == SCHED_DEADLINE && !dl_params_ok(a)) ||
	    rt_policy(policy) != (a->sched_priority != 0))
		return -EINVAL;
	if (!capable(CAP_SYS_NICE)) {
		if (fair_policy(policy) && a->sched_nice < t->sattr.nice &&
		    !can_nice(t, a->sched_nice))
			return -EPERM;
		if (rt_policy(policy)) {
			unsigned long rl = t->proc->limits[RLIMIT_RTPRIO].rlim_cur;
			if (policy != t->sattr.policy && !rl)
				return -EPERM;
			if ((int)a->sched_priority > t->sattr.rt_prio && a->sched_priority > rl)
				return -EPERM;
		}
		if (policy == SCHED_DEADLINE)
			return -EPERM;
		/* SCHED_IDLE counts as nice 20: leaving it is lowering the
		 * nice value to the thread's own. */
		if (t->sattr.policy == SCHED_IDLE && policy != SCHED_IDLE &&
		    !can_nice(t, t->sattr.nice))
			return -EPERM;
		if (!same_owner(t))
			return -EPERM;
		if (t->sattr.reset_on_fork && !reset)
			return -EPERM;
	}
	/* No utilization clamping (a Linux without CONFIG_UCLAMP_TASK). */
	if (a->sched_flags & SCHED_FLAG_UTIL_CLAMP)
		return -EOPNOTSUPP;
	t->sattr.policy = policy;
	t->sattr.rt_prio = a->sched_priority;
	t->sattr.reset_on_fork = reset;
	if (fair_policy(policy))
		t->sattr.nice = a->sched_nice;
	if (policy == SCHED_DEADLINE) {
		t->sattr.dl_runtime = a->sched_runtime;
		t->sattr.dl_deadline = a->sched_deadline;
		t->sattr.dl_period = a->sched_period ? a->sched_period : a->sched_deadline;
		t->sattr.dl_flags = a->sched_flags & (SCHED_FLAG_RECLAIM | SCHED_FLAG_DL_OVERRUN);
	}
	return 0;
}

/* sched_setscheduler (policy given, maybe with SCHED_RESET_ON_FORK) and
 * sched_setparam (SETPARAM_POLICY): the thread's nice value stays. */
static int set_scheduler(int pid, int policy, const struct sched_param *uparam)
{
	struct sched_param sp;
	if (!uparam || pid < 0)
		return -EINVAL;
	if (uk_copy_from_user(&sp, uparam, sizeof(sp)))
		return -EFAULT;
	struct uk_thread *t = find(pid);
	if (!t)
		return -ESRCH;
	struct sched_attr a = { .sched_policy = policy, .sched_nice = t->sattr.nice };
	if (sp.sched_priority < 0)
		return -EINVAL;
	a.sched_priority = sp.sched_priority;
	if (policy >= 0 && (policy & SCHED_RESET_ON_FORK)) {
		a.sched_flags |= SCHED_FLAG_RESET_ON_FORK;
		a.sched_policy = policy & ~SCHED_RESET_ON_FORK;
	}
	return set_attr(t, &a);
}

UK_SYSCALL_R_DEFINE(int, sched_setscheduler, int, pid, int, policy,
		    const struct sched_param *, param)
{
	if (policy < 0)
		return -EINVAL;
	return set_scheduler(pid, policy, param);
}

UK_SYSCALL_R_DEFINE(int, sched_setparam, int, pid, const struct sched_param *, param)
{
	return set_scheduler(pid, -1, param);
}

UK_SYSCALL_R_DEFINE(int, sched_getscheduler, int, pid)
{
	if (pid < 0)
		return -EINVAL;
	struct uk_thread *t = find(pid);
	if (!t)
		return -ESRCH;
	return t->sattr.policy | (t->sattr.reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

UK_SYSCALL_R_DEFINE(int, sched_getparam, int, pid, struct sched_param *, param)
{
	if (!param || pid < 0)
		return -EINVAL;
	struct uk_thread *t = find(pid);
	if (!t)
		return -ESRCH;
	struct sched_param sp = { rt_policy(t->sattr.policy) ? t->sattr.rt_prio : 0 };
	return uk_copy_to_user(param, &sp, sizeof(sp));
}

#define SCHED_ATTR_SIZE_VER0 48
#define SCHED_ATTR_SIZE_VER1 56

/* Linux's sched_copy_attr: a size of 0 is the first version's; a size
 * out of range (or unknown trailing bytes not zero) is E2BIG, with the
 * kernel's size written back. */
static int copy_attr(struct sched_attr *a, const struct sched_attr *ua)
{
	uint32_t size;
	if (uk_copy_from_user(&size, &ua->size, sizeof(size)))
		return -EFAULT;
	if (!size)
		size = SCHED_ATTR_SIZE_VER0;
	int big = size < SCHED_ATTR_SIZE_VER0 || size > 4096;
	memset(a, 0, sizeof(*a));
	if (!big && uk_copy_from_user(a, ua, size < sizeof(*a) ? size : sizeof(*a)))
		return -EFAULT;
	for (uint32_t off = sizeof(*a); !big && off < size; off++) {
		char c;
		if (uk_copy_from_user(&c, (const char *)ua + off, 1))
			return -EFAULT;
		big = c != 0;
	}
	if (big) {
		size = sizeof(*a);
		uk_copy_to_user(&((struct sched_attr *)ua)->size, &size, sizeof(size));
		return -E2BIG;
	}
	if ((a->sched_flags & SCHED_FLAG_UTIL_CLAMP) && size < SCHED_ATTR_SIZE_VER1)
		return -EINVAL;
	a->sched_nice = a->sched_nice < -20 ? -20 : a->sched_nice > 19 ? 19 : a->sched_nice;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sched_setattr, int, pid, struct sched_attr *, uattr,
		    unsigned int, flags)
{
	struct sched_attr a;
	if (!uattr || pid < 0 || flags)
		return -EINVAL;
	int rc = copy_attr(&a, uattr);
	if (rc)
		return rc;
	if ((int)a.sched_policy < 0)
		return -EINVAL;
	if (a.sched_flags & SCHED_FLAG_KEEP_POLICY)
		a.sched_policy = SETPARAM_POLICY;
	struct uk_thread *t = find(pid);
	if (!t)
		return -ESRCH;
	if (a.sched_flags & SCHED_FLAG_KEEP_PARAMS)
		get_params(t, &a);
	return set_attr(t, &a);
}

UK_SYSCALL_R_DEFINE(int, sched_getattr, int, pid, struct sched_attr *, uattr,
		    unsigned int, usize, unsigned int, flags)
{
	if (!uattr || pid < 0 || usize > 4096 || usize < SCHED_ATTR_SIZE_VER0 || flags)
		return -EINVAL;
	struct uk_thread *t = find(pid);
	if (!t)
		return -ESRCH;
	struct sched_attr a = { .sched_policy = t->sattr.policy };
	if (t->sattr.reset_on_fork)
		a.sched_flags |= SCHED_FLAG_RESET_ON_FORK;
	get_params(t, &a);
	a.sched_flags &= SCHED_FLAG_ALL;
	a.size = usize < sizeof(a) ? usize : sizeof(a);
	return uk_copy_to_user(uattr, &a, a.size);
}

/* SCHED_RR's quantum is Linux's default; FIFO has none; the others get
 * the slice lib/sched gives. */
UK_SYSCALL_R_DEFINE(int, sched_rr_get_interval, int, pid,
		    struct __kernel_timespec *, interval)
{
	if (pid < 0)
		return -EINVAL;
	struct uk_thread *t = find(pid);
	if (!t)
		return -ESRCH;
	long ns = t->sattr.policy == SCHED_RR ? RR_TIMESLICE_NS :
		  t->sattr.policy == SCHED_FIFO ? 0 : SLICE_NS;
	struct __kernel_timespec ts = { ns / 1000000000L, ns % 1000000000L };
	return uk_copy_to_user(interval, &ts, sizeof(ts));
}

/* The I/O priority classes and their levels; the real-time class is
 * CAP_SYS_ADMIN's or CAP_SYS_NICE's (Linux's ioprio_check_cap). */
static int ioprio_check(int ioprio)
{
	switch (ioprio >> IOPRIO_CLASS_SHIFT) {
	case IOPRIO_CLASS_RT:
		if (!capable(CAP_SYS_ADMIN) && !capable(CAP_SYS_NICE))
			return -EPERM;
		return 0;
	case IOPRIO_CLASS_BE:
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return IOPRIO_LEVEL(ioprio) ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static int who_to_which(int which)
{
	switch (which) {
	case IOPRIO_WHO_PROCESS: return PRIO_PROCESS;
	case IOPRIO_WHO_PGRP: return PRIO_PGRP;
	case IOPRIO_WHO_USER: return PRIO_USER;
	default: return -1;
	}
}

struct set_io {
	int ioprio, error;
};

static int set_one_io(struct uk_thread *t, void *arg)
{
	struct set_io *s = arg;
	const struct uk_cred *c = &t->proc->cred;
	if (c->ruid != me()->euid && c->ruid != me()->ruid && !capable(CAP_SYS_NICE)) {
		s->error = -EPERM;
		return 1;	/* Linux stops at the first refusal */
	}
	t->sattr.ioprio = s->ioprio;
	s->error = 0;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, ioprio_set, int, which, int, who, int, ioprio)
{
	int w = who_to_which(which);
	int rc = ioprio_check(ioprio);
	if (rc)
		return rc;
	if (w < 0)
		return -EINVAL;
	struct set_io s = { ioprio, -ESRCH };
	each_thread(w, who, set_one_io, &s);
	return s.error;
}

/* Linux's ioprio_best: no class counts as best effort, level 4. */
static int io_best(int a, int b)
{
	if (!(a >> IOPRIO_CLASS_SHIFT))
		a = IOPRIO_BE_NORM;
	if (!(b >> IOPRIO_CLASS_SHIFT))
		b = IOPRIO_BE_NORM;
	return a < b ? a : b;
}

static int best_io(struct uk_thread *t, void *arg)
{
	int *best = arg;
	*best = *best == -ESRCH ? t->sattr.ioprio : io_best(*best, t->sattr.ioprio);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, ioprio_get, int, which, int, who)
{
	int w = who_to_which(which), best = -ESRCH;
	if (w < 0)
		return -EINVAL;
	each_thread(w, who, best_io, &best);
	return best;
}
