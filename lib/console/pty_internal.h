/* Pseudo-terminals' shared state, for lib/console's pty.c (the pair and
 * its data paths), pty_ioctl.c (termios, window size, controlling
 * terminal) and ptmx.c (/dev/ptmx, /dev/pts, the table). */
#pragma once
#include <stddef.h>
#include <sys/types.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <uk/ldisc.h>

struct uk_vnode;
struct uk_file;
struct uk_process;

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


#define SLAVE(vn) ((struct pty *)(vn)->priv)

/* The pairs by number (ptmx.c); NULL once the master closed. */
extern struct pty *ptys[PTY_MAX];
extern const struct uk_vnode_ops pty_slave_ops, pty_master_ops;

/* pty.c */
void pty_wake(struct uk_vnode *vn);
void pty_echo_out(void *arg, const char *s, size_t n);
/* Whether t is p's controlling terminal. */
int pty_is_ctty(const struct pty *t, const struct uk_process *p);
void pty_signal_fg(struct pty *t, int sig);
/* tty.c's job-control rule for the caller on t: 0 or -errno. */
int pty_job_check(struct pty *t, int sig);
/* The input held moves between the line discipline and the raw ring
 * when ICANON changes. */
void pty_move_input(struct pty *t, int to_canon);
int pty_slave_open(struct uk_vnode *vn, struct uk_file *f);
int pty_trunc_ok(struct uk_vnode *vn, off_t len);
/* pty_ioctl.c: the ioctls both ends answer (master: about its slave). */
int pty_ioctl(struct pty *t, struct uk_file *f, unsigned int cmd,
	      unsigned long arg, int master);
/* ptmx.c: TIOCGPTPEER, the slave opened as a new descriptor. */
int pty_open_peer(struct pty *t, int flags);
