/* Linux's x86_64 signal frame: the return address (sa_restorer), a
 * ucontext with the registers, the old mask and a pointer to the saved
 * XSAVE state, then the siginfo; rt_sigreturn reads it all back. */
#include <errno.h>
#include <string.h>
#include <asm/sigcontext.h>
#include <linux/mman.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include <uk/syscall.h>
#include "signal_internal.h"

struct k_ucontext {
	unsigned long uc_flags;
	struct k_ucontext *uc_link;
	struct {
		unsigned long ss_sp;
		int ss_flags;
		unsigned long ss_size;
	} uc_stack;
	struct sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct rt_sigframe {
	unsigned long pretcode;
	struct k_ucontext uc;
	struct k_siginfo info;
};

#define UC_FP_XSTATE 0x1
#define X86_EFLAGS_TF 0x100
#define X86_EFLAGS_DF 0x400
#define X86_EFLAGS_USER 0x254dd5	/* the flags a program may change */
#define XSAVE_HDR 512

/* The frame goes only where the program has writable memory: a fault
 * while writing it would land in the middle of the trap that asked. */
static int writable(unsigned long start, unsigned long end)
{
	while (start < end) {
		struct uk_vma *v = uk_mm_find(start);
		if (!v || !(v->prot & PROT_WRITE))
			return 0;
		start = v->end;
	}
	return 1;
}

static int on_altstack(struct uk_thread *t, unsigned long sp)
{
	return t->altstack_size && sp > t->altstack_sp &&
	       sp - t->altstack_sp <= t->altstack_size;
}

int sig_setup_frame(struct __regs *r, int sig, const struct k_sigaction *ka,
		    const struct k_siginfo *info)
{
	struct uk_thread *t = uk_current;
	unsigned long sp = r->rsp - 128;	/* past the red zone */
	if ((ka->flags & SA_ONSTACK) && t->altstack_size &&
	    !(t->altstack_flags & SS_DISABLE) && !on_altstack(t, r->rsp))
		sp = t->altstack_sp + t->altstack_size;
	size_t fsz = ukplat_fpu_area_size();
	unsigned long fpstate = (sp - fsz) & ~63UL;
	unsigned long frame_addr = ((fpstate - sizeof(struct rt_sigframe)) & ~15UL) - 8;
	if (!writable(frame_addr, sp))
		return -1;
	struct rt_sigframe *f = (void *)frame_addr;
	memset(f, 0, sizeof(*f));
	/* XSAVE keeps the header's reserved bytes: they must start at 0. */
	memset((char *)fpstate + XSAVE_HDR, 0, 64);
	ukplat_fpu_save((void *)fpstate);

	f->pretcode = (ka->flags & SA_RESTORER) ? ka->restorer : 0;
	f->info = *info;
	f->uc.uc_flags = UC_FP_XSTATE;
	f->uc.uc_stack.ss_sp = t->altstack_sp;
	f->uc.uc_stack.ss_size = t->altstack_size;
	f->uc.uc_stack.ss_flags = t->altstack_size ?
		(on_altstack(t, r->rsp) ? SS_ONSTACK : 0) : SS_DISABLE;
	struct sigcontext *sc = &f->uc.uc_mcontext;
	sc->r8 = r->r8, sc->r9 = r->r9, sc->r10 = r->r10, sc->r11 = r->r11;
	sc->r12 = r->r12, sc->r13 = r->r13, sc->r14 = r->r14, sc->r15 = r->r15;
	sc->rdi = r->rdi, sc->rsi = r->rsi, sc->rbp = r->rbp, sc->rbx = r->rbx;
	sc->rdx = r->rdx, sc->rax = r->rax, sc->rcx = r->rcx, sc->rsp = r->rsp;
	sc->rip = r->rip, sc->eflags = r->rflags, sc->cs = r->cs;
	sc->ss = r->ss;
	sc->err = r->error;
	sc->trapno = r == uk_syscall_regs ? 0 : r->orig_rax;
	uint64_t old = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
	t->restore_sigmask = 0;
	sc->oldmask = old;
	sc->cr2 = info->si_code > 0 ? info->fault.addr : 0;
	sc->fpstate = (void *)fpstate;
	f->uc.uc_sigmask = old;

	r->rsp = frame_addr;
	r->rip = ka->handler;
	r->rdi = sig;
	r->rsi = (unsigned long)&f->info;
	r->rdx = (unsigned long)&f->uc;
	r->rax = 0;
	r->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_DF);
	t->sigmask |= ka->mask;
	if (!(ka->flags & SA_NODEFER))
		t->sigmask |= SIGBIT(sig);
	t->sigmask &= ~(SIGBIT(9) | SIGBIT(19));
	if (ka->flags & SA_RESETHAND) {
		SIGHAND()->action[sig].handler = SIG_DFL;
		SIGHAND()->action[sig].flags &= ~SA_SIGINFO;
	}
	return 0;
}

/* A frame's saved state is the program's to change: refuse an XSAVE
 * header XRSTOR would fault on rather than fault in the kernel. */
static int xstate_ok(unsigned long fpstate)
{
	if (fpstate & 63)
		return 0;
	if (!writable(fpstate, fpstate + ukplat_fpu_area_size()))
		return 0;
	const uint64_t *hdr = (const uint64_t *)(fpstate + XSAVE_HDR);
	for (int i = 1; i < 8; i++)
		if (hdr[i])
			return 0;
	uint32_t mxcsr = *(const uint32_t *)(fpstate + 24);
	return !(mxcsr & 0xffff0000U);
}

UK_SYSCALL_R_DEFINE(long, rt_sigreturn)
{
	struct __regs *r = uk_syscall_regs;
	struct uk_thread *t = uk_current;
	struct rt_sigframe *f = (void *)(r->rsp - 8);
	if (!writable((unsigned long)f, (unsigned long)(f + 1)))
		sig_default_kill(11, r, "bad signal frame", r->rsp);
	struct sigcontext *sc = &f->uc.uc_mcontext;
	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
	r->rdi = sc->rdi, r->rsi = sc->rsi, r->rbp = sc->rbp, r->rbx = sc->rbx;
	r->rdx = sc->rdx, r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
	r->rip = sc->rip;
	if (r->rip >= USER_TOP || r->rsp >= USER_TOP)
		sig_default_kill(11, r, "signal frame returns into the kernel", r->rip);
	r->rflags = (r->rflags & ~X86_EFLAGS_USER) | (sc->eflags & X86_EFLAGS_USER) | 0x200;
	if (sc->fpstate) {
		unsigned long fp = (unsigned long)sc->fpstate;
		if (!xstate_ok(fp))
			sig_default_kill(11, r, "bad FPU state in a signal frame", fp);
		ukplat_fpu_restore((void *)fp);
	}
	t->sigmask = f->uc.uc_sigmask & ~(SIGBIT(9) | SIGBIT(19));
	if (f->uc.uc_stack.ss_flags != SS_DISABLE && f->uc.uc_stack.ss_size) {
		t->altstack_sp = f->uc.uc_stack.ss_sp;
		t->altstack_size = f->uc.uc_stack.ss_size;
	}
	sig_recompute_work();
	if (uk_signal_work)
		uk_signal_deliver(r);
	ukplat_regs_restore(r);
}
