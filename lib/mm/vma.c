/* The application's VMAs: a sorted list of disjoint page-aligned ranges.
 * Removing or changing a sub-range splits the VMAs it cuts and releases
 * the pages it drops. */
#include <stdlib.h>
#include <string.h>
#include <uk/mm.h>
#include <uk/plat/paging.h>
#include <uk/vfs.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include "mm_internal.h"

/* PID 1's address space. */
struct uk_mm uk_init_mm = { .refs = 1 };

struct uk_vma *uk_mm_first(void)
{
	return MM()->vmas;
}

struct uk_vma *uk_mm_vmas(struct uk_mm *mm)
{
	return mm ? mm->vmas : NULL;
}

struct uk_vma *uk_mm_find(unsigned long addr)
{
	for (struct uk_vma *v = MM()->vmas; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

void uk_mm_futex_key(unsigned long addr, const void **obj, unsigned long *off)
{
	struct uk_vma *v = uk_mm_find(addr);
	if (v && v->file && v->shared) {
		*obj = v->file->vn;
		*off = v->pgoff + (addr - v->start);
		return;
	}
	*obj = MM();
	*off = addr;
}

int mm_range_free(unsigned long start, unsigned long end)
{
	for (struct uk_vma *v = MM()->vmas; v && v->start < end; v = v->next)
		if (v->end > start)
			return 0;
	return 1;
}

int mm_range_mapped(unsigned long start, unsigned long end)
{
	unsigned long at = start;
	for (struct uk_vma *v = MM()->vmas; v && at < end; v = v->next) {
		if (v->end <= at)
			continue;
		if (v->start > at)
			return 0;
		at = v->end;
	}
	return at >= end;
}

int mm_vma_maps_file_pages(const struct uk_vma *v)
{
	return v->file && v->shared && v->file->vn->ops->get_page;
}

int mm_vma_uses_file_pages(const struct uk_vma *v)
{
	const struct uk_vnode_ops *ops = v->file ? v->file->vn->ops : NULL;
	/* A cache's pages (sync_pages) are lent to shared mappings only. */
	return ops && ops->get_page && (v->shared || !ops->sync_pages);
}

void mm_vma_file_unref(struct uk_vma *v)
{
	if (mm_vma_uses_file_pages(v)) {
		struct uk_vnode *vn = v->file->vn;
		if (--vn->shared_maps == 0 && vn->ops->unmapped)
			vn->ops->unmapped(vn);
	}
	if (v->file)
		uk_file_put(v->file);
}

int mm_sync_pages(struct uk_mm *mm, unsigned long start, unsigned long end,
		  int datasync)
{
	int err = 0;
	unsigned long at = start;
	while (at < end) {
		/* Found again after each write-back, which may sleep while
		 * another thread changes the list. */
		struct uk_vma *v = mm->vmas;
		while (v && v->end <= at)
			v = v->next;
		if (!v || v->start >= end)
			break;
		unsigned long s = v->start > at ? v->start : at;
		unsigned long e = v->end < end ? v->end : end;
		at = e;
		struct uk_file *f = v->file;
		/* A mapping that was never writable wrote nothing; one of a
		 * descriptor not open for writing may not write to the file
		 * (mprotect does not refuse PROT_WRITE there as Linux). */
		if (!v->shared || !f || !(v->flags & UK_VMA_WROTE) ||
		    (f->flags & O_ACCMODE) != O_RDWR || !f->vn->ops->sync_pages)
			continue;
		uk_file_get(f);
		int rc = f->vn->ops->sync_pages(f->vn, v->pgoff + (s - v->start),
						e - s, datasync);
		uk_file_put(f);
		if (rc && !err)
			err = rc;
	}
	return err;
}

/* The pages a walk clears are put only after ukplat_tlb_sync: until
 * then another CPU running this space may still reach them. */
struct release {
	int owned, n;
	unsigned long pa[64];
};

static void put_released(struct release *r)
{
	ukplat_tlb_sync();
	for (int i = 0; i < r->n; i++)
		uk_upage_put(r->pa[i]);
	r->n = 0;
}

static void free_page_cb(unsigned long va, uint64_t *pte, void *arg)
{
	struct release *r = arg;
	unsigned long pa = ukplat_pte_addr(pte);
	ukplat_pte_clear(va, pte);
	if (!r->owned)
		return;
	r->pa[r->n++] = pa;
	if (r->n == (int)(sizeof(r->pa) / sizeof(r->pa[0])))
		put_released(r);
}

/* Drops the pages mapped in [start, end); a shared file mapping's pages
 * belong to the file and are only unmapped. 0, or -1 out of memory (for
 * a page table fork shared, to be made this space's own). */
int mm_release_pages(unsigned long start, unsigned long end)
{
	unsigned long at = start;
	int rc = 0;
	for (struct uk_vma *v = MM()->vmas; v && at < end; v = v->next) {
		if (v->end <= at)
			continue;
		unsigned long s = v->start > at ? v->start : at;
		unsigned long e = v->end < end ? v->end : end;
		if (s >= e)
			break;
		struct release r = { .owned = !mm_vma_maps_file_pages(v) };
		rc |= ukplat_page_walk(s, e, free_page_cb, &r);
		put_released(&r);
		at = e;
	}
	return rc;
}

void uk_mm_file_truncated(struct uk_vnode *vn, long size)
{
	unsigned long keep = ((unsigned long)size + PAGE_SIZE - 1) & ~(unsigned long)(PAGE_SIZE - 1);
	for (struct uk_vma *v = MM()->vmas; v; v = v->next) {
		if (!mm_vma_maps_file_pages(v) || v->file->vn != vn ||
		    v->pgoff + (v->end - v->start) <= keep)
			continue;
		unsigned long s = keep > v->pgoff ? v->start + (keep - v->pgoff) : v->start;
		struct release r = { .owned = 0 };
		/* Cannot fail: fork shares no table of a shared mapping. */
		(void)ukplat_page_walk(s, v->end, free_page_cb, &r);
		put_released(&r);
	}
}

/* Splits the VMA containing addr so that addr becomes a boundary. */
static int split_at(unsigned long addr)
{
	struct uk_vma *v = uk_mm_find(addr);
	if (!v || v->start == addr)
		return 0;
	struct uk_vma *n = malloc(sizeof(*n));
	if (!n)
		return -1;
	*n = *v;
	n->start = addr;
	if (n->file) {
		uk_file_get(n->file);
		n->pgoff += addr - v->start;
		if (mm_vma_uses_file_pages(n))
			n->file->vn->shared_maps++;
	}
	v->end = addr;
	v->next = n;
	return 0;
}

int mm_vma_unmap(unsigned long start, unsigned long end)
{
	/* What the program wrote through shared mappings of a cached file
	 * goes back before the mapping does, as Linux's v9fs on munmap. */
	mm_sync_pages(MM(), start, end, 0);
	if (split_at(start) || split_at(end))
		return -1;
	if (mm_release_pages(start, end))
		return -1;
	struct uk_vma **pp = &MM()->vmas;
	while (*pp) {
		struct uk_vma *v = *pp;
		if (v->start >= start && v->end <= end) {
			*pp = v->next;
			mm_vma_file_unref(v);
			free(v);
		} else {
			pp = &v->next;
		}
	}
	return 0;
}

static void reprotect_cb(unsigned long va, uint64_t *pte, void *arg)
{
	ukplat_pte_set_prot(va, pte, mm_plat_prot(*(int *)arg));
}

int mm_vma_protect(unsigned long start, unsigned long end, int prot)
{
	if (split_at(start) || split_at(end))
		return -1;
	for (struct uk_vma *v = MM()->vmas; v && v->start < end; v = v->next) {
		if (v->start < start)
			continue;
		v->prot = prot;
		if (prot & PROT_WRITE)
			v->flags |= UK_VMA_WROTE;
	}
	return ukplat_page_walk(start, end, reprotect_cb, &prot);
}

int mm_vma_set_flags(unsigned long start, unsigned long end, int set, int clear)
{
	if (split_at(start) || split_at(end))
		return -1;
	for (struct uk_vma *v = MM()->vmas; v && v->start < end; v = v->next)
		if (v->start >= start)
			v->flags = (v->flags & ~clear) | set;
	return 0;
}

struct uk_vma *mm_vma_insert(unsigned long start, unsigned long end, int prot,
			     int flags, const char *name)
{
	struct uk_vma *n = malloc(sizeof(*n));
	if (!n)
		return NULL;
	n->start = start;
	n->end = end;
	n->prot = prot;
	n->flags = flags;
	n->name = name;
	n->file = NULL;
	n->pgoff = 0;
	n->shared = 0;
	struct uk_vma **pp = &MM()->vmas;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	return n;
}

/* Highest free gap of len bytes below top, at or above UK_MM_MIN_ADDR,
 * starting at a multiple of align (a power of two, at least a page). */
unsigned long uk_mm_find_gap(size_t len, unsigned long align, unsigned long top)
{
	unsigned long best = 0;
	unsigned long prev_end = UK_MM_MIN_ADDR;
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	for (struct uk_vma *v = MM()->vmas;; v = v->next) {
		unsigned long gap_end = v ? v->start : top;
		if (gap_end > top)
			gap_end = top;
		if (gap_end >= len) {
			unsigned long start = (gap_end - len) & ~(align - 1);
			if (start >= prev_end && gap_end > prev_end)
				best = start;
		}
		if (!v || v->start >= top)
			break;
		if (v->end > prev_end)
			prev_end = v->end;
	}
	return best;
}

unsigned long mm_find_gap(size_t len, unsigned long top)
{
	return uk_mm_find_gap(len, PAGE_SIZE, top);
}
