/* Pseudo-terminals: /dev/ptmx makes a pair, its master the open file and
 * its slave /dev/pts/N. Bytes written to the master are the slave's
 * input, edited by the console's line discipline (ldisc.c) in canonical
 * mode, with echo and ISIG's signals to the slave's foreground group;
 * bytes written to the slave go, after OPOST's ONLCR and OCRNL, to the
 * master. Ends close as on Linux: the master reads EIO once the slave's
 * last descriptor went (its bytes read first); the master's close hangs
 * the slave up (reads 0, writes EIO) and sends its session's leader
 * SIGHUP and SIGCONT. All under the big kernel lock. This file: the
 * pair's data paths; pty_ioctl.c its ioctls, ptmx.c its creation. */
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

static size_t ring_room(const struct ring *r)
{
	return r->size - r->count;
}

static void ring_put(struct ring *r, char c)
{
	r->buf[(r->head + r->count) % r->size] = c;
	r->count++;
}

static size_t ring_get(struct ring *r, char *buf, size_t len)
{
	size_t n = len < r->count ? len : r->count;
	for (size_t i = 0; i < n; i++)
		buf[i] = r->buf[(r->head + i) % r->size];
	r->head = (r->head + n) % r->size;
	r->count -= n;
	return n;
}

void pty_wake(struct uk_vnode *vn)
{
	if (vn)
		uk_waitq_wake(&vn->wq, -1);
}

/* Output towards the master, after OPOST; bytes without room are lost
 * (echo only: writers wait for room first). */
static void out_put(struct pty *t, const char *s, size_t n)
{
	tcflag_t o = t->tio.c_oflag;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((o & OPOST) && c == '\n' && (o & ONLCR)) {
			if (ring_room(&t->out) < 2)
				break;
			ring_put(&t->out, '\r');
		} else if ((o & OPOST) && c == '\r' && (o & OCRNL)) {
			c = '\n';
		}
		if (!ring_room(&t->out))
			break;
		ring_put(&t->out, c);
	}
	pty_wake(t->master);
}

void pty_echo_out(void *arg, const char *s, size_t n)
{
	out_put(arg, s, n);
}

int pty_is_ctty(const struct pty *t, const struct uk_process *p)
{
	return p->ctty == UK_CTTY_PTY + t->index && t->sid && p->sid == t->sid;
}

void pty_signal_fg(struct pty *t, int sig)
{
	if (t->pgrp && uk_signal_send_pgrp)
		uk_signal_send_pgrp(t->pgrp, sig, SI_KERNEL);
}

/* Whether the master may write more input now. */
static int input_room(const struct pty *t)
{
	if (t->tio.c_lflag & ICANON)
		return t->ld.head < UK_LDISC_SIZE - 1 || !t->ld.canon;
	return ring_room(&t->raw) > 0;
}

/* One byte from the master, as n_tty receives it. */
static void input_byte(struct pty *t, unsigned char c)
{
	const struct termios *tio = &t->tio;
	tcflag_t l = tio->c_lflag;
	if (l & ICANON) {
		int sig = uk_ldisc_input(&t->ld, tio, c);
		if (sig)
			pty_signal_fg(t, sig);
		return;
	}
	if (tio->c_iflag & ISTRIP)
		c &= 0x7f;
	if (l & ISIG) {
		int sig = uk_ldisc_isig(tio, c);
		if (sig) {
			if (!(l & NOFLSH))
				t->raw.count = 0;
			if (l & ECHO)
				uk_ldisc_echo(&t->ld, tio, c);
			pty_signal_fg(t, sig);
			return;
		}
	}
	if (c == '\r') {
		if (tio->c_iflag & IGNCR)
			return;
		if (tio->c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (tio->c_iflag & INLCR)) {
		c = '\r';
	}
	if (l & ECHO)
		uk_ldisc_echo(&t->ld, tio, c);
	else if (c == '\n' && (l & ECHONL))
		pty_echo_out(t, "\n", 1);
	ring_put(&t->raw, c);
}

static void pty_put(struct pty *t)
{
	if (--t->refs)
		return;
	free(t->raw.buf);
	free(t->out.buf);
	free(t);
}

/* O_TRUNC on a terminal is ignored. */
int pty_trunc_ok(struct uk_vnode *vn, off_t len)
{
	(void)vn, (void)len;
	return 0;
}

/* --- the slave ------------------------------------------------------------ */

/* A background group of the terminal's session reading, writing under
 * TOSTOP or changing it: tty.c's rule. */
int pty_job_check(struct pty *t, int sig)
{
	struct uk_process *p = uk_proc();
	return uk_tty_job_check(pty_is_ctty(t, p), t->pgrp, sig);
}

/* An open of the slave by a session leader without a terminal, without
 * O_NOCTTY, makes it the session's (Linux's tty_open_proc_set_tty). */
static void maybe_set_ctty(struct pty *t, int flags)
{
	struct uk_process *p = uk_proc();
	if ((flags & O_NOCTTY) || p->sid != p->pid || p->ctty || t->sid)
		return;
	t->sid = p->sid;
	t->pgrp = p->pgid;
	p->ctty = UK_CTTY_PTY + t->index;
}

int pty_slave_open(struct uk_vnode *vn, struct uk_file *f)
{
	struct pty *t = SLAVE(vn);
	if (t->master_gone || t->locked)
		return -EIO;
	t->slave_opens++;
	t->slave_closed = 0;
	maybe_set_ctty(t, f->flags);
	return 0;
}

static void slave_close(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct pty *t = SLAVE(vn);
	if (--t->slave_opens)
		return;
	t->slave_closed = 1;
	pty_wake(t->master);
}

/* Waits on vn's queue; 0, -EAGAIN (nonblock), -EIO or -UK_ERESTARTSYS. */
static int wait_on(struct uk_vnode *vn, struct uk_file *f, uint64_t deadline)
{
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	int rc = uk_waitq_wait(&vn->wq, deadline);
	if (rc == -EINTR)
		return -UK_ERESTARTSYS;
	return rc == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

/* A canonical switch: the line being edited becomes raw input, and
 * back (Linux's n_tty_set_termios keeps what was typed). */
void pty_move_input(struct pty *t, int to_canon)
{
	char k[UK_LDISC_SIZE];
	if (to_canon) {
		size_t n = ring_get(&t->raw, k, sizeof(k));
		struct termios raw = t->tio;
		raw.c_lflag &= ~(ECHO | ECHONL | ISIG);
		raw.c_iflag &= ~(ICRNL | INLCR | IGNCR | ISTRIP | IXON);
		for (size_t i = 0; i < n; i++)
			uk_ldisc_input(&t->ld, &raw, (unsigned char)k[i]);
	} else {
		size_t n = uk_ldisc_take_all(&t->ld, k, sizeof(k));
		for (size_t i = 0; i < n && ring_room(&t->raw); i++)
			ring_put(&t->raw, k[i]);
	}
}

static ssize_t slave_read_k(struct pty *t, struct uk_vnode *vn, struct uk_file *f,
			    char *k, size_t len)
{
	int rc = pty_job_check(t, SIGTTIN);
	if (rc)
		return rc;
	for (;;) {
		uint64_t deadline = UK_NO_DEADLINE;
		if (t->tio.c_lflag & ICANON) {
			if (uk_ldisc_readable(&t->ld))
				break;
		} else {
			if (t->raw.count)
				break;
			cc_t vmin = t->tio.c_cc[VMIN], vtime = t->tio.c_cc[VTIME];
			if (!vmin && !vtime)
				return 0;
			if (!vmin)
				deadline = ukplat_monotonic_ns() + vtime * 100000000ULL;
		}
		if (t->master_gone)
			return 0;
		rc = wait_on(vn, f, deadline);
		if (rc == -ETIMEDOUT)
			return 0;
		if (rc)
			return rc;
		if ((rc = pty_job_check(t, SIGTTIN)))
			return rc;
	}
	ssize_t n;
	if (t->tio.c_lflag & ICANON)
		n = uk_ldisc_read(&t->ld, k, len);
	else
		n = ring_get(&t->raw, k, len);
	pty_wake(t->master);	/* room for its input */
	return n;
}

static ssize_t slave_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			  size_t len, off_t off)
{
	(void)off;
	char k[CHUNK];
	if (!len)
		return 0;
	ssize_t n = slave_read_k(SLAVE(vn), vn, f, k, len < CHUNK ? len : CHUNK);
	if (n <= 0)
		return n;
	size_t got = uk_copy_out_part(buf, k, n);
	return got ? (ssize_t)got : -EFAULT;
}

static ssize_t slave_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
			   size_t len, off_t off)
{
	(void)off;
	struct pty *t = SLAVE(vn);
	char k[CHUNK];
	size_t done = 0;
	if (t->master_gone)
		return -EIO;
	if (t->tio.c_lflag & TOSTOP) {
		int rc = pty_job_check(t, SIGTTOU);
		if (rc)
			return rc;
	}
	while (done < len) {
		/* Room for the piece even if each byte were a \n made \r\n. */
		size_t room = ring_room(&t->out) / 2;
		if (!room) {
			int rc = wait_on(vn, f, UK_NO_DEADLINE);
			if (rc)
				return done ? (ssize_t)done : rc;
			if (t->master_gone)
				return done ? (ssize_t)done : -EIO;
			continue;
		}
		size_t n = len - done;
		if (n > CHUNK)
			n = CHUNK;
		if (n > room)
			n = room;
		size_t got = uk_copy_in_part(k, (const char *)buf + done, n);
		out_put(t, k, got);
		done += got;
		if (got < n)
			return done ? (ssize_t)done : -EFAULT;
	}
	return done;
}

static unsigned int slave_poll(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct pty *t = SLAVE(vn);
	if (t->master_gone)
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	unsigned int ev = 0;
	if ((t->tio.c_lflag & ICANON) ? uk_ldisc_readable(&t->ld) : t->raw.count > 0)
		ev |= POLLIN | POLLRDNORM;
	if (ring_room(&t->out) >= 2)
		ev |= POLLOUT | POLLWRNORM;
	return ev;
}

static long slave_nread(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct pty *t = SLAVE(vn);
	return (t->tio.c_lflag & ICANON) ? (long)t->ld.canon : (long)t->raw.count;
}

static int slave_ioctl(struct uk_vnode *vn, struct uk_file *f, unsigned int cmd,
		       unsigned long arg)
{
	return pty_ioctl(SLAVE(vn), f, cmd, arg, 0);
}

static void slave_release(struct uk_vnode *vn)
{
	pty_put(SLAVE(vn));
}

const struct uk_vnode_ops pty_slave_ops = {
	.open = pty_slave_open,
	.close = slave_close,
	.read = slave_read,
	.write = slave_write,
	.ioctl = slave_ioctl,
	.poll = slave_poll,
	.nread = slave_nread,
	.truncate = pty_trunc_ok,
	.release = slave_release,
};

/* --- the master ----------------------------------------------------------- */

static ssize_t master_read(struct uk_vnode *vn, struct uk_file *f, void *buf,
			   size_t len, off_t off)
{
	(void)off;
	struct pty *t = SLAVE(vn);
	char k[CHUNK];
	if (!len)
		return 0;
	while (!t->out.count) {
		if (t->slave_closed)
			return -EIO;
		int rc = wait_on(vn, f, UK_NO_DEADLINE);
		if (rc)
			return rc;
	}
	size_t n = ring_get(&t->out, k, len < CHUNK ? len : CHUNK);
	pty_wake(t->slave);		/* room for its output */
	size_t got = uk_copy_out_part(buf, k, n);
	return got ? (ssize_t)got : -EFAULT;
}

static ssize_t master_write(struct uk_vnode *vn, struct uk_file *f, const void *buf,
			    size_t len, off_t off)
{
	(void)off;
	struct pty *t = SLAVE(vn);
	size_t done = 0;
	while (done < len) {
		if (!input_room(t)) {
			pty_wake(t->slave);	/* what came so far, for its reader */
			int rc = wait_on(vn, f, UK_NO_DEADLINE);
			if (rc)
				return done ? (ssize_t)done : rc;
			continue;
		}
		unsigned char c;
		if (uk_copy_in_part(&c, (const char *)buf + done, 1) < 1)
			return done ? (ssize_t)done : -EFAULT;
		input_byte(t, c);
		done++;
	}
	pty_wake(t->slave);
	return done;
}

static unsigned int master_poll(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct pty *t = SLAVE(vn);
	unsigned int ev = 0;
	if (t->out.count)
		ev |= POLLIN | POLLRDNORM;
	if (t->slave_closed)
		ev |= POLLHUP;
	if (input_room(t))
		ev |= POLLOUT | POLLWRNORM;
	return ev;
}

static long master_nread(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	return SLAVE(vn)->out.count;
}

static int master_ioctl(struct uk_vnode *vn, struct uk_file *f, unsigned int cmd,
			unsigned long arg)
{
	struct pty *t = SLAVE(vn);
	int v;
	switch (cmd) {
	case TIOCGPTN:
		return uk_put_user((unsigned int)t->index, (unsigned int *)arg);
	case TIOCSPTLCK:
		if (uk_get_user(v, (int *)arg))
			return -EFAULT;
		t->locked = !!v;
		return 0;
	case TIOCGPTLCK:
		return uk_put_user(t->locked, (int *)arg);
	case TIOCGPTPEER:
		return pty_open_peer(t, (int)arg);
	case TIOCPKT:
		if (uk_get_user(v, (int *)arg))
			return -EFAULT;
		return v ? -EINVAL : 0;	/* packet mode is not offered */
	}
	return pty_ioctl(t, f, cmd, arg, 1);
}

/* The master's last descriptor: the slave hangs up, its session's leader
 * hears SIGHUP and SIGCONT (Linux's tty_vhangup of the slave), and the
 * number is free again. */
static void master_close(struct uk_vnode *vn, struct uk_file *f)
{
	(void)f;
	struct pty *t = SLAVE(vn);
	t->master_gone = 1;
	ptys[t->index] = NULL;
	if (t->sid) {
		struct uk_process *leader = uk_process_find(t->sid);
		if (leader && uk_signal_send_to) {
			uk_signal_send_to(leader, SIGHUP, SI_KERNEL);
			uk_signal_send_to(leader, SIGCONT, SI_KERNEL);
		}
		for (struct uk_process *q = uk_process_first(); q; q = q->next_all)
			if (q->sid == t->sid && q->ctty == UK_CTTY_PTY + t->index)
				q->ctty = 0;
		t->sid = t->pgrp = 0;
	}
	pty_wake(t->slave);
	/* The table's reference to the slave's vnode. */
	struct uk_vnode *s = t->slave;
	t->slave = NULL;
	uk_vnode_put(s);
}

static void master_release(struct uk_vnode *vn)
{
	pty_put(SLAVE(vn));
}

const struct uk_vnode_ops pty_master_ops = {
	.close = master_close,
	.read = master_read,
	.write = master_write,
	.ioctl = master_ioctl,
	.poll = master_poll,
	.nread = master_nread,
	.release = master_release,
};

