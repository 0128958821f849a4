/* The console tty: line discipline over the platform console. */
#pragma once
#include <stddef.h>
#include <sys/types.h>

struct uk_vnode;
/* Reads stdin through the line discipline; blocks unless nonblock. */
ssize_t uk_tty_read(char *buf, size_t len, int nonblock);
/* Whether a read would find input (or the end of it) now. */
int uk_tty_input_ready(void);
/* A console vnode whose wait queue should be woken when input comes. */
void uk_tty_add_poller(struct uk_vnode *vn);
/* Writes to the console: len, or -errno (a background group's write
 * under TOSTOP: its SIGTTOU first). */
ssize_t uk_tty_write(int stream, const char *buf, size_t len);
/* Opening console stream (3: /dev/tty): 0 or -ENXIO without a
 * controlling terminal. */
int uk_tty_open(int stream);
int uk_tty_ioctl(int fd, unsigned int cmd, unsigned long arg);

/* A process's controlling terminal (struct uk_process's ctty): 0 none,
 * the console, or UK_CTTY_PTY + N for /dev/pts/N. */
#define UK_CTTY_CONSOLE 1
#define UK_CTTY_PTY 2
struct uk_file;
struct uk_process;
/* Linux's tty_check_change for the caller on a terminal (is_ctty: it is
 * the caller's controlling terminal; pgrp its foreground group): 0, or
 * -UK_ERESTARTSYS after sig went to the caller's background group, or
 * -EIO where it never could resume. */
int uk_tty_job_check(int is_ctty, int pgrp, int sig);
/* TIOCSPGRP's new foreground group, from the program's uarg, checked as
 * Linux does: 0 and *pgrp, or -EFAULT, -EINVAL, -ESRCH (no such group),
 * -EPERM (a group of another session than p's). */
int uk_tty_new_pgrp(const int *uarg, const struct uk_process *p, int *pgrp);
/* SIGHUP (then SIGCONT, if cont) to the live members of group pgrp but
 * gone, a session leader whose end is being torn down (its signal
 * state is already released). */
void uk_tty_hangup_pgrp(int pgrp, const struct uk_process *gone, int cont);
/* lib/console/pty.c: /dev/tty opened by a process whose controlling
 * terminal is a pty becomes that slave (0, or -ENXIO); a session
 * leader's end lets go of its pty. */
int uk_pty_open_ctty(struct uk_file *f);
void uk_pty_session_end(struct uk_process *leader);
