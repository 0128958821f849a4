/* What signalfd (lib/event) needs from the signal state: the signals the
 * running thread could take, taking one with its siginfo in signalfd's
 * form, and wait queues woken whenever a signal becomes pending, which a
 * signalfd's pollers sleep on. */
#include <string.h>
#include <linux/signalfd.h>
#include <uk/signal.h>
#include "signal_internal.h"


static struct uk_sigwatch *watches;

void uk_signal_watch_add(struct uk_sigwatch *w)
{
	w->prev = NULL;
	w->next = watches;
	if (watches)
		watches->prev = w;
	watches = w;
}

void uk_signal_watch_del(struct uk_sigwatch *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else if (watches == w)
		watches = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->next = w->prev = NULL;
}

/* Any process's signal may be the one a signalfd's reader awaits (the
 * reader is whoever reads or polls, not the file's creator): every watch
 * whose mask has sig is woken, and the poller looks again. */
void sig_watchers_wake(int sig)
{
	for (struct uk_sigwatch *w = watches; w; w = w->next) {
		if (*w->mask & SIGBIT(sig)) {
			if (w->gen)
				(*w->gen)++;
			uk_waitq_wake_events(w->wq, -1, UK_WAKE_IN);
		}
	}
}

uint64_t uk_signal_pending_mask(void)
{
	struct uk_thread *t = uk_current;
	return t->sigpending | SIGSTATE()->pending;
}

static int is_fault(int sig)
{
	return sig == 4 || sig == 5 || sig == 7 || sig == 8 || sig == 11;
}

/* Linux's signalfd_copyinfo: the fields of the siginfo's layout. */
static void to_ssi(const struct k_siginfo *i, struct signalfd_siginfo *s)
{
	memset(s, 0, sizeof(*s));
	s->ssi_signo = i->si_signo;
	s->ssi_errno = i->si_errno;
	s->ssi_code = i->si_code;
	if (i->si_code == SI_TIMER) {
		s->ssi_tid = i->timer.tid;
		s->ssi_overrun = i->timer.overrun;
		s->ssi_ptr = i->timer.value;
		s->ssi_int = (int)i->timer.value;
	} else if (i->si_code > 0 && i->si_code != SI_KERNEL && is_fault(i->si_signo)) {
		s->ssi_addr = i->fault.addr;
	} else if (i->si_code > 0 && i->si_code != SI_KERNEL && i->si_signo == 17) {
		s->ssi_pid = i->chld.pid;
		s->ssi_uid = i->chld.uid;
		s->ssi_status = i->chld.status;
		s->ssi_utime = i->chld.utime;
		s->ssi_stime = i->chld.stime;
	} else {
		s->ssi_pid = i->kill.pid;
		s->ssi_uid = i->kill.uid;
	}
}

int uk_signal_take(uint64_t mask, struct signalfd_siginfo *out)
{
	struct k_siginfo info;
	int sig = sig_dequeue(uk_current, mask, &info);
	if (sig)
		to_ssi(&info, out);
	return sig;
}
