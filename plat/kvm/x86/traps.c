/* Trap dispatch: page faults go to the memory manager, faults of the
 * application become its fatal signals, a fault of the user-memory
 * helpers resumes at its fixup, and any other fault in the kernel (a
 * program address included) prints the vector, error code, registers and
 * a backtrace, then powers off with a failing status. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/plat/bkl.h>
#include "x86.h"

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGSEGV 11

static const char *const vector_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 FP error", "#AC alignment check", "#MC machine check",
	"#XM SIMD FP error", "#VE virtualization", "#CP control protection",
};

static int from_app(const struct __regs *r)
{
	return r->rip < USER_TOP;
}

struct extable_entry {
	unsigned long insn, fixup;
};
extern const struct extable_entry uk_extable_start[], uk_extable_end[];

unsigned long ukplat_extable_fixup(unsigned long rip)
{
	for (const struct extable_entry *e = uk_extable_start; e < uk_extable_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}

void ukplat_dump_regs(int stream, const struct __regs *r)
{
	FILE *f = stream == 1 ? stdout : stderr;
	fprintf(f, "rip %016lx rsp %016lx rflags %08lx\n", r->rip, r->rsp, r->rflags);
	fprintf(f, "rax %016lx rbx %016lx rcx %016lx\n", r->rax, r->rbx, r->rcx);
	fprintf(f, "rdx %016lx rsi %016lx rdi %016lx\n", r->rdx, r->rsi, r->rdi);
	fprintf(f, "rbp %016lx r8  %016lx r9  %016lx\n", r->rbp, r->r8, r->r9);
	fprintf(f, "r10 %016lx r11 %016lx r12 %016lx\n", r->r10, r->r11, r->r12);
	fprintf(f, "r13 %016lx r14 %016lx r15 %016lx\n", r->r13, r->r14, r->r15);
	fprintf(f, "fs_base %016lx cr2 %016lx cr3 %016lx\n", ukplat_get_fs_base(),
		read_cr2(), read_cr3());
}

/* Frame-pointer walk; stops at the first frame that is not a kernel
 * address, so a corrupt chain cannot fault here. Threads' kernel stacks
 * are in the direct map, below the image. */
void ukplat_backtrace(int stream, unsigned long rbp)
{
	FILE *f = stream == 1 ? stdout : stderr;
	fprintf(f, "backtrace:\n");
	for (int depth = 0; depth < 32; depth++) {
		if (rbp < DIRECTMAP_BASE || (rbp & 7))
			break;
		unsigned long ret = ((unsigned long *)rbp)[1];
		if (!ret)
			break;
		fprintf(f, "  #%d %016lx\n", depth, ret);
		rbp = ((unsigned long *)rbp)[0];
	}
}

static void __attribute__((noreturn)) kernel_fault(struct __regs *r)
{
	unsigned long vec = r->orig_rax;
	printf("\nkernel fault: vector %lu (%s), error code %#lx\n", vec,
	       vec < 32 && vector_names[vec] ? vector_names[vec] : "interrupt",
	       r->error);
	ukplat_dump_regs(2, r);
	printf("backtrace from rip %016lx:\n", r->rip);
	ukplat_backtrace(2, r->rbp);
	ukplat_halt(125);
}

struct page_fault {
	struct __regs r;	/* first: restored from here */
	unsigned long addr;
};

static void __attribute__((noreturn)) page_fault(void *arg)
{
	struct page_fault *pf = arg;
	struct __regs *r = &pf->r;
	unsigned long addr = pf->addr;
	/* A NULL dereference in kernel code (below 64 KiB, Linux's
	 * mmap_min_addr) is reported as it is, before the address space is
	 * looked at, which may be what is broken (a space being torn down).
	 * Other program addresses are paged in for kernel code too (the
	 * in-kernel tests run on a stack in the program's half). */
	if (!from_app(r) && addr < 0x10000 && !ukplat_extable_fixup(r->rip))
		kernel_fault(r);
	int rc = addr < USER_TOP ? uk_mm_page_fault(r, addr, r->error) : -EFAULT;
	if (rc == 0) {
		if (from_app(r))
			uk_app_return_work(r);
		ukplat_regs_restore(r);
	}
	if (from_app(r)) {
		if (rc == -ENOMEM)
			uk_app_out_of_memory();
		uk_app_fatal_fault(r, rc == -EIO ? SIGBUS : SIGSEGV, addr, "page fault");
	}
	/* The user-memory helpers recover with -EFAULT. Kernel code touches
	 * the program's memory through them alone: any other fault there is
	 * the kernel's bug. */
	unsigned long fixup;
	if (addr < USER_TOP && (fixup = ukplat_extable_fixup(r->rip))) {
		r->rip = fixup;
		ukplat_regs_restore(r);
	}
	kernel_fault(r);
}

/* A page fault leaves its IST stack at once: serving it may read files,
 * write a signal frame or copy program memory, and a fault taken meanwhile
 * would start again at the top of the same IST stack. From the program it
 * goes on at the top of the thread's kernel stack (free while the program
 * runs); from the kernel, below the interrupted kernel stack (no red zone
 * there). */
static void __attribute__((noreturn)) leave_ist_for_page_fault(struct __regs *r)
{
	extern unsigned long ukplat_syscall_kstack[];
	int cpu = (int)(ukplat_stack_slot() - ukplat_cpu_current);	/* an IST stack's */
	unsigned long top = from_app(r) ? ukplat_syscall_kstack[cpu] : r->rsp - 64;
	struct page_fault *pf = (struct page_fault *)((top - sizeof(*pf)) & ~15UL);
	pf->addr = read_cr2();
	pf->r = *r;
	ukplat_run_on_stack(pf, page_fault, pf);
}

/* The work on the way back to the program after an interrupt (a signal
 * to deliver, a stop until SIGCONT) may sleep: it goes on at the top of
 * the thread's kernel stack, as a page fault does, not on the IST stack,
 * which this CPU's next interrupt starts again from the top (a thread
 * stopped there by an IPI of another CPU had its wait entry overwritten).
 * The return to the program gives up the lock. */
static void __attribute__((noreturn)) app_return(void *arg)
{
	struct __regs *r = arg;
	uk_app_return_work(r);
	ukplat_regs_restore(r);
}

static void __attribute__((noreturn)) app_return_off_ist(struct __regs *r)
{
	extern unsigned long ukplat_syscall_kstack[];
	int cpu = (int)(ukplat_stack_slot() - ukplat_cpu_current);	/* an IST stack's */
	struct __regs *frame = (struct __regs *)
		((ukplat_syscall_kstack[cpu] - sizeof(*frame)) & ~15UL);
	*frame = *r;
	ukplat_run_on_stack(frame, app_return, frame);
}

static void trap_dispatch(struct __regs *r);

void ukplat_trap_handler(struct __regs *r)
{
	/* The only NMIs are the lock's wake-ups: nothing to do, and no lock
	 * to take (the CPU may be waiting for it). */
	if (r->orig_rax == 2) {
		x86_bkl_nmi(r);
		return;
	}
	int locked = x86_bkl_trap_enter(from_app(r));
	trap_dispatch(r);
	x86_bkl_trap_leave(locked);
}

static void trap_dispatch(struct __regs *r)
{
	unsigned long vec = r->orig_rax;

	if (vec == 14)
		leave_ist_for_page_fault(r);
	if (vec == UKPLAT_TIMER_VECTOR) {
		x86_lapic_eoi();
		ukplat_timer_interrupt(r);
		if (from_app(r))
			app_return_off_ist(r);
		return;
	}
	if (vec == UKPLAT_CONSOLE_VECTOR) {
		x86_lapic_eoi();
		uk_console_input_irq();
		if (from_app(r))
			app_return_off_ist(r);
		return;
	}
	if (vec >= 32 && x86_irq_dispatch(vec)) {
		if (from_app(r))
			app_return_off_ist(r);
		return;
	}
	if (vec >= 32) {
		/* No other device interrupts are enabled; spurious ones end
		 * here (the spurious vector needs no EOI). */
		if (vec != UKPLAT_SPURIOUS_VECTOR)
			x86_lapic_eoi();
		return;
	}
	if (!from_app(r))
		kernel_fault(r);
	switch (vec) {
	case 0:
	case 16:
	case 19:
		uk_app_fatal_fault(r, SIGFPE, r->rip, vector_names[vec]);
	case 1:
	case 3:
		uk_app_fatal_fault(r, SIGTRAP, r->rip, vector_names[vec]);
	case 6:
		uk_app_fatal_fault(r, SIGILL, r->rip, vector_names[vec]);
	case 17:
		uk_app_fatal_fault(r, SIGBUS, r->rip, vector_names[vec]);
	default:
		uk_app_fatal_fault(r, SIGSEGV, 0, vector_names[vec]);
	}
}
