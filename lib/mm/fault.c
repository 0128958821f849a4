/* Page faults of program memory: a fault inside a VMA that permits the
 * access maps a fresh zeroed page, the file's own page (MAP_SHARED) or a
 * copy of it (MAP_PRIVATE); a write to a copy-on-write page left by fork
 * gets a page of its own, unless no other address space still maps it.
 * Anything else is left to the caller: -EFAULT (a SIGSEGV), -EIO (the
 * file could not be read: SIGBUS) or -ENOMEM (no page to be had). */
#include <errno.h>
#include <string.h>
#include <linux/mman.h>
#include <uk/plat/bkl.h>
#include <uk/mm.h>
#include <uk/plat.h>
#include <uk/plat/paging.h>
#include <uk/vfs.h>
#include "mm_internal.h"

#define PF_PRESENT 0x01
#define PF_WRITE   0x02
#define PF_INSN    0x10


struct cow_ctx {
	int prot, rc;
};

static void break_cow(unsigned long va, uint64_t *pte, void *arg)
{
	struct cow_ctx *c = arg;
	unsigned long pa = ukplat_pte_addr(pte);
	if (!ukplat_pte_is_cow(pte)) {
		/* Another thread got here first (on another CPU): writable
		 * now, the write is tried again; else it is refused. */
		c->rc = ukplat_pte_writable(pte) ? 0 : 1;
		return;
	}
	/* Another space's page too, or the file's own: copy it. */
	if (uk_upage_count(pa) != 1) {
		void *copy = uk_upage_alloc();
		if (!copy) {
			c->rc = -ENOMEM;
			return;
		}
		memcpy(copy, KVA(pa), PAGE_SIZE);
		uk_upage_put(pa);
		pa = KPA(copy);
	}
	ukplat_pte_clear(va, pte);
	c->rc = ukplat_page_map(va, pa, c->prot) ? -ENOMEM : 0;
}

int uk_mm_page_fault(struct __regs *r, unsigned long addr, unsigned long err)
{
	UKPLAT_BKL_HELD();
	(void)r;
	struct uk_vma *v = uk_mm_find(addr);
	if (!v)
		return -EFAULT;
	if ((err & PF_WRITE) && !(v->prot & PROT_WRITE))
		return -EFAULT;
	if ((err & PF_INSN) && !(v->prot & PROT_EXEC))
		return -EFAULT;
	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EFAULT;
	unsigned long va = addr & ~(unsigned long)(PAGE_SIZE - 1);
	if (!(err & PF_PRESENT) && ukplat_page_lookup(va, NULL)) {
		/* Mapped since by another thread (on another CPU, or while
		 * this one waited for a file): the access is tried again, but
		 * a write may still need its copy. */
		if (!(err & PF_WRITE))
			return 0;
		err |= PF_PRESENT;
	}
	if (err & PF_PRESENT) {
		/* A protection fault on a mapped page: only a write to a
		 * copy-on-write page is ours to mend. */
		if (!(err & PF_WRITE))
			return -EFAULT;
		struct cow_ctx c = { mm_plat_prot(v->prot), 1 };
		if (ukplat_page_walk(va, va + PAGE_SIZE, break_cow, &c))
			return -ENOMEM;
		return c.rc > 0 ? -EFAULT : c.rc;
	}
	return mm_fault_in(v, va, err & PF_WRITE);
}

/* Maps the page at va of VMA v as a fault of the program would: a read
 * of a private file mapping gets the file's own page, copy-on-write (so
 * every process running a program shares its text). */
int mm_fault_in(struct uk_vma *v, unsigned long va, int write)
{
	if (mm_vma_maps_file_pages(v)) {
		/* MAP_SHARED: the file's own page, so both sides see writes. */
		void *fp = v->file->vn->ops->get_page(v->file->vn,
						     v->pgoff + (va - v->start));
		if (!fp)
			return -EIO;	/* past the end: SIGBUS */
		/* A cache's get_page may sleep on the host's read: the
		 * range may be mapped, or unmapped, since. */
		if (uk_mm_find(va) != v || ukplat_page_lookup(va, NULL))
			return 0;
		return ukplat_page_map(va, KPA(fp), mm_plat_prot(v->prot)) ? -ENOMEM : 0;
	}
	if (v->file && !write && mm_vma_uses_file_pages(v)) {
		void *fp = v->file->vn->ops->get_page(v->file->vn,
						     v->pgoff + (va - v->start));
		if (fp)
			return ukplat_page_map(va, KPA(fp),
					       mm_plat_prot(v->prot) | UKPLAT_PROT_COW) ? -ENOMEM : 0;
	}
	void *page = uk_upage_alloc();
	if (!page)
		return -ENOMEM;
	memset(page, 0, PAGE_SIZE);
	if (v->file) {
		/* A private copy of the file's page; past the end reads 0. */
		struct uk_file *f = v->file;
		long n = f->vn->ops->read(f->vn, f, page, PAGE_SIZE,
					  v->pgoff + (va - v->start));
		if (n < 0) {
			uk_upage_put(KPA(page));
			return -EIO;
		}
	}
	if (v->file && ukplat_page_lookup(va, NULL)) {
		uk_upage_put(KPA(page));	/* mapped by another while we read */
		return 0;
	}
	if (ukplat_page_map(va, KPA(page), mm_plat_prot(v->prot))) {
		uk_upage_put(KPA(page));
		return -ENOMEM;
	}
	return 0;
}

void *uk_mm_page_for_kernel(unsigned long va)
{
	va &= ~(unsigned long)(PAGE_SIZE - 1);
	struct uk_vma *v = uk_mm_find(va);
	if (!v || mm_vma_maps_file_pages(v))
		return NULL;
	unsigned long pa;
	if (!ukplat_page_lookup(va, &pa)) {
		if (mm_fault_in(v, va, 1))
			return NULL;
		ukplat_page_lookup(va, &pa);
	} else {
		struct cow_ctx c = { mm_plat_prot(v->prot), 1 };
		if (ukplat_page_walk(va, va + PAGE_SIZE, break_cow, &c) || c.rc < 0)
			return NULL;
		ukplat_page_lookup(va, &pa);
	}
	return KVA(pa);
}
