/* System V message queues: msgget, msgsnd, msgrcv and msgctl, as Linux
 * has them: typed messages of up to msgmax bytes in a queue of at most
 * msg_qbytes bytes (and as many messages); a sender waits for room, a
 * receiver for a message of the type it asks (the first, that type, any
 * but it, or the lowest up to it; MSG_COPY peeks by position); both
 * end with EIDRM when the queue is removed and EINTR on a signal. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/msg.h>
#include <asm/msgbuf.h>
#include <uk/sched.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "ipc_internal.h"

/* Linux's defaults (kernel.msgmax, msgmnb, msgmni) and constants. */
#define MSGMAX_ 8192
#define MSGMNB_ 16384
#define MSGMNI_ 32000
#define MSGSSZ_ 16
#define MSGSEG_ 0xffff
#define MSGPOOL_ (MSGMNI_ * MSGMNB_ / 1024)

struct msg {
	struct msg *next;
	long type;
	size_t len;
	char text[];
};

struct msg_queue {
	struct ipc_obj o;	/* first: the table holds it */
	struct msg *head, *tail;
	unsigned long cbytes, qnum, qbytes;
	int lspid, lrpid;
	uint64_t stime, rtime, ctime;
	struct uk_waitq wq;	/* senders and receivers alike */
	int sleepers;		/* a removed queue goes with the last of them */
};

static struct ipc_table queues;
static unsigned long total_msgs, total_bytes;

static struct msg_queue *find(int id)
{
	return (struct msg_queue *)ipc_find(&queues, id);
}

UK_SYSCALL_R_DEFINE(int, msgget, int, key, int, flags)
{
	struct ipc_obj *o;
	int rc = ipc_get(&queues, key, flags, &o);
	if (rc)
		return rc;
	if (o)
		return o->id;
	struct msg_queue *q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	if ((rc = ipc_add(&queues, &q->o, key, flags))) {
		free(q);
		return rc;
	}
	q->qbytes = MSGMNB_;
	q->ctime = ipc_now();
	return q->o.id;
}

/* Sleeps on q; afterwards 0, -EIDRM (q is gone: freed by the last
 * sleeper) or -EINTR. */
static int wait_on(struct msg_queue *q)
{
	q->sleepers++;
	int rc = uk_waitq_wait(&q->wq, UK_NO_DEADLINE);
	q->sleepers--;
	if (q->o.removed) {
		if (!q->sleepers)
			free(q);
		return -EIDRM;
	}
	return rc == -EINTR ? -EINTR : 0;
}

static int fits(const struct msg_queue *q, size_t len)
{
	return len + q->cbytes <= q->qbytes && 1 + q->qnum <= q->qbytes;
}

UK_SYSCALL_R_DEFINE(int, msgsnd, int, id, const void *, umsg, size_t, len, int, flags)
{
	long type;
	if (uk_copy_from_user(&type, umsg, sizeof(type)))
		return -EFAULT;
	if (len > MSGMAX_ || (long)len < 0 || id < 0)
		return -EINVAL;
	if (type < 1)
		return -EINVAL;
	struct msg *m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	if (uk_copy_from_user(m->text, (const char *)umsg + sizeof(long), len)) {
		free(m);
		return -EFAULT;
	}
	m->type = type;
	m->len = len;
	m->next = NULL;
	struct msg_queue *q = find(id);
	if (!q) {
		free(m);
		return -EINVAL;
	}
	while (!fits(q, len)) {
		int rc = flags & IPC_NOWAIT ? -EAGAIN : wait_on(q);
		if (rc) {
			free(m);
			return rc;
		}
	}
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	q->cbytes += len;
	q->qnum++;
	total_msgs++;
	total_bytes += len;
	q->lspid = uk_proc()->pid;
	q->stime = ipc_now();
	uk_waitq_wake(&q->wq, -1);
	return 0;
}

enum { SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOTEQUAL, SEARCH_LESSEQUAL, SEARCH_NUMBER };

/* Linux's find_msg: the message the mode asks for (with prev, its
 * predecessor), or NULL. */
static struct msg *find_msg(struct msg_queue *q, long type, int mode, struct msg **prev)
{
	struct msg *found = NULL, *p = NULL;
	long count = 0;
	for (struct msg *m = q->head; m; p = m, m = m->next) {
		int match = mode == SEARCH_ANY || mode == SEARCH_NUMBER ||
			    (mode == SEARCH_EQUAL && m->type == type) ||
			    (mode == SEARCH_NOTEQUAL && m->type != type) ||
			    (mode == SEARCH_LESSEQUAL && m->type <= type);
		if (!match)
			continue;
		if (mode == SEARCH_LESSEQUAL && m->type != 1) {
			type = m->type - 1;	/* a lower one may follow */
			found = m;
			*prev = p;
		} else if (mode == SEARCH_NUMBER) {
			if (count == type) {
				*prev = p;
				return m;
			}
		} else {
			*prev = p;
			return m;
		}
		count++;
	}
	return found;
}

UK_SYSCALL_R_DEFINE(long, msgrcv, int, id, void *, umsg, size_t, size, long, type, int, flags)
{
	if (id < 0 || (long)size < 0)
		return -EINVAL;
	if ((flags & MSG_COPY) && ((flags & MSG_EXCEPT) || !(flags & IPC_NOWAIT)))
		return -EINVAL;
	int mode = SEARCH_EQUAL;
	if (flags & MSG_COPY)
		mode = SEARCH_NUMBER;
	else if (type == 0)
		mode = SEARCH_ANY;
	else if (type < 0) {
		type = type == LONG_MIN ? LONG_MAX : -type;
		mode = SEARCH_LESSEQUAL;
	} else if (flags & MSG_EXCEPT)
		mode = SEARCH_NOTEQUAL;
	struct msg_queue *q = find(id);
	if (!q)
		return -EINVAL;
	struct msg *m, *prev = NULL;
	while (!(m = find_msg(q, type, mode, &prev))) {
		int rc = flags & IPC_NOWAIT ? -ENOMSG : wait_on(q);
		if (rc)
			return rc;
	}
	if (size < m->len && !(flags & MSG_NOERROR))
		return -E2BIG;
	size_t n = size < m->len ? size : m->len;
	if (flags & MSG_COPY) {
		/* Linux's copy_msg: the copy's room is min(size, msgmax). */
		if (m->len > (size < MSGMAX_ ? size : MSGMAX_))
			return -EINVAL;
		if (uk_copy_to_user(umsg, &m->type, sizeof(long)) ||
		    uk_copy_to_user((char *)umsg + sizeof(long), m->text, n))
			return -EFAULT;
		return n;
	}
	if (prev)
		prev->next = m->next;
	else
		q->head = m->next;
	if (q->tail == m)
		q->tail = prev;
	q->qnum--;
	q->cbytes -= m->len;
	total_msgs--;
	total_bytes -= m->len;
	q->rtime = ipc_now();
	q->lrpid = uk_proc()->pid;
	uk_waitq_wake(&q->wq, -1);
	/* Taken off the queue: a bad buffer loses it (as on Linux). */
	long rc = uk_copy_to_user(umsg, &m->type, sizeof(long)) ||
		  uk_copy_to_user((char *)umsg + sizeof(long), m->text, n) ? -EFAULT : (long)n;
	free(m);
	return rc;
}

static void fill_stat(const struct msg_queue *q, struct msqid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&q->o, &ds->msg_perm);
	ds->msg_stime = q->stime;
	ds->msg_rtime = q->rtime;
	ds->msg_ctime = q->ctime;
	ds->msg_cbytes = q->cbytes;
	ds->msg_qnum = q->qnum;
	ds->msg_qbytes = q->qbytes;
	ds->msg_lspid = q->lspid;
	ds->msg_lrpid = q->lrpid;
}

static void remove_queue(struct msg_queue *q)
{
	ipc_remove(&queues, &q->o);
	q->o.removed = 1;
	for (struct msg *m = q->head, *next; m; m = next) {
		next = m->next;
		total_msgs--;
		total_bytes -= m->len;
		free(m);
	}
	q->head = q->tail = NULL;
	if (q->sleepers)
		uk_waitq_wake(&q->wq, -1);	/* the last one frees it */
	else
		free(q);
}

/* (x86-64 takes no IPC_64 bit: a command with it is EINVAL.) */
UK_SYSCALL_R_DEFINE(int, msgctl, int, id, int, cmd, struct msqid64_ds *, buf)
{
	if (id < 0 || cmd < 0)
		return -EINVAL;
	if (cmd == IPC_INFO || cmd == MSG_INFO) {
		struct msginfo info = { .msgmni = MSGMNI_, .msgmax = MSGMAX_, .msgmnb = MSGMNB_,
					.msgssz = MSGSSZ_, .msgseg = MSGSEG_ };
		int max = 0, used = 0;
		for (int i = 0; i < IPC_SLOTS; i++)
			if (queues.slot[i])
				max = i, used++;
		if (cmd == MSG_INFO) {
			info.msgpool = used;
			info.msgmap = total_msgs > INT_MAX ? INT_MAX : (int)total_msgs;
			info.msgtql = total_bytes > INT_MAX ? INT_MAX : (int)total_bytes;
		} else {
			info.msgmap = MSGMNB_;
			info.msgpool = MSGPOOL_;
			info.msgtql = MSGMNB_;
		}
		return uk_copy_to_user(buf, &info, sizeof(info)) ? -EFAULT : max;
	}
	struct msg_queue *q;
	struct msqid64_ds ds;
	switch (cmd) {
	case MSG_STAT:
	case MSG_STAT_ANY:
	case IPC_STAT:
		if (cmd != IPC_STAT)
			q = id < IPC_SLOTS ? (struct msg_queue *)queues.slot[id] : NULL;
		else
			q = find(id);
		if (!q)
			return -EINVAL;
		fill_stat(q, &ds);
		if (uk_copy_to_user(buf, &ds, sizeof(ds)))
			return -EFAULT;
		return cmd == IPC_STAT ? 0 : q->o.id;
	case IPC_SET:
		if (uk_copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		if (!(q = find(id)))
			return -EINVAL;
		if (ds.msg_qbytes > MSGMNB_ && !uk_cred_capable(&uk_proc()->cred, CAP_SYS_RESOURCE))
			return -EPERM;
		ipc_set_perm(&q->o, &ds.msg_perm);
		q->qbytes = ds.msg_qbytes;
		q->ctime = ipc_now();
		uk_waitq_wake(&q->wq, -1);	/* senders: maybe room now */
		return 0;
	case IPC_RMID:
		if (!(q = find(id)))
			return -EINVAL;
		remove_queue(q);
		return 0;
	default:
		return -EINVAL;
	}
}
