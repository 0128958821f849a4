/* Internal interfaces of lib/mm. */
#pragma once
#include <uk/mm.h>
#include <uk/process.h>

/* A process's address space (shared by CLONE_VM). */
struct uk_mm {
	int refs;
	struct uk_vma *vmas;	/* sorted, disjoint */
	unsigned long brk_base, brk_cur;
	struct uk_vma *brk_vma;
	void *pt;		/* its page tables (lib/plat) */
	int lock_future;	/* mlockall MCL_FUTURE */
	int membarrier;		/* membarrier's REGISTER_* commands done */
};

#define MM() (uk_proc()->mm)
extern struct uk_mm uk_init_mm;

int mm_range_free(unsigned long start, unsigned long end);
int mm_range_mapped(unsigned long start, unsigned long end);
int mm_release_pages(unsigned long start, unsigned long end);
int mm_vma_unmap(unsigned long start, unsigned long end);
int mm_vma_protect(unsigned long start, unsigned long end, int prot);
/* The VMAs of [start, end) (split at its ends) get flags set, after the
 * bits of clear go; -1 out of memory. */
int mm_vma_set_flags(unsigned long start, unsigned long end, int set, int clear);
/* Maps the page at va of v as the program's fault would (write: for
 * writing); 0 or -errno. */
int mm_fault_in(struct uk_vma *v, unsigned long va, int write);
struct uk_vma *mm_vma_insert(unsigned long start, unsigned long end, int prot,
			     int flags, const char *name);
unsigned long mm_find_gap(size_t len, unsigned long top);
int mm_plat_prot(int prot);
/* Whether v maps its file's own pages: all of them (MAP_SHARED), or
 * (uses) at least those not yet written (MAP_PRIVATE, copy-on-write);
 * the file keeps such pages while any VMA uses them (shared_maps). */
int mm_vma_maps_file_pages(const struct uk_vma *v);
int mm_vma_uses_file_pages(const struct uk_vma *v);
/* The VMA lets go of its file: shared_maps, and the file's unmapped
 * when it was the last shared mapping. */
void mm_vma_file_unref(struct uk_vma *v);
/* Writes back the cached file pages (vnode sync_pages) that mm's shared
 * writable mappings of [start, end) map; the first error. May sleep. */
int mm_sync_pages(struct uk_mm *mm, unsigned long start, unsigned long end,
		  int datasync);
