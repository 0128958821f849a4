/* Internal interfaces of lib/signal. */
#pragma once
#include <stdint.h>
#include <uk/thread.h>
#include <uk/signal.h>

#define NSIG 64
#define SIGBIT(s) (1ULL << ((s) - 1))
#define SIG_DFL 0UL
#define SIG_IGN 1UL

#define SA_NOCLDSTOP 0x00000001
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
			int tid;	/* the timer's id */
			int overrun;
			unsigned long value;
		} timer;
		char raw[112];
	};
};
_Static_assert(sizeof(struct k_siginfo) == 128, "siginfo is 128 bytes");

extern struct k_sigaction sig_actions[NSIG + 1];
extern uint64_t sig_process_pending;
/* The fault details of pending synchronous signals, per signal. */
extern struct k_siginfo sig_info[NSIG + 1];

/* Whether the default action of sig is to ignore it. */
int sig_default_ignored(int sig);
/* The default action that ends the program. */
void __attribute__((noreturn)) sig_default_kill(int sig, struct __regs *r,
						const char *what, unsigned long addr);
/* Builds the handler's frame on the program's stack and points r at the
 * handler; returns 0, or -1 when the stack cannot take the frame. */
int sig_setup_frame(struct __regs *r, int sig, const struct k_sigaction *ka,
		    const struct k_siginfo *info);
/* Whether sig is pending for t (NULL: for the process). */
int sig_is_pending(struct uk_thread *t, int sig);
/* Takes back a pending sig from every thread and the process. */
void sig_discard(int sig);
/* Sends info->si_signo with this siginfo to t (NULL: the process, any
 * thread that does not block it). */
int sig_send_info(struct uk_thread *t, const struct k_siginfo *info);
/* Picks the lowest pending, unblocked signal of t, dequeuing it. */
int sig_dequeue(struct uk_thread *t, uint64_t allowed, struct k_siginfo *info);
void sig_recompute_work(void);
void uk_crash_report_extra(struct __regs *r);
