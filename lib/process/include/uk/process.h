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
#include <uk/sched.h>

struct uk_thread;
struct uk_mm;
struct uk_fdtable;
struct uk_fs;
struct uk_sighand;
struct uk_sigstate;
struct uk_cmdline;

#define UK_PROCESS_COMM_LEN 16

/* Who a process acts as (lib/process/cred.c). */
struct uk_cred {
	unsigned ruid, euid, suid, fsuid;
	unsigned rgid, egid, sgid, fsgid;
	int ngroups;
	unsigned *groups;	/* supplementary groups */
	/* Capabilities (lib/process/caps.c): the effective, permitted,
	 * inheritable, bounding and ambient sets, and the securebits
	 * (SECBIT_KEEP_CAPS is prctl's PR_SET_KEEPCAPS). */
	uint64_t cap_eff, cap_prm, cap_inh, cap_bnd, cap_amb;
	unsigned securebits;
};

/* Every capability this kernel knows, as Linux 5.9+ numbers them. */
#define UK_CAP_ALL ((1ULL << 41) - 1)

/* Whether the credentials hold capability cap (linux/capability.h's
 * CAP_*) in their effective set. */
static inline int uk_cred_capable(const struct uk_cred *c, int cap)
{
	return (c->cap_eff >> cap) & 1;
}

struct uk_process;
/* execve's new capability sets (Linux's rules for a file without file
 * capabilities or set-user-ID bit), after the point of no return. */
void uk_process_caps_exec(struct uk_process *p);

enum uk_process_state {
	UK_PROC_LIVE,
	UK_PROC_ZOMBIE,		/* ended, its status not yet waited for */
};

struct uk_process {
	int pid;
	int pgid, sid;
	enum uk_process_state state;
	struct uk_process *parent;	/* NULL for PID 1 */
	struct uk_process *children;	/* linked by sibling */
	struct uk_process *sibling;
	struct uk_process *next_all;
	struct uk_waitq child_wait;	/* a child of it changed state */
	int exit_signal;		/* sent to the parent at the end (SIGCHLD) */
	int exiting;			/* the group is ending: wstatus is set */
	int did_exec;			/* setpgid from the parent: EACCES */
	struct uk_thread *execing;	/* its thread in execve, ending the others */
	int wstatus;			/* what wait reports, as Linux encodes it */
	int reaped;			/* waited for (or nobody will): unlinked,
					 * freed once its threads' memory is */
	int kthreads;			/* threads whose memory is not yet freed */
	int *vfork_done;		/* set when it execs or ends: vfork's parent */
	struct uk_process *vfork_from;	/* waits on its child_wait for that */
	int pdeath_signal;		/* PR_SET_PDEATHSIG */
	int subreaper;			/* PR_SET_CHILD_SUBREAPER */
	uint64_t children_cpu_ns;	/* of the children it waited for */
	struct uk_thread *threads;	/* linked by next_in_proc */
	int nthreads;
	struct uk_mm *mm;		/* lib/mm: VMAs, brk, page tables */
	struct uk_fdtable *files;	/* lib/vfs: descriptors */
	struct uk_fs *fs;		/* lib/vfs: cwd, umask */
	struct uk_sighand *sighand;	/* lib/signal: dispositions */
	struct uk_sigstate *sig;	/* lib/signal: process-directed pending
					 * signals, POSIX timers, itimers */
	struct uk_cred cred;
	struct rlimit64 limits[RLIM_NLIMITS];
	char comm[UK_PROCESS_COMM_LEN];	/* prctl PR_SET_NAME, /proc/self/comm */
	struct uk_cmdline *cmdline;	/* its program and arguments (/proc) */
	unsigned long image_base;	/* the program's load bias */
	uint64_t dead_cpu_ns;		/* CPU time of its ended threads */
	uint64_t start_ns;		/* monotonic time of its creation */
	/* Job control (lib/signal): a stopped process's threads wait on
	 * stop_wait until SIGCONT or SIGKILL. */
	int stopped;			/* by stop_sig */
	int stop_sig;
	int wait_event;			/* not yet reported to a WUNTRACED or
					 * WCONTINUED wait: UK_PROC_EV_* */
	struct uk_waitq stop_wait;
	unsigned int personality;	/* personality(2)'s persona */
	int ctty;			/* its controlling terminal, while its
					 * session holds it: 0 none, 1 the
					 * console, 2 + N /dev/pts/N (uk/tty.h) */
};

/* What a stopped or continued child has for its parent's wait. */
#define UK_PROC_EV_STOPPED 1
#define UK_PROC_EV_CONTINUED 2
#define UK_PROC_EV_ENDED 3	/* (a wait's finding: a zombie) */

/* clone: a new thread's scheduling attributes from the thread that
 * made it (SCHED_RESET_ON_FORK honoured), lib/process/prio.c. */
void uk_sched_attr_fork(struct uk_thread *t, const struct uk_thread *parent);

/* The running thread's process. */
#define uk_proc() (uk_current->proc)
/* PID 1: the program run.sh started. */
extern struct uk_process uk_init_process;

/* The PID of p's parent (0 for PID 1). */
static inline int uk_process_ppid(const struct uk_process *p)
{
	return p->parent ? p->parent->pid : 0;
}

/* Whether the process group pgid is orphaned (no member has a parent in
 * another group of the same session), leaving out the process gone. */
int uk_process_pgrp_orphaned(int pgid, const struct uk_process *gone);
/* The session of group pgid (of a live member), or 0 when it has none. */
int uk_process_pgrp_session(int pgid);

/* The process with this PID (zombies included), or NULL. */
struct uk_process *uk_process_find(int pid);
/* Every process, PID 1 first (for kill(-1) and /proc). */
struct uk_process *uk_process_first(void);
struct uk_file;
/* lib/procfs: the PID whose /proc/PID directory f is open on, or 0
 * (pidfd_send_signal takes such a descriptor as a pidfd). Weak: absent
 * without procfs. */
int uk_procfs_pid_of(struct uk_file *f) __attribute__((weak));

/* 0 when the caller may make another thread or process, else -EAGAIN
 * (RLIMIT_NPROC of its real user, or the guest's threads-max). */
int uk_process_may_add_task(void);
/* A new process for fork and clone without CLONE_THREAD: the caller's
 * address space, descriptors, cwd/umask and dispositions copied, or
 * shared as CLONE_VM, CLONE_FILES, CLONE_FS and CLONE_SIGHAND say; ids,
 * limits, name and program inherited; no threads yet. exit_signal goes
 * to the parent when it ends. NULL with *err set (-EAGAIN, -ENOMEM). */
struct uk_process *uk_process_create(unsigned long flags, int exit_signal,
				     int *err);
/* A new pidfd for p in the caller's descriptors (close-on-exec; flags:
 * O_NONBLOCK): the descriptor or -errno. With p NULL it names nobody
 * until uk_pidfd_bind (clone makes it before the child). */
int uk_pidfd_new(struct uk_process *p, int flags);
void uk_pidfd_bind(int fd, struct uk_process *p);
/* Undoes uk_process_create when the first thread could not be made. */
void uk_process_abandon(struct uk_process *p);

/* Ends the caller's process as exit_group does: status 0..255. Other
 * threads are killed; the caller's thread ends too. PID 1's end stops the
 * guest with that status. */
void __attribute__((noreturn)) uk_process_exit(int status);
/* The same for death by signal sig (core: the core-dump bit). */
void __attribute__((noreturn)) uk_process_exit_signal(int sig, int core);
/* The last thread of p is ending: p lets go of what it holds, becomes a
 * zombie for its parent (or is reaped at once) and its children go to
 * PID 1 or a subreaper. Called on that thread, in p's address space. */
void uk_process_teardown(struct uk_process *p);
/* The scheduler has freed the last thread of p. */
void uk_process_thread_reaped(struct uk_process *p);
/* vfork: the child execs or ends and its parent goes on. */
void uk_process_vfork_release(struct uk_process *p);

/* Records (a copy of) the program's path and arguments, for
 * /proc/self/exe and /proc/self/cmdline; argv is NULL-terminated. */
int uk_process_set_exe(const char *path, char *const *argv);
const char *uk_process_exe(void);
char *const *uk_process_argv(void);
/* The same of any process (empty for a zombie). */
const char *uk_process_exe_of(const struct uk_process *p);
char *const *uk_process_argv_of(const struct uk_process *p);

/* The load bias of the program's own image (added to its ELF addresses;
 * 0 for ET_EXEC), set by the loader: its segments are anonymous mappings,
 * so crash reports need this to name the program's symbols. */
void uk_process_set_image_base(unsigned long bias);
unsigned long uk_process_image_base(void);

/* The task name (prctl PR_SET_NAME; /proc/self/comm), NUL-terminated,
 * at most 15 bytes. */
const char *uk_process_comm(void);
/* The host name: the boot argument hostname=, else the configured one,
 * until sethostname; the buffer (65 bytes) behind it; the NIS domain name
 * (setdomainname, "(none)" at first). */
const char *uk_process_hostname(void);
char *uk_process_hostname_buf(void);
const char *uk_process_domainname(void);
/* A resource limit as getrlimit gives it; -EINVAL for an unknown one. */
int uk_process_getrlimit(unsigned int resource, struct rlimit64 *rl);
