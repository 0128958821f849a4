/* Scheduling attributes: nice (getpriority, setpriority), policy and
 * real-time priority (the sched_* calls), I/O priority (ioprio_get,
 * ioprio_set), per thread as on Linux, with Linux's permission rules.
 * They are recorded, inherited and reported; the scheduler (one CPU, one
 * FIFO queue, 10 ms slices) runs every thread alike, as a Linux whose
 * threads never compete would show. */
#include <errno.h>
#include <linux/capability.h>
#include <linux/resource.h>
#include <linux/sched.h>
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

/* Linux's struct sched_param (the uapi has no copy of it). */
struct sched_param {
	int sched_priority;
};

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

/* Linux's __sched_setscheduler for sched_setscheduler (policy given,
 * maybe with SCHED_RESET_ON_FORK) and sched_setparam (policy -1). */
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
	int reset = t->sattr.reset_on_fork;
	if (policy < 0) {
		policy = t->sattr.policy;
	} else {
		reset = !!(policy & SCHED_RESET_ON_FORK);
		policy &= ~SCHED_RESET_ON_FORK;
		if (policy != SCHED_NORMAL && policy != SCHED_FIFO && policy != SCHED_RR &&
		    policy != SCHED_BATCH && policy != SCHED_IDLE && policy != SCHED_DEADLINE)
			return -EINVAL;
	}
	/* SCHED_DEADLINE takes sched_setattr's parameters, which this call
	 * cannot carry. */
	if (sp.sched_priority < 0 || sp.sched_priority > 99 || policy == SCHED_DEADLINE ||
	    rt_policy(policy) != (sp.sched_priority != 0))
		return -EINVAL;
	if (!capable(CAP_SYS_NICE)) {
		if (rt_policy(policy)) {
			unsigned long rl = t->proc->limits[RLIMIT_RTPRIO].rlim_cur;
			if (policy != t->sattr.policy && !rl)
				return -EPERM;
			if (sp.sched_priority > t->sattr.rt_prio &&
			    (unsigned long)sp.sched_priority > rl)
				return -EPERM;
		}
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
	t->sattr.policy = policy;
	t->sattr.rt_prio = sp.sched_priority;
	t->sattr.reset_on_fork = reset;
	return 0;
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
