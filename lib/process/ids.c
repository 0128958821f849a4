/* Process identity: PID 1, the init process (root), groups and sessions,
 * the program a process runs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/syscall.h>
#include <uk/process.h>
#include <uk/mm.h>
#include "process_internal.h"

#define RLIM_INF (~0UL)

/* The parts of PID 1 that other libraries keep (weak: a library left out
 * leaves its pointer NULL). */
extern struct uk_fdtable uk_init_files __attribute__((weak));
extern struct uk_fs uk_init_fs __attribute__((weak));
extern struct uk_mm uk_init_mm __attribute__((weak));
extern struct uk_sighand uk_init_sighand __attribute__((weak));
extern struct uk_sigstate uk_init_sigstate __attribute__((weak));

struct uk_process uk_init_process = {
	.pid = 1,
	.pgid = 1,
	.sid = 1,
	.ctty = 1,	/* the console, as a terminal's program has it */
	.exit_signal = 17,	/* SIGCHLD */
	.files = &uk_init_files,
	.fs = &uk_init_fs,
	.mm = &uk_init_mm,
	.sighand = &uk_init_sighand,
	.sig = &uk_init_sigstate,
	.comm = "main",
	/* Root with every capability, as a Linux system's first program. */
	.cred = { .cap_eff = UK_CAP_ALL, .cap_prm = UK_CAP_ALL, .cap_bnd = UK_CAP_ALL },
	.limits = {
		[RLIMIT_CPU] = { RLIM_INF, RLIM_INF },
		[RLIMIT_FSIZE] = { RLIM_INF, RLIM_INF },
		[RLIMIT_DATA] = { RLIM_INF, RLIM_INF },
		[RLIMIT_STACK] = { UK_MM_STACK_SIZE, RLIM_INF },
		[RLIMIT_CORE] = { 0, RLIM_INF },
		[RLIMIT_RSS] = { RLIM_INF, RLIM_INF },
		[RLIMIT_NPROC] = { 4096, 4096 },
		[RLIMIT_NOFILE] = { 1024, 4096 },
		[RLIMIT_MEMLOCK] = { 8UL << 20, 8UL << 20 },
		[RLIMIT_AS] = { RLIM_INF, RLIM_INF },
		[RLIMIT_LOCKS] = { RLIM_INF, RLIM_INF },
		[RLIMIT_SIGPENDING] = { 4096, 4096 },
		[RLIMIT_MSGQUEUE] = { 819200, 819200 },
		[RLIMIT_NICE] = { 0, 0 },
		[RLIMIT_RTPRIO] = { 0, 0 },
		[RLIMIT_RTTIME] = { RLIM_INF, RLIM_INF },
	},
};

UK_SYSCALL_R_DEFINE(int, getpid) { return uk_proc()->pid; }
UK_SYSCALL_R_DEFINE(int, getppid) { return uk_process_ppid(uk_proc()); }
UK_SYSCALL_R_DEFINE(int, getpgrp) { return uk_proc()->pgid; }

/* The process pid names (0: the caller), or NULL. */
static struct uk_process *target(int pid)
{
	if (pid == 0)
		return uk_proc();
	struct uk_process *p = uk_process_find(pid);
	return p && !p->reaped ? p : NULL;
}

UK_SYSCALL_R_DEFINE(int, getpgid, int, pid)
{
	struct uk_process *p = target(pid);
	return p ? p->pgid : -ESRCH;
}

UK_SYSCALL_R_DEFINE(int, getsid, int, pid)
{
	struct uk_process *p = target(pid);
	return p ? p->sid : -ESRCH;
}

/* A new session with the caller as its leader and only member; a group
 * leader may not (its group would straddle two sessions). */
UK_SYSCALL_R_DEFINE(int, setsid)
{
	struct uk_process *p = uk_proc();
	if (p->pgid == p->pid || proc_pid_is_group_other(p->pid, p))
		return -EPERM;
	p->sid = p->pgid = p->pid;
	p->ctty = 0;	/* a new session has no terminal */
	return p->sid;
}

/* Linux's rules: the caller or a child of it that has not exec'd, in the
 * caller's session, not a session leader; into a group of that session
 * or a new one named by its own PID. */
UK_SYSCALL_R_DEFINE(int, setpgid, int, pid, int, pgid)
{
	struct uk_process *self = uk_proc();
	if (pgid < 0)
		return -EINVAL;
	struct uk_process *p = target(pid);
	if (!p || (p != self && p->parent != self))
		return -ESRCH;
	if (p != self && p->did_exec)
		return -EACCES;
	if (p->sid != self->sid || p->sid == p->pid)
		return -EPERM;
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid) {
		int found = 0;
		for (struct uk_process *q = uk_process_first(); q; q = q->next_all)
			if (q->pgid == pgid && q->sid == self->sid && !q->reaped)
				found = 1;
		if (!found)
			return -EPERM;
	}
	p->pgid = pgid;
	return 0;
}


/* Restartable sequences are optional for glibc: it falls back cleanly. */
UK_SYSCALL_R_DEFINE(int, rseq, void *, rseq, unsigned int, len, int, flags,
		    unsigned int, sig)
{
	(void)rseq, (void)len, (void)flags, (void)sig;
	return -ENOSYS;
}

/* A process's program and arguments: one block, shared by fork. */
struct uk_cmdline {
	int refs;
	char *exe;
	char **argv;
};

void proc_cmdline_get(struct uk_cmdline *c)
{
	if (c)
		c->refs++;
}

void proc_cmdline_put(struct uk_cmdline *c)
{
	if (c && --c->refs == 0)
		free(c);
}

int uk_process_set_exe(const char *path, char *const *argv)
{
	int argc = 0;
	size_t size = sizeof(struct uk_cmdline) + strlen(path) + 1;
	for (; argv && argv[argc]; argc++)
		size += sizeof(char *) + strlen(argv[argc]) + 1;
	size += sizeof(char *);
	struct uk_cmdline *c = malloc(size);
	if (!c)
		return -ENOMEM;
	c->refs = 1;
	c->argv = (char **)(c + 1);
	char *s = (char *)(c->argv + argc + 1);
	for (int i = 0; i < argc; i++) {
		c->argv[i] = s;
		s = stpcpy(s, argv[i]) + 1;
	}
	c->argv[argc] = NULL;
	c->exe = strcpy(s, path);
	struct uk_process *p = uk_proc();
	proc_cmdline_put(p->cmdline);
	p->cmdline = c;
	/* Like Linux at exec: the name is the file's, cut to 15 bytes. */
	const char *base = strrchr(path, '/');
	strlcpy(p->comm, base ? base + 1 : path, sizeof(p->comm));
	return 0;
}

const char *uk_process_exe_of(const struct uk_process *p)
{
	return p->cmdline ? p->cmdline->exe : "";
}

static char *const no_args[] = { NULL };

char *const *uk_process_argv_of(const struct uk_process *p)
{
	return p->cmdline ? p->cmdline->argv : no_args;
}

const char *uk_process_exe(void)
{
	return uk_process_exe_of(uk_proc());
}

char *const *uk_process_argv(void)
{
	return uk_process_argv_of(uk_proc());
}

void uk_process_set_image_base(unsigned long bias)
{
	uk_proc()->image_base = bias;
}

unsigned long uk_process_image_base(void)
{
	return uk_proc()->image_base;
}
