/* Processes: what a process owns and the calls on it. A process owns its
 * threads and, through objects that clone's flags share or copy, its
 * address space (lib/mm), descriptor table and file-system context
 * (lib/vfs) and signal dispositions (lib/signal); it holds its own ids,
 * credentials, limits, name and program. Each library keeps its part
 * behind the pointer here and reaches it through uk_proc(), the running
 * thread's process. */
#pragma once
#include <stdint.h>
#include <linux/resource.h>
#include <uk/thread.h>

struct uk_thread;
struct uk_mm;
struct uk_fdtable;
struct uk_fs;
struct uk_sighand;
struct uk_sigstate;

#define UK_PROCESS_COMM_LEN 16

struct uk_process {
	int pid;
	struct uk_thread *threads;	/* linked by next_in_proc */
	int nthreads;
	struct uk_mm *mm;		/* lib/mm: VMAs, brk, page tables */
	struct uk_fdtable *files;	/* lib/vfs: descriptors */
	struct uk_fs *fs;		/* lib/vfs: cwd, umask */
	struct uk_sighand *sighand;	/* lib/signal: dispositions */
	struct uk_sigstate *sig;	/* lib/signal: process-directed pending
					 * signals, POSIX timers, itimers */
	struct rlimit64 limits[RLIM_NLIMITS];
	char comm[UK_PROCESS_COMM_LEN];	/* prctl PR_SET_NAME, /proc/self/comm */
	const char *exe;		/* /proc/self/exe */
	char *const *argv;		/* /proc/self/cmdline */
	unsigned long image_base;	/* the program's load bias */
	uint64_t dead_cpu_ns;		/* CPU time of its ended threads */
};

/* The running thread's process. */
#define uk_proc() (uk_current->proc)
/* PID 1: the program run.sh started. */
extern struct uk_process uk_init_process;

/* The parent of PID 1. */
#define UK_PROCESS_PPID 0

/* Ends the program with a status (0..255) as exit_group does. */
void __attribute__((noreturn)) uk_process_exit(int status);

/* Records the program's path and arguments (for /proc/self/exe and
 * /proc/self/cmdline). */
void uk_process_set_exe(const char *path, char *const *argv);
const char *uk_process_exe(void);
char *const *uk_process_argv(void);

/* The load bias of the program's own image (added to its ELF addresses;
 * 0 for ET_EXEC), set by the loader: its segments are anonymous mappings,
 * so crash reports need this to name the program's symbols. */
void uk_process_set_image_base(unsigned long bias);
unsigned long uk_process_image_base(void);

/* The task name (prctl PR_SET_NAME; /proc/self/comm), NUL-terminated,
 * at most 15 bytes. */
const char *uk_process_comm(void);
/* A resource limit as getrlimit gives it; -EINVAL for an unknown one. */
int uk_process_getrlimit(unsigned int resource, struct rlimit64 *rl);
