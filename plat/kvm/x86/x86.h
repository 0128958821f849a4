/* Internal interfaces between the x86 platform files. */
#pragma once
#include <stdint.h>

void x86_cpu_init(void);
uint32_t x86_xsave_size(void);
void x86_serial_init(void);
void x86_time_init(void);
void x86_paging_init(uint64_t ram_top);
void x86_console_parse_cmdline(const char *cmdline);
void x86_console_send_exit(int status);
void x86_console_irq_init(void);
void x86_lapic_init(void);
void x86_lapic_eoi(void);
void __attribute__((noreturn)) x86_accel_probe(void);
void x86_ioapic_init(void);
int x86_ioapic_present(unsigned gsi);
/* Device interrupts (irq.c): runs the handler of a vector it gave out,
 * or of an IPI; 0 when the vector is not one of them. */
int x86_irq_dispatch(unsigned long vector);
extern uint64_t x86_rsdp_paddr;
/* A trap takes the big kernel lock when it came from the program or from
 * an idle CPU (non-zero: it did), and gives it up before going back. */
int x86_bkl_trap_enter(int from_app);
void x86_bkl_trap_leave(int how);
/* An NMI is the wake-up of a lock waiter halted with its interrupts off
 * (bkl.c); x86_bkl_kick sends one to cpu if it is such a waiter. */
struct __regs;
void x86_bkl_nmi(struct __regs *r);
void x86_bkl_kick(int cpu);
/* A page of the kernel half, mapped in every address space (writable,
 * not executable); unmapping gives back its physical address (0: none). */
int x86_kernel_map(unsigned long va, unsigned long pa);
unsigned long x86_kernel_unmap(unsigned long va);
uint64_t x86_ram_top(void);
/* n free pages of RAM below 1 MiB (boot.c keeps that MiB out of the
 * allocator) that hold no boot data; 0 when there are none. */
uint64_t x86_low_pages(unsigned n);

/* Several CPUs (smp.c, acpi.c, cpu.c, lapic.c). */
/* The enabled local APICs of the MADT, in its order, up to max of them
 * in apic_ids; returns how many there are (0 without ACPI). */
int x86_acpi_cpus(uint32_t *apic_ids, int max);
void x86_smp_init(void);
uint32_t x86_cpu_apic_id(int cpu);
void __attribute__((noreturn)) x86_smp_test(void);
/* An IPI vector's handler; 0 when vector is none. */
int x86_ipi_dispatch(unsigned long vector);
/* How many IPIs of vector CPU cpu has taken (for the smp=test boot). */
unsigned x86_ipi_count(int cpu, unsigned vector);
/* Gives CPU cpu (not 0) its IST stacks, once: 0 or -ENOMEM. */
int x86_cpu_prepare(int cpu);
/* An AP's share of x86_cpu_init: its GDT, TSS, IDT, FPU and syscall MSRs. */
void x86_cpu_init_ap(int cpu);
void x86_lapic_init_ap(void);
uint32_t x86_lapic_id(void);
/* Whether CPU cpu has been started (the boot CPU always). */
int x86_cpu_running(int cpu);
/* An NMI to a running CPU. */
void x86_nmi_send(int cpu);

/* TLB shootdowns (tlb.c). paging.c says which space this CPU loaded
 * (0: the boot table), that a translation of the live space changed
 * (ukplat_tlb_sync then flushes the others), that one of space did
 * (flushed at once), and that a space is going away (CPUs idle on it
 * move to the boot table); kstack.c that kernel pages were unmapped. */
void x86_tlb_loaded(uint64_t space);
void x86_tlb_changed(void);
void x86_tlb_flush_space(uint64_t space);
void x86_tlb_drop_space(uint64_t space);
void x86_tlb_kernel_pages(unsigned long va, unsigned long npages);
/* Serves this CPU's request, if any (the lock's waiters, the IPI). */
void x86_tlb_serve(void);
extern volatile int x86_tlb_requests;
void x86_pt_load_boot(void);

/* Writes the ICR (destination APIC id, low word) and waits for delivery. */
void x86_lapic_icr(uint32_t apic_id, uint32_t low);
