/* The life of a process: PIDs, creation by fork and clone, the end of a
 * process (its threads killed, what it holds dropped, a zombie until its
 * parent waits), orphans going to PID 1 or a subreaper, and the end of
 * PID 1, which ends the guest. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <uk/plat.h>
#include <uk/process.h>
#include <uk/mm.h>
#include <uk/vfs.h>
#include <uk/signal.h>
#include "process_internal.h"

#define PID_MAX 32768
#define SIGHUP 1
#define SIGKILL 9
#define SIGCONT 18
#define SIGCHLD 17

/* Network stacks deliver what the program sent before the guest ends. */
void __attribute__((weak)) uk_net_flush_before_exit(void)
{
}

static struct uk_process *all = &uk_init_process;
static int last_pid = 1;

struct uk_process *uk_process_first(void)
{
	return all;
}

struct uk_process *uk_process_find(int pid)
{
	for (struct uk_process *p = all; p; p = p->next_all)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* The next free id after the last one given, wrapping as Linux does
 * (above 300 once it has wrapped, where daemons' low PIDs live). Thread
 * ids come from the same space: a process's first thread has its PID. */
int uk_pid_alloc(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		if (++last_pid >= PID_MAX)
			last_pid = 300;
		if (!uk_process_find(last_pid) && !proc_pid_is_group(last_pid) &&
		    !sched_find_thread(last_pid))
			return last_pid;
	}
	return -1;
}

/* Whether some process uses pid as its group or session: Linux keeps such
 * a PID from being given out again. */
int proc_pid_is_group_other(int pid, const struct uk_process *other)
{
	for (struct uk_process *p = all; p; p = p->next_all)
		if (p != other && !p->reaped && (p->pgid == pid || p->sid == pid))
			return 1;
	return 0;
}

int proc_pid_is_group(int pid)
{
	return proc_pid_is_group_other(pid, NULL);
}

/* Linux's limits on a new task (copy_process), threads included:
 * RLIMIT_NPROC on the tasks of the caller's real user (a zombie counts
 * until it is reaped), which root and holders of CAP_SYS_RESOURCE or
 * CAP_SYS_ADMIN pass; and threads-max, one task per 128 KiB of RAM as
 * Linux sizes it, for everyone, so a fork bomb of root's ends too. */
#define CAP_SYS_ADMIN 21
#define CAP_SYS_RESOURCE 24
int uk_process_may_add_task(void)
{
	const struct uk_cred *c = &uk_proc()->cred;
	unsigned long mine = 0, total = 0;
	for (struct uk_process *p = all; p; p = p->next_all) {
		unsigned long n = p->state == UK_PROC_ZOMBIE ? 1 : (unsigned long)p->nthreads;
		total += n;
		if (p->cred.ruid == c->ruid)
			mine += n;
	}
	unsigned long max_threads = uk_pmem_ram_bytes() / (128 << 10);
	if (max_threads < 20)
		max_threads = 20;
	if (total >= max_threads)
		return -EAGAIN;
	if (mine >= uk_proc()->limits[RLIMIT_NPROC].rlim_cur && c->ruid != 0 &&
	    !uk_cred_capable(c, CAP_SYS_RESOURCE) && !uk_cred_capable(c, CAP_SYS_ADMIN))
		return -EAGAIN;
	return 0;
}

struct uk_process *uk_process_create(unsigned long flags, int exit_signal, int *err)
{
	struct uk_process *parent = uk_proc();
	if ((*err = uk_process_may_add_task()))
		return NULL;
	struct uk_process *p = calloc(1, sizeof(*p));
	*err = -ENOMEM;
	if (!p)
		return NULL;
	p->pid = uk_pid_alloc();
	if (p->pid < 0) {
		free(p);
		*err = -EAGAIN;
		return NULL;
	}
	p->pgid = parent->pgid;
	p->sid = parent->sid;
	p->ctty = parent->ctty;
	p->start_ns = ukplat_monotonic_ns();
	p->exit_signal = exit_signal;
	memcpy(p->limits, parent->limits, sizeof(p->limits));
	if (proc_cred_copy(&p->cred, &parent->cred)) {
		free(p);
		return NULL;
	}
	memcpy(p->comm, parent->comm, sizeof(p->comm));
	p->personality = parent->personality;
	proc_cmdline_get(parent->cmdline);
	p->cmdline = parent->cmdline;
	p->image_base = parent->image_base;
	if (flags & CLONE_VM) {
		uk_mm_get(parent->mm);
		p->mm = parent->mm;
	} else {
		p->mm = uk_mm_fork();
	}
	if (flags & CLONE_FILES) {
		uk_fdtable_get(parent->files);
		p->files = parent->files;
	} else {
		p->files = uk_fdtable_copy(parent->files);
	}
	if (flags & CLONE_FS) {
		uk_fs_get(parent->fs);
		p->fs = parent->fs;
	} else {
		p->fs = uk_fs_copy(parent->fs);
	}
	if (flags & CLONE_SIGHAND) {
		uk_sighand_get(parent->sighand);
		p->sighand = parent->sighand;
	} else {
		p->sighand = uk_sighand_copy(parent->sighand);
	}
	p->sig = uk_sigstate_new(p);
	if (!p->mm || !p->files || !p->fs || !p->sighand || !p->sig) {
		proc_release(p);
		free(p);
		return NULL;
	}
	if (flags & CLONE_CLEAR_SIGHAND)
		uk_sighand_reset_for_exec(p->sighand);
	p->parent = (flags & CLONE_PARENT) && parent->parent ? parent->parent : parent;
	p->sibling = p->parent->children;
	p->parent->children = p;
	p->next_all = all;
	all = p;
	return p;
}

/* Drops what p holds (any of it may be missing when creation failed). */
void proc_release(struct uk_process *p)
{
	if (p->files)
		uk_fdtable_put(p->files);
	if (p->fs)
		uk_fs_put(p->fs);
	if (p->sig)
		uk_sigstate_free(p->sig);
	if (p->sighand)
		uk_sighand_put(p->sighand);
	if (p->mm)
		uk_mm_put(p->mm);
	proc_cmdline_put(p->cmdline);
	p->cmdline = NULL;
	proc_cred_free(&p->cred);
	p->files = NULL;
	p->fs = NULL;
	p->sig = NULL;
	p->sighand = NULL;
	p->mm = NULL;
}

static void unlink_all(struct uk_process *p)
{
	for (struct uk_process **pp = &all; *pp; pp = &(*pp)->next_all) {
		if (*pp == p) {
			*pp = p->next_all;
			break;
		}
	}
	if (p->parent) {
		for (struct uk_process **pp = &p->parent->children; *pp; pp = &(*pp)->sibling) {
			if (*pp == p) {
				*pp = p->sibling;
				break;
			}
		}
	}
}

void uk_process_abandon(struct uk_process *p)
{
	unlink_all(p);
	proc_release(p);
	free(p);
}

/* A zombie waited for (or that nobody will wait for) leaves the lists at
 * once; its memory goes with its last thread's. */
void proc_reap(struct uk_process *p)
{
	unlink_all(p);
	p->reaped = 1;
	if (!p->kthreads)
		free(p);
}

/* Where p's orphans go: the nearest ancestor that is a subreaper, else
 * PID 1. */
static struct uk_process *reaper_for(struct uk_process *p)
{
	for (struct uk_process *a = p->parent; a; a = a->parent)
		if (a->subreaper && a->state == UK_PROC_LIVE)
			return a;
	return &uk_init_process;
}

/* Tells p's parent that p ended: SIGCHLD (or clone's signal) and a wake
 * of its waiters; a parent that ignores SIGCHLD or set SA_NOCLDWAIT has
 * its child reaped at once. */
static void notify_parent(struct uk_process *p)
{
	struct uk_process *parent = p->parent;
	uk_waitq_wake(&parent->child_wait, -1);
	if (p->exit_signal == SIGCHLD && uk_signal_child_ignored(parent))
		proc_reap(p);
	else if (p->exit_signal)
		uk_signal_child_ended(parent, p->exit_signal, p->pid, p->wstatus);
}

/* PID 1 ended: so does the guest, with the status a shell would give.
 * What shared mappings of host files hold goes to the host first (every
 * process's: the others end with the guest). */
static void __attribute__((noreturn)) end_guest(int wstatus)
{
	for (struct uk_process *q = all; q; q = q->next_all)
		if (q->mm)
			uk_mm_sync_files(q->mm);
	uk_net_flush_before_exit();
	ukplat_halt((wstatus & 0x7f) ? 128 + (wstatus & 0x7f) : (wstatus >> 8) & 0xff);
}

/* lib/ipc: the process's SEM_UNDO adjustments (weak: ipc left out). */
void uk_ipc_process_exit(struct uk_process *p) __attribute__((weak));
/* lib/console: a session leader's end lets go of its terminal. */
void uk_tty_session_end(struct uk_process *leader) __attribute__((weak));

int uk_process_pgrp_session(int pgid)
{
	for (struct uk_process *q = all; q; q = q->next_all)
		if (q->pgid == pgid && q->state == UK_PROC_LIVE)
			return q->sid;
	return 0;
}

/* POSIX: a group is orphaned when no member has its parent in another
 * group of the same session, so nobody is left to resume its stopped
 * jobs. Unlike Linux's global init, our PID 1 counts as such a parent: it
 * is the user's program (a shell, say), as PID 1 of a container is. */
int uk_process_pgrp_orphaned(int pgid, const struct uk_process *gone)
{
	for (struct uk_process *q = all; q; q = q->next_all) {
		if (q == gone || q->pgid != pgid || q->state != UK_PROC_LIVE)
			continue;
		struct uk_process *pa = q->parent;
		if (pa && pa != gone && pa->pgid != pgid && pa->sid == q->sid)
			return 0;
	}
	return 1;
}

/* A group that p's end orphans gets SIGHUP then SIGCONT if any of it is
 * stopped (POSIX), since nobody could continue it any more; p was the
 * link from parent to the group. */
static void orphan_check(int pgid, int sid, const struct uk_process *link_parent,
			 const struct uk_process *p)
{
	if (!link_parent || link_parent->pgid == pgid || link_parent->sid != sid ||
	    !uk_process_pgrp_orphaned(pgid, p))
		return;
	int stopped = 0;
	for (struct uk_process *q = all; q; q = q->next_all)
		if (q->pgid == pgid && q->state == UK_PROC_LIVE && q->stopped)
			stopped = 1;
	if (!stopped)
		return;
	for (struct uk_process *q = all; q; q = q->next_all) {
		if (q->pgid != pgid || q->state != UK_PROC_LIVE || q == p)
			continue;
		uk_signal_send_to(q, SIGHUP, 0x80);
		uk_signal_send_to(q, SIGCONT, 0x80);
	}
}

void uk_process_teardown(struct uk_process *p)
{
	if (p == &uk_init_process)
		end_guest(p->wstatus);
	uk_process_vfork_release(p);
	if (uk_ipc_process_exit)
		uk_ipc_process_exit(p);
	proc_release(p);
	if (p->sid == p->pid && uk_tty_session_end)
		uk_tty_session_end(p);
	struct uk_process *reaper = reaper_for(p);
	while (p->children) {
		struct uk_process *c = p->children;
		p->children = c->sibling;
		c->parent = reaper;
		c->sibling = reaper->children;
		reaper->children = c;
		if (c->pdeath_signal)
			uk_signal_send_to(c, c->pdeath_signal, 0);
		if (c->state == UK_PROC_ZOMBIE)
			notify_parent(c);
		else
			orphan_check(c->pgid, c->sid, p, p);
	}
	orphan_check(p->pgid, p->sid, p->parent, p);
	p->state = UK_PROC_ZOMBIE;
	proc_pidfd_ended(p);
	notify_parent(p);
}

void uk_process_thread_reaped(struct uk_process *p)
{
	if (--p->kthreads == 0 && p->reaped)
		free(p);
}

void uk_process_vfork_release(struct uk_process *p)
{
	if (!p->vfork_done)
		return;
	*p->vfork_done = 1;
	p->vfork_done = NULL;
	uk_waitq_wake(&p->vfork_from->child_wait, -1);
}

/* The group ends with wstatus (the first reason wins): every other thread
 * gets SIGKILL, and the caller's thread ends. */
static void __attribute__((noreturn)) group_exit(int wstatus)
{
	struct uk_process *p = uk_proc();
	/* Killed by a sibling's execve: only this thread ends. */
	if (p->execing && p->execing != uk_current)
		uk_thread_exit();
	if (p == &uk_init_process && !p->exiting)
		end_guest(wstatus);
	if (!p->exiting) {
		p->exiting = 1;
		p->wstatus = wstatus;
	}
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc)
		if (t != uk_current)
			uk_signal_send_thread(t, SIGKILL, 0x80, 0);
	uk_thread_exit();
}

void uk_process_exit(int status)
{
	group_exit((status & 0xff) << 8);
}

void uk_process_exit_signal(int sig, int core)
{
	group_exit((sig & 0x7f) | (core ? 0x80 : 0));
}
