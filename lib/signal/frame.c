/* Linux's x86_64 signal frame: the return address (sa_restorer), a
 * ucontext with the registers, the old mask and a pointer to the saved
 * XSAVE state, then the siginfo; rt_sigreturn reads it all back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <asm/sigcontext.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
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

/* A kernel buffer for len bytes whose byte at off is 64-byte aligned
 * (where the XSAVE area goes), zeroed; *raw is what to free. */
static char *aligned_at(size_t len, size_t off, void **raw)
{
	char *p = *raw = calloc(1, len + 64);
	if (!p)
		return NULL;
	return (char *)(((unsigned long)p + off + 63) & ~63UL) - off;
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
	/* The frame and the XSAVE area are built in the kernel (zeroed:
	 * XSAVE keeps the header's reserved bytes, which must be 0), then
	 * copied out in one go; a stack that cannot take them fails. */
	size_t len = fpstate + fsz - frame_addr, fpoff = fpstate - frame_addr;
	void *raw;
	char *k = aligned_at(len, fpoff, &raw);
	if (!k)
		return -1;
	struct rt_sigframe *f = (void *)k;
	struct rt_sigframe *uf = (void *)frame_addr;
	ukplat_fpu_save(k + fpoff);

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
	int rc = uk_copy_to_user(uf, k, len);
	free(raw);
	if (rc)
		return -1;

	r->rsp = frame_addr;
	r->rip = ka->handler;
	r->rdi = sig;
	r->rsi = (unsigned long)&uf->info;
	r->rdx = (unsigned long)&uf->uc;
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

/* A frame's saved state is the program's to change: it comes into the
 * kernel, and an XSAVE header XRSTOR would fault on is refused rather
 * than faulted on. Restores it; 0, or -1 for a bad one. */
static int restore_xstate(unsigned long fpstate)
{
	size_t fsz = ukplat_fpu_area_size();
	void *raw;
	char *k = aligned_at(fsz, 0, &raw);
	int ok = k && !(fpstate & 63) && !uk_copy_from_user(k, (void *)fpstate, fsz);
	if (ok) {
		const uint64_t *hdr = (const uint64_t *)(k + XSAVE_HDR);
		for (int i = 1; i < 8; i++)
			ok &= !hdr[i];
		ok &= !(*(const uint32_t *)(k + 24) & 0xffff0000U);	/* MXCSR */
	}
	if (ok)
		ukplat_fpu_restore(k);
	free(raw);
	return ok ? 0 : -1;
}

UK_SYSCALL_R_DEFINE(long, rt_sigreturn)
{
	struct __regs *r = uk_syscall_regs;
	struct uk_thread *t = uk_current;
	struct rt_sigframe kf, *f = &kf;
	if (uk_copy_from_user(f, (void *)(r->rsp - 8), sizeof(*f)))
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
	if (sc->fpstate && restore_xstate((unsigned long)sc->fpstate))
		sig_default_kill(11, r, "bad FPU state in a signal frame",
				 (unsigned long)sc->fpstate);
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
