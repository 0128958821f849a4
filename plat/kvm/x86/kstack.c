/* Threads' kernel stacks, mapped page by page into a region of the kernel
 * half (uk/plat/layout.h): each is aligned to its size, as the running
 * thread is found from the stack pointer, without needing physically
 * contiguous memory (which a fork bomb or a long run fragments), and the
 * unmapped page below it turns an overflow into a fault. */
#include <string.h>
#include <uk/plat.h>
#include <uk/mm.h>
#include "x86.h"

#define SLOT (2 * UKPLAT_STACK_SIZE)
#define NSLOTS (UKPLAT_KSTACK_AREA_SIZE / SLOT)
#define PAGES (UKPLAT_STACK_SIZE / PAGE_SIZE)

static uint64_t used[NSLOTS / 64];

/* Another CPU may have run on the stack: its TLB lets go of the pages
 * before they are free. */
static void unmap_pages(unsigned long base, int n)
{
	unsigned long pa[PAGES];
	for (int i = 0; i < n; i++)
		pa[i] = x86_kernel_unmap(base + (unsigned long)i * PAGE_SIZE);
	x86_tlb_kernel_pages(base, (unsigned long)n);
	for (int i = 0; i < n; i++)
		if (pa[i])
			uk_pfree(KVA(pa[i]), 1);
}

/* The lowest free slot: the page tables of the area's start serve again
 * and again, instead of new ones for each new stack. */
void *ukplat_kstack_alloc(void)
{
	for (unsigned long w = 0; w < NSLOTS / 64; w++) {
		if (used[w] == ~0ULL)
			continue;
		unsigned long s = w * 64 + __builtin_ctzll(~used[w]);
		unsigned long base = UKPLAT_KSTACK_AREA + s * SLOT + UKPLAT_STACK_SIZE;
		for (int i = 0; i < PAGES; i++) {
			void *page = uk_palloc(1);
			if (!page || x86_kernel_map(base + (unsigned long)i * PAGE_SIZE, KPA(page))) {
				if (page)
					uk_pfree(page, 1);
				unmap_pages(base, i);
				return NULL;
			}
		}
		used[s / 64] |= 1ULL << (s % 64);
		return (void *)base;
	}
	return NULL;
}

void ukplat_kstack_free(void *stack)
{
	unsigned long base = (unsigned long)stack;
	unsigned long s = (base - UKPLAT_KSTACK_AREA) / SLOT;
	unmap_pages(base, PAGES);
	used[s / 64] &= ~(1ULL << (s % 64));
}
