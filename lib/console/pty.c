/* Pseudo-terminals: /dev/ptmx makes a pair, its master the open file and
 * its slave /dev/pts/N. Bytes written to the master are the slave's
 * input, edited by the console's line discipline (ldisc.c) in canonical
 * mode, with echo and ISIG's signals to the slave's foreground group;
 * bytes written to the slave go, after OPOST's ONLCR and OCRNL, to the
 * master. Ends close as on Linux: the master reads EIO once the slave's
 * last descriptor went (its bytes read first); the master's close hangs
 * the slave up (reads 0, writes EIO) and sends its session's leader
 * SIGHUP and SIGCONT. All under the big kernel lock. */
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

#define SIGHUP 1
#define SIGCONT 18
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGWINCH 28
#define SI_KERNEL 0x80

#define PTY_MAX 64		/* minors 0..63 of major 136 */
#define RAW_SIZE UK_LDISC_SIZE	/* non-canonical input, as n_tty's */
#define OUT_SIZE 16384		/* slave output not yet read by the master */
#define CHUNK 512		/* user bytes pass through a kernel buffer */

int uk_signal_send_to(struct uk_process *p, int sig, int code) __attribute__((weak));
int uk_signal_send_pgrp(int pgid, int sig, int code) __attribute__((weak));

struct ring {
	char *buf;
	size_t size, head, count;
};

struct pty {
	int index;
	int refs;		/* the master's vnode and the slave's */
	int locked;		/* TIOCSPTLCK: the slave cannot be opened */
	int master_gone;	/* the slave is hung up */
	int slave_opens;
	int slave_closed;	/* its last descriptor went: the master reads EIO */
	struct termios tio;	/* the slave's (a master's TCGETS too, as Linux) */
	struct winsize ws;
	struct uk_ldisc ld;	/* canonical input */
	struct ring raw;	/* non-canonical input */
	struct ring out;	/* to the master */
	int sid, pgrp;		/* the session it is the terminal of */
	struct uk_vnode *master, *slave;
};

static struct pty *ptys[PTY_MAX];

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

static void wake(struct uk_vnode *vn)
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
	wake(t->master);
}

static void echo_out(void *arg, const char *s, size_t n)
{
	out_put(arg, s, n);
}

static int is_ctty(const struct pty *t, const struct uk_process *p)
{
	return p->ctty == UK_CTTY_PTY + t->index && t->sid && p->sid == t->sid;
}

static void signal_fg(struct pty *t, int sig)
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
			signal_fg(t, sig);
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
			signal_fg(t, sig);
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
		echo_out(t, "\n", 1);
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
static int trunc_ok(struct uk_vnode *vn, off_t len)
{
	(void)vn, (void)len;
	return 0;
}

/* --- the slave ------------------------------------------------------------ */

#define SLAVE(vn) ((struct pty *)(vn)->priv)

/* A background group of the terminal's session reading, writing under
 * TOSTOP or changing it: tty.c's rule. */
static int job_check(struct pty *t, int sig)
{
	struct uk_process *p = uk_proc();
	return uk_tty_job_check(is_ctty(t, p), t->pgrp, sig);
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

static int slave_open(struct uk_vnode *vn, struct uk_file *f)
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
	wake(t->master);
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
static void move_input(struct pty *t, int to_canon)
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
	int rc = job_check(t, SIGTTIN);
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
		if ((rc = job_check(t, SIGTTIN)))
			return rc;
	}
	ssize_t n;
	if (t->tio.c_lflag & ICANON)
		n = uk_ldisc_read(&t->ld, k, len);
	else
		n = ring_get(&t->raw, k, len);
	wake(t->master);	/* room for its input */
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
		int rc = job_check(t, SIGTTOU);
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

/* The controlling-terminal ioctls, Linux's tiocsctty and friends. */
static int ctty_ioctl(struct pty *t, unsigned int cmd, unsigned long arg, int master)
{
	struct uk_process *p = uk_proc();
	int pgrp, rc;
	switch (cmd) {
	case TIOCGPGRP:
		if (!master && !is_ctty(t, p))
			return -ENOTTY;
		return uk_put_user(t->pgrp, (int *)arg);
	case TIOCGSID:
		if (!master && !is_ctty(t, p))
			return -ENOTTY;
		if (!t->sid)
			return -ENOTTY;
		return uk_put_user(t->sid, (int *)arg);
	case TIOCSPGRP:
		if (master || !is_ctty(t, p))
			return -ENOTTY;
		if ((rc = job_check(t, SIGTTOU)))
			return rc;
		if (uk_get_user(pgrp, (int *)arg))
			return -EFAULT;
		if (pgrp < 0)
			return -EINVAL;
		rc = uk_process_pgrp_session(pgrp);
		if (!rc)
			return -ESRCH;
		if (rc != p->sid)
			return -EPERM;
		t->pgrp = pgrp;
		return 0;
	case TIOCSCTTY:
		if (p->sid == p->pid && t->sid == p->sid)
			return 0;
		if (p->sid != p->pid || p->ctty)
			return -EPERM;
		if (t->sid && !(arg == 1 && p->cred.euid == 0))
			return -EPERM;
		if (t->sid) {
			/* Stolen: the old session's members let go. */
			for (struct uk_process *q = uk_process_first(); q; q = q->next_all)
				if (q->sid == t->sid && q->ctty == UK_CTTY_PTY + t->index)
					q->ctty = 0;
		}
		t->sid = p->sid;
		t->pgrp = p->pgid;
		p->ctty = UK_CTTY_PTY + t->index;
		return 0;
	case TIOCNOTTY:
		if (master || !is_ctty(t, p))
			return -ENOTTY;
		if (p->sid == p->pid) {
			signal_fg(t, SIGHUP);
			signal_fg(t, SIGCONT);
			t->sid = t->pgrp = 0;
		}
		p->ctty = 0;
		return 0;
	}
	return -EINVAL;
}

/* The ioctls both ends answer (for the master, about its slave). */
static int pty_ioctl(struct pty *t, struct uk_file *f, unsigned int cmd,
		     unsigned long arg, int master)
{
	struct termios tio;
	struct winsize ws;
	int rc;
	if (t->master_gone && !master)
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	(void)f;
	switch (cmd) {
	case TCGETS:
		return uk_copy_to_user((void *)arg, &t->tio, sizeof(tio));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if ((rc = job_check(t, SIGTTOU)))
			return rc;
		if (uk_copy_from_user(&tio, (void *)arg, sizeof(tio)))
			return -EFAULT;
		if (cmd == TCSETSF) {
			uk_ldisc_flush(&t->ld);
			t->raw.count = 0;
		}
		if ((tio.c_lflag ^ t->tio.c_lflag) & ICANON)
			move_input(t, !!(tio.c_lflag & ICANON));
		t->tio = tio;
		wake(t->slave);
		wake(t->master);
		return 0;
	case TIOCGWINSZ:
		return uk_copy_to_user((void *)arg, &t->ws, sizeof(ws));
	case TIOCSWINSZ:
		if (uk_copy_from_user(&ws, (void *)arg, sizeof(ws)))
			return -EFAULT;
		if (memcmp(&ws, &t->ws, sizeof(ws))) {
			t->ws = ws;
			signal_fg(t, SIGWINCH);
		}
		return 0;
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		/* The master's input queue is the slave's output. */
		if (arg != (master ? TCIFLUSH : TCOFLUSH)) {
			uk_ldisc_flush(&t->ld);
			t->raw.count = 0;
		}
		if (arg != (master ? TCOFLUSH : TCIFLUSH))
			t->out.count = 0;
		wake(t->slave);
		wake(t->master);
		return 0;
	case TIOCOUTQ:
		return uk_put_user((int)(master ? 0 : t->out.count), (int *)arg);
	case TCSBRK:
	case TCSBRKP:
	case TCXONC:
		return 0;	/* nothing is held back on a pty */
	case TIOCGPGRP:
	case TIOCGSID:
	case TIOCSPGRP:
	case TIOCSCTTY:
	case TIOCNOTTY:
		return ctty_ioctl(t, cmd, arg, master);
	}
	return -ENOTTY;
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

static const struct uk_vnode_ops slave_ops = {
	.open = slave_open,
	.close = slave_close,
	.read = slave_read,
	.write = slave_write,
	.ioctl = slave_ioctl,
	.poll = slave_poll,
	.nread = slave_nread,
	.truncate = trunc_ok,
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
	wake(t->slave);		/* room for its output */
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
			wake(t->slave);	/* what came so far, for its reader */
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
	wake(t->slave);
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

/* TIOCGPTPEER: the slave opened as a new descriptor, without a walk. */
static int open_peer(struct pty *t, int flags)
{
	if (flags & ~(O_ACCMODE | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW))
		return -EINVAL;
	char path[24];
	snprintf(path, sizeof(path), "/dev/pts/%d", t->index);
	struct uk_file *f = uk_file_new(t->slave, flags & (O_ACCMODE | O_NONBLOCK | O_NOCTTY), path);
	if (!f)
		return -ENOMEM;
	uk_vnode_get(t->slave);
	int rc = slave_open(t->slave, f);
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
		return open_peer(t, (int)arg);
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
	wake(t->slave);
	/* The table's reference to the slave's vnode. */
	struct uk_vnode *s = t->slave;
	t->slave = NULL;
	uk_vnode_put(s);
}

static void master_release(struct uk_vnode *vn)
{
	pty_put(SLAVE(vn));
}

static const struct uk_vnode_ops master_ops = {
	.close = master_close,
	.read = master_read,
	.write = master_write,
	.ioctl = master_ioctl,
	.poll = master_poll,
	.nread = master_nread,
	.release = master_release,
};

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
	t->master = uk_vnode_alloc(uk_devfs_mount(), &master_ops, S_IFCHR | 0666);
	t->slave = uk_vnode_alloc(uk_devfs_mount(), &slave_ops, S_IFCHR | 0620);
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
	t->ld.echo = echo_out;
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
	.truncate = trunc_ok,
};

/* /dev/tty for a process whose terminal is a pty: its slave. */
int uk_pty_open_ctty(struct uk_file *f)
{
	struct uk_process *p = uk_proc();
	int i = p->ctty - UK_CTTY_PTY;
	if (i < 0 || i >= PTY_MAX || !ptys[i] || !is_ctty(ptys[i], p))
		return -ENXIO;
	struct pty *t = ptys[i];
	int rc = slave_open(t->slave, f);
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
