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
