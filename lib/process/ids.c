/* Process and user identity: PID 1, the init process, of root. */
#include <errno.h>
#include <uk/syscall.h>
#include <uk/process.h>
#include <uk/mm.h>

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
	.files = &uk_init_files,
	.fs = &uk_init_fs,
	.mm = &uk_init_mm,
	.sighand = &uk_init_sighand,
	.sig = &uk_init_sigstate,
	.comm = "main",
	.exe = "",
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
UK_SYSCALL_R_DEFINE(int, getppid) { return UK_PROCESS_PPID; }
UK_SYSCALL_R_DEFINE(int, getuid) { return 0; }
UK_SYSCALL_R_DEFINE(int, geteuid) { return 0; }
UK_SYSCALL_R_DEFINE(int, getgid) { return 0; }
UK_SYSCALL_R_DEFINE(int, getegid) { return 0; }
UK_SYSCALL_R_DEFINE(int, getpgrp) { return uk_proc()->pid; }
UK_SYSCALL_R_DEFINE(int, setsid) { return -EPERM; }	/* already a leader */

UK_SYSCALL_R_DEFINE(int, getpgid, int, pid)
{
	return pid == 0 || pid == uk_proc()->pid ? uk_proc()->pid : -ESRCH;
}

UK_SYSCALL_R_DEFINE(int, getsid, int, pid)
{
	return pid == 0 || pid == uk_proc()->pid ? uk_proc()->pid : -ESRCH;
}

UK_SYSCALL_R_DEFINE(int, getresuid, unsigned int *, r, unsigned int *, e,
		    unsigned int *, s)
{
	*r = *e = *s = 0;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, getresgid, unsigned int *, r, unsigned int *, e,
		    unsigned int *, s)
{
	*r = *e = *s = 0;
	return 0;
}

/* Restartable sequences are optional for glibc: it falls back cleanly. */
UK_SYSCALL_R_DEFINE(int, rseq, void *, rseq, unsigned int, len, int, flags,
		    unsigned int, sig)
{
	(void)rseq, (void)len, (void)flags, (void)sig;
	return -ENOSYS;
}

void uk_process_set_exe(const char *path, char *const *argv)
{
	uk_proc()->exe = path;
	uk_proc()->argv = argv;
}

const char *uk_process_exe(void)
{
	return uk_proc()->exe;
}

char *const *uk_process_argv(void)
{
	return uk_proc()->argv;
}

void uk_process_set_image_base(unsigned long bias)
{
	uk_proc()->image_base = bias;
}

unsigned long uk_process_image_base(void)
{
	return uk_proc()->image_base;
}
