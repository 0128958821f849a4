/* File locks as Linux keeps them: fcntl's record locks, owned by a
 * process (F_SETLK, F_SETLKW, F_GETLK) or by an open file description
 * (the OFD forms), which conflict with each other; and flock's whole-file
 * locks, owned by an open file description and separate from the others.
 * A vnode holds its locks in a list; waiters sleep on its lock queue. A
 * process's record locks on a file go when it closes any descriptor of
 * the file or ends; the others when their description's last reference
 * goes. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <linux/fcntl.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include "vfs_internal.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define END_OF_FILE UINT64_MAX

enum lock_kind { LK_POSIX, LK_OFD, LK_FLOCK };

struct uk_lock {
	enum lock_kind kind;
	int type;		/* F_RDLCK, F_WRLCK */
	uint64_t start, end;	/* [start, end); END_OF_FILE: to the end, ever */
	const void *owner;	/* the process (POSIX) or the file (OFD, flock) */
	int pid;		/* F_GETLK's l_pid: the owner's, -1 for OFD */
	struct uk_lock *next;
};

/* Record locks (POSIX and OFD) conflict with record locks; flock's with
 * flock's. */
static int same_family(enum lock_kind a, enum lock_kind b)
{
	return (a == LK_FLOCK) == (b == LK_FLOCK);
}

static const struct uk_lock *find_conflict(struct uk_vnode *vn, const struct uk_lock *want)
{
	for (const struct uk_lock *l = vn->locks; l; l = l->next) {
		if (!same_family(l->kind, want->kind) || l->owner == want->owner)
			continue;
		if (l->start >= want->end || want->start >= l->end)
			continue;
		if (l->type == F_WRLCK || want->type == F_WRLCK)
			return l;
	}
	return NULL;
}

static struct uk_lock *new_lock(const struct uk_lock *from, uint64_t start, uint64_t end)
{
	struct uk_lock *l = malloc(sizeof(*l));
	if (l) {
		*l = *from;
		l->start = start;
		l->end = end;
	}
	return l;
}

/* Removes the owner's locks (of this family) from [start, end), splitting
 * those that straddle its edges. -ENOLCK when a split finds no memory. */
static int cut(struct uk_vnode *vn, const void *owner, enum lock_kind kind,
	       uint64_t start, uint64_t end)
{
	for (struct uk_lock **pp = &vn->locks; *pp;) {
		struct uk_lock *l = *pp;
		if (l->owner != owner || !same_family(l->kind, kind) ||
		    l->start >= end || start >= l->end) {
			pp = &l->next;
			continue;
		}
		if (l->start < start && l->end > end) {
			struct uk_lock *tail = new_lock(l, end, l->end);
			if (!tail)
				return -ENOLCK;
			tail->next = l->next;
			l->next = tail;
			l->end = start;
			return 0;
		}
		if (l->start < start) {
			l->end = start;
		} else if (l->end > end) {
			l->start = end;
		} else {
			*pp = l->next;
			free(l);
			continue;
		}
		pp = &l->next;
	}
	return 0;
}

/* Sets (or with F_UNLCK clears) want; waits while another owner's lock
 * conflicts when wait is set. */
static int set_lock(struct uk_vnode *vn, struct uk_lock *want, int wait)
{
	for (;;) {
		if (want->type == F_UNLCK || !find_conflict(vn, want))
			break;
		if (!wait)
			return want->kind == LK_FLOCK ? -EWOULDBLOCK : -EAGAIN;
		int rc = uk_waitq_wait(&vn->lock_wq, UK_NO_DEADLINE);
		if (rc == -EINTR)
			return want->kind == LK_FLOCK ? -UK_ERESTARTSYS : -EINTR;
	}
	int rc = cut(vn, want->owner, want->kind, want->start, want->end);
	if (!rc && want->type != F_UNLCK) {
		struct uk_lock *l = new_lock(want, want->start, want->end);
		if (!l)
			return -ENOLCK;
		l->next = vn->locks;
		vn->locks = l;
	}
	uk_waitq_wake(&vn->lock_wq, -1);
	return rc;
}

/* struct flock's range, relative to l_whence, as [start, end). */
static int flock_range(struct uk_file *f, const struct flock *fl, uint64_t *start,
		       uint64_t *end)
{
	long base;
	switch (fl->l_whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = f->vn->size; break;
	default: return -EINVAL;
	}
	long s = base + fl->l_start, len = fl->l_len;
	if (len < 0) {
		s += len;
		len = -len;
	}
	if (s < 0)
		return -EINVAL;
	*start = s;
	*end = len ? (uint64_t)s + len : END_OF_FILE;
	return 0;
}

int uk_lock_fcntl(struct uk_file *f, int cmd, struct flock *fl)
{
	int ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	int get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	struct uk_lock want = {
		.kind = ofd ? LK_OFD : LK_POSIX,
		.type = fl->l_type,
		.owner = ofd ? (const void *)f : (const void *)uk_proc(),
		.pid = ofd ? -1 : uk_proc()->pid,
	};
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EINVAL;
	if (ofd && fl->l_pid)
		return -EINVAL;
	int rc = flock_range(f, fl, &want.start, &want.end);
	if (rc)
		return rc;
	if (get) {
		if (fl->l_type == F_UNLCK)
			return -EINVAL;
		const struct uk_lock *l = find_conflict(f->vn, &want);
		if (!l) {
			fl->l_type = F_UNLCK;
			return 0;
		}
		fl->l_type = l->type;
		fl->l_whence = SEEK_SET;
		fl->l_start = l->start;
		fl->l_len = l->end == END_OF_FILE ? 0 : (long)(l->end - l->start);
		fl->l_pid = l->pid;
		return 0;
	}
	int acc = f->flags & O_ACCMODE;
	if ((fl->l_type == F_RDLCK && acc == O_WRONLY) ||
	    (fl->l_type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	return set_lock(f->vn, &want, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

UK_SYSCALL_R_DEFINE(int, flock, int, fd, int, op)
{
	struct uk_file *f = uk_fd_get(fd);
	if (!f)
		return -EBADF;
	int type;
	switch (op & ~LOCK_NB) {
	case LOCK_SH: type = F_RDLCK; break;
	case LOCK_EX: type = F_WRLCK; break;
	case LOCK_UN: type = F_UNLCK; break;
	default: return -EINVAL;
	}
	struct uk_lock want = { LK_FLOCK, type, 0, END_OF_FILE, f, -1, NULL };
	return set_lock(f->vn, &want, !(op & LOCK_NB));
}

/* Drops every lock of one owner on vn in a family (a process's record
 * locks, or a description's OFD and flock locks). */
static void drop_owner(struct uk_vnode *vn, const void *owner, int record_only)
{
	if (!vn->locks)
		return;
	for (struct uk_lock **pp = &vn->locks; *pp;) {
		struct uk_lock *l = *pp;
		if (l->owner == owner && (!record_only || l->kind == LK_POSIX)) {
			*pp = l->next;
			free(l);
		} else {
			pp = &l->next;
		}
	}
	uk_waitq_wake(&vn->lock_wq, -1);
}

void uk_lock_closed(struct uk_file *f)
{
	drop_owner(f->vn, uk_proc(), 1);
}

void uk_lock_file_released(struct uk_file *f)
{
	drop_owner(f->vn, f, 0);
}
