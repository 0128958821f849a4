/* Pseudo-terminals' ioctls on either end (Linux's tty_ioctl and
 * tty_mode_ioctl with the master's pointing at its slave): termios,
 * window size with SIGWINCH, flushes, and the controlling terminal
 * (TIOCSCTTY, TIOCNOTTY, the foreground group, the session). */
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

/* The controlling-terminal ioctls, Linux's tiocsctty and friends. */
static int ctty_ioctl(struct pty *t, unsigned int cmd, unsigned long arg, int master)
{
	struct uk_process *p = uk_proc();
	int pgrp, rc;
	switch (cmd) {
	case TIOCGPGRP:
		if (!master && !pty_is_ctty(t, p))
			return -ENOTTY;
		return uk_put_user(t->pgrp, (int *)arg);
	case TIOCGSID:
		if (!master && !pty_is_ctty(t, p))
			return -ENOTTY;
		if (!t->sid)
			return -ENOTTY;
		return uk_put_user(t->sid, (int *)arg);
	case TIOCSPGRP:
		if (master || !pty_is_ctty(t, p))
			return -ENOTTY;
		if ((rc = pty_job_check(t, SIGTTOU)) ||
		    (rc = uk_tty_new_pgrp((int *)arg, p, &pgrp)))
			return rc;
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
		if (master || !pty_is_ctty(t, p))
			return -ENOTTY;
		if (p->sid == p->pid) {
			pty_signal_fg(t, SIGHUP);
			pty_signal_fg(t, SIGCONT);
			t->sid = t->pgrp = 0;
		}
		p->ctty = 0;
		return 0;
	}
	return -EINVAL;
}

/* The ioctls both ends answer (for the master, about its slave). */
int pty_ioctl(struct pty *t, struct uk_file *f, unsigned int cmd,
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
		if ((rc = pty_job_check(t, SIGTTOU)))
			return rc;
		if (uk_copy_from_user(&tio, (void *)arg, sizeof(tio)))
			return -EFAULT;
		if (cmd == TCSETSF) {
			uk_ldisc_flush(&t->ld);
			t->raw.count = 0;
		}
		if ((tio.c_lflag ^ t->tio.c_lflag) & ICANON)
			pty_move_input(t, !!(tio.c_lflag & ICANON));
		t->tio = tio;
		pty_wake(t->slave);
		pty_wake(t->master);
		return 0;
	case TIOCGWINSZ:
		return uk_copy_to_user((void *)arg, &t->ws, sizeof(ws));
	case TIOCSWINSZ:
		if (uk_copy_from_user(&ws, (void *)arg, sizeof(ws)))
			return -EFAULT;
		if (memcmp(&ws, &t->ws, sizeof(ws))) {
			t->ws = ws;
			pty_signal_fg(t, SIGWINCH);
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
		pty_wake(t->slave);
		pty_wake(t->master);
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

