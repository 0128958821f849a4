/* Several CPUs: how many there are, which one is running, starting the
 * others, and inter-processor interrupts. The CPUs are those ACPI's MADT
 * lists as enabled (one without ACPI), at most UKPLAT_MAX_CPUS
 * (uk/plat/layout.h); CPU 0 is the boot CPU, which runs everything until
 * the scheduler starts the others, one at a time. */
#pragma once
#include <uk/plat.h>

/* The CPUs found: 1 without ACPI or with one CPU; at most UKPLAT_MAX_CPUS. */
int ukplat_cpu_count(void);

/* The running CPU's index (0 = the boot CPU), from RDPID or RDTSCP
 * (IA32_TSC_AUX holds it on every CPU) or else the local APIC's id; never
 * from GS or FS, which belong to the program. */
int ukplat_cpu_id(void);

/* Starts CPU id (1 .. count-1): it loads its own GDT, TSS and IST stacks
 * (which name its slot in ukplat_cpu_current), the IDT, the FPU/SSE/XSAVE
 * setup, the syscall MSRs and its LAPIC, as the boot CPU did, runs on the
 * kernel's boot page table and then calls fn(arg) on stack_top with
 * interrupts disabled. stack_top is the top of a kernel stack
 * (ukplat_kstack_alloc) whose slot the caller has named, as for a
 * thread's (uk/plat/layout.h). fn must not return (if it does, the CPU
 * stops). One call at a time; it takes kernel stacks for the IST.
 * Returns 0 once the CPU runs fn; -EINVAL for a bad id or a CPU already
 * started, -ENOMEM without memory for its IST stacks or a free page
 * below 1 MiB for its real-mode start, -ETIMEDOUT when it did not answer
 * within about a second (it is then sent INIT again, and stays parked). */
int ukplat_cpu_start(int id, void (*fn)(void *), void *arg, void *stack_top);

/* Sends vector to CPU cpu (fixed delivery to its APIC id) and waits until
 * its local APIC has taken it. cpu may be the running one; nothing is
 * sent to a CPU not started (or out of range). As with any interrupt,
 * IPIs of one vector that reach a CPU before it takes the first merge
 * into one: a handler looks at what is pending for it, it does not
 * count interrupts. */
void ukplat_ipi_send(int cpu, unsigned vector);

/* The handlers of UKPLAT_IPI_RESCHED_VECTOR and UKPLAT_IPI_CALL_VECTOR
 * (uk/plat.h) end the interrupt and call these, on the receiving CPU with
 * interrupts disabled; the platform's defaults (weak) do nothing. As for
 * device interrupts, uk_app_return_work follows when the CPU was in the
 * program. */
void uk_sched_ipi_resched(void);
void uk_sched_ipi_call(void);
