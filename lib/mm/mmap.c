/* The mmap family and brk over the VMA list. Anonymous memory only gets
 * physical pages when touched (fault.c). */
#include <errno.h>
#include <string.h>
#include <linux/mman.h>
#include <uk/mm.h>
#include <uk/plat/paging.h>
#include <uk/syscall.h>
#include <uk/vfs.h>
#include <linux/fcntl.h>
#include <stdio.h>
#include "mm_internal.h"

#define PAGE_MASK (PAGE_SIZE - 1)
#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)


int mm_plat_prot(int prot)
{
	int p = 0;
	if (prot & PROT_READ)
		p |= UKPLAT_PROT_READ;
	if (prot & PROT_WRITE)
		p |= UKPLAT_PROT_WRITE | UKPLAT_PROT_READ;
	if (prot & PROT_EXEC)
		p |= UKPLAT_PROT_EXEC | UKPLAT_PROT_READ;
	return p;
}

static int len_to_pages(size_t len, unsigned long *out)
{
	if (!len || len > USER_TOP)
		return -EINVAL;
	*out = (len + PAGE_MASK) & ~(unsigned long)PAGE_MASK;
	return 0;
}

int uk_mm_map_fixed(unsigned long start, size_t len, int prot, int flags,
		    const char *name)
{
	unsigned long end = start + len;
	if ((start & PAGE_MASK) || (len & PAGE_MASK) || end > USER_TOP || end <= start)
		return -EINVAL;
	if (mm_vma_unmap(start, end) || !mm_vma_insert(start, end, prot, flags, name))
		return -ENOMEM;
	return 0;
}

int uk_mm_fill(unsigned long va, const void *src, size_t len)
{
	const char *s = src;
	while (len) {
		unsigned long page = va & ~(unsigned long)PAGE_MASK;
		size_t off = va - page, chunk = PAGE_SIZE - off;
		if (chunk > len)
			chunk = len;
		unsigned long pa;
		if (!ukplat_page_lookup(page, &pa)) {
			struct uk_vma *v = uk_mm_find(page);
			void *p = v ? uk_upage_alloc() : NULL;
			if (!p)
				return -ENOMEM;
			memset(p, 0, PAGE_SIZE);
			pa = KPA(p);
			if (ukplat_page_map(page, pa, mm_plat_prot(v->prot))) {
				uk_upage_put(pa);
				return -ENOMEM;
			}
		}
		memcpy((char *)KVA(pa) + off, s, chunk);
		s += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

static int check_args(size_t len, int prot, int flags, long off, unsigned long *size)
{
	int type = flags & MAP_TYPE;
	if (!len || (off & PAGE_MASK) ||
	    (prot & ~PROT_ALL & ~(PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	/* Longer than the address space: ENOMEM, as Linux says. */
	if (len_to_pages(len, size))
		return -ENOMEM;
	if (type != MAP_PRIVATE && type != MAP_SHARED &&
	    type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	return 0;
}

long uk_mm_mmap(unsigned long addr, size_t len, int prot, int flags, int fd,
		long off)
{
	unsigned long size;
	int type = flags & MAP_TYPE;
	int rc = check_args(len, prot, flags, off, &size);
	if (rc)
		return rc;
	struct uk_file *file = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = uk_fd_get(fd);
		if (!file || (file->flags & O_PATH))
			return -EBADF;
		int acc = file->flags & O_ACCMODE;
		if (S_ISCHR(file->vn->mode) && file->vn->rdev == ((1 << 8) | 5)) {
			file = NULL;	/* /dev/zero: anonymous memory */
		} else if (!S_ISREG(file->vn->mode) || !file->vn->ops->read) {
			return -ENODEV;
		} else if (acc == O_WRONLY || (file->flags & O_PATH)) {
			return -EACCES;
		} else if (type != MAP_PRIVATE && (prot & PROT_WRITE)) {
			if (acc != O_RDWR)
				return -EACCES;
			/* A memfd sealed against writes (F_SEAL_WRITE,
			 * F_SEAL_FUTURE_WRITE). */
			if (uk_vnode_seals && (uk_vnode_seals(file->vn) &
						   (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
				return -EPERM;
			if (!file->vn->ops->get_page) {
				/* Writes could not reach the file. */
				printf("mmap: writable MAP_SHARED is not supported on this file system\n");
				return -ENODEV;
			}
		}
	}
	return uk_mm_map_file(addr, len, prot, flags, file, off);
}

/* Bytes of the address space mapped, less what [start, end) replaces. */
static unsigned long mapped_bytes_besides(unsigned long start, unsigned long end)
{
	unsigned long n = 0;
	for (struct uk_vma *v = MM()->vmas; v; v = v->next) {
		n += v->end - v->start;
		unsigned long s = v->start > start ? v->start : start;
		unsigned long e = v->end < end ? v->end : end;
		if (s < e)
			n -= e - s;
	}
	return n;
}

/* Linux's limits on a new mapping: RLIMIT_AS on the whole address space,
 * and the default overcommit heuristic, under which one mapping that
 * commits memory (private and writable, or shared anonymous; not
 * MAP_NORESERVE) may not be larger than the guest's RAM (no swap here). */
static int may_map(unsigned long addr, unsigned long size, int prot, int flags,
		   const struct uk_file *file)
{
	if (mapped_bytes_besides(addr, addr + size) + size > uk_proc()->limits[RLIMIT_AS].rlim_cur)
		return 0;
	int type = flags & MAP_TYPE;
	int commits = type == MAP_PRIVATE ? (prot & PROT_WRITE) != 0 : !file;
	if (commits && !(flags & MAP_NORESERVE) && size > uk_pmem_ram_bytes())
		return 0;
	return 1;
}

long uk_mm_map_file(unsigned long addr, size_t len, int prot, int flags,
		    struct uk_file *file, long off)
{
	unsigned long size;
	int type = flags & MAP_TYPE;
	int rc = check_args(len, prot, flags, off, &size);
	if (rc)
		return rc;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & PAGE_MASK)
			return -EINVAL;
		if (addr + size > USER_TOP || addr + size < addr)
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
		    !mm_range_free(addr, addr + size))
			return -EEXIST;
	} else {
		addr &= ~(unsigned long)PAGE_MASK;
		if (!addr || addr < UK_MM_MIN_ADDR || addr + size > USER_TOP ||
		    addr + size < addr || !mm_range_free(addr, addr + size))
			addr = mm_find_gap(size, UK_MM_MMAP_TOP);
		if (!addr)
			return -ENOMEM;
	}
	if (!may_map(addr, size, prot, flags, file))
		return -ENOMEM;
	/* Shared anonymous memory is a file of its own, so that whatever maps
	 * it (a fork's child too) sees the same pages. */
	struct uk_file *shmem = NULL;
	if (!file && type != MAP_PRIVATE && uk_shmem_file) {
		shmem = uk_shmem_file(size, "/dev/zero (deleted)");
		if (!shmem)
			return -ENOMEM;
		file = shmem;
		off = 0;
	}
	rc = uk_mm_map_fixed(addr, size, prot, file ? 0 : UK_VMA_ANON, NULL);
	if (rc) {
		if (shmem)
			uk_file_put(shmem);
		return rc;
	}
	if (file) {
		struct uk_vma *v = uk_mm_find(addr);
		uk_file_get(file);
		v->file = file;
		v->pgoff = off;
		v->shared = type != MAP_PRIVATE;
		if (prot & PROT_WRITE)
			v->flags |= UK_VMA_WROTE;
		if (mm_vma_uses_file_pages(v))
			file->vn->shared_maps++;
		if (shmem)
			uk_file_put(shmem);	/* the VMA holds it now */
	}
	return addr;
}

long uk_mm_munmap(unsigned long addr, size_t len)
{
	unsigned long size;
	if ((addr & PAGE_MASK) || len_to_pages(len, &size) ||
	    addr + size > USER_TOP || addr + size < addr)
		return -EINVAL;
	if (MM()->brk_vma && addr <= MM()->brk_vma->start && addr + size >= MM()->brk_vma->end)
		MM()->brk_vma = NULL;
	return mm_vma_unmap(addr, addr + size) ? -ENOMEM : 0;
}

long uk_mm_mprotect(unsigned long addr, size_t len, int prot)
{
	unsigned long size;
	if (addr & PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	if (len_to_pages(len, &size) ||
	    (prot & ~PROT_ALL & ~(PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if (!mm_range_mapped(addr, addr + size))
		return -ENOMEM;
	return mm_vma_protect(addr, addr + size, prot & PROT_ALL) ? -ENOMEM : 0;
}

UK_SYSCALL_R_DEFINE(long, mmap, unsigned long, addr, size_t, len, int, prot,
		    int, flags, int, fd, long, off)
{
	return uk_mm_mmap(addr, len, prot, flags, fd, off);
}

UK_SYSCALL_R_DEFINE(int, munmap, unsigned long, addr, size_t, len)
{
	return uk_mm_munmap(addr, len);
}

UK_SYSCALL_R_DEFINE(int, mprotect, unsigned long, addr, size_t, len, int, prot)
{
	return uk_mm_mprotect(addr, len, prot);
}

struct move_ctx {
	long delta;
	int failed;
};

static void move_page_cb(unsigned long va, uint64_t *pte, void *arg)
{
	struct move_ctx *m = arg;
	unsigned long pa = ukplat_pte_addr(pte);
	struct uk_vma *v = uk_mm_find(va);
	int cow = ukplat_pte_is_cow(pte) ? UKPLAT_PROT_COW : 0;
	ukplat_pte_clear(va, pte);
	if (ukplat_page_map(va + m->delta, pa, mm_plat_prot(v ? v->prot : 0) | cow))
		m->failed = 1;
}

UK_SYSCALL_R_DEFINE(long, mremap, unsigned long, old_addr, size_t, old_len,
		    size_t, new_len, int, flags, unsigned long, new_addr)
{
	unsigned long old_size = 0, new_size;
	if ((old_addr & PAGE_MASK) || len_to_pages(new_len, &new_size) ||
	    (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL;	/* not supported: would need shared pages */
	if (!old_len)
		return -EINVAL;	/* duplicating shared mappings: not supported */
	len_to_pages(old_len, &old_size);
	struct uk_vma *v = uk_mm_find(old_addr);
	if (!v || old_addr + old_size > v->end)
		return -EFAULT;

	if (!(flags & MREMAP_FIXED)) {
		if (new_size <= old_size) {
			if (new_size < old_size)
				mm_vma_unmap(old_addr + new_size, old_addr + old_size);
			return old_addr;
		}
		if (old_addr + old_size == v->end &&
		    old_addr + new_size <= USER_TOP &&
		    mm_range_free(v->end, old_addr + new_size)) {
			v->end = old_addr + new_size;	/* grow in place */
			return old_addr;
		}
		if (!(flags & MREMAP_MAYMOVE))
			return -ENOMEM;
		new_addr = mm_find_gap(new_size, UK_MM_MMAP_TOP);
		if (!new_addr)
			return -ENOMEM;
	} else {
		if ((new_addr & PAGE_MASK) || new_addr + new_size > USER_TOP)
			return -EINVAL;
		if (new_addr < old_addr + old_size && old_addr < new_addr + new_size)
			return -EINVAL;
		mm_vma_unmap(new_addr, new_addr + new_size);
	}
	int prot = v->prot, vflags = v->flags;
	const char *name = v->name;
	struct uk_vma *nv = mm_vma_insert(new_addr, new_addr + new_size, prot, vflags, name);
	if (!nv)
		return -ENOMEM;
	if (v->file) {
		uk_file_get(v->file);
		nv->file = v->file;
		nv->pgoff = v->pgoff + (old_addr - v->start);
		nv->shared = v->shared;
		if (mm_vma_uses_file_pages(nv))
			v->file->vn->shared_maps++;
	}
	unsigned long moved = old_size < new_size ? old_size : new_size;
	struct move_ctx m = { (long)(new_addr - old_addr), 0 };
	if (ukplat_page_walk(old_addr, old_addr + moved, move_page_cb, &m))
		m.failed = 1;
	mm_vma_unmap(old_addr, old_addr + old_size);
	return m.failed ? -ENOMEM : (long)new_addr;
}

UK_SYSCALL_R_DEFINE(int, madvise, unsigned long, addr, size_t, len, int, advice)
{
	unsigned long size;
	if (addr & PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	if (len_to_pages(len, &size))
		return -EINVAL;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_FREE:
		if (!mm_range_mapped(addr, addr + size))
			return -ENOMEM;
		/* Private anonymous memory reads back as zeroes. */
		return mm_release_pages(addr, addr + size) ? -EAGAIN : 0;
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
		return mm_range_mapped(addr, addr + size) ? 0 : -ENOMEM;
	default:
		return -EINVAL;
	}
}

UK_SYSCALL_R_DEFINE(int, msync, unsigned long, addr, size_t, len, int, flags)
{
	if ((addr & PAGE_MASK) || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	unsigned long size;
	if (!len)
		return 0;
	if (len_to_pages(len, &size) || !mm_range_mapped(addr, addr + size))
		return -ENOMEM;
	/* A ramfs file's pages are the file itself: nothing to write. A
	 * cache's (9pfs) go back to the host now, for MS_ASYNC too (a
	 * host-side reader cannot wait for a flusher we do not have). */
	return mm_sync_pages(MM(), addr, addr + size, flags & MS_SYNC) ? -EIO : 0;
}

void uk_mm_set_brk_base(unsigned long base)
{
	MM()->brk_base = MM()->brk_cur = (base + PAGE_MASK) & ~(unsigned long)PAGE_MASK;
	MM()->brk_vma = NULL;
}

UK_SYSCALL_R_DEFINE(unsigned long, brk, unsigned long, addr)
{
	/* Beyond the program's half, the rounding up below would wrap to 0
	 * and shrink the heap over everything under it (the program). */
	if (addr < MM()->brk_base || addr > USER_TOP)
		return MM()->brk_cur;
	unsigned long old_end = (MM()->brk_cur + PAGE_MASK) & ~(unsigned long)PAGE_MASK;
	unsigned long new_end = (addr + PAGE_MASK) & ~(unsigned long)PAGE_MASK;
	if (new_end > old_end) {
		if (new_end > USER_TOP || !mm_range_free(old_end, new_end))
			return MM()->brk_cur;
		if (MM()->brk_vma && MM()->brk_vma->end == old_end) {
			MM()->brk_vma->end = new_end;
		} else {
			MM()->brk_vma = mm_vma_insert(old_end, new_end,
						PROT_READ | PROT_WRITE,
						UK_VMA_ANON | UK_VMA_HEAP, "[heap]");
			if (!MM()->brk_vma)
				return MM()->brk_cur;
		}
	} else if (new_end < old_end) {
		mm_vma_unmap(new_end, old_end);
		if (MM()->brk_vma && MM()->brk_vma->start >= new_end)
			MM()->brk_vma = NULL;
	}
	MM()->brk_cur = addr;
	return MM()->brk_cur;
}
