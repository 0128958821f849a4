/* Application page-table operations (4 KiB pages in the lower half).
 * Functions returning int give 1/0 for found/not found, or 0/-1 for
 * success/out of memory (ukplat_page_map). */
#pragma once
#include <stdint.h>

#define UKPLAT_PROT_READ  1
#define UKPLAT_PROT_WRITE 2
#define UKPLAT_PROT_EXEC  4

int ukplat_page_map(unsigned long va, unsigned long pa, int prot);
int ukplat_page_lookup(unsigned long va, unsigned long *pa);
int ukplat_page_unmap(unsigned long va, unsigned long *pa);
int ukplat_page_protect(unsigned long va, int prot);
void ukplat_page_walk(unsigned long start, unsigned long end,
		      void (*fn)(unsigned long va, uint64_t *pte, void *arg),
		      void *arg);
void ukplat_pte_clear(unsigned long va, uint64_t *pte);
unsigned long ukplat_pte_addr(const uint64_t *pte);
void ukplat_pte_set_prot(unsigned long va, uint64_t *pte, int prot);
