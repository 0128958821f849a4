/* Application page-table operations (4 KiB pages in the lower half).
 * Functions returning int give 1/0 for found/not found, or 0/-1 for
 * success/out of memory (ukplat_page_map). */
#pragma once
#include <stdint.h>

#define UKPLAT_PROT_READ  1
#define UKPLAT_PROT_WRITE 2
#define UKPLAT_PROT_EXEC  4
/* Copy-on-write: mapped read-only, marked so that a write fault copies. */
#define UKPLAT_PROT_COW   8

/* Address spaces: a top-level table each, the kernel's half shared. The
 * functions below without a pt argument work on the current one. */
void *ukplat_pt_current(void);
void *ukplat_pt_new(void);		/* NULL: out of memory */
/* Loads pt into CR3 (NULL: the kernel-only boot table, for an idle CPU). */
void ukplat_pt_switch(void *pt);
/* Frees the tables of pt's lower half (not the pages they map) and pt. */
void ukplat_pt_destroy(void *pt);
int ukplat_pt_map(void *pt, unsigned long va, unsigned long pa, int prot);
/* fork: the current space's mappings in [start, end) copied into dst;
 * writable private pages become copy-on-write in both unless share; ref
 * is called with each page's address. 0, or -1 out of memory. */
int ukplat_pt_fork_range(void *dst, unsigned long start, unsigned long end, int share,
			 void (*ref)(unsigned long pa));

int ukplat_page_map(unsigned long va, unsigned long pa, int prot);
int ukplat_page_lookup(unsigned long va, unsigned long *pa);
int ukplat_page_unmap(unsigned long va, unsigned long *pa);
int ukplat_page_protect(unsigned long va, int prot);
/* Calls fn for every mapped page in [start, end), to change it (a page
 * table fork shared becomes this space's own first): 0, or -1 out of
 * memory for that. */
int ukplat_page_walk(unsigned long start, unsigned long end,
		     void (*fn)(unsigned long va, uint64_t *pte, void *arg),
		     void *arg);
/* The walk of a space going away: fn sees only the pages of tables this
 * space holds alone; shared ones are let go, their pages kept. */
void ukplat_page_release(unsigned long start, unsigned long end,
			 void (*fn)(unsigned long va, uint64_t *pte, void *arg),
			 void *arg);
/* Clears a PTE of the live space; other CPUs may still hold it until
 * ukplat_tlb_sync (which ukplat_page_walk does at its end): a page
 * cleared in a walk is freed only after it. */
void ukplat_pte_clear(unsigned long va, uint64_t *pte);
void ukplat_tlb_sync(void);
unsigned long ukplat_pte_addr(const uint64_t *pte);
/* Keeps a COW page read-only and marked. */
void ukplat_pte_set_prot(unsigned long va, uint64_t *pte, int prot);
int ukplat_pte_writable(const uint64_t *pte);
int ukplat_pte_is_cow(const uint64_t *pte);
