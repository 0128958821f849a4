/* The platform interface: what portable libraries may ask of the machine.
 * Errors are negative errno values unless a function says otherwise. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <uk/plat/layout.h>
#include <uk/plat/regs.h>

/* Console. Stream 1 carries the program's stdin/stdout, stream 2 its
 * stderr and the kernel's messages. */
void ukplat_console_write(int stream, const char *buf, size_t len);
/* Reads the raw bytes of stdin that have arrived: the count, 0 at the
 * end of input, -EAGAIN when none is there yet (never blocks). */
long ukplat_console_read(char *buf, size_t len);
int ukplat_console_input_ready(void);
/* Called from the console's receive interrupt (input has arrived). */
void uk_console_input_irq(void);
/* Called when the host asks (a control frame on COM2) that signal sig go
 * to PID 1; from an interrupt handler. */
void uk_console_host_signal(int sig);
#define UKPLAT_CONSOLE_VECTOR 36
/* Whether the host side of stdin (0), stdout (1), stderr (2) is a tty. */
int ukplat_console_isatty(int fd);
void ukplat_console_winsize(unsigned short *rows, unsigned short *cols);

/* Time. */
uint64_t ukplat_monotonic_ns(void);
uint64_t ukplat_wall_clock_ns(void);	/* nanoseconds since the epoch */
void ukplat_wall_clock_set(uint64_t ns);	/* clock_settime: steps it */
uint64_t ukplat_tsc_khz(void);
void ukplat_wait_until_ns(uint64_t monotonic_ns);

/* The one-shot timer interrupt (UKPLAT_TIMER_VECTOR): at the deadline
 * (monotonic ns) ukplat_timer_interrupt runs. */
#define UKPLAT_TIMER_VECTOR 32
#define UKPLAT_SPURIOUS_VECTOR 255
/* Inter-processor interrupts (uk/plat/smp.h), in the highest priority
 * class as Linux's are: ahead of any device interrupt pending with them. */
#define UKPLAT_IPI_RESCHED_VECTOR 252
#define UKPLAT_IPI_CALL_VECTOR 253
void ukplat_timer_set(uint64_t deadline_ns);
void ukplat_timer_stop(void);
void ukplat_timer_interrupt(struct __regs *r);
/* Device interrupts. A handler gets a vector of its own and runs, after
 * the end of interrupt, with interrupts off like every kernel path (so
 * never in the middle of a system call); it only runs when the CPU was
 * in the program or idle. The vector then reaches the CPU through an
 * I/O APIC line (GSI, edge-triggered, active high) or an MSI/MSI-X
 * message. */
typedef void (*ukplat_irq_fn)(void *arg);
/* A free vector now bound to fn(arg), or -ENOSPC. */
int ukplat_irq_alloc(ukplat_irq_fn fn, void *arg);
int ukplat_irq_route_gsi(unsigned gsi, int vector);	/* -ENODEV: no such line */
/* The MSI address and data that deliver vector to this CPU. */
void ukplat_msi_message(int vector, uint64_t *addr, uint32_t *data);
/* QEMU microvm's line (GSI) of virtio-mmio transport slot, by how the
 * machine was configured (a second I/O APIC, ACPI); -ENODEV without. */
int ukplat_microvm_virtio_gsi(unsigned slot);
/* Interrupts on (for idling) and off; halts until the next interrupt. */
void ukplat_idle(void);

/* Thread contexts: a saved kernel stack pointer. ukplat_ctx_init builds a
 * new stack whose first switch calls fn(arg); ukplat_ctx_switch saves the
 * current context in *prev_sp and resumes next_sp. */
void *ukplat_ctx_init(void *stack_top, void (*fn)(void *), void *arg);
void ukplat_ctx_switch(void **prev_sp, void *next_sp);
void __attribute__((noreturn)) ukplat_run_on_stack(void *sp, void (*fn)(void *),
						    void *arg);
/* The extended (FPU/SSE/AVX) state of the application's threads. */
size_t ukplat_fpu_area_size(void);
void ukplat_fpu_save(void *area);	/* area: 64-byte aligned */
void ukplat_fpu_restore(const void *area);
/* Loads the initial state of a new program (execve). */
void ukplat_fpu_reset(void);
/* The kernel stack syscalls of the running thread start from. */
void ukplat_set_syscall_stack(int cpu, void *top);
/* Maps a page of device memory (uncached) and returns its address. */
void *ukplat_ioremap(unsigned long paddr);

/* Power: hands the status out to the host and stops. */
void __attribute__((noreturn)) ukplat_halt(int status);
/* The status of a successful accelerator probe (boot argument
 * probe=accel; run.sh's scripts/accel.sh expects it). */
#define UKPLAT_PROBE_STATUS 0x5a

/* Boot information. */
const char *ukplat_cmdline(void);
/* The value of the kernel boot argument KEY=VALUE (among the words before
 * "--") and its length in *len, or NULL. _from goes on searching after
 * `from` (a value it returned, plus its length), for keys given more
 * than once. */
const char *ukplat_bootarg(const char *key, size_t *len);
const char *ukplat_bootarg_from(const char *from, const char *key, size_t *len);
struct ukplat_module {
	const void *data;
	size_t len;
};
int ukplat_initrd(struct ukplat_module *m);
uint64_t ukplat_ram_bytes(void);

/* Randomness from RDSEED/RDRAND where the CPU has them; returns 0 when
 * the CPU offers neither. */
int ukplat_hw_random(uint64_t *out);

/* CPU features the loader passes on in the auxiliary vector. */
uint32_t ukplat_hwcap(void);
uint64_t ukplat_hwcap2(void);

/* A thread's kernel stack (UKPLAT_STACK_SIZE, aligned to it; its lowest
 * address is returned), or NULL when out of memory. */
void *ukplat_kstack_alloc(void);
void ukplat_kstack_free(void *stack);

/* Faults and syscalls reach the libraries through these hooks. */
struct __regs;
/* Returns 0 when the fault was handled (page mapped on demand); -EFAULT
 * (a SIGSEGV), -EIO (a SIGBUS) or -ENOMEM (out of memory). */
int uk_mm_page_fault(struct __regs *r, unsigned long addr, unsigned long err);
/* The program needs a page and there is none: its process ends. */
void __attribute__((noreturn)) uk_app_out_of_memory(void);
void __attribute__((noreturn)) uk_app_fatal_fault(struct __regs *r, int signo,
						   unsigned long addr,
						   const char *what);
void ukplat_syscall_handler(struct __regs *r);
/* Runs before an interrupt or fault returns to the program (signals). */
void uk_app_return_work(struct __regs *r);
void ukplat_dump_regs(int stream, const struct __regs *r);
void ukplat_backtrace(int stream, unsigned long rbp);

/* Thread register state the application owns. */
void ukplat_set_fs_base(unsigned long v);
unsigned long ukplat_get_fs_base(void);
void ukplat_set_gs_base(unsigned long v);
unsigned long ukplat_get_gs_base(void);

/* Resumes the application from a complete register frame (for calls
 * that rewrite it: rt_sigreturn, execve). */
void __attribute__((noreturn)) ukplat_regs_restore(struct __regs *r);

/* Enters the application: never returns. */
void __attribute__((noreturn)) ukplat_enter_app(unsigned long entry,
						 unsigned long sp);
