/* The scheduler: one FIFO run queue that every CPU takes threads from,
 * kernel context switches with the extended state and FS base saved per
 * thread, one-shot timers driving sleeps and a 10 ms time slice, and a
 * per-CPU idle thread that halts. Kernel code runs under the big kernel
 * lock (uk/plat/bkl.h), so the queue and the timers need no other; the
 * kernel is not preemptible: the timer preempts only application code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/sched.h>
#include <uk/process.h>
#include <uk/mm.h>
#include <uk/signal.h>
#include <uk/vfs.h>
#include <uk/plat/bkl.h>
#include <uk/plat/smp.h>
#include "sched_internal.h"

#define SLICE_NS 10000000ULL
#define POLL_NS 10000000ULL

/* The boot thread becomes PID 1's first thread; it is the current one
 * from the start, so that uk_proc() holds even before sched_init. */
static struct uk_thread boot_thread = {
	.self = &boot_thread,
	.tid = 1,
	.state = T_RUNNING,
	.proc = &uk_init_process,
};
void *ukplat_cpu_current[UKPLAT_MAX_CPUS] = { &boot_thread };
static struct uk_thread *rq_head, *rq_tail, *all_threads, *reap;
static struct uk_timer *timers;
static struct uk_poll_source *poll_sources;

/* Each CPU's own. */
struct sched_cpu {
	struct uk_thread *idle;		/* runs when no thread can */
	uint64_t programmed;		/* its timer's next interrupt */
	uint64_t slice_start;		/* when its running thread's slice began */
	int idling;			/* halted in its idle thread */
};
static struct sched_cpu cpus[UKPLAT_MAX_CPUS] = {
	[0 ... UKPLAT_MAX_CPUS - 1] = { .programmed = UK_NO_DEADLINE },
};
static int ncpus = 1;
#define THIS_CPU (&cpus[uk_current->cpu])

/* A thread's CPU time: its finished slices, and the caller's running one
 * (another CPU's running slice is not counted until it ends). */
uint64_t uk_thread_cpu_ns_of(struct uk_thread *t)
{
	uint64_t ns = t->cpu_ns;
	if (t == uk_current)
		ns += ukplat_monotonic_ns() - THIS_CPU->slice_start;
	return ns;
}

uint64_t uk_process_cpu_ns_of(struct uk_process *p)
{
	uint64_t sum = p->dead_cpu_ns;
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc)
		sum += uk_thread_cpu_ns_of(t);
	return sum;
}

uint64_t uk_thread_cpu_ns(void)
{
	return uk_thread_cpu_ns_of(uk_current);
}

uint64_t uk_process_cpu_ns(void)
{
	return uk_process_cpu_ns_of(uk_proc());
}

struct uk_thread *uk_thread_current(void)
{
	return uk_current;
}

int uk_thread_tid(struct uk_thread *t)
{
	return t->tid;
}

int uk_sched_nthreads(void)
{
	return uk_proc()->nthreads;
}

struct uk_thread *sched_threads(void)
{
	return all_threads;
}

struct uk_thread *sched_find_thread(int tid)
{
	for (struct uk_thread *t = all_threads; t; t = t->next_all)
		if (t->tid == tid && t->state != T_DEAD)
			return t;
	return NULL;
}

static void rq_push(struct uk_thread *t)
{
	t->next_ready = NULL;
	if (rq_tail)
		rq_tail->next_ready = t;
	else
		rq_head = t;
	rq_tail = t;
}

static int may_run_on(const struct uk_thread *t, int cpu)
{
	return !t->affinity || (t->affinity >> cpu & 1);
}

/* The first ready thread that may run on cpu. */
static struct uk_thread *rq_pop(int cpu)
{
	struct uk_thread *t, *prev = NULL;
	for (t = rq_head; t && !may_run_on(t, cpu); t = t->next_ready)
		prev = t;
	if (!t)
		return NULL;
	if (prev)
		prev->next_ready = t->next_ready;
	else
		rq_head = t->next_ready;
	if (rq_tail == t)
		rq_tail = prev;
	return t;
}

/* Whether a ready thread may run on cpu. */
static int rq_has_for(int cpu)
{
	for (struct uk_thread *t = rq_head; t; t = t->next_ready)
		if (may_run_on(t, cpu))
			return 1;
	return 0;
}

int uk_sched_ncpus(void)
{
	return ncpus;
}

/* Timers: a list sorted by deadline. */
void uk_timer_arm(struct uk_timer *t, uint64_t deadline_ns)
{
	UKPLAT_BKL_HELD();
	if (t->armed)
		uk_timer_cancel(t);
	t->deadline_ns = deadline_ns;
	struct uk_timer **pp = &timers;
	while (*pp && (*pp)->deadline_ns <= deadline_ns)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->armed = 1;
	if (deadline_ns < THIS_CPU->programmed)
		sched_reprogram();
}

void uk_timer_cancel(struct uk_timer *t)
{
	if (!t->armed)
		return;
	for (struct uk_timer **pp = &timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = 0;
}

static void fire_timers(void)
{
	uint64_t now = ukplat_monotonic_ns();
	while (timers && timers->deadline_ns <= now) {
		struct uk_timer *t = timers;
		timers = t->next;
		t->armed = 0;
		t->fn(t);
	}
}

void uk_sched_add_poll_source(struct uk_poll_source *s)
{
	s->next = poll_sources;
	poll_sources = s;
}

static void check_poll_sources(void)
{
	for (struct uk_poll_source *s = poll_sources; s; s = s->next)
		s->check();
}

/* Some thread is blocked while a polled source might wake it. */
static int polling_needed(void)
{
	if (!poll_sources)
		return 0;
	for (struct uk_thread *t = all_threads; t; t = t->next_all)
		if (t->state == T_BLOCKED)
			return 1;
	return 0;
}

/* Programs the timer interrupt for the next thing that needs the CPU:
 * a timer, the end of the running thread's slice when others wait, or
 * the next poll of the polled sources. */
void sched_reprogram(void)
{
	struct sched_cpu *c = THIS_CPU;
	uint64_t next = timers ? timers->deadline_ns : UK_NO_DEADLINE;
	if (rq_has_for(uk_current->cpu) && c->slice_start + SLICE_NS < next)
		next = c->slice_start + SLICE_NS;
	if (polling_needed()) {
		uint64_t p = ukplat_monotonic_ns() + POLL_NS;
		if (p < next)
			next = p;
	}
	if (next == c->programmed)
		return;
	c->programmed = next;
	if (next == UK_NO_DEADLINE)
		ukplat_timer_stop();
	else
		ukplat_timer_set(next);
}

static void ipi_resched(int cpu)
{
	ukplat_ipi_send(cpu, UKPLAT_IPI_RESCHED_VECTOR);
}

/* An idle CPU other than this one, where t may run, is woken to take it. */
static void kick_idle_cpu(struct uk_thread *t)
{
	int self = uk_current->cpu;
	for (int i = 0; i < ncpus; i++) {
		if (i != self && cpus[i].idling && may_run_on(t, i)) {
			cpus[i].idling = 0;
			ipi_resched(i);
			return;
		}
	}
}

void uk_sched_kick(struct uk_thread *t)
{
	if (t->state == T_RUNNING && t->cpu != uk_current->cpu)
		ipi_resched(t->cpu);
}

void sched_make_ready(struct uk_thread *t)
{
	UKPLAT_BKL_HELD();
	struct sched_cpu *c = THIS_CPU;
	t->state = T_READY;
	rq_push(t);
	if (ncpus > 1)
		kick_idle_cpu(t);
	if (c->programmed == UK_NO_DEADLINE || c->slice_start + SLICE_NS < c->programmed)
		sched_reprogram();
}

/* Frees the threads that ended, but the running one (it is still on its
 * stack); their process may go with its last one. */
void sched_free_dead(void)
{
	struct uk_thread **pp = &reap;
	while (*pp) {
		struct uk_thread *t = *pp;
		if (t == uk_current) {
			pp = &t->next_ready;
			continue;
		}
		*pp = t->next_ready;
		struct uk_process *p = t->proc;
		uk_fd_held_free(t);
		ukplat_kstack_free(t->kstack);
		free(t->fpu_alloc);
		free(t);
		uk_process_thread_reaped(p);
	}
}

static void switch_to(struct uk_thread *prev, struct uk_thread *next)
{
	int cpu = prev->cpu;
	struct sched_cpu *c = &cpus[cpu];
	if (prev->state != T_DEAD) {
		ukplat_fpu_save(prev->fpu);
		prev->fs_base = ukplat_get_fs_base();
		prev->gs_base = ukplat_get_gs_base();
	}
	ukplat_fpu_restore(next->fpu);
	ukplat_set_fs_base(next->fs_base);
	ukplat_set_gs_base(next->gs_base);
	ukplat_set_syscall_stack(cpu, next->kstack_top);
	/* The idle thread keeps the tables it finds (prev's stack, and what
	 * an interrupt may read there, can be in the program's half: uktest). */
	if (next != c->idle)
		uk_mm_switch(next->proc->mm);
	next->state = T_RUNNING;
	next->cpu = cpu;
	/* From here, code on a stack the CPU owns (interrupts) sees next;
	 * this code, on prev's stack, still sees prev until the switch. */
	ukplat_cpu_current[cpu] = next;
	if (next->proc->sig)
		uk_signal_thread_switched(next);
	uint64_t now = ukplat_monotonic_ns();
	if (prev != c->idle)
		prev->cpu_ns += now - c->slice_start;	/* idling is nobody's */
	if (prev->state == T_DEAD)
		prev->proc->dead_cpu_ns += prev->cpu_ns;
	c->slice_start = now;
	ukplat_ctx_switch(&prev->ctx_sp, next->ctx_sp);
	sched_free_dead();
}

/* Gives the CPU to the next ready thread, or to the CPU's idle thread when
 * there is none (so that a blocked thread's context is saved, and any CPU
 * may take it once it is woken). */
void sched_switch(void)
{
	UKPLAT_BKL_HELD();
	struct uk_thread *prev = uk_current, *next;
	struct sched_cpu *c = &cpus[prev->cpu];
	if (prev->state == T_RUNNING)
		prev->state = T_READY;
	if (prev->state == T_READY && prev != c->idle) {
		rq_push(prev);
		if (!may_run_on(prev, prev->cpu))
			kick_idle_cpu(prev);	/* moved by sched_setaffinity */
	}
	next = rq_pop(prev->cpu);
	if (!next)
		next = c->idle;
	uk_sched_need_resched = 0;
	if (next == prev) {
		/* A new slice; the CPU time of this one is kept. */
		uint64_t now = ukplat_monotonic_ns();
		if (prev != c->idle)
			prev->cpu_ns += now - c->slice_start;
		prev->state = T_RUNNING;
		c->slice_start = now;
		sched_reprogram();
		return;
	}
	switch_to(prev, next);
	sched_reprogram();
}

/* A CPU's idle thread: takes what is ready, else fires timers, polls and
 * halts until an interrupt (or another CPU) readies someone. */
static int all_idle(void)
{
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].idle && ukplat_cpu_current[i] != cpus[i].idle)
			return 0;
	return 1;
}

static void idle_main(void *arg)
{
	struct sched_cpu *c = &cpus[(int)(long)arg];
	for (;;) {
		if (rq_has_for(uk_current->cpu)) {
			sched_switch();
			continue;
		}
		sched_reprogram();
		if (c->programmed == UK_NO_DEADLINE && !rq_head && all_idle()) {
			printf("sched: every thread is blocked with nothing that could "
			       "wake one (a deadlock)\n");
			ukplat_halt(134);
		}
		c->idling = 1;
		ukplat_idle_unlocked(uk_current->cpu);
		c->idling = 0;
		fire_timers();
		check_poll_sources();
	}
}

/* The idle thread of CPU cpu: not a thread of any process's, nor in the
 * list of threads; it runs on whatever page tables it finds. */
static struct uk_process idle_process = { .pid = 0, .comm = "idle" };

static int idle_thread_new(int cpu)
{
	struct uk_thread *t = calloc(1, sizeof(*t));
	size_t fsz = ukplat_fpu_area_size();
	void *fpu = calloc(1, fsz + 64), *stack = ukplat_kstack_alloc();
	if (!t || !fpu || !stack) {
		free(t);
		free(fpu);
		if (stack)
			ukplat_kstack_free(stack);
		return -ENOMEM;
	}
	t->self = t;
	ukplat_stack_set_slot(stack, (void **)&t->self);
	t->kstack = stack;
	t->kstack_top = (char *)stack + UK_THREAD_KSTACK_SIZE;
	t->fpu_alloc = fpu;
	t->fpu = (void *)(((unsigned long)fpu + 63) & ~63UL);
	t->proc = &idle_process;
	t->cpu = cpu;
	t->state = T_READY;
	strcpy(t->name, "idle");
	t->ctx_sp = ukplat_ctx_init(t->kstack_top, idle_main, (void *)(long)cpu);
	cpus[cpu].idle = t;
	return 0;
}

void uk_sched_yield(void)
{
	struct uk_thread *t = uk_current;
	if (rq_has_for(t->cpu) || !may_run_on(t, t->cpu))
		sched_switch();
}

int uk_sched_set_affinity(struct uk_thread *t, uint64_t mask)
{
	uint64_t online = ncpus >= 64 ? ~0ULL : (1ULL << ncpus) - 1;
	if (!(mask & online))
		return -EINVAL;
	t->affinity = (mask & online) == online ? 0 : mask & online;
	/* The caller moves at once; another thread when it next switches. */
	if (t == uk_current && !may_run_on(t, t->cpu))
		sched_switch();
	return 0;
}

/* Runs on the preempted thread's kernel stack (the IST stack the
 * interrupt came in on is left behind), then resumes the program. */
static void preempt_continue(void *frame)
{
	sched_switch();
	uk_app_return_work(frame);
	ukplat_regs_restore(frame);
}

void ukplat_timer_interrupt(struct __regs *r)
{
	struct sched_cpu *c = THIS_CPU;
	c->programmed = UK_NO_DEADLINE;
	fire_timers();
	check_poll_sources();
	uint64_t now = ukplat_monotonic_ns();
	if (rq_has_for(uk_current->cpu) && now >= c->slice_start + SLICE_NS) {
		if (r->rip < USER_TOP) {
			struct __regs *frame = (struct __regs *)
				(((unsigned long)uk_current->kstack_top - sizeof(*r)) & ~15UL);
			*frame = *r;
			ukplat_run_on_stack(frame, preempt_continue, frame);
		}
		uk_sched_need_resched = 1;	/* at the end of the syscall */
	}
	sched_reprogram();
}

static void sleep_timeout(struct uk_timer *tm)
{
	struct uk_thread *t = (struct uk_thread *)((char *)tm -
				offsetof(struct uk_thread, sleep_timer));
	sched_wake_thread(t, -ETIMEDOUT);
}

void sched_wake_thread(struct uk_thread *t, int result)
{
	if (t->state != T_BLOCKED)
		return;
	t->wait_result = result;
	sched_make_ready(t);
}

int uk_waitq_wait_many(struct uk_waitq **wqs, int n, uint64_t deadline_ns)
{
	UKPLAT_BKL_HELD();
	struct uk_thread *t = uk_current;
	struct uk_wait_entry e[n > 0 ? n : 1];
	if (sched_signal_pending(t))
		return -EINTR;
	if (deadline_ns != UK_NO_DEADLINE && deadline_ns <= ukplat_monotonic_ns())
		return -ETIMEDOUT;
	for (int i = 0; i < n; i++) {
		e[i].thread = t;
		e[i].woken = 0;
		e[i].key = NULL;
		e[i].bitset = 0;
		e[i].next = wqs[i]->head;
		wqs[i]->head = &e[i];
	}
	t->state = T_BLOCKED;
	t->wait_result = 0;
	t->sleep_timer.fn = sleep_timeout;
	if (deadline_ns != UK_NO_DEADLINE)
		uk_timer_arm(&t->sleep_timer, deadline_ns);
	sched_switch();
	uk_timer_cancel(&t->sleep_timer);
	for (int i = 0; i < n; i++) {
		for (struct uk_wait_entry **pp = &wqs[i]->head; *pp; pp = &(*pp)->next) {
			if (*pp == &e[i]) {
				*pp = e[i].next;
				break;
			}
		}
	}
	return t->wait_result;
}

int uk_waitq_wait(struct uk_waitq *wq, uint64_t deadline_ns)
{
	return uk_waitq_wait_many(&wq, 1, deadline_ns);
}

int uk_waitq_wake(struct uk_waitq *wq, int n)
{
	return uk_waitq_wake_events(wq, n, UK_WAKE_IN | UK_WAKE_OUT);
}

int uk_waitq_wake_events(struct uk_waitq *wq, int n, unsigned int events)
{
	UKPLAT_BKL_HELD();
	int woken = 0;
	if (events & UK_WAKE_IN)
		wq->wakes_in++;
	if (events & UK_WAKE_OUT)
		wq->wakes_out++;
	if (wq->notify)
		wq->notify(wq, events);
	for (struct uk_wait_entry *e = wq->head; e && (n < 0 || woken < n); e = e->next) {
		if (e->woken || e->thread->state != T_BLOCKED)
			continue;
		e->woken = 1;
		sched_wake_thread(e->thread, 0);
		woken++;
	}
	return woken;
}

int uk_sleep_until(uint64_t deadline_ns)
{
	struct uk_waitq none = { .head = NULL };
	int rc = uk_waitq_wait(&none, deadline_ns);
	return rc == -ETIMEDOUT ? 0 : rc;
}

struct uk_thread *sched_thread_new(struct uk_process *proc, int tid)
{
	struct uk_thread *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	size_t fsz = ukplat_fpu_area_size();
	/* Zeroed: XSAVE leaves the header's reserved bytes as they were,
	 * and XRSTOR refuses them unless they are zero. */
	t->fpu_alloc = calloc(1, fsz + 64);
	t->kstack = ukplat_kstack_alloc();
	if (!t->fpu_alloc || !t->kstack) {
		free(t->fpu_alloc);
		if (t->kstack)
			ukplat_kstack_free(t->kstack);
		free(t);
		return NULL;
	}
	t->self = t;
	ukplat_stack_set_slot(t->kstack, (void **)&t->self);
	t->fpu = (void *)(((unsigned long)t->fpu_alloc + 63) & ~63UL);
	t->kstack_top = (char *)t->kstack + UK_THREAD_KSTACK_SIZE;
	t->tid = tid;
	t->next_all = all_threads;
	all_threads = t;
	t->proc = proc;
	t->next_in_proc = proc->threads;
	proc->threads = t;
	proc->nthreads++;
	proc->kthreads++;
	return t;
}

/* Removes a dead thread from the list; its memory goes once another
 * thread runs (it is still on its own stack now). */
void sched_thread_exit(void)
{
	struct uk_thread *t = uk_current;
	for (struct uk_thread **pp = &all_threads; *pp; pp = &(*pp)->next_all) {
		if (*pp == t) {
			*pp = t->next_all;
			break;
		}
	}
	for (struct uk_thread **pp = &t->proc->threads; *pp; pp = &(*pp)->next_in_proc) {
		if (*pp == t) {
			*pp = t->next_in_proc;
			break;
		}
	}
	t->proc->nthreads--;
	t->state = T_DEAD;
	if (t != &boot_thread) {
		t->next_ready = reap;
		reap = t;
	}
	sched_switch();
	__builtin_unreachable();
}

static int sched_init(void)
{
	static char boot_fpu[4096 + 64];
	extern unsigned long uk_syscall_kstack_top;
	uk_init_process.threads = &boot_thread;
	uk_init_process.nthreads = 1;
	uk_init_process.kthreads = 1;
	boot_thread.fpu = (void *)(((unsigned long)boot_fpu + 63) & ~63UL);
	if (ukplat_fpu_area_size() > 4096)
		return -ENOMEM;
	boot_thread.kstack_top = (void *)uk_syscall_kstack_top;
	ukplat_stack_set_slot((char *)boot_thread.kstack_top - UK_THREAD_KSTACK_SIZE,
			      (void **)&boot_thread.self);
	strcpy(boot_thread.name, "main");
	all_threads = &boot_thread;
	cpus[0].slice_start = ukplat_monotonic_ns();
	return idle_thread_new(0);
}
UK_INIT_AT(sched_init, UK_INIT_LEVEL_EARLY);

/* An AP starts in its idle thread (on whose stack the platform runs
 * this) and takes the lock; from then on it takes threads from the
 * queue as the boot CPU does. */
static void ap_main(void *arg)
{
	int cpu = (int)(long)arg;
	ukplat_bkl_lock();
	cpus[cpu].slice_start = ukplat_monotonic_ns();
	ukplat_cpu_current[cpu] = cpus[cpu].idle;
	cpus[cpu].idle->state = T_RUNNING;
	idle_main(arg);
}

/* The other CPUs start once everything else is set up, one by one; a
 * CPU that does not start is left out, with a line saying so. */
static int sched_start_cpus(void)
{
	int n = ukplat_cpu_count();
	for (int cpu = 1; cpu < n; cpu++) {
		int rc = idle_thread_new(cpu);
		if (rc == 0)
			rc = ukplat_cpu_start(cpu, ap_main, (void *)(long)cpu,
					      cpus[cpu].idle->kstack_top);
		if (rc < 0) {
			printf("sched: CPU %d does not start (%d); running on %d\n",
			       cpu, rc, cpu);
			break;
		}
		ncpus = cpu + 1;
	}
	return 0;
}
UK_INIT_AT(sched_start_cpus, UK_INIT_LEVEL_LATE);
