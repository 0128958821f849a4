/* Threads, the scheduler and wait queues.
 *
 * One CPU. The kernel is not preemptible: a thread in a system call runs
 * until it blocks or returns, and the timer preempts only application
 * code. Blocking functions return 0 when woken, -ETIMEDOUT when the
 * deadline passed, -EINTR when a signal arrived for the thread. */
#pragma once
#include <stdint.h>
#include <stddef.h>

struct uk_thread;

/* A wait queue: threads sleeping until an event. Zero-initialised is
 * empty. The wake counts record the wake-ups by kind, whether or not
 * anyone slept: the edge-triggered epoll's record that something
 * happened (data to read, room to write). */
struct uk_waitq {
	struct uk_wait_entry *head;
	unsigned long wakes_in, wakes_out;
	/* Called on every wake (signal-driven I/O on a vnode's queue). */
	void (*notify)(struct uk_waitq *wq, unsigned int events);
};
#define UK_WAKE_IN 1	/* something to read, or a state change */
#define UK_WAKE_OUT 2	/* room to write */

struct uk_wait_entry {
	struct uk_thread *thread;
	struct uk_wait_entry *next;
	void *key;		/* for futexes: the word's address */
	uint32_t bitset;	/* FUTEX_WAIT_BITSET */
	int woken;
};

#define UK_NO_DEADLINE UINT64_MAX

/* Returned by a system call interrupted by a signal that may be
 * restarted: it becomes EINTR, or is restarted when the handler has
 * SA_RESTART (or there is no handler to run). Never reaches the program. */
#define UK_ERESTARTSYS 512

/* Sleeps on wq until woken, deadline_ns (monotonic) passes or a signal
 * arrives. The caller checks its condition again after waking. */
int uk_waitq_wait(struct uk_waitq *wq, uint64_t deadline_ns);
/* Sleeps on several queues at once (poll, epoll): woken by any. */
int uk_waitq_wait_many(struct uk_waitq **wqs, int n, uint64_t deadline_ns);
/* Wakes up to n sleepers (n < 0: all); returns how many. uk_waitq_wake
 * counts as both kinds of event, uk_waitq_wake_events as those given
 * (UK_WAKE_IN, UK_WAKE_OUT). */
int uk_waitq_wake(struct uk_waitq *wq, int n);
int uk_waitq_wake_events(struct uk_waitq *wq, int n, unsigned int events);
/* Sleeps until the deadline (nanosleep); -EINTR on a signal. */
int uk_sleep_until(uint64_t deadline_ns);

/* Ends the running thread (exit of one thread; the last one of a process
 * ends the process through lib/process). */
void __attribute__((noreturn)) uk_thread_exit(void);
/* A free id for a new thread or process (lib/process: the one space of
 * PIDs and TIDs), or -1. */
int uk_pid_alloc(void);

/* The running thread. */
struct uk_thread *uk_thread_current(void);
int uk_thread_tid(struct uk_thread *t);
/* Gives up the CPU to another ready thread, if any. */
void uk_sched_yield(void);
/* A thread running on another CPU is interrupted there (its signal work
 * or a stop is then seen on its way back to the program). */
struct uk_thread;
void uk_sched_kick(struct uk_thread *t);
/* The CPUs the scheduler runs threads on (0 .. n-1). */
int uk_sched_ncpus(void);
/* Restricts t to the online CPUs of mask (all of them: no restriction);
 * -EINVAL when mask has none. The caller moves at once. */
int uk_sched_set_affinity(struct uk_thread *t, uint64_t mask);
/* Number of live threads of the program. */
int uk_sched_nthreads(void);
/* CPU time of the running thread, and of the whole program (ended
 * threads included), in ns. */
uint64_t uk_thread_cpu_ns(void);
uint64_t uk_process_cpu_ns(void);
struct uk_thread;
struct uk_process;
uint64_t uk_thread_cpu_ns_of(struct uk_thread *t);
uint64_t uk_process_cpu_ns_of(struct uk_process *p);

/* One-shot kernel timers. The callback runs with interrupts off, from
 * the timer interrupt or the scheduler: it may wake wait queues and
 * re-arm timers, nothing that blocks. */
struct uk_timer {
	uint64_t deadline_ns;		/* monotonic */
	void (*fn)(struct uk_timer *t);
	struct uk_timer *next;
	int armed;
};
void uk_timer_arm(struct uk_timer *t, uint64_t deadline_ns);
void uk_timer_cancel(struct uk_timer *t);

/* Polled event sources (the console's input has no interrupt): called
 * on every scheduler tick and before idling; wakes what became ready. */
struct uk_poll_source {
	void (*check)(void);
	struct uk_poll_source *next;
};
void uk_sched_add_poll_source(struct uk_poll_source *s);
