/* /dev/ptmx, which makes a pseudo-terminal pair on each open, and
 * /dev/pts, its slaves by number; /dev/tty for a process whose terminal
 * is a pty; TIOCGPTPEER; a session leader's end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <asm/ioctls.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/vfs.h>
#include <uk/devfs.h>
#include <uk/tty.h>
#include <uk/ldisc.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/uaccess.h>
#include "pty_internal.h"

struct pty *ptys[PTY_MAX];

/* Linux's tty_std_termios without HUPCL, as its pty slaves start. */
static const struct termios std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21,
		  [VEOF] = 4, [VMIN] = 1, [VSTART] = 17, [VSTOP] = 19,
		  [VSUSP] = 26, [VREPRINT] = 18, [VDISCARD] = 15,
		  [VWERASE] = 23, [VLNEXT] = 22 },
};

/* TIOCGPTPEER: the slave opened as a new descriptor, without a walk. */
int pty_open_peer(struct pty *t, int flags)
{
	if (flags & ~(O_ACCMODE | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW))
		return -EINVAL;
	char path[24];
	snprintf(path, sizeof(path), "/dev/pts/%d", t->index);
	struct uk_file *f = uk_file_new(t->slave, flags & (O_ACCMODE | O_NONBLOCK | O_NOCTTY), path);
	if (!f)
		return -ENOMEM;
	uk_vnode_get(t->slave);
	int rc = pty_slave_open(t->slave, f);
	f->flags &= ~O_NOCTTY;
	if (rc) {
		f->vn = NULL;
		uk_vnode_put(t->slave);
		free(f->path);
		free(f);
		return rc;
	}
	rc = uk_fd_install(f, 0, !!(flags & O_CLOEXEC));
	if (rc < 0)
		uk_file_put(f);
	return rc;
}

/* --- /dev/ptmx and /dev/pts ------------------------------------------------ */

static struct uk_vnode *ptmx_vn;

static struct pty *pty_new(void)
{
	int i = 0;
	while (i < PTY_MAX && ptys[i])
		i++;
	if (i == PTY_MAX)
		return NULL;
	struct pty *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->raw.buf = malloc(RAW_SIZE);
	t->out.buf = malloc(OUT_SIZE);
	t->master = uk_vnode_alloc(uk_devfs_mount(), &pty_master_ops, S_IFCHR | 0666);
	t->slave = uk_vnode_alloc(uk_devfs_mount(), &pty_slave_ops, S_IFCHR | 0620);
	if (!t->raw.buf || !t->out.buf || !t->master || !t->slave) {
		free(t->raw.buf);
		free(t->out.buf);
		free(t->master);
		free(t->slave);
		free(t);
		return NULL;
	}
	t->index = i;
	t->refs = 2;
	t->locked = 1;
	t->raw.size = RAW_SIZE;
	t->out.size = OUT_SIZE;
	t->tio = std_termios;
	t->ld.echo = pty_echo_out;
	t->ld.echo_arg = t;
	t->master->priv = t;
	t->master->rdev = ptmx_vn->rdev;
	t->slave->priv = t;
	t->slave->rdev = (136 << 8) | i;
	uk_vfs_own(t->slave);
	t->slave->gid = 5;	/* Linux's devpts gid=5 (tty), as Debian mounts it */
	uk_vfs_own(t->master);
	ptys[i] = t;
	return t;
}

/* An open of /dev/ptmx: a new pair, whose master becomes the open file's
 * vnode in place of /dev/ptmx's. */
static int ptmx_open(struct uk_vnode *vn, struct uk_file *f)
{
	struct pty *t = pty_new();
	if (!t)
		return -ENOSPC;
	f->vn = t->master;
	uk_vnode_put(vn);
	return 0;
}

static const struct uk_vnode_ops ptmx_ops = {
	.open = ptmx_open,
	.truncate = pty_trunc_ok,
};

/* /dev/tty for a process whose terminal is a pty: its slave. */
int uk_pty_open_ctty(struct uk_file *f)
{
	struct uk_process *p = uk_proc();
	int i = p->ctty - UK_CTTY_PTY;
	if (i < 0 || i >= PTY_MAX || !ptys[i] || !pty_is_ctty(ptys[i], p))
		return -ENXIO;
	struct pty *t = ptys[i];
	int rc = pty_slave_open(t->slave, f);
	if (rc)
		return rc;
	struct uk_vnode *old = f->vn;
	uk_vnode_get(t->slave);
	f->vn = t->slave;
	uk_vnode_put(old);
	return 0;
}

/* A session leader's end: its pty is nobody's terminal any more, and
 * the foreground group hears SIGHUP (Linux's disassociate_ctty). */
void uk_pty_session_end(struct uk_process *leader)
{
	int i = leader->ctty - UK_CTTY_PTY;
	if (i < 0 || i >= PTY_MAX || !ptys[i] || ptys[i]->sid != leader->sid)
		return;
	struct pty *t = ptys[i];
	uk_tty_hangup_pgrp(t->pgrp, leader, 0);
	t->sid = t->pgrp = 0;
}

static int parse_index(const char *name, size_t len)
{
	if (!len || len > 3 || (name[0] == '0' && len > 1))
		return -1;
	int n = 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return n < PTY_MAX ? n : -1;
}

static int pts_lookup(struct uk_vnode *dir, const char *name, size_t len,
		      struct uk_vnode **out)
{
	(void)dir;
	if (len == 4 && !memcmp(name, "ptmx", 4)) {
		uk_vnode_get(ptmx_vn);
		*out = ptmx_vn;
		return 0;
	}
	int i = parse_index(name, len);
	if (i < 0 || !ptys[i])
		return -ENOENT;
	uk_vnode_get(ptys[i]->slave);
	*out = ptys[i]->slave;
	return 0;
}

static int pts_readdir(struct uk_vnode *dir, uint64_t *pos, uk_filldir_t fill, void *ctx)
{
	for (;; (*pos)++) {
		uint64_t p = *pos;
		char name[8];
		int stop;
		if (p == 0)
			stop = fill(ctx, ".", 1, dir->ino, 4);
		else if (p == 1)
			stop = fill(ctx, "..", 2, dir->parent->ino, 4);
		else if (p == 2)
			stop = fill(ctx, "ptmx", 4, ptmx_vn->ino, 2);
		else if (p - 3 < PTY_MAX) {
			struct pty *t = ptys[p - 3];
			if (!t)
				continue;
			int n = snprintf(name, sizeof(name), "%d", t->index);
			stop = fill(ctx, name, n, t->slave->ino, 2);
		} else
			return 0;
		if (stop)
			return 1;
	}
}

static const struct uk_vnode_ops pts_dir_ops = {
	.lookup = pts_lookup,
	.readdir = pts_readdir,
};

static int pty_init(void)
{
	struct uk_mount *m = uk_devfs_mount();
	ptmx_vn = uk_vnode_alloc(m, &ptmx_ops, S_IFCHR | 0666);
	struct uk_vnode *dir = uk_vnode_alloc(m, &pts_dir_ops, S_IFDIR | 0755);
	if (!ptmx_vn || !dir)
		return -ENOMEM;
	ptmx_vn->rdev = (5 << 8) | 2;	/* Linux's 5:2 */
	dir->parent = m->root;
	dir->name = strdup("pts");
	uk_vnode_get(ptmx_vn);
	int rc = uk_devfs_add("ptmx", ptmx_vn);
	return rc ? rc : uk_devfs_add("pts", dir);
}
UK_INIT_AT(pty_init, UK_INIT_LEVEL_LIB);
