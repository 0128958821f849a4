/* Queued real-time signals and the calls that send a siginfo of the
 * caller's making (rt_sigqueueinfo, rt_tgsigqueueinfo). A real-time
 * signal (32 and up) is pending once per send, each with its own
 * siginfo, taken in the order sent; a standard signal stays pending once
 * (signal.c). A process queues at most RLIMIT_SIGPENDING of them: past
 * that, a sigqueue-style send fails with EAGAIN and a kill-style one
 * still marks the signal pending, its siginfo lost (as on Linux). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/resource.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "signal_internal.h"

struct sigq {
	struct sigq *next;
	struct uk_thread *t;	/* NULL: for the process */
	int tid;		/* t's, so that a new thread at t's place is not it */
	struct k_siginfo info;
};

static int for_target(const struct sigq *q, const struct uk_thread *t)
{
	return t ? q->t == t && q->tid == t->tid : !q->t;
}

/* Entries for threads that are gone. */
static void drop_dead(struct uk_sigstate *s)
{
	for (struct sigq **pp = &s->rtq; *pp;) {
		struct sigq *q = *pp;
		if (q->t && sched_find_thread(q->tid) != q->t) {
			*pp = q->next;
			s->nqueued--;
			free(q);
		} else {
			pp = &q->next;
		}
	}
}

int sig_rt_enqueue(struct uk_process *p, struct uk_thread *t, const struct k_siginfo *info)
{
	struct uk_sigstate *s = p->sig;
	if ((unsigned long)s->nqueued >= p->limits[RLIMIT_SIGPENDING].rlim_cur)
		drop_dead(s);
	struct sigq *q = NULL;
	if ((unsigned long)s->nqueued < p->limits[RLIMIT_SIGPENDING].rlim_cur)
		q = malloc(sizeof(*q));
	if (!q)
		return -EAGAIN;
	*q = (struct sigq){ NULL, t, t ? t->tid : 0, *info };
	struct sigq **pp = &s->rtq;
	while (*pp)
		pp = &(*pp)->next;
	*pp = q;
	s->nqueued++;
	return 0;
}

int sig_rt_dequeue(struct uk_process *p, struct uk_thread *t, int sig, struct k_siginfo *info)
{
	struct uk_sigstate *s = p->sig;
	int found = 0, more = 0;
	for (struct sigq **pp = &s->rtq; *pp;) {
		struct sigq *q = *pp;
		if (q->info.si_signo != sig || !for_target(q, t)) {
			pp = &q->next;
		} else if (found) {
			more = 1;
			break;
		} else {
			*info = q->info;
			*pp = q->next;
			s->nqueued--;
			free(q);
			found = 1;
		}
	}
	if (!found) {
		/* Sent past the limit: the signal without its siginfo. */
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
	return more;
}

struct k_siginfo *sig_rt_find(struct uk_process *p, int sig, int code, int timer)
{
	for (struct sigq *q = p->sig->rtq; q; q = q->next)
		if (q->info.si_signo == sig && q->info.si_code == code &&
		    (code != SI_TIMER || q->info.timer.tid == timer))
			return &q->info;
	return NULL;
}

void sig_rt_discard(struct uk_process *p, int sig)
{
	struct uk_sigstate *s = p->sig;
	for (struct sigq **pp = &s->rtq; *pp;) {
		struct sigq *q = *pp;
		if (q->info.si_signo == sig) {
			*pp = q->next;
			s->nqueued--;
			free(q);
		} else {
			pp = &q->next;
		}
	}
}

void sig_rt_cancel(struct uk_process *p, struct k_siginfo *info)
{
	struct uk_sigstate *s = p->sig;
	int sig = info->si_signo, left = 0;
	for (struct sigq **pp = &s->rtq; *pp;) {
		struct sigq *q = *pp;
		if (&q->info == info) {
			*pp = q->next;
			s->nqueued--;
			free(q);
			continue;
		}
		left |= q->info.si_signo == sig;
		pp = &q->next;
	}
	if (!left)
		sig_discard(p, sig);
}

void sig_rt_free(struct uk_sigstate *s)
{
	while (s->rtq) {
		struct sigq *q = s->rtq;
		s->rtq = q->next;
		free(q);
	}
	s->nqueued = 0;
}

/* Linux's rt_sigqueueinfo: the siginfo is copied in first; only to
 * the calling thread itself may one claim a code of the kernel's
 * (si_code >= 0) or tkill's; the signal number is the call's. */
static int copy_info(int sig, const struct k_siginfo *uinfo, struct k_siginfo *info, int to)
{
	if (uk_copy_from_user(info, uinfo, sizeof(*info)))
		return -EFAULT;
	info->si_signo = sig;
	if ((info->si_code >= 0 || info->si_code == SI_TKILL) && to != uk_current->tid)
		return -EPERM;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigqueueinfo, int, pid, int, sig, const struct k_siginfo *, uinfo)
{
	struct k_siginfo info;
	int rc = copy_info(sig, uinfo, &info, pid);
	if (rc)
		return rc;
	/* A process, or the process of a thread id. */
	struct uk_process *p = pid > 0 ? uk_process_find(pid) : NULL;
	if (!p && pid > 0) {
		struct uk_thread *t = sched_find_thread(pid);
		p = t && t->state != T_DEAD ? t->proc : NULL;
	}
	if (!p || p->reaped)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (!uk_signal_may_send(p, sig))
		return -EPERM;
	return sig && p->state == UK_PROC_LIVE ? sig_send_proc(p, &info) : 0;
}

UK_SYSCALL_R_DEFINE(int, rt_tgsigqueueinfo, int, tgid, int, tid, int, sig,
		    const struct k_siginfo *, uinfo)
{
	struct k_siginfo info;
	if (uk_copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	int rc = copy_info(sig, uinfo, &info, tid);
	if (rc)
		return rc;
	struct uk_thread *t = sched_find_thread(tid);
	if (!t || t->state == T_DEAD || t->proc->pid != tgid)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (!uk_signal_may_send(t->proc, sig))
		return -EPERM;
	return sig ? sig_send_info(t, &info) : 0;
}
