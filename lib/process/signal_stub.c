/* Signal dispositions and masks, recorded and reported back until signal
 * delivery lands (lib/signal): nothing is ever delivered yet. */
#include <errno.h>
#include <string.h>
#include <uk/syscall.h>

#define NSIG 64
#define SIGKILL 9
#define SIGSTOP 19
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

struct k_sigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	unsigned long mask;
};

static struct k_sigaction actions[NSIG + 1];
static unsigned long blocked;

UK_SYSCALL_R_DEFINE(int, rt_sigaction, int, sig, const struct k_sigaction *, act,
		    struct k_sigaction *, oact, size_t, sigsetsize)
{
	if (sigsetsize != 8 || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (oact)
		*oact = actions[sig];
	if (act)
		actions[sig] = *act;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, rt_sigprocmask, int, how, const unsigned long *, set,
		    unsigned long *, oset, size_t, sigsetsize)
{
	if (sigsetsize != 8)
		return -EINVAL;
	unsigned long old = blocked;
	if (set) {
		unsigned long s = *set & ~((1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)));
		switch (how) {
		case SIG_BLOCK:
			blocked |= s;
			break;
		case SIG_UNBLOCK:
			blocked &= ~s;
			break;
		case SIG_SETMASK:
			blocked = s;
			break;
		default:
			return -EINVAL;
		}
	}
	if (oset)
		*oset = old;
	return 0;
}

struct k_stack {
	void *sp;
	int flags;
	size_t size;
};
static struct k_stack altstack = { 0, 2 /* SS_DISABLE */, 0 };

UK_SYSCALL_R_DEFINE(int, sigaltstack, const struct k_stack *, ss,
		    struct k_stack *, old)
{
	if (old)
		*old = altstack;
	if (ss) {
		if (ss->flags & ~2)
			return -EINVAL;
		if (!(ss->flags & 2) && ss->size < 2048)
			return -ENOMEM;
		altstack = *ss;
	}
	return 0;
}

unsigned long uk_signal_handler(int sig)
{
	return sig >= 1 && sig <= NSIG ? actions[sig].handler : 0;
}
