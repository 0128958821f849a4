/* Address spaces as objects: PID 1's, fork's copy-on-write copy of the
 * current one, execve's new empty one, switching between them and their
 * release with the last reference. */
#include <stdlib.h>
#include <string.h>
#include <uk/init.h>
#include <uk/mm.h>
#include <uk/plat/paging.h>
#include <uk/vfs.h>
#include "mm_internal.h"

/* PID 1's page tables replace the boot ones, which keep an empty lower
 * half: the table an address space that is going away switches to. */
static void *kernel_pt;

static int mm_init(void)
{
	kernel_pt = ukplat_pt_current();
	uk_init_mm.pt = ukplat_pt_new();
	if (!uk_init_mm.pt)
		return -1;
	ukplat_pt_switch(uk_init_mm.pt);
	return 0;
}
UK_INIT_AT(mm_init, UK_INIT_LEVEL_EARLY);

struct uk_mm *uk_mm_new(void)
{
	struct uk_mm *mm = calloc(1, sizeof(*mm));
	if (!mm)
		return NULL;
	mm->refs = 1;
	mm->pt = ukplat_pt_new();
	if (!mm->pt) {
		free(mm);
		return NULL;
	}
	return mm;
}

void uk_mm_switch(struct uk_mm *mm)
{
	ukplat_pt_switch(mm ? mm->pt : NULL);
}

void uk_mm_get(struct uk_mm *mm)
{
	mm->refs++;
}

static void put_page_cb(unsigned long va, uint64_t *pte, void *arg)
{
	(void)va, (void)arg;
	uk_upage_put(ukplat_pte_addr(pte));
}

/* Frees every VMA and the pages only this space maps. */
static void release_all(struct uk_mm *mm)
{
	/* Shared mappings' writes back to their files first (the end of a
	 * process that never unmapped them), before the switch below: the
	 * writes may sleep, and whichever runs meanwhile loads its own
	 * tables. */
	mm_sync_pages(mm, 0, USER_TOP, 0);
	void *prev = ukplat_pt_current();
	ukplat_pt_switch(mm->pt);
	struct uk_vma *v = mm->vmas;
	while (v) {
		struct uk_vma *next = v->next;
		if (!mm_vma_maps_file_pages(v))
			ukplat_page_release(v->start, v->end, put_page_cb, NULL);
		mm_vma_file_unref(v);
		free(v);
		v = next;
	}
	mm->vmas = NULL;
	ukplat_pt_switch(prev == mm->pt ? kernel_pt : prev);
}

void uk_mm_sync_files(struct uk_mm *mm)
{
	mm_sync_pages(mm, 0, USER_TOP, 0);
}

void uk_mm_put(struct uk_mm *mm)
{
	if (--mm->refs > 0)
		return;
	release_all(mm);
	ukplat_pt_destroy(mm->pt);
	if (mm != &uk_init_mm)
		free(mm);
}


struct uk_mm *uk_mm_fork(void)
{
	struct uk_mm *parent = MM(), *child = uk_mm_new();
	if (!child)
		return NULL;
	child->brk_base = parent->brk_base;
	child->brk_cur = parent->brk_cur;
	child->membarrier = parent->membarrier;	/* Linux keeps it; not MCL_FUTURE */
	struct uk_vma **tail = &child->vmas;
	for (struct uk_vma *v = parent->vmas; v; v = v->next) {
		if (v->flags & UK_VMA_DONTFORK)
			continue;
		struct uk_vma *n = malloc(sizeof(*n));
		if (!n)
			goto fail;
		*n = *v;
		n->next = NULL;
		n->flags &= ~(UK_VMA_LOCKED | UK_VMA_LOCKONFAULT);	/* locks are not inherited */
		*tail = n;
		tail = &n->next;
		if (v == parent->brk_vma)
			child->brk_vma = n;
		if (n->file) {
			uk_file_get(n->file);
			if (mm_vma_uses_file_pages(n))
				n->file->vn->shared_maps++;
		}
		if (v->flags & UK_VMA_WIPEONFORK)
			continue;	/* the child's pages start zeroed */
		/* The same pages in the child, copy-on-write in both unless
		 * the mapping is shared; a file's own pages are not counted. */
		int share = mm_vma_maps_file_pages(v);
		if (ukplat_pt_fork_range(child->pt, v->start, v->end, share,
					 share ? NULL : uk_upage_get))
			goto fail;
	}
	return child;
fail:
	uk_mm_put(child);
	return NULL;
}
