/* Internal interfaces of lib/signal. */
#pragma once
#include <stdint.h>
#include <uk/thread.h>
#include <uk/signal.h>
#include <uk/sched.h>
#include <uk/process.h>

#define NSIG 64
#define SIGBIT(s) (1ULL << ((s) - 1))
#define SIG_DFL 0UL
#define SIG_IGN 1UL

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_RESTORER 0x04000000

#define SS_ONSTACK 1
#define SS_DISABLE 2

#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define SI_TIMER (-2)

struct k_sigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	uint64_t mask;
};

struct k_siginfo {
	int si_signo, si_errno, si_code, pad;
	union {
		struct {
			int pid;
			unsigned int uid;
		} kill;
		struct {
			unsigned long addr;
		} fault;
		struct {
			int pid;
			unsigned int uid;
			int status;
			long utime, stime;
		} chld;
		struct {
			long band;	/* POLL_IN and the like: poll's bits */
			int fd;
		} poll;
		struct {
			int tid;	/* the timer's id */
			int overrun;
			unsigned long value;
		} timer;
		char raw[112];
	};
};
_Static_assert(sizeof(struct k_siginfo) == 128, "siginfo is 128 bytes");

/* A process's dispositions (shared by CLONE_SIGHAND). */
struct uk_sighand {
	int refs;
	struct k_sigaction action[NSIG + 1];
};

/* alarm and setitimer: one per kind, per process. */
struct itimer {
	struct uk_timer timer;	/* first: the expiry callback casts back */
	uint64_t interval_ns;
	int sig;
	struct uk_process *proc;
};

struct ptimer;
struct sigq;

/* A process's own signal state: what waits for any of its threads. */
struct uk_sigstate {
	uint64_t pending;	/* process-directed, not yet taken */
	/* The siginfo of each pending standard signal (one instance). */
	struct k_siginfo info[NSIG + 1];
	struct itimer itimers[3];
	struct ptimer *ptimers;	/* timer_create's, allocated on first use */
	struct sigq *rtq;	/* queued real-time signals (rtqueue.c) */
	int nqueued;
};

#define SIGRTMIN_K 32	/* the kernel's first real-time signal */
/* Real-time signals' queue (rtqueue.c): a siginfo queued for thread t
 * (NULL: the process), -EAGAIN past RLIMIT_SIGPENDING; the first one
 * for sig and that target taken into info (an SI_USER one when none was
 * queued), returning whether another remains; the first queued with
 * that code (and timer id, for SI_TIMER); all of sig dropped; all freed. */
struct sigq;
int sig_rt_enqueue(struct uk_process *p, struct uk_thread *t, const struct k_siginfo *info);
int sig_rt_dequeue(struct uk_process *p, struct uk_thread *t, int sig, struct k_siginfo *info);
struct k_siginfo *sig_rt_find(struct uk_process *p, int sig, int code, int timer);
void sig_rt_discard(struct uk_process *p, int sig);
/* One queued siginfo (from sig_rt_find) taken back; the signal is no
 * longer pending when it was the last of its number. */
void sig_rt_cancel(struct uk_process *p, struct k_siginfo *info);
void sig_rt_free(struct uk_sigstate *s);

/* Cancels and frees a process's POSIX timers. */
void sig_ptimers_free(struct uk_sigstate *s);
extern struct uk_sighand uk_init_sighand;
extern struct uk_sigstate uk_init_sigstate;

#define SIGHAND() (uk_proc()->sighand)
#define SIGSTATE() (uk_proc()->sig)

/* Whether the default action of sig is to ignore it. */
int sig_default_ignored(int sig);
/* Job control (jobctl.c): whether sig's default action stops; what a
 * signal does as it is sent (SIGCONT resumes and drops pending stops, a
 * stop drops a pending SIGCONT); the default stop action; a stopped
 * thread's wait for SIGCONT or SIGKILL. */
int sig_default_stops(int sig);
void sig_prepare(struct uk_process *p, int sig);
void sig_group_stop(int sig);
void sig_stop_wait(void);
/* The default action that ends the program. */
void __attribute__((noreturn)) sig_default_kill(int sig, struct __regs *r,
						const char *what, unsigned long addr);
/* Builds the handler's frame on the program's stack and points r at the
 * handler; returns 0, or -1 when the stack cannot take the frame. */
int sig_setup_frame(struct __regs *r, int sig, const struct k_sigaction *ka,
		    const struct k_siginfo *info);
/* Whether sig is pending for p, process-directed or for one of its threads. */
int sig_is_pending(struct uk_process *p, int sig);
/* Takes back a pending sig from p and every thread of it. */
void sig_discard(struct uk_process *p, int sig);
/* Sends info->si_signo with this siginfo to t (NULL: the process, any
 * thread that does not block it). */
int sig_send_info(struct uk_thread *t, const struct k_siginfo *info);
/* Sends it to process p: any of its threads that does not block it. */
int sig_send_proc(struct uk_process *p, const struct k_siginfo *info);
/* Picks the lowest pending, unblocked signal of t, dequeuing it. */
int sig_dequeue(struct uk_thread *t, uint64_t allowed, struct k_siginfo *info);
void sig_recompute_work(void);
/* A signal became pending: signalfd's pollers look again (watch.c). */
void sig_watchers_wake(int sig);
void uk_crash_report_extra(struct __regs *r);
