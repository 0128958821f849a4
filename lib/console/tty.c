/* The console's line discipline. When the host's stdin is a terminal
 * (which run.sh puts in raw mode) the guest does what a Linux tty would:
 * canonical input with echo and erase, ^D for end of file, ^C and ^\
 * sending SIGINT and SIGQUIT to the program (also while it does not
 * read: canonical input is edited as it arrives, as Linux's n_tty does;
 * in non-canonical mode the bytes a read takes are checked), and \n to
 * \r\n on output (the platform); the editing itself is ldisc.c. When
 * stdin is a pipe or file, bytes pass through untouched. */
#include <errno.h>
#include <string.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <asm/ioctls.h>
#include <uk/plat.h>
#include <uk/tty.h>
#include <uk/ldisc.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/vfs.h>
#include <uk/uaccess.h>

#define SIGINT 2
#define SIGQUIT 3
#define SI_KERNEL 0x80

#define SIGHUP 1
#define SIGCONT 18
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22

/* lib/signal's, when it is in the image. */
int uk_signal_send_to(struct uk_process *p, int sig, int code) __attribute__((weak));
int uk_signal_send_pgrp(int pgid, int sig, int code) __attribute__((weak));
int uk_signal_ignored_or_blocked(int sig) __attribute__((weak));

/* The console as a controlling terminal: the session it belongs to and
 * its foreground process group (0: none). PID 1 starts with it, as a
 * program a terminal runs does. */
static int tty_sid = 1, tty_pgrp = 1;

static int has_ctty(const struct uk_process *p)
{
	return p->ctty == UK_CTTY_CONSOLE && tty_sid && p->sid == tty_sid;
}

/* Linux's tty_check_change and its read-side twin: a background group
 * that reads (SIGTTIN), or writes under TOSTOP or changes the terminal
 * (SIGTTOU), is signalled and the call restarts once it is continued;
 * -EIO where it would never be (an orphaned group, or SIGTTIN ignored). */
int uk_tty_new_pgrp(const int *uarg, const struct uk_process *p, int *pgrp)
{
	if (uk_get_user(*pgrp, uarg))
		return -EFAULT;
	if (*pgrp < 0)
		return -EINVAL;
	int sid = uk_process_pgrp_session(*pgrp);
	if (!sid)
		return -ESRCH;
	return sid == p->sid ? 0 : -EPERM;
}

int uk_tty_job_check(int is_ctty, int pgrp, int sig)
{
	struct uk_process *p = uk_proc();
	if (!uk_signal_send_pgrp || !is_ctty || !pgrp || p->pgid == pgrp)
		return 0;
	if (uk_signal_ignored_or_blocked(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (uk_process_pgrp_orphaned(p->pgid, NULL))
		return -EIO;
	uk_signal_send_pgrp(p->pgid, sig, SI_KERNEL);
	return -UK_ERESTARTSYS;
}

static int job_check(int sig)
{
	return uk_tty_job_check(has_ctty(uk_proc()), tty_pgrp, sig);
}

void uk_tty_hangup_pgrp(int pgrp, const struct uk_process *gone, int cont)
{
	if (!pgrp || !uk_signal_send_to)
		return;
	for (struct uk_process *q = uk_process_first(); q; q = q->next_all) {
		if (q->pgid != pgrp || q->state != UK_PROC_LIVE || q == gone)
			continue;
		uk_signal_send_to(q, SIGHUP, SI_KERNEL);
		if (cont)
			uk_signal_send_to(q, SIGCONT, SI_KERNEL);
	}
}

void uk_tty_session_end(struct uk_process *leader)
{
	if (leader->ctty >= UK_CTTY_PTY)
		uk_pty_session_end(leader);
	if (leader->sid != tty_sid)
		return;
	uk_tty_hangup_pgrp(tty_pgrp, leader, 0);
	tty_sid = tty_pgrp = 0;
}

int uk_tty_open(int stream)
{
	/* /dev/tty is the caller's controlling terminal. */
	return stream == 3 && !has_ctty(uk_proc()) ? -ENXIO : 0;
}

static struct termios tio = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21,
		  [VEOF] = 4, [VMIN] = 1, [VSTART] = 17, [VSTOP] = 19,
		  [VSUSP] = 26, [VREPRINT] = 18, [VDISCARD] = 15,
		  [VWERASE] = 23, [VLNEXT] = 22 },
};

/* The line discipline's buffer; its echo goes to the console. */
static void echo_out(void *arg, const char *s, size_t n)
{
	(void)arg;
	ukplat_console_write(1, s, n);
}

static struct uk_ldisc ld = { .echo = echo_out };

static struct uk_waitq input_wq;
static struct uk_vnode *pollers[8];
static int npollers;

/* Waits for the host to send input; returns 0, or -UK_ERESTARTSYS when a
 * signal came first. */
static int wait_input(void)
{
	if (uk_waitq_wait(&input_wq, UK_NO_DEADLINE) == -EINTR)
		return -UK_ERESTARTSYS;
	return 0;
}

/* A signal from the keyboard goes to the foreground group, whose
 * handlers or default actions decide; without lib/signal the program
 * ends as the default action would, and nothing stops. */
static void keyboard_signal(int sig)
{
	if (uk_signal_send_pgrp) {
		if (tty_pgrp)
			uk_signal_send_pgrp(tty_pgrp, sig, SI_KERNEL);
		return;
	}
	if (sig == SIGTSTP)
		return;
	ukplat_console_write(1, "\n", 1);
	uk_process_exit(128 + sig);
}

/* A signal from the host (a container runtime's kill): to PID 1, as a
 * kill from outside a container's PID namespace reaches its init; its
 * handler or default action decides. Without lib/signal the guest ends
 * as the default action of a terminating signal would. */
void uk_console_host_signal(int sig)
{
	struct uk_process *init = uk_process_find(1);
	if (sig < 1 || sig > 64 || !init)
		return;
	if (uk_signal_send_to) {
		uk_signal_send_to(init, sig, SI_KERNEL);
		return;
	}
	ukplat_halt(128 + sig);
}

/* Raw bytes: whatever has arrived, waiting for at least one. */
static ssize_t raw_read(char *buf, size_t len, int nonblock)
{
	for (;;) {
		long n = ukplat_console_read(buf, len);
		if (n != -EAGAIN)
			return n;
		if (nonblock)
			return -EAGAIN;
		int rc = wait_input();
		if (rc)
			return rc;
	}
}

static int fill_canonical(int nonblock);

/* Bytes have arrived (the receive interrupt, or the scheduler's poll
 * where there is none): canonical input from a terminal is edited (and
 * ^C signalled) now, whether or not anyone reads; readers and pollers
 * are woken. */
static void check_input(void)
{
	if (ukplat_console_isatty(0) && (tio.c_lflag & ICANON) &&
	    ukplat_console_input_ready())
		fill_canonical(1);
	if (!ukplat_console_input_ready() && !uk_ldisc_readable(&ld))
		return;
	uk_waitq_wake(&input_wq, -1);
	for (int i = 0; i < npollers; i++)
		uk_waitq_wake(&pollers[i]->wq, -1);
}

static struct uk_poll_source input_source = { check_input, NULL };

void uk_console_input_irq(void)
{
	check_input();
}

void uk_tty_add_poller(struct uk_vnode *vn)
{
	if (!npollers)
		uk_sched_add_poll_source(&input_source);
	if (npollers < (int)(sizeof(pollers) / sizeof(pollers[0])))
		pollers[npollers++] = vn;
}

int uk_tty_input_ready(void)
{
	if (uk_ldisc_readable(&ld))
		return 1;
	return ukplat_console_input_ready();
}

/* Feeds the host's bytes to the line discipline until a line (or an
 * end of file) can be read. Returns 0 then, 1 at the end of the host's
 * input, or an error. */
static int fill_canonical(int nonblock)
{
	while (!uk_ldisc_readable(&ld)) {
		unsigned char c;
		ssize_t r = raw_read((char *)&c, 1, nonblock);
		if (r < 0)
			return r;
		if (r == 0)
			return 1;
		int sig = uk_ldisc_input(&ld, &tio, c);
		if (sig)
			keyboard_signal(sig);
	}
	return 0;
}

/* Under ISIG: the signal a byte stands for, or 0. */
static int isig_char(unsigned char c)
{
	if (tio.c_cc[VINTR] && c == tio.c_cc[VINTR])
		return SIGINT;
	if (tio.c_cc[VQUIT] && c == tio.c_cc[VQUIT])
		return SIGQUIT;
	if (tio.c_cc[VSUSP] && c == tio.c_cc[VSUSP])
		return SIGTSTP;
	return 0;
}

/* Non-canonical reads under ISIG: a VINTR, VQUIT or VSUSP byte is not data but
 * its signal, and what followed it in the read is dropped (Linux flushes
 * the input queue unless NOFLSH). Returns the bytes before it. */
static ssize_t raw_read_isig(char *buf, size_t len, int nonblock)
{
	for (;;) {
		ssize_t n = raw_read(buf, len, nonblock);
		if (n <= 0 || !(tio.c_lflag & ISIG))
			return n;
		ssize_t i = 0;
		int sig = 0;
		while (i < n && !(sig = isig_char((unsigned char)buf[i])))
			i++;
		if (!sig)
			return n;
		keyboard_signal(sig);
		if (i)
			return i;
		/* Nothing before it: wait on; the signal, unless ignored,
		 * interrupts the wait. */
	}
}

ssize_t uk_tty_read(char *buf, size_t len, int nonblock)
{
	if (!len)
		return 0;
	/* Lines finished before a switch to raw mode are still read. */
	if (!ukplat_console_isatty(0))
		return raw_read(buf, len, nonblock);
	int bg = job_check(SIGTTIN);
	if (bg)
		return bg;
	if (!(tio.c_lflag & ICANON) && !uk_ldisc_readable(&ld))
		return raw_read_isig(buf, len, nonblock);
	int rc = fill_canonical(nonblock);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return 0;	/* the host's input ended */
	return uk_ldisc_read(&ld, buf, len);
}

ssize_t uk_tty_write(int stream, const char *buf, size_t len)
{
	if ((tio.c_lflag & TOSTOP) && ukplat_console_isatty(stream)) {
		int bg = job_check(SIGTTOU);
		if (bg)
			return bg;
	}
	ukplat_console_write(stream, buf, len);
	return len;
}

/* The controlling-terminal ioctls, with Linux's errors. */
static int ctty_ioctl(unsigned int cmd, unsigned long arg)
{
	struct uk_process *p = uk_proc();
	int pgrp, rc;
	switch (cmd) {
	case TIOCGPGRP:
		if (!has_ctty(p))
			return -ENOTTY;
		return uk_put_user(tty_pgrp, (int *)arg);
	case TIOCGSID:
		if (!has_ctty(p))
			return -ENOTTY;
		return uk_put_user(tty_sid, (int *)arg);
	case TIOCSPGRP:
		if (!has_ctty(p))
			return -ENOTTY;
		if ((rc = job_check(SIGTTOU)) || (rc = uk_tty_new_pgrp((int *)arg, p, &pgrp)))
			return rc;
		tty_pgrp = pgrp;
		return 0;
	case TIOCSCTTY:
		if (p->sid != p->pid)
			return -EPERM;
		if (has_ctty(p))
			return 0;
		if (p->ctty)
			return -EPERM;	/* a pty is its terminal */
		/* Another session's terminal: only root may take it, asking
		 * with 1. */
		if (tty_sid && !(arg == 1 && p->cred.euid == 0))
			return -EPERM;
		tty_sid = p->sid;
		tty_pgrp = p->pgid;
		p->ctty = UK_CTTY_CONSOLE;
		return 0;
	case TIOCNOTTY:
		if (!has_ctty(p))
			return -ENOTTY;
		if (p->sid == p->pid) {
			if (tty_pgrp && uk_signal_send_pgrp) {
				uk_signal_send_pgrp(tty_pgrp, SIGHUP, SI_KERNEL);
				uk_signal_send_pgrp(tty_pgrp, SIGCONT, SI_KERNEL);
			}
			tty_sid = tty_pgrp = 0;
		}
		p->ctty = 0;
		return 0;
	}
	return -EINVAL;
}

int uk_tty_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	if (!ukplat_console_isatty(fd))
		return -ENOTTY;
	struct termios t;
	struct winsize ws;
	switch (cmd) {
	case TCGETS:
		return uk_copy_to_user((void *)arg, &tio, sizeof(tio));
	case TCSETS:
	case TCSETSW:
	case TCSETSF: {
		int bg = job_check(SIGTTOU);
		if (bg)
			return bg;
		if (uk_copy_from_user(&t, (void *)arg, sizeof(t)))
			return -EFAULT;
		if (cmd == TCSETSF)
			uk_ldisc_flush(&ld);	/* and the pending input goes */
		tio = t;
		return 0;
	}
	case TIOCGWINSZ:
		memset(&ws, 0, sizeof(ws));
		ukplat_console_winsize(&ws.ws_row, &ws.ws_col);
		return uk_copy_to_user((void *)arg, &ws, sizeof(ws));
	case TIOCSWINSZ:
		return 0;
	case TIOCGPGRP:
	case TIOCGSID:
	case TIOCSPGRP:
	case TIOCSCTTY:
	case TIOCNOTTY:
		return ctty_ioctl(cmd, arg);
	default:
		return -EINVAL;
	}
}
