/* System V semaphores: semget, semop, semtimedop and semctl. A set's
 * operations apply all at once or not at all; a caller that cannot go on
 * sleeps on the set until its values change (or the set is removed:
 * EIDRM). SEM_UNDO's adjustments are kept per process and applied when
 * it ends. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sem.h>
#include <linux/time_types.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "ipc_internal.h"

#define SEMVMX 32767
#define NSEC 1000000000ULL

struct sem {
	unsigned short val;
	int pid;		/* of the last operation */
	int ncnt, zcnt;		/* waiting for an increase, for zero */
};

struct sem_set {
	struct ipc_obj o;	/* first: the table holds it */
	int nsems;
	uint64_t otime, ctime;
	struct uk_waitq wq;
	int sleepers;		/* a removed set goes with the last of them */
	struct sem sems[];
};

/* A process's SEM_UNDO adjustment of one semaphore. */
struct sem_undo {
	struct uk_process *proc;
	int id, num;
	int adj;
	struct sem_undo *next;
};

static struct ipc_table sets;
static struct sem_undo *undos;

static struct sem_set *find(int id)
{
	return (struct sem_set *)ipc_find(&sets, id);
}

UK_SYSCALL_R_DEFINE(int, semget, int, key, int, nsems, int, flags)
{
	struct ipc_obj *o;
	if (nsems < 0 || nsems > SEMMSL)
		return -EINVAL;
	int rc = ipc_get(&sets, key, flags, &o);
	if (rc)
		return rc;
	if (o)
		return nsems > ((struct sem_set *)o)->nsems ? -EINVAL : o->id;
	if (!nsems)
		return -EINVAL;
	struct sem_set *s = calloc(1, sizeof(*s) + nsems * sizeof(struct sem));
	if (!s)
		return -ENOMEM;
	if ((rc = ipc_add(&sets, &s->o, key, flags))) {
		free(s);
		return rc;
	}
	s->nsems = nsems;
	s->ctime = ipc_now();
	return s->o.id;
}

static void add_undo(int id, int num, int adj)
{
	struct uk_process *p = uk_proc();
	for (struct sem_undo *u = undos; u; u = u->next) {
		if (u->proc == p && u->id == id && u->num == num) {
			u->adj += adj;
			return;
		}
	}
	struct sem_undo *u = malloc(sizeof(*u));
	if (!u)
		return;	/* the adjustment is lost, as Linux when out of memory */
	*u = (struct sem_undo){ p, id, num, adj, undos };
	undos = u;
}

/* Whether all of ops can go now: 0, or the index + 1 of the first that
 * must wait. */
static int blocked_at(const struct sem_set *s, const struct sembuf *ops, int n)
{
	int vals[n];
	for (int i = 0; i < n; i++) {
		int v = s->sems[ops[i].sem_num].val;
		for (int j = 0; j < i; j++)
			if (ops[j].sem_num == ops[i].sem_num)
				v = vals[j];
		if (ops[i].sem_op == 0 && v != 0)
			return i + 1;
		if (ops[i].sem_op < 0 && v < -ops[i].sem_op)
			return i + 1;
		vals[i] = v + ops[i].sem_op;
	}
	return 0;
}

static long do_semop(int id, struct sembuf *usops, unsigned nsops,
		     const struct __kernel_timespec *utimeout)
{
	if (nsops < 1)
		return -EINVAL;
	if (nsops > SEMOPM)
		return -E2BIG;
	struct sembuf ops[nsops];
	if (uk_copy_from_user(ops, usops, nsops * sizeof(ops[0])))
		return -EFAULT;
	uint64_t deadline = UK_NO_DEADLINE;
	if (utimeout) {
		struct __kernel_timespec ts;
		if (uk_copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC)
			return -EINVAL;
		deadline = ukplat_monotonic_ns() + ts.tv_sec * NSEC + ts.tv_nsec;
	}
	struct sem_set *s = find(id);
	if (!s)
		return -EINVAL;
	for (unsigned i = 0; i < nsops; i++) {
		if (ops[i].sem_num >= s->nsems)
			return -EFBIG;
		int v = s->sems[ops[i].sem_num].val + ops[i].sem_op;
		if (v > SEMVMX)
			return -ERANGE;
	}
	for (;;) {
		int at = blocked_at(s, ops, nsops);
		if (!at)
			break;
		const struct sembuf *b = &ops[at - 1];
		if (b->sem_flg & IPC_NOWAIT)
			return -EAGAIN;
		struct sem *w = &s->sems[b->sem_num];
		if (b->sem_op)
			w->ncnt++;
		else
			w->zcnt++;
		s->sleepers++;
		int rc = uk_waitq_wait(&s->wq, deadline);
		s->sleepers--;
		if (s->o.removed) {
			if (!s->sleepers)
				free(s);
			return -EIDRM;
		}
		if (b->sem_op)
			w->ncnt--;
		else
			w->zcnt--;
		if (rc == -ETIMEDOUT)
			return -EAGAIN;
		if (rc == -EINTR)
			return -EINTR;
	}
	for (unsigned i = 0; i < nsops; i++) {
		struct sem *m = &s->sems[ops[i].sem_num];
		m->val += ops[i].sem_op;
		m->pid = uk_proc()->pid;
		if ((ops[i].sem_flg & SEM_UNDO) && ops[i].sem_op)
			add_undo(id, ops[i].sem_num, -ops[i].sem_op);
	}
	s->otime = ipc_now();
	uk_waitq_wake(&s->wq, -1);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, semop, int, id, struct sembuf *, sops, unsigned, nsops)
{
	return do_semop(id, sops, nsops, NULL);
}

UK_SYSCALL_R_DEFINE(int, semtimedop, int, id, struct sembuf *, sops, unsigned, nsops,
		    const struct __kernel_timespec *, timeout)
{
	return do_semop(id, sops, nsops, timeout);
}

static void drop_undos(int id)
{
	for (struct sem_undo **pp = &undos; *pp;) {
		struct sem_undo *u = *pp;
		if (u->id == id) {
			*pp = u->next;
			free(u);
		} else {
			pp = &u->next;
		}
	}
}

/* A process ends: its SEM_UNDO adjustments are applied, as far as they
 * keep each value within 0..SEMVMX (Linux's rule). */
void uk_ipc_process_exit(struct uk_process *p)
{
	for (struct sem_undo **pp = &undos; *pp;) {
		struct sem_undo *u = *pp;
		if (u->proc != p) {
			pp = &u->next;
			continue;
		}
		struct sem_set *s = find(u->id);
		if (s) {
			int v = s->sems[u->num].val + u->adj;
			s->sems[u->num].val = v < 0 ? 0 : v > SEMVMX ? SEMVMX : v;
			s->sems[u->num].pid = p->pid;
			uk_waitq_wake(&s->wq, -1);
		}
		*pp = u->next;
		free(u);
	}
}

static void fill_stat(const struct sem_set *s, struct semid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&s->o, &ds->sem_perm);
	ds->sem_otime = s->otime;
	ds->sem_ctime = s->ctime;
	ds->sem_nsems = s->nsems;
}

UK_SYSCALL_R_DEFINE(int, semctl, int, id, int, num, int, cmd, unsigned long, arg)
{
	cmd &= ~IPC_64;
	if (cmd == IPC_INFO || cmd == SEM_INFO) {
		struct seminfo info = { .semmap = SEMMAP, .semmni = SEMMNI, .semmns = SEMMNS,
					.semmnu = SEMMNU, .semmsl = SEMMSL, .semopm = SEMOPM,
					.semume = SEMUME, .semusz = SEMUSZ, .semvmx = SEMVMX,
					.semaem = SEMAEM };
		if (uk_copy_to_user((void *)arg, &info, sizeof(info)))
			return -EFAULT;
		int max = 0;
		for (int i = 0; i < IPC_SLOTS; i++)
			if (sets.slot[i])
				max = i;
		return max;
	}
	struct sem_set *s;
	if (cmd == SEM_STAT || cmd == SEM_STAT_ANY) {
		if (id < 0 || id >= IPC_SLOTS || !(s = (struct sem_set *)sets.slot[id]))
			return -EINVAL;
	} else if (!(s = find(id))) {
		return -EINVAL;
	}
	int one = cmd == GETVAL || cmd == SETVAL || cmd == GETPID || cmd == GETNCNT ||
		  cmd == GETZCNT;
	if (one && (num < 0 || num >= s->nsems))
		return -EINVAL;
	struct semid64_ds ds;
	switch (cmd) {
	case GETVAL:
		return s->sems[num].val;
	case GETPID:
		return s->sems[num].pid;
	case GETNCNT:
		return s->sems[num].ncnt;
	case GETZCNT:
		return s->sems[num].zcnt;
	case SETVAL:
		if ((int)arg < 0 || (int)arg > SEMVMX)
			return -ERANGE;
		s->sems[num].val = (int)arg;
		s->sems[num].pid = uk_proc()->pid;
		s->ctime = ipc_now();
		uk_waitq_wake(&s->wq, -1);
		return 0;
	case GETALL:
	case SETALL: {
		unsigned short vals[s->nsems];
		if (cmd == GETALL) {
			for (int i = 0; i < s->nsems; i++)
				vals[i] = s->sems[i].val;
			return uk_copy_to_user((void *)arg, vals, sizeof(vals));
		}
		if (uk_copy_from_user(vals, (void *)arg, sizeof(vals)))
			return -EFAULT;
		for (int i = 0; i < s->nsems; i++)
			if (vals[i] > SEMVMX)
				return -ERANGE;
		for (int i = 0; i < s->nsems; i++) {
			s->sems[i].val = vals[i];
			s->sems[i].pid = uk_proc()->pid;
		}
		s->ctime = ipc_now();
		uk_waitq_wake(&s->wq, -1);
		return 0;
	}
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		fill_stat(s, &ds);
		if (uk_copy_to_user((void *)arg, &ds, sizeof(ds)))
			return -EFAULT;
		return cmd == IPC_STAT ? 0 : s->o.id;
	case IPC_SET:
		if (uk_copy_from_user(&ds, (void *)arg, sizeof(ds)))
			return -EFAULT;
		ipc_set_perm(&s->o, &ds.sem_perm);
		s->ctime = ipc_now();
		return 0;
	case IPC_RMID:
		ipc_remove(&sets, &s->o);
		drop_undos(id);
		s->o.removed = 1;
		if (s->sleepers)
			uk_waitq_wake(&s->wq, -1);	/* the last one frees it */
		else
			free(s);
		return 0;
	default:
		return -EINVAL;
	}
}
