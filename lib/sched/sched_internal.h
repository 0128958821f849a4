/* Internal interfaces of lib/sched. */
#pragma once
#include <stdint.h>
#include <uk/sched.h>
#include <uk/plat.h>

#include <uk/thread.h>


struct uk_process;
/* A new thread of proc with id tid, not yet runnable. */
struct uk_thread *sched_thread_new(struct uk_process *proc, int tid);
void sched_make_ready(struct uk_thread *t);
/* Gives up the CPU; the caller has set its state (READY: it is queued
 * here; BLOCKED or DEAD: someone else makes it ready, or nobody). */
void sched_switch(void);
void sched_reprogram(void);
/* Whether t has a signal pending that it does not block. */
int sched_signal_pending(struct uk_thread *t);

#define UK_THREAD_KSTACK_SIZE UKPLAT_STACK_SIZE
void __attribute__((noreturn)) sched_thread_exit(void);
/* Frees the memory of threads that ended (not the running one's). */
void sched_free_dead(void);
/* futex.c: wakes up to n waiters on the word at uaddr. */
int sched_futex_wake(uint32_t *uaddr, int n, uint32_t bitset);
