/* Locked memory and residency: mlock, mlock2, munlock, mlockall,
 * munlockall (a VMA flag, RLIMIT_MEMLOCK unless CAP_IPC_LOCK, pages
 * brought in unless MLOCK_ONFAULT: nothing is ever swapped here, so
 * locking is the accounting and the population), mincore, and
 * membarrier (one CPU: the call itself is the barrier; registration is
 * the address space's, as Linux keeps it). */
#include <errno.h>
#include <linux/capability.h>
#include <linux/membarrier.h>
#include <linux/mman.h>
#include <uk/mm.h>
#include <uk/plat/paging.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/vfs.h>
#include "mm_internal.h"

#define PAGE_MASK (PAGE_SIZE - 1)

static int cap_ipc_lock(void)
{
	return uk_cred_capable(&uk_proc()->cred, CAP_IPC_LOCK);
}

static unsigned long memlock_limit(void)
{
	return uk_proc()->limits[RLIMIT_MEMLOCK].rlim_cur;
}

/* Linux's can_do_mlock: some RLIMIT_MEMLOCK, or CAP_IPC_LOCK. */
static int can_do_mlock(void)
{
	return memlock_limit() || cap_ipc_lock();
}

/* Bytes of [start, end) (all of the space when end is 0) in VMAs that
 * are locked, or in any VMA (locked_only 0). */
static unsigned long bytes_in(unsigned long start, unsigned long end, int locked_only)
{
	unsigned long n = 0;
	for (struct uk_vma *v = uk_mm_first(); v; v = v->next) {
		unsigned long s = v->start > start ? v->start : start;
		unsigned long e = end && v->end > end ? end : v->end;
		if (s < e && (!locked_only || (v->flags & UK_VMA_LOCKED)))
			n += e - s;
	}
	return n;
}

/* Brings the pages of [start, end) in as the program's touch would: for
 * writing where the mapping is private and writable (so that no
 * copy-on-write remains, as Linux's populate does), not at all where it
 * cannot be read. */
static void populate(unsigned long start, unsigned long end)
{
	struct uk_vma *v = NULL;
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		unsigned long pa;
		if (!v || va >= v->end)
			v = uk_mm_find(va);
		if (!v || !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) ||
		    ukplat_page_lookup(va, &pa))
			continue;
		mm_fault_in(v, va, (v->prot & PROT_WRITE) && !v->shared);
	}
}

/* Locks (flags UK_VMA_LOCKED, maybe with UK_VMA_LOCKONFAULT) or unlocks
 * (flags 0) [start, start+len) after Linux's rounding; -ENOMEM for a
 * hole. */
static int apply_lock(unsigned long start, size_t len, int flags)
{
	unsigned long end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (end > USER_TOP || !mm_range_mapped(start, end))
		return -ENOMEM;
	if (mm_vma_set_flags(start, end, flags, UK_VMA_LOCKED | UK_VMA_LOCKONFAULT))
		return -ENOMEM;
	return 0;
}

static int do_mlock(unsigned long start, size_t len, int flags)
{
	if (!can_do_mlock())
		return -EPERM;
	len = (len + (start & PAGE_MASK) + PAGE_MASK) & ~(unsigned long)PAGE_MASK;
	start &= ~(unsigned long)PAGE_MASK;
	if (!cap_ipc_lock()) {
		unsigned long end = start + len;
		unsigned long locked = len + bytes_in(0, 0, 1);
		if (end > start && locked > memlock_limit())
			locked -= bytes_in(start, end, 1);	/* counted once */
		if (locked > memlock_limit())
			return -ENOMEM;
	}
	int rc = apply_lock(start, len, flags);
	if (!rc && !(flags & UK_VMA_LOCKONFAULT))
		populate(start, start + len);
	return rc;
}

UK_SYSCALL_R_DEFINE(int, mlock, unsigned long, start, size_t, len)
{
	return do_mlock(start, len, UK_VMA_LOCKED);
}

UK_SYSCALL_R_DEFINE(int, mlock2, unsigned long, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len,
			UK_VMA_LOCKED | (flags & MLOCK_ONFAULT ? UK_VMA_LOCKONFAULT : 0));
}

UK_SYSCALL_R_DEFINE(int, munlock, unsigned long, start, size_t, len)
{
	len = (len + (start & PAGE_MASK) + PAGE_MASK) & ~(unsigned long)PAGE_MASK;
	start &= ~(unsigned long)PAGE_MASK;
	return apply_lock(start, len, 0);
}

/* MCL_FUTURE is recorded (and dropped by fork and execve, as on Linux);
 * mappings made later are not locked by it. */
UK_SYSCALL_R_DEFINE(int, mlockall, int, flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	if ((flags & MCL_CURRENT) && !cap_ipc_lock() && bytes_in(0, 0, 0) > memlock_limit())
		return -ENOMEM;
	MM()->lock_future = !!(flags & MCL_FUTURE);
	if (flags & MCL_CURRENT) {
		int f = UK_VMA_LOCKED | (flags & MCL_ONFAULT ? UK_VMA_LOCKONFAULT : 0);
		for (struct uk_vma *v = uk_mm_first(); v; v = v->next)
			v->flags = (v->flags & ~UK_VMA_LOCKONFAULT) | f;
		if (!(flags & MCL_ONFAULT))
			for (struct uk_vma *v = uk_mm_first(); v; v = v->next)
				populate(v->start, v->end);
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, munlockall)
{
	MM()->lock_future = 0;
	for (struct uk_vma *v = uk_mm_first(); v; v = v->next)
		v->flags &= ~(UK_VMA_LOCKED | UK_VMA_LOCKONFAULT);
	return 0;
}

/* A page is resident when it is mapped, or, in a mapping of a file whose
 * pages live in memory (ramfs), when the file has bytes there, as Linux
 * answers from the page cache. */
static unsigned char resident(const struct uk_vma *v, unsigned long va)
{
	unsigned long pa;
	if (ukplat_page_lookup(va, &pa))
		return 1;
	if (mm_vma_uses_file_pages(v))
		return (long)(v->pgoff + (va - v->start)) < v->file->vn->size;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, mincore, unsigned long, start, size_t, len,
		    unsigned char *, vec)
{
	if (start & PAGE_MASK)
		return -EINVAL;
	if (start > USER_TOP || len > USER_TOP - start)
		return -ENOMEM;
	unsigned long pages = (len + PAGE_MASK) / PAGE_SIZE;
	if (!uk_user_range_ok(vec, pages))
		return -EFAULT;
	/* As Linux: a chunk at a time, so a hole found late leaves the
	 * earlier answers written. */
	unsigned char chunk[64];
	for (unsigned long done = 0; done < pages;) {
		unsigned long n = 0;
		for (; n < sizeof(chunk) && done + n < pages; n++) {
			unsigned long va = start + (done + n) * PAGE_SIZE;
			struct uk_vma *v = uk_mm_find(va);
			if (!v) {
				if (n && uk_copy_to_user(vec + done, chunk, n))
					return -EFAULT;
				return -ENOMEM;
			}
			chunk[n] = resident(v, va);
		}
		if (uk_copy_to_user(vec + done, chunk, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}

/* The commands of a Linux without CONFIG_RSEQ (rseq is ENOSYS here). */
#define MB_SUPPORTED (MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |	\
		      MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED |			\
		      MEMBARRIER_CMD_PRIVATE_EXPEDITED |				\
		      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |			\
		      MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE |			\
		      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE |		\
		      MB_GET_REGISTRATIONS)
#define MB_GET_REGISTRATIONS (1 << 9)	/* Linux 6.3's command */

UK_SYSCALL_R_DEFINE(int, membarrier, int, cmd, unsigned int, flags, int, cpu_id)
{
	(void)cpu_id;
	int *reg = &MM()->membarrier;
	if (flags)
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MB_SUPPORTED;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return *reg & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED ? 0 : -EPERM;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		return *reg & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE ? 0 : -EPERM;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
		*reg |= cmd;
		return 0;
	case MB_GET_REGISTRATIONS:
		return *reg;
	default:
		return -EINVAL;
	}
}
