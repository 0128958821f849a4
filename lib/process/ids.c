/* Process and user identity: one process (pid 1) of root. */
#include <errno.h>
#include <uk/syscall.h>
#include <uk/process.h>

UK_SYSCALL_R_DEFINE(int, getpid) { return UK_PROCESS_PID; }
UK_SYSCALL_R_DEFINE(int, getppid) { return UK_PROCESS_PPID; }
UK_SYSCALL_R_DEFINE(int, getuid) { return 0; }
UK_SYSCALL_R_DEFINE(int, geteuid) { return 0; }
UK_SYSCALL_R_DEFINE(int, getgid) { return 0; }
UK_SYSCALL_R_DEFINE(int, getegid) { return 0; }
UK_SYSCALL_R_DEFINE(int, getpgrp) { return UK_PROCESS_PID; }
UK_SYSCALL_R_DEFINE(int, setsid) { return -EPERM; }	/* already a leader */

UK_SYSCALL_R_DEFINE(int, getpgid, int, pid)
{
	return pid == 0 || pid == UK_PROCESS_PID ? UK_PROCESS_PID : -ESRCH;
}

UK_SYSCALL_R_DEFINE(int, getsid, int, pid)
{
	return pid == 0 || pid == UK_PROCESS_PID ? UK_PROCESS_PID : -ESRCH;
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


static const char *exe_path = "";
static char *const *cmd_argv;

void uk_process_set_exe(const char *path, char *const *argv)
{
	exe_path = path;
	cmd_argv = argv;
}

const char *uk_process_exe(void)
{
	return exe_path;
}

char *const *uk_process_argv(void)
{
	return cmd_argv;
}

static unsigned long image_base;

void uk_process_set_image_base(unsigned long bias)
{
	image_base = bias;
}

unsigned long uk_process_image_base(void)
{
	return image_base;
}
