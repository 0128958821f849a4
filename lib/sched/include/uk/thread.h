/* The thread structure, for the libraries that keep per-thread state in
 * it (signals). */
#pragma once
#include <stdint.h>
#include <uk/sched.h>
#include <uk/plat/regs.h>
#include <uk/plat/layout.h>

struct uk_process;
struct uk_cred;

enum thread_state { T_READY, T_RUNNING, T_BLOCKED, T_DEAD };

struct uk_thread {
	struct uk_thread *self;		/* the slot its kernel stack names */
	int tid;
	enum thread_state state;
	int cpu;			/* the CPU it runs on, or last ran on */
	uint64_t affinity;		/* CPUs it may run on (0: any) */
	/* Work on the way back to the program: a signal may be pending
	 * (lib/signal: uk_signal_work), another thread's turn has come. */
	volatile int signal_work;
	int need_resched;
	struct uk_process *proc;
	struct uk_thread *next_in_proc;
	void *ctx_sp;
	struct __regs *sys_frame;	/* the syscall being served: uk_syscall_regs */
	/* The open files the call being served has taken from the descriptor
	 * table (lib/vfs: uk_fd_get); each holds a reference until the call
	 * returns, so a close in another thread frees nothing it uses. */
	int nheld, held_cap;
	struct uk_file **held;
	struct uk_file *held_inline[4];
	void *kstack;			/* NULL for the boot thread */
	void *kstack_top;
	void *fpu;			/* 64-byte aligned, inside fpu_alloc */
	void *fpu_alloc;
	unsigned long fs_base, gs_base;
	int *clear_child_tid;
	int *set_child_tid;		/* CLONE_CHILD_SETTID, written at its start */
	/* CLONE_VFORK with CLONE_THREAD: set when this thread ends, which
	 * its parent thread waits for (a process child's is its process's). */
	int *vfork_done;
	int vfork_child_done;		/* where a vfork child says it is done */
	void *robust_list;
	struct uk_thread *next_ready;
	struct uk_thread *next_all;
	struct uk_timer sleep_timer;
	int wait_result;
	/* signals (lib/signal reads and writes these) */
	uint64_t sigmask, sigpending;
	/* sigsuspend, ppoll, pselect: the mask a handler's frame records
	 * (and that comes back after it) instead of the temporary one. */
	uint64_t saved_sigmask;
	int restore_sigmask;
	uint64_t sigwaited;		/* rt_sigtimedwait's set, while it waits */
	unsigned long altstack_sp, altstack_size;
	int altstack_flags;
	char name[16];
	/* Scheduling attributes (lib/process/prio.c), inherited by clone. */
	struct uk_sched_attr {
		int nice, policy, rt_prio, reset_on_fork, ioprio;
		/* SCHED_DEADLINE's (sched_setattr): ns, and its flags */
		uint64_t dl_runtime, dl_deadline, dl_period, dl_flags;
	} sattr;
	uint64_t cpu_ns;		/* time on the CPU, up to its last switch */
	/* access()'s credentials while it looks (lib/vfs), else NULL. */
	const struct uk_cred *vfs_cred;
};

/* The thread running on this CPU, found from the kernel stack
 * (uk/plat/layout.h). */
#define uk_current ((struct uk_thread *)*ukplat_stack_slot())
#define uk_sched_need_resched (uk_current->need_resched)
struct uk_thread *sched_find_thread(int tid);
struct uk_thread *sched_threads(void);
/* Wakes a blocked thread with a result for its wait. */
void sched_wake_thread(struct uk_thread *t, int result);
