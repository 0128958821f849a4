/* kill, tgkill, tkill to the program itself. Until signal delivery
 * lands, a signal whose action is to ignore it is dropped and any other
 * ends the program as its default action would (status 128+N). */
#include <errno.h>
#include <stdio.h>
#include <uk/syscall.h>
#include <uk/process.h>

#define NSIG 64
#define SIGCHLD 17
#define SIGCONT 18
#define SIGURG 23
#define SIGWINCH 28

unsigned long uk_signal_handler(int sig);

static long send_self(int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (!sig)
		return 0;	/* existence check */
	unsigned long h = uk_signal_handler(sig);
	if (h == 1 /* SIG_IGN */)
		return 0;
	if (h == 0 && (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH))
		return 0;	/* ignored by default */
	if (h > 1)
		printf("signal %d: handlers are not called yet; default action taken\n", sig);
	uk_process_exit(128 + sig);
}

UK_SYSCALL_R_DEFINE(int, kill, int, pid, int, sig)
{
	if (pid != UK_PROCESS_PID && pid != 0 && pid != -1 && pid != -UK_PROCESS_PID)
		return -ESRCH;
	return send_self(sig);
}

UK_SYSCALL_R_DEFINE(int, tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (tgid != UK_PROCESS_PID || tid != UK_PROCESS_PID)
		return -ESRCH;
	return send_self(sig);
}

UK_SYSCALL_R_DEFINE(int, tkill, int, tid, int, sig)
{
	if (tid <= 0)
		return -EINVAL;
	if (tid != UK_PROCESS_PID)
		return -ESRCH;
	return send_self(sig);
}
