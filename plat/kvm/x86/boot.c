/* Boot: reads the PVH start_info (memory map, command line, initrd),
 * brings up the CPU, memory, clocks and console, then runs the libraries'
 * init functions and the application main (the ELF loader). */
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/mm.h>
#include <uk/init.h>
#include "x86.h"

#define HVM_START_MAGIC 0x336ec578
#define E820_RAM 1

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

extern char _kernel_pstart[], _end[];

static const char *cmdline = "";
static struct ukplat_module initrd;
static uint64_t ram_bytes, ram_top;
static const struct hvm_start_info *start_info;
uint64_t x86_rsdp_paddr;

const char *ukplat_cmdline(void)
{
	return cmdline;
}

const char *ukplat_bootarg_from(const char *from, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *c = from ? from : cmdline;
	while (*c) {
		while (*c == ' ')
			c++;
		size_t l = strcspn(c, " ");
		if (l == 2 && !strncmp(c, "--", 2))
			break;
		if (l > klen && !strncmp(c, key, klen) && c[klen] == '=') {
			*len = l - klen - 1;
			return c + klen + 1;
		}
		c += l;
	}
	return NULL;
}

const char *ukplat_bootarg(const char *key, size_t *len)
{
	return ukplat_bootarg_from(NULL, key, len);
}

int ukplat_initrd(struct ukplat_module *m)
{
	if (!initrd.data)
		return -1;
	*m = initrd;
	return 0;
}

uint64_t ukplat_ram_bytes(void)
{
	return ram_bytes;
}

uint64_t x86_ram_top(void)
{
	return ram_top;
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Whether [pa, pa+len) holds none of what the boot left below 1 MiB and
 * the kernel still reads: the start info, its memory map, module list,
 * modules and command line, and the RSDP. */
static int free_of_boot_data(uint64_t pa, uint64_t len)
{
	const struct hvm_start_info *si = start_info;
	uint64_t cl = si->cmdline_paddr ? strlen(cmdline) + 1 : 0;
	if (overlaps(pa, len, KPA(si), sizeof(*si)) ||
	    overlaps(pa, len, si->cmdline_paddr, cl) ||
	    overlaps(pa, len, si->memmap_paddr,
		     si->memmap_entries * sizeof(struct hvm_memmap_entry)) ||
	    overlaps(pa, len, si->modlist_paddr,
		     si->nr_modules * sizeof(struct hvm_modlist_entry)) ||
	    overlaps(pa, len, x86_rsdp_paddr, 36))
		return 0;
	const struct hvm_modlist_entry *mod = KVA(si->modlist_paddr);
	for (uint32_t i = 0; i < si->nr_modules; i++)
		if (overlaps(pa, len, mod[i].paddr, mod[i].size))
			return 0;
	return 1;
}

uint64_t x86_low_pages(unsigned n)
{
	const struct hvm_memmap_entry *mm = KVA(start_info->memmap_paddr);
	uint64_t len = (uint64_t)n * PAGE_SIZE;
	/* From the top down, as Linux does: the firmware's leftovers and
	 * the boot data crowd the bottom; page 0 is the real-mode IVT. */
	for (uint64_t pa = 0x100000 - len; pa >= PAGE_SIZE; pa -= PAGE_SIZE) {
		int ram = 0;
		for (uint32_t i = 0; i < start_info->memmap_entries && !ram; i++)
			ram = mm[i].type == E820_RAM && mm[i].addr <= pa &&
			      pa + len <= mm[i].addr + mm[i].size;
		if (ram && free_of_boot_data(pa, len))
			return pa;
	}
	return 0;
}

static void reserve(uint64_t start, uint64_t len)
{
	uk_pmem_reserve(start, len);
}

/* The boots that test the machine and stop, probe=accel and smp=test:
 * looked for in one pass over the words before "--" (a pass costs as
 * much as some of the setup, and every boot makes it). */
static void special_boots(void)
{
	const char *c = cmdline;
	while (*c) {
		while (*c == ' ')
			c++;
		size_t l = strcspn(c, " ");
		if (l == 2 && !strncmp(c, "--", 2))
			break;
		if (l == 11 && !strncmp(c, "probe=accel", 11))
			x86_accel_probe();
		if (l == 8 && !strncmp(c, "smp=test", 8))
			x86_smp_test();
		c += l;
	}
}

void ukplat_entry(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = KVA(start_info_pa);
	extern char boot_stack[];

	/* The boot CPU's running thread, from here on (layout.h). */
	ukplat_stack_set_slot(boot_stack, &ukplat_cpu_current[0]);
	start_info = si;

	x86_cpu_init();
	x86_serial_init();
	if (si->magic != HVM_START_MAGIC) {
		printf("boot: not started through PVH (magic %x)\n", si->magic);
		ukplat_halt(125);
	}
	x86_rsdp_paddr = si->rsdp_paddr;
	if (si->cmdline_paddr)
		cmdline = KVA(si->cmdline_paddr);
	x86_console_parse_cmdline(cmdline);

	if (si->version < 1 || !si->memmap_paddr) {
		printf("boot: the PVH start info has no memory map\n");
		ukplat_halt(125);
	}
	const struct hvm_memmap_entry *mm = KVA(si->memmap_paddr);
	uint64_t top = 0;
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		if (mm[i].type != E820_RAM)
			continue;
		ram_bytes += mm[i].size;
		if (mm[i].addr + mm[i].size > top)
			top = mm[i].addr + mm[i].size;
	}
	uk_pmem_init(top, KVA(KPA(_end)));
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (mm[i].type == E820_RAM)
			uk_pmem_add(mm[i].addr, mm[i].size);
	/* Keep what boot data lives in RAM out of the allocator. */
	reserve(0, 0x100000);
	reserve((uint64_t)_kernel_pstart, KPA(_end) - (uint64_t)_kernel_pstart);
	reserve(KPA(uk_pmem_bitmap()), uk_pmem_bitmap_bytes());
	if (si->nr_modules) {
		const struct hvm_modlist_entry *mod = KVA(si->modlist_paddr);
		initrd.data = KVA(mod->paddr);
		initrd.len = mod->size;
		reserve(mod->paddr, mod->size);
	}

	ram_top = top;
	x86_paging_init(top);
	x86_time_init();
	x86_lapic_init();
	x86_ioapic_init();
	x86_console_irq_init();
	x86_smp_init();
	special_boots();
	uk_run_inittab();

	int status = uk_app_main();
	ukplat_halt(status);
}

extern const uk_init_fn uk_inittab_start[], uk_inittab_end[];

void uk_run_inittab(void)
{
	for (const uk_init_fn *f = uk_inittab_start; f < uk_inittab_end; f++) {
		int rc = (*f)();
		if (rc < 0) {
			printf("boot: init function %p failed: %d\n", (void *)*f, rc);
			ukplat_halt(125);
		}
	}
}
