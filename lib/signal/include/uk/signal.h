/* Signals: sending, delivery on the way back to the program, and the
 * fatal default actions. */
#pragma once
#include <stdint.h>
#include <uk/plat/regs.h>

struct uk_thread;

/* Sends sig to one thread, or to the process (any thread that does not
 * block it). info_code is the siginfo si_code; addr its si_addr. */
int uk_signal_send_thread(struct uk_thread *t, int sig, int code, unsigned long addr);
int uk_signal_send_process(int sig, int code);
struct uk_process;
/* Sends sig to process p (any of its threads that does not block it). */
int uk_signal_send_to(struct uk_process *p, int sig, int code);
/* Signal-driven I/O: sig to thread t (NULL: process p) with si_code
 * code (POLL_IN...), si_band and si_fd; sig 0 (no F_SETSIG signal) sends
 * SIGIO as the kernel's, without them, as Linux does. */
int uk_signal_send_io(struct uk_process *p, struct uk_thread *t, int sig, int code,
		      long band, int fd);
/* ppoll, pselect6, epoll_pwait: the mask given holds while the call
 * waits; after it, the old one comes back at once, or, when a signal
 * interrupted the call (rc -EINTR), once its handler has been set up
 * (its frame records the old mask), as Linux's set_user_sigmask and
 * restore_saved_sigmask_unless do. */
void uk_signal_mask_during(uint64_t mask);
void uk_signal_mask_after(long rc);
/* Whether the caller may send sig to p (Linux's kill permission: root,
 * a real or effective uid that matches p's real or saved one, or SIGCONT
 * within the session). */
int uk_signal_may_send(const struct uk_process *p, int sig);
/* Sends sig to every live member of group pgid; -ESRCH when it has none. */
int uk_signal_send_pgrp(int pgid, int sig, int code);
/* Whether the running thread blocks sig or its process ignores it (the
 * terminal's test before SIGTTIN and SIGTTOU). */
int uk_signal_ignored_or_blocked(int sig);
/* Whether parent lets its ended children go without waiting (SIGCHLD
 * ignored, or SA_NOCLDWAIT). */
int uk_signal_child_ignored(struct uk_process *parent);
/* Tells parent that its child pid ended with wstatus (wait's encoding):
 * sig (SIGCHLD) with CLD_EXITED, CLD_KILLED or CLD_DUMPED. */
void uk_signal_child_ended(struct uk_process *parent, int sig, int pid, int wstatus);

/* On the way back to the program (syscall exit, interrupt or fault
 * return): runs pending signals' actions by rewriting the frame. */
void uk_signal_deliver(struct __regs *r);
/* Non-zero when the running thread may have a signal to take. */
#define uk_signal_work (uk_current->signal_work)
/* The scheduler is about to run t: its signal work is brought up to date
 * (a process-directed signal may have come meanwhile). */
void uk_signal_thread_switched(struct uk_thread *t);
/* The signals sent to p (not to one of its threads) and not yet taken:
 * a wait must not start while one of them is unblocked. */
uint64_t uk_signal_proc_pending(const struct uk_process *p);
/* p's signals ignored and caught (handled), as /proc/PID/status's SigIgn
 * and SigCgt show them (bit sig-1 for sig). */
void uk_signal_dispositions(const struct uk_process *p, uint64_t *ign, uint64_t *cgt);

/* A synchronous fault of the program (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGTRAP): runs its handler if one is installed and it can be, else
 * the default action (crash report, status 128+sig). */
void uk_signal_fault(struct __regs *r, int sig, int code, unsigned long addr,
		     const char *what);

/* A process's dispositions (shared by CLONE_SIGHAND) and own signal
 * state, for fork, execve and exit. */
struct uk_process;
struct uk_sighand;
struct uk_sigstate;
struct uk_sighand *uk_sighand_copy(struct uk_sighand *from);
void uk_sighand_get(struct uk_sighand *h);
void uk_sighand_put(struct uk_sighand *h);
void uk_sighand_reset_for_exec(struct uk_sighand *h);
void uk_sighand_unshare(struct uk_sighand **hp);
void uk_signal_exec(struct uk_process *p);
struct uk_sigstate *uk_sigstate_new(struct uk_process *p);

/* For signalfd (lib/signal/watch.c). The signals pending for the running
 * thread or its process; the lowest of mask taken (0: none) with its
 * siginfo in signalfd's form. */
struct signalfd_siginfo;
uint64_t uk_signal_pending_mask(void);
int uk_signal_take(uint64_t mask, struct signalfd_siginfo *out);
/* A wait queue woken (and *gen counted up, if given) whenever a signal
 * of *mask becomes pending for any process. */
struct uk_waitq;
struct uk_sigwatch {
	struct uk_waitq *wq;
	const uint64_t *mask;
	uint64_t *gen;
	struct uk_sigwatch *next, *prev;
};
void uk_signal_watch_add(struct uk_sigwatch *w);
void uk_signal_watch_del(struct uk_sigwatch *w);
void uk_sigstate_free(struct uk_sigstate *s);
