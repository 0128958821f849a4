/* Power off, carrying the status to the host: a framed record on COM2
 * (read by tools/ukconsole), then isa-debug-exit, then ACPI, then a
 * triple fault (QEMU runs with -no-reboot). */
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include "x86.h"

#define DEBUG_EXIT_PORT 0xf4
#define ACPI_PM1A_CNT_QEMU 0x604
#define ACPI_SLP_EN_S5 0x2000

void ukplat_halt(int status)
{
	__asm__ volatile("cli");
	x86_console_send_exit(status & 0xff);
	/* QEMU exits with (value << 1) | 1. */
	outl(DEBUG_EXIT_PORT, status & 0x7f);
	outw(ACPI_PM1A_CNT_QEMU, ACPI_SLP_EN_S5);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) null_idt = { 0, 0 };
	__asm__ volatile("lidt %0; int3" : : "m"(null_idt));
	for (;;)
		__asm__ volatile("hlt");
}
