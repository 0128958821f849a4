/* Page tables: the direct map of all RAM (built here at boot, above the
 * first GiB the boot tables cover) and 4 KiB mappings in the lower half
 * for the application, whose pages are supervisor pages (ring 0 runs it).
 * Each address space has its own top-level table; its upper half points
 * to the same kernel tables as the boot one, which gain no new top-level
 * entries after boot, so the kernel looks the same from every process.
 * A copy-on-write page is mapped read-only with PTE_COW set.
 *
 * fork shares whole page tables rather than copying their entries: a
 * table whose 2 MiB lie in one private mapping is pointed to by the
 * parent's and the child's directory entries alike, both read-only and
 * marked PDE_SHARED, and the table's count (the page allocator's count of
 * its page) says how many spaces hold it. The pages in it count one
 * reference for the table. The first change through a shared table makes
 * it the changer's own (unshare_table): the last holder takes it back as
 * it is, any other copies it, and then every page in it is copy-on-write
 * for both sides. Lookups read through it unchanged. */
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <uk/plat.h>
#include <uk/plat/cpu.h>
#include <uk/plat/paging.h>
#include <uk/mm.h>
#include "x86.h"

#define PTE_COW 0x200		/* software bit: writable once copied */
#define PDE_SHARED 0x200	/* software bit of a directory entry: fork shares its table */
#define TABLE_SPAN (1UL << 21)	/* what one page table maps */
#define GIB (1ULL << 30)
#define KERNEL_HALF 256		/* first top-level entry of the kernel's half */

extern uint64_t boot_pml4[], boot_pdpt_dmap[];

/* The address space in this CPU's CR3: the functions below work on it
 * (each CPU has its own, so it is read from CR3, not kept). */
static uint64_t *cur_pml4(void)
{
	return KVA(read_cr3() & PTE_ADDR_MASK);
}
#define pml4 (cur_pml4())

/* A present translation of space pt changed: other CPUs on it flush now. */
static void changed(uint64_t *pt)
{
	x86_tlb_flush_space(KPA(pt));
}

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
	uint64_t *top = KVA(boot_pml4);
	top[0] = 0;
	/* Every kernel top-level entry exists from now on (the direct map,
	 * the image, device pages), so copies of this half stay current. */
	if (!(top[511] & PTE_P) || !(top[KERNEL_HALF] & PTE_P))
		printf("paging: the kernel half is incomplete\n");
	write_cr3(read_cr3());
}

void *ukplat_pt_current(void)
{
	return pml4;
}

void *ukplat_pt_new(void)
{
	uint64_t *t = alloc_table();
	if (t)
		memcpy(t + KERNEL_HALF, (uint64_t *)KVA(boot_pml4) + KERNEL_HALF,
		       KERNEL_HALF * sizeof(uint64_t));
	return t;
}

void ukplat_pt_switch(void *pt)
{
	if (!pt)
		pt = KVA(boot_pml4);	/* the kernel's alone: an idle CPU's */
	if (pt == pml4)
		return;
	write_cr3(KPA(pt));
	x86_tlb_loaded(pt == KVA(boot_pml4) ? 0 : KPA(pt));
}

void x86_pt_load_boot(void)
{
	write_cr3(KPA(KVA(boot_pml4)));
}

static uint32_t *table_refs(uint64_t pde)
{
	return uk_pmem_count(pde & PTE_ADDR_MASK);
}

/* Frees a table of the lower half and those under it (level 3: PDPT); a
 * page table shared with other spaces only loses this one's hold. */
static void free_tables(uint64_t *t, int level)
{
	if (level > 1)
		for (int i = 0; i < 512; i++) {
			if (!(t[i] & PTE_P))
				continue;
			if (level == 2 && (t[i] & PDE_SHARED) && --*table_refs(t[i]) > 0)
				continue;
			free_tables(table_of(t[i]), level - 1);
		}
	uk_pfree(t, 1);
}

void ukplat_pt_destroy(void *pt)
{
	uint64_t *top = pt;
	if (top == pml4 || top == KVA(boot_pml4))
		return;	/* never the live one, never the boot one */
	x86_tlb_drop_space(KPA(top));	/* nor another CPU's, idle on it */
	for (int i = 0; i < KERNEL_HALF; i++)
		if (top[i] & PTE_P)
			free_tables(table_of(top[i]), 3);
	uk_pfree(top, 1);
}

/* Whether entry *e points to a table, given a new empty one first when
 * create is set. */
static int has_table(uint64_t *e, int create)
{
	if (*e & PTE_P)
		return 1;
	uint64_t *n = create ? alloc_table() : NULL;
	if (n)
		*e = KPA(n) | PTE_P | PTE_W;
	return !!n;
}

/* The directory entry over va in the tree at top (creating the levels
 * above it when create is set), or NULL. */
static uint64_t *pde_in(uint64_t *top, unsigned long va, int create)
{
	uint64_t *t = top;
	for (int shift = 39; shift > 21; shift -= 9) {
		uint64_t *e = &t[(va >> shift) & 511];
		if (!has_table(e, create))
			return NULL;
		t = table_of(*e);
	}
	return &t[(va >> 21) & 511];
}

/* The others have let go of a shared table: it is this space's again,
 * and its writable pages are this space's alone (a holder that copied
 * the table first made them copy-on-write). */
static void take_back(uint64_t *pde, uint32_t *refs)
{
	*refs = 0;
	*pde = (*pde & ~PDE_SHARED) | PTE_W;
}

/* Makes the shared page table under directory entry *pde of space top
 * top's own, before a change through it. 0, or -1 out of memory. */
static int unshare_table(uint64_t *top, uint64_t *pde)
{
	uint32_t *refs = table_refs(*pde);
	if (*refs <= 1) {
		take_back(pde, refs);
		return 0;
	}
	uint64_t *t = table_of(*pde), *n = alloc_table();
	if (!n)
		return -1;
	/* Read-only pages too, as fork does: an mprotect may make them
	 * writable later, and then they must be copied. */
	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		t[i] = (t[i] & ~PTE_W) | PTE_COW;
		n[i] = t[i];
		uk_upage_get(t[i] & PTE_ADDR_MASK);
	}
	--*refs;
	*pde = KPA(n) | PTE_P | PTE_W;
	/* The same translations, through another table: only the cached
	 * directory entry must go, here and on CPUs that run this space. */
	if (top == pml4)
		write_cr3(read_cr3());
	changed(top);
	return 0;
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

/* Walks to the PTE of va in the table tree at top, to change it:
 * creates tables when create is set, and makes a shared one top's own. */
static uint64_t *pte_in(uint64_t *top, unsigned long va, int create)
{
	uint64_t *e = pde_in(top, va, create);
	if (!e || !has_table(e, create))
		return NULL;
	if ((*e & PDE_SHARED) && unshare_table(top, e))
		return NULL;
	return &table_of(*e)[(va >> 12) & 511];
}

/* The PTE of va in the live space, to read only (a shared table stays
 * shared), or NULL. */
static const uint64_t *pte_peek(unsigned long va)
{
	const uint64_t *e = pde_in(pml4, va, 0);
	if (!e || !(*e & PTE_P))
		return NULL;
	return &table_of(*e)[(va >> 12) & 511];
}

static uint64_t *pte_of(unsigned long va, int create)
{
	return pte_in(pml4, va, create);
}

/* The kernel half's tables below the top level are shared by every
 * address space: a page mapped here is seen from all of them. */
int x86_kernel_map(unsigned long va, unsigned long pa)
{
	uint64_t *pte = pte_in(KVA(boot_pml4), va, 1);
	if (!pte)
		return -1;
	*pte = (pa & PTE_ADDR_MASK) | PTE_P | PTE_W | PTE_G | PTE_NX;
	return 0;
}

unsigned long x86_kernel_unmap(unsigned long va)
{
	uint64_t *pte = pte_in(KVA(boot_pml4), va, 0);
	if (!pte || !(*pte & PTE_P))
		return 0;
	unsigned long pa = *pte & PTE_ADDR_MASK;
	*pte = 0;
	invlpg(va);
	return pa;
}

/* A COW page stays read-only whatever the protection says, until the
 * memory manager copies it. */
static uint64_t prot_bits(int prot)
{
	uint64_t f = PTE_P;
	if (prot & UKPLAT_PROT_COW)
		f |= PTE_COW;
	else if (prot & UKPLAT_PROT_WRITE)
		f |= PTE_W;
	if (!(prot & UKPLAT_PROT_EXEC))
		f |= PTE_NX;
	return f;
}

int ukplat_pt_map(void *pt, unsigned long va, unsigned long pa, int prot)
{
	uint64_t *pte = pte_in(pt, va, 1);
	if (!pte)
		return -1;
	uint64_t old = *pte;
	*pte = (pa & PTE_ADDR_MASK) | prot_bits(prot);
	if (pt == pml4)
		invlpg(va);
	if (old & PTE_P)
		changed(pt);
	return 0;
}

int ukplat_page_map(unsigned long va, unsigned long pa, int prot)
{
	return ukplat_pt_map(pml4, va, pa, prot);
}

int ukplat_page_lookup(unsigned long va, unsigned long *pa)
{
	const uint64_t *pte = pte_peek(va);
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
	changed(pml4);
	return 1;
}

int ukplat_page_protect(unsigned long va, int prot)
{
	uint64_t *pte = pte_of(va, 0);
	if (!pte || !(*pte & PTE_P))
		return 0;
	*pte = (*pte & PTE_ADDR_MASK) | prot_bits(prot);
	invlpg(va);
	changed(pml4);
	return 1;
}

/* Calls visit for each page table of the live space under [start, end),
 * with its directory entry and the part of the range it maps, skipping
 * what is absent quickly: munmap of a large reservation touches only what
 * was mapped. Stops at the first nonzero visit, which it returns. */
static int each_table(unsigned long start, unsigned long end,
		      int (*visit)(uint64_t *pde, unsigned long from, unsigned long to,
				   void *arg),
		      void *arg)
{
	unsigned long va = start;
	while (va < end) {
		uint64_t *t = pml4, *e;
		int shift = 39;
		for (;;) {
			e = &t[(va >> shift) & 511];
			if (!(*e & PTE_P) || shift == 21)
				break;
			t = table_of(*e);
			shift -= 9;
		}
		unsigned long next = (va | ((1UL << shift) - 1)) + 1;
		if (next <= va || next > end)
			next = end;
		if (*e & PTE_P) {
			int rc = visit(e, va, next, arg);
			if (rc)
				return rc;
		}
		va = next;
	}
	return 0;
}

static void each_page(uint64_t *pde, unsigned long from, unsigned long to,
		      void (*fn)(unsigned long va, uint64_t *pte, void *arg), void *arg)
{
	uint64_t *t = table_of(*pde);
	for (unsigned long va = from; va < to; va += PAGE_SIZE) {
		uint64_t *pte = &t[(va >> 12) & 511];
		if (*pte & PTE_P)
			fn(va, pte, arg);
	}
}

struct walk {
	void (*fn)(unsigned long va, uint64_t *pte, void *arg);
	void *arg;
};

static int walk_table(uint64_t *pde, unsigned long from, unsigned long to, void *arg)
{
	struct walk *w = arg;
	if ((*pde & PDE_SHARED) && unshare_table(pml4, pde))
		return -1;
	each_page(pde, from, to, w->fn, w->arg);
	return 0;
}

static int walk_tables(unsigned long start, unsigned long end,
		       int (*visit)(uint64_t *pde, unsigned long from, unsigned long to,
				    void *arg),
		       void (*fn)(unsigned long va, uint64_t *pte, void *arg), void *arg)
{
	struct walk w = { fn, arg };
	int rc = each_table(start, end, visit, &w);
	ukplat_tlb_sync();
	return rc;
}

int ukplat_page_walk(unsigned long start, unsigned long end,
		     void (*fn)(unsigned long va, uint64_t *pte, void *arg),
		     void *arg)
{
	return walk_tables(start, end, walk_table, fn, arg);
}

static int release_table(uint64_t *pde, unsigned long from, unsigned long to, void *arg)
{
	struct walk *w = arg;
	if (*pde & PDE_SHARED) {
		uint32_t *refs = table_refs(*pde);
		if (*refs > 1) {
			/* The others keep it, and its pages. */
			--*refs;
			*pde = 0;
			return 0;
		}
		take_back(pde, refs);
	}
	each_page(pde, from, to, w->fn, w->arg);
	return 0;
}

void ukplat_page_release(unsigned long start, unsigned long end,
			 void (*fn)(unsigned long va, uint64_t *pte, void *arg),
			 void *arg)
{
	walk_tables(start, end, release_table, fn, arg);
}

void ukplat_pte_clear(unsigned long va, uint64_t *pte)
{
	*pte = 0;
	invlpg(va);
	x86_tlb_changed();
}

unsigned long ukplat_pte_addr(const uint64_t *pte)
{
	return *pte & PTE_ADDR_MASK;
}

void ukplat_pte_set_prot(unsigned long va, uint64_t *pte, int prot)
{
	if (*pte & PTE_COW)
		prot |= UKPLAT_PROT_COW;
	*pte = (*pte & PTE_ADDR_MASK) | prot_bits(prot);
	invlpg(va);
	x86_tlb_changed();
}

int ukplat_pte_writable(const uint64_t *pte)
{
	return !!(*pte & PTE_W);
}

int ukplat_pte_is_cow(const uint64_t *pte)
{
	return !!(*pte & PTE_COW);
}

struct fork {
	uint64_t *dst;
	unsigned long start, end;
	int share;
	void (*ref)(unsigned long pa);
};

static int fork_table(uint64_t *pde, unsigned long from, unsigned long to, void *arg)
{
	struct fork *f = arg;
	unsigned long base = from & ~(TABLE_SPAN - 1);
	if (!f->share && base >= f->start && base + TABLE_SPAN <= f->end) {
		/* The whole table is this private mapping's: shared. */
		uint64_t *d = pde_in(f->dst, base, 1);
		if (!d)
			return -1;
		uint32_t *refs = table_refs(*pde);
		if (!(*pde & PDE_SHARED)) {
			*refs = 1;
			*pde = (*pde & ~PTE_W) | PDE_SHARED;
		}
		++*refs;
		*d = *pde;
		return 0;
	}
	if ((*pde & PDE_SHARED) && unshare_table(pml4, pde))
		return -1;
	uint64_t *t = table_of(*pde), *dt = NULL;
	for (unsigned long va = from; va < to; va += PAGE_SIZE) {
		uint64_t *pte = &t[(va >> 12) & 511];
		if (!(*pte & PTE_P))
			continue;
		if (!dt) {
			uint64_t *first = pte_in(f->dst, va, 1);
			if (!first)
				return -1;
			dt = first - ((va >> 12) & 511);
		}
		/* Read-only ones too: an mprotect may make them writable
		 * later, and then they must be copied. */
		if (!f->share)
			*pte = (*pte & ~PTE_W) | PTE_COW;
		dt[(va >> 12) & 511] = *pte;
		if (f->ref)
			f->ref(*pte & PTE_ADDR_MASK);
	}
	return 0;
}

int ukplat_pt_fork_range(void *dst, unsigned long start, unsigned long end, int share,
			 void (*ref)(unsigned long pa))
{
	struct fork f = { dst, start, end, share, ref };
	int rc = each_table(start, end, fork_table, &f);
	if (!share) {
		write_cr3(read_cr3());	/* the source's pages turned read-only */
		changed(pml4);
	}
	return rc;
}
