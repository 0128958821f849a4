/* Waiting for children: wait4 and waitid, with Linux's selection of
 * children (a PID, a group, any; clone children by __WCLONE/__WALL),
 * WNOHANG, WNOWAIT, and the status and siginfo they report. */
#include <errno.h>
#include <string.h>
#include <linux/wait.h>
#include <linux/resource.h>
#include <uk/plat/regs.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>
#include <uk/vfs.h>
#include "process_internal.h"

#define SIGCHLD 17
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#define SIGCONT 18

struct k_siginfo_chld {
	int si_signo, si_errno, si_code, pad;
	int pid;
	unsigned int uid;
	int status;
	int pad2;
	long utime, stime;
	char rest[128 - 48];
};

/* Which children a wait takes. */
struct wait_sel {
	int type;	/* P_ALL, P_PID, P_PGID */
	int id;
	int options;
};

static int matches(const struct wait_sel *w, const struct uk_process *c)
{
	if (w->type == P_PID && c->pid != w->id)
		return 0;
	if (w->type == P_PGID && c->pgid != w->id)
		return 0;
	/* A child that signals its end with something else than SIGCHLD is
	 * a "clone" child: only __WCLONE or __WALL wait for it. */
	if (w->options & __WALL)
		return 1;
	return !!(w->options & __WCLONE) == (c->exit_signal != SIGCHLD);
}

/* What a child has to report to this wait: its end, a stop or a
 * continue (job control), or nothing (0). */
static int event_of(const struct wait_sel *w, const struct uk_process *c)
{
	if (c->state == UK_PROC_ZOMBIE)
		return w->options & WEXITED ? UK_PROC_EV_ENDED : 0;
	if (c->wait_event == UK_PROC_EV_STOPPED && c->stopped && (w->options & WSTOPPED))
		return UK_PROC_EV_STOPPED;
	if (c->wait_event == UK_PROC_EV_CONTINUED && (w->options & WCONTINUED))
		return UK_PROC_EV_CONTINUED;
	return 0;
}

/* Finds a child to report: its event with *out set, -ECHILD when none
 * matches, -EAGAIN when some match but none has news. */
static int find_event(const struct wait_sel *w, struct uk_process **out)
{
	int any = 0;
	for (struct uk_process *c = uk_proc()->children; c; c = c->sibling) {
		if (c->reaped || !matches(w, c))
			continue;
		any = 1;
		int ev = event_of(w, c);
		if (ev) {
			*out = c;
			return ev;
		}
	}
	return any ? -EAGAIN : -ECHILD;
}

/* The event found (UK_PROC_EV_*), 0 for WNOHANG with nothing to report,
 * or -errno. */
static int do_wait(const struct wait_sel *w, struct uk_process **out)
{
	for (;;) {
		int rc = find_event(w, out);
		if (rc != -EAGAIN)
			return rc;
		if (w->options & WNOHANG)
			return 0;
		rc = uk_waitq_wait(&uk_proc()->child_wait, UK_NO_DEADLINE);
		if (rc == -EINTR)
			return -UK_ERESTARTSYS;
	}
}

static void fill_rusage(struct rusage *ru, uint64_t cpu_ns)
{
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime.tv_sec = cpu_ns / 1000000000ULL;
	ru->ru_utime.tv_usec = (cpu_ns % 1000000000ULL) / 1000;
}

/* The child's CPU time, its own and its waited-for children's. */
static uint64_t child_cpu_ns(const struct uk_process *c)
{
	return c->dead_cpu_ns + c->children_cpu_ns;
}

/* It has been reported and is not kept (WNOWAIT keeps it). */
static void reap(struct uk_process *c)
{
	uk_proc()->children_cpu_ns += child_cpu_ns(c);
	proc_reap(c);
}

UK_SYSCALL_R_DEFINE(int, wait4, int, pid, int *, wstatus, int, options,
		    struct rusage *, ru)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == (int)0x80000000)
		return -ESRCH;	/* -INT_MIN has no group */
	/* WUNTRACED is waitid's WSTOPPED. */
	struct wait_sel w = { P_ALL, 0, options | WEXITED };
	if (pid > 0) {
		w.type = P_PID;
		w.id = pid;
	} else if (pid == 0) {
		w.type = P_PGID;
		w.id = uk_proc()->pgid;
	} else if (pid < -1) {
		w.type = P_PGID;
		w.id = -pid;
	}
	struct uk_process *c;
	int ev = do_wait(&w, &c);
	if (ev <= 0)
		return ev;
	int status = ev == UK_PROC_EV_STOPPED ? (c->stop_sig << 8) | 0x7f :
		     ev == UK_PROC_EV_CONTINUED ? 0xffff : c->wstatus;
	if (wstatus && uk_put_user(status, wstatus))
		return -EFAULT;
	if (ru) {
		struct rusage k;
		fill_rusage(&k, ev == UK_PROC_EV_ENDED ? child_cpu_ns(c) : 0);
		if (uk_copy_to_user(ru, &k, sizeof(k)))
			return -EFAULT;
	}
	int cpid = c->pid;
	if (ev == UK_PROC_EV_ENDED)
		reap(c);
	else
		c->wait_event = 0;	/* reported once */
	return cpid;
}

UK_SYSCALL_R_DEFINE(int, waitid, int, type, int, id, void *, infop, int, options,
		    struct rusage *, ru)
{
	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	struct wait_sel w = { type, id, options };
	switch (type) {
	case P_ALL:
		break;
	case P_PID:
	case P_PGID:
		if (id <= 0 && !(type == P_PGID && id == 0))
			return -EINVAL;
		if (type == P_PGID && id == 0)
			w.id = uk_proc()->pgid;
		break;
	case P_PIDFD: {
		struct uk_process *c = proc_of_pidfd(uk_fd_get(id));
		if (!uk_fd_get(id))
			return -EBADF;
		if (!c || c->reaped)
			return -ECHILD;
		w.type = P_PID;
		w.id = c->pid;
		break;
	}
	default:
		return -EINVAL;
	}
	struct uk_process *c;
	int ev = do_wait(&w, &c);
	if (ev < 0)
		return ev;
	struct k_siginfo_chld si;
	memset(&si, 0, sizeof(si));
	if (ev) {
		si.si_signo = SIGCHLD;
		si.pid = c->pid;
		si.uid = c->cred.ruid;
	}
	if (ev == UK_PROC_EV_STOPPED) {
		si.si_code = CLD_STOPPED;
		si.status = c->stop_sig;
	} else if (ev == UK_PROC_EV_CONTINUED) {
		si.si_code = CLD_CONTINUED;
		si.status = SIGCONT;
	} else if (ev) {
		if (c->wstatus & 0x7f) {
			si.si_code = (c->wstatus & 0x80) ? CLD_DUMPED : CLD_KILLED;
			si.status = c->wstatus & 0x7f;
		} else {
			si.si_code = CLD_EXITED;
			si.status = (c->wstatus >> 8) & 0xff;
		}
		si.utime = child_cpu_ns(c) / 10000000ULL;
	}
	if (infop && uk_copy_to_user(infop, &si, sizeof(si)))
		return -EFAULT;
	if (ru) {
		struct rusage k;
		fill_rusage(&k, ev == UK_PROC_EV_ENDED ? child_cpu_ns(c) : 0);
		if (uk_copy_to_user(ru, &k, sizeof(k)))
			return -EFAULT;
	}
	if (ev && !(options & WNOWAIT)) {
		if (ev == UK_PROC_EV_ENDED)
			reap(c);
		else
			c->wait_event = 0;
	}
	return 0;
}
