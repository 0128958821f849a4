/* Memory: the physical page allocator and the application's address
 * space (VMAs, mmap family, brk, demand paging).
 * Syscall-style functions return a value or -errno:
 *   EINVAL  bad alignment, length or flags
 *   ENOMEM  no room in the address space, range not mapped (mprotect),
 *           or no physical memory
 *   EEXIST  MAP_FIXED_NOREPLACE over an existing mapping */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <uk/plat/layout.h>

/* Physical pages, returned as direct-map addresses; not zeroed. */
void uk_pmem_init(uint64_t ram_top, void *bitmap);
void uk_pmem_add(uint64_t start, uint64_t len);
void uk_pmem_reserve(uint64_t start, uint64_t len);
void *uk_pmem_bitmap(void);
size_t uk_pmem_bitmap_bytes(void);
void *uk_palloc(size_t npages);
void uk_pfree(void *p, size_t npages);
uint64_t uk_pmem_free_pages(void);
uint64_t uk_pmem_total_pages(void);
/* The guest's RAM as the platform reported it (what run.sh -m gave). */
uint64_t uk_pmem_ram_bytes(void);
/* Program pages: a count of the address spaces mapping each; the page
 * is freed when the last one lets go. */
void *uk_upage_alloc(void);		/* count 1; not zeroed */
void uk_upage_get(unsigned long pa);
void uk_upage_put(unsigned long pa);
unsigned int uk_upage_count(unsigned long pa);
uint32_t *uk_pmem_count(unsigned long pa);	/* of a page no program maps */

/* Application address space. */
#define UK_MM_MMAP_TOP   0x00007ff000000000UL
#define UK_MM_STACK_TOP  0x00007ffffffff000UL
#define UK_MM_STACK_SIZE (8UL << 20)
#define UK_MM_MIN_ADDR   0x10000UL

#define UK_VMA_ANON  0x1
#define UK_VMA_STACK 0x2
#define UK_VMA_HEAP  0x4
#define UK_VMA_DONTFORK   0x8	/* madvise MADV_DONTFORK */
#define UK_VMA_WIPEONFORK 0x10	/* madvise MADV_WIPEONFORK */
#define UK_VMA_LOCKED     0x20	/* mlock (lib/mm/mlock.c) */
#define UK_VMA_LOCKONFAULT 0x40	/* mlock2 MLOCK_ONFAULT, mlockall MCL_ONFAULT */
#define UK_VMA_WROTE 0x80	/* writable once: a shared file mapping to write back */

struct uk_vma {
	unsigned long start, end;	/* [start, end), page aligned */
	int prot;			/* PROT_* */
	int flags;			/* UK_VMA_* */
	const char *name;		/* for /proc/self/maps; may be NULL */
	struct uk_file *file;		/* file mappings: holds a reference */
	unsigned long pgoff;		/* file offset of start, in bytes */
	int shared;			/* MAP_SHARED */
	struct uk_vma *next;
};

/* Creates an anonymous mapping at exactly [start, start+len), replacing
 * whatever was there. */
int uk_mm_map_fixed(unsigned long start, size_t len, int prot, int flags,
		    const char *name);
/* Copies len bytes into the application's memory at va, mapping pages as
 * needed (bypassing the VMA's protection: for the loader). */
int uk_mm_fill(unsigned long va, const void *src, size_t len);
/* The page at va of a private mapping, brought in as a fault would and
 * made the space's own, for the kernel to write through its direct-map
 * address whatever the protection (the loader's zeroing of a segment's
 * last page); NULL when there is none or no memory. */
void *uk_mm_page_for_kernel(unsigned long va);
void uk_mm_set_brk_base(unsigned long base);
/* The highest free range of len bytes below top aligned to align; 0 if
 * none. */
unsigned long uk_mm_find_gap(size_t len, unsigned long align, unsigned long top);
struct uk_vma *uk_mm_find(unsigned long addr);
/* What names the futex word at addr, as Linux's get_futex_key: in a
 * MAP_SHARED mapping (of a file, or shared anonymous memory) the file and
 * the offset in it, the same in every process that maps it; elsewhere
 * the address space and the address. */
void uk_mm_futex_key(unsigned long addr, const void **obj, unsigned long *off);
struct uk_vma *uk_mm_first(void);
struct uk_mm;
/* Another space's VMAs (NULL for none: a zombie's), for /proc/PID. */
struct uk_vma *uk_mm_vmas(struct uk_mm *mm);

/* Address spaces (a process's, shared by CLONE_VM). */
struct uk_mm;
struct uk_mm *uk_mm_new(void);		/* empty; NULL: out of memory */
/* fork's copy of the running process's space: private pages shared
 * copy-on-write, shared mappings shared; NULL: out of memory. */
struct uk_mm *uk_mm_fork(void);
void uk_mm_get(struct uk_mm *mm);
/* Drops a reference; the last one frees the space (never the current one
 * while it runs: the CPU moves to the kernel's tables first). */
void uk_mm_put(struct uk_mm *mm);
/* Writes back what mm's shared mappings of cached files (9pfs) hold, as
 * its end would (the guest's end, which frees nothing); may sleep. */
void uk_mm_sync_files(struct uk_mm *mm);
/* A file shared mappings map shrank to size: as Linux's
 * unmap_mapping_range, the running space's pages of it past the new end
 * are unmapped (a touch there faults again, and is SIGBUS); other
 * spaces keep theirs until they unmap them. */
struct uk_vnode;
void uk_mm_file_truncated(struct uk_vnode *vn, long size);
/* Loads mm's page tables (a thread of another process is to run; NULL:
 * the kernel's alone, for an idle CPU). */
void uk_mm_switch(struct uk_mm *mm);

long uk_mm_mmap(unsigned long addr, size_t len, int prot, int flags, int fd,
		long off);
/* The same with the file itself (NULL: anonymous), for the kernel's own
 * mappings of files (System V shared memory). */
struct uk_file;
long uk_mm_map_file(unsigned long addr, size_t len, int prot, int flags,
		    struct uk_file *file, long off);
long uk_mm_munmap(unsigned long addr, size_t len);
long uk_mm_mprotect(unsigned long addr, size_t len, int prot);
