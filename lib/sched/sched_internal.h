/* Internal interfaces of lib/sched. */
#pragma once
#include <stdint.h>
#include <uk/sched.h>
#include <uk/plat.h>

enum thread_state { T_READY, T_RUNNING, T_BLOCKED, T_DEAD };

struct uk_thread {
	int tid;
	enum thread_state state;
	void *ctx_sp;
	void *kstack;			/* NULL for the boot thread */
	void *kstack_top;
	void *fpu;			/* 64-byte aligned, inside fpu_alloc */
	void *fpu_alloc;
	unsigned long fs_base, gs_base;
	int *clear_child_tid;
	void *robust_list;
	struct uk_thread *next_ready;
	struct uk_thread *next_all;
	struct uk_timer sleep_timer;
	int wait_result;
	/* signals (lib/signal reads and writes these) */
	uint64_t sigmask, sigpending;
	unsigned long altstack_sp, altstack_size;
	int altstack_flags;
	char name[16];
};

extern struct uk_thread *uk_current;
extern int uk_sched_need_resched;

struct uk_thread *sched_thread_new(void);
void sched_make_ready(struct uk_thread *t);
/* Gives up the CPU; the caller has set its state (READY: it is queued
 * here; BLOCKED or DEAD: someone else makes it ready, or nobody). */
void sched_switch(void);
struct uk_thread *sched_find_thread(int tid);
struct uk_thread *sched_threads(void);
void sched_reprogram(void);
/* Wakes a blocked thread with a result for its wait. */
void sched_wake_thread(struct uk_thread *t, int result);
/* Whether t has a signal pending that it does not block. */
int sched_signal_pending(struct uk_thread *t);

#define UK_THREAD_KSTACK_SIZE (32 * 1024)
void __attribute__((noreturn)) sched_thread_exit(void);
/* futex.c: wakes up to n waiters on the word at uaddr. */
int sched_futex_wake(uint32_t *uaddr, int n, uint32_t bitset);
