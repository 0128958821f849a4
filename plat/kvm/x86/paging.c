/* Page tables: the direct map of all RAM (built here at boot, above the
 * first GiB the boot tables cover) and 4 KiB mappings in the lower half
 * for the application, whose pages are supervisor pages (ring 0 runs it). */
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/plat/paging.h>
#include <uk/mm.h>
#include "x86.h"

#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define GIB (1ULL << 30)

extern uint64_t boot_pml4[], boot_pdpt_dmap[];

static uint64_t *pml4;

static uint64_t *table_of(uint64_t entry)
{
	return KVA(entry & PTE_ADDR_MASK);
}

static uint64_t *alloc_table(void)
{
	uint64_t *t = uk_palloc(1);
	if (t)
		memset(t, 0, PAGE_SIZE);
	return t;
}

void x86_paging_init(uint64_t ram_top)
{
	uint32_t a, b, c, d;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	int gib_pages = !!(d & (1 << 26));

	pml4 = KVA(boot_pml4);
	uint64_t *pdpt = KVA(boot_pdpt_dmap);
	for (uint64_t gib = 1; gib * GIB < ram_top && gib < 512; gib++) {
		if (gib_pages) {
			pdpt[gib] = gib * GIB | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
			continue;
		}
		uint64_t *pd = alloc_table();
		if (!pd) {
			printf("paging: out of memory for the direct map\n");
			break;
		}
		for (int i = 0; i < 512; i++)
			pd[i] = (gib * GIB + ((uint64_t)i << 21)) | PTE_P | PTE_W |
				PTE_PS | PTE_G | PTE_NX;
		pdpt[gib] = KPA(pd) | PTE_P | PTE_W;
	}
	/* Drop the boot identity map: the lower half is the application's. */
	pml4[0] = 0;
	write_cr3(read_cr3());
}

/* Device pages live at the top of the kernel's space, uncached. */
#define IOREMAP_BASE 0xffffffffc0000000UL
static unsigned long ioremap_next = IOREMAP_BASE;

static uint64_t *pte_of(unsigned long va, int create);

void *ukplat_ioremap(unsigned long paddr)
{
	unsigned long va = ioremap_next;
	uint64_t *pte = pte_of(va, 1);
	if (!pte)
		return NULL;
	*pte = (paddr & PTE_ADDR_MASK) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_NX;
	invlpg(va);
	ioremap_next += PAGE_SIZE;
	return (void *)(va + (paddr & (PAGE_SIZE - 1)));
}

/* Walks to the PTE of va, creating tables when create is set. */
static uint64_t *pte_of(unsigned long va, int create)
{
	uint64_t *t = pml4;
	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &t[(va >> shift) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t *n = alloc_table();
			if (!n)
				return NULL;
			*e = KPA(n) | PTE_P | PTE_W;
		}
		t = table_of(*e);
	}
	return &t[(va >> 12) & 511];
}

static uint64_t prot_bits(int prot)
{
	uint64_t f = PTE_P;
	if (prot & UKPLAT_PROT_WRITE)
		f |= PTE_W;
	if (!(prot & UKPLAT_PROT_EXEC))
		f |= PTE_NX;
	return f;
}

int ukplat_page_map(unsigned long va, unsigned long pa, int prot)
{
	uint64_t *pte = pte_of(va, 1);
	if (!pte)
		return -1;
	*pte = (pa & PTE_ADDR_MASK) | prot_bits(prot);
	invlpg(va);
	return 0;
}

int ukplat_page_lookup(unsigned long va, unsigned long *pa)
{
	uint64_t *pte = pte_of(va, 0);
	if (!pte || !(*pte & PTE_P))
		return 0;
	if (pa)
		*pa = *pte & PTE_ADDR_MASK;
	return 1;
}

int ukplat_page_unmap(unsigned long va, unsigned long *pa)
{
	uint64_t *pte = pte_of(va, 0);
	if (!pte || !(*pte & PTE_P))
		return 0;
	if (pa)
		*pa = *pte & PTE_ADDR_MASK;
	*pte = 0;
	invlpg(va);
	return 1;
}

int ukplat_page_protect(unsigned long va, int prot)
{
	uint64_t *pte = pte_of(va, 0);
	if (!pte || !(*pte & PTE_P))
		return 0;
	*pte = (*pte & PTE_ADDR_MASK) | prot_bits(prot);
	invlpg(va);
	return 1;
}

/* Calls fn for every mapped page in [start, end), skipping empty tables
 * quickly: munmap of a large reservation touches only what was mapped. */
void ukplat_page_walk(unsigned long start, unsigned long end,
		      void (*fn)(unsigned long va, uint64_t *pte, void *arg),
		      void *arg)
{
	unsigned long va = start;
	while (va < end) {
		uint64_t *t = pml4;
		int shift;
		for (shift = 39; shift > 12; shift -= 9) {
			uint64_t e = t[(va >> shift) & 511];
			if (!(e & PTE_P))
				break;
			t = table_of(e);
		}
		if (shift > 12) {
			unsigned long next = (va | ((1UL << shift) - 1)) + 1;
			if (next <= va)
				break;
			va = next;
			continue;
		}
		uint64_t *pte = &t[(va >> 12) & 511];
		if (*pte & PTE_P)
			fn(va, pte, arg);
		va += PAGE_SIZE;
	}
}

void ukplat_pte_clear(unsigned long va, uint64_t *pte)
{
	*pte = 0;
	invlpg(va);
}

unsigned long ukplat_pte_addr(const uint64_t *pte)
{
	return *pte & PTE_ADDR_MASK;
}

void ukplat_pte_set_prot(unsigned long va, uint64_t *pte, int prot)
{
	*pte = (*pte & PTE_ADDR_MASK) | prot_bits(prot);
	invlpg(va);
}
