/* System V shared memory: shmget, shmat, shmdt and shmctl. A segment is
 * an unlinked shared-memory file (lib/ramfs's, as MAP_SHARED|MAP_ANONYMOUS
 * uses); shmat maps it MAP_SHARED, so fork's children share it too. Each
 * mapping of the file holds a reference to it besides the segment's own,
 * so the number of attaches is the file's references less one; a removed
 * segment goes when the last attach does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mman.h>
#include <linux/ipc.h>
#include <asm/shmbuf.h>
#include <uk/mm.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "ipc_internal.h"

/* linux/shm.h's values (it includes the C library's unistd.h). */
#define SHMMIN 1
#define SHMMNI 4096
#define SHMMAX (~0UL - (1UL << 24))
#define SHMALL (~0UL - (1UL << 24))
#define SHMSEG SHMMNI
#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_REMAP 040000
#define SHM_EXEC 0100000
#define SHM_LOCK 11
#define SHM_UNLOCK 12
#define SHM_STAT 13
#define SHM_INFO 14
#define SHM_STAT_ANY 15
#define SHM_DEST 01000
#define SHMLBA PAGE_SIZE
#define PAGE_MASK (PAGE_SIZE - 1UL)

struct shm_seg {
	struct ipc_obj o;	/* first: the table holds it */
	size_t size;
	struct uk_file *file;
	uint64_t atime, dtime, ctime;
	int cpid, lpid;
};

static struct ipc_table segs;

static unsigned long nattch(const struct shm_seg *s)
{
	return s->file->refs - 1;
}

/* Removed segments that nobody has attached any more are freed (their
 * last detach may have been an munmap or an exit, which do not call us). */
static void sweep(void)
{
	for (int i = 0; i < IPC_SLOTS; i++) {
		struct shm_seg *s = (struct shm_seg *)segs.slot[i];
		if (s && s->o.removed && !nattch(s)) {
			ipc_remove(&segs, &s->o);
			uk_file_put(s->file);
			free(s);
		}
	}
}

static struct shm_seg *find(int id)
{
	sweep();
	return (struct shm_seg *)ipc_find(&segs, id);
}

UK_SYSCALL_R_DEFINE(int, shmget, int, key, size_t, size, int, flags)
{
	struct ipc_obj *o;
	sweep();
	int rc = ipc_get(&segs, key, flags, &o);
	if (rc)
		return rc;
	if (o) {
		if (size > ((struct shm_seg *)o)->size)
			return -EINVAL;
		return o->id;
	}
	if (size < SHMMIN || size > SHMMAX)
		return -EINVAL;
	size_t pages = (size + PAGE_MASK) & ~PAGE_MASK;
	struct shm_seg *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	char name[32];
	snprintf(name, sizeof(name), "/SYSV%08x", (unsigned)key);
	s->file = uk_shmem_file ? uk_shmem_file(pages, name) : NULL;
	rc = s->file ? ipc_add(&segs, &s->o, key, flags) : -ENOMEM;
	if (rc) {
		if (s->file)
			uk_file_put(s->file);
		free(s);
		return rc;
	}
	s->size = size;
	s->ctime = ipc_now();
	s->cpid = uk_proc()->pid;
	return s->o.id;
}

UK_SYSCALL_R_DEFINE(long, shmat, int, id, const void *, uaddr, int, flags)
{
	struct shm_seg *s = find(id);
	if (!s)
		return -EINVAL;
	unsigned long addr = (unsigned long)uaddr;
	if (addr && (flags & SHM_RND))
		addr &= ~(SHMLBA - 1);
	if (addr & PAGE_MASK)
		return -EINVAL;
	int prot = PROT_READ | ((flags & SHM_RDONLY) ? 0 : PROT_WRITE) |
		   ((flags & SHM_EXEC) ? PROT_EXEC : 0);
	int mflags = MAP_SHARED;
	if (addr)
		mflags |= (flags & SHM_REMAP) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	long at = uk_mm_map_file(addr, s->size, prot, mflags, s->file, 0);
	if (at == -EEXIST)
		return -EINVAL;	/* Linux: the range is taken and no SHM_REMAP */
	if (at < 0)
		return at;
	s->atime = ipc_now();
	s->lpid = uk_proc()->pid;
	return at;
}

UK_SYSCALL_R_DEFINE(int, shmdt, const void *, uaddr)
{
	unsigned long addr = (unsigned long)uaddr;
	if (addr & PAGE_MASK)
		return -EINVAL;
	struct uk_vma *v = uk_mm_find(addr);
	if (!v || v->start != addr || !v->file)
		return -EINVAL;
	for (int i = 0; i < IPC_SLOTS; i++) {
		struct shm_seg *s = (struct shm_seg *)segs.slot[i];
		if (!s || s->file != v->file)
			continue;
		/* The attach, whatever mprotect split it into. */
		unsigned long end = addr + ((s->size + PAGE_MASK) & ~PAGE_MASK);
		while (v && v->start < end && v->file == s->file) {
			unsigned long vend = v->end;
			uk_mm_munmap(v->start, vend - v->start);
			v = uk_mm_find(vend);
		}
		s->dtime = ipc_now();
		s->lpid = uk_proc()->pid;
		sweep();
		return 0;
	}
	return -EINVAL;
}

static void fill_stat(const struct shm_seg *s, struct shmid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&s->o, &ds->shm_perm);
	if (s->o.removed)
		ds->shm_perm.mode |= SHM_DEST;
	ds->shm_segsz = s->size;
	ds->shm_atime = s->atime;
	ds->shm_dtime = s->dtime;
	ds->shm_ctime = s->ctime;
	ds->shm_cpid = s->cpid;
	ds->shm_lpid = s->lpid;
	ds->shm_nattch = nattch(s);
}

UK_SYSCALL_R_DEFINE(int, shmctl, int, id, int, cmd, void *, ubuf)
{
	cmd &= ~IPC_64;	/* the 64-bit layout is the only one here */
	if (cmd == IPC_INFO || cmd == SHM_INFO) {
		struct shminfo64 info = { .shmmax = SHMMAX, .shmmin = SHMMIN, .shmmni = SHMMNI,
					  .shmseg = SHMSEG, .shmall = SHMALL };
		if (uk_copy_to_user(ubuf, &info, sizeof(info)))
			return -EFAULT;
		int max = 0;
		for (int i = 0; i < IPC_SLOTS; i++)
			if (segs.slot[i])
				max = i;
		return max;
	}
	struct shm_seg *s;
	if (cmd == SHM_STAT || cmd == SHM_STAT_ANY) {
		sweep();
		if (id < 0 || id >= IPC_SLOTS || !(s = (struct shm_seg *)segs.slot[id]))
			return -EINVAL;
	} else if (!(s = find(id))) {
		return -EINVAL;
	}
	struct shmid64_ds ds;
	switch (cmd) {
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		fill_stat(s, &ds);
		if (uk_copy_to_user(ubuf, &ds, sizeof(ds)))
			return -EFAULT;
		return cmd == IPC_STAT ? 0 : s->o.id;
	case IPC_SET:
		if (uk_copy_from_user(&ds, ubuf, sizeof(ds)))
			return -EFAULT;
		ipc_set_perm(&s->o, &ds.shm_perm);
		s->ctime = ipc_now();
		return 0;
	case IPC_RMID:
		s->o.removed = 1;
		s->o.key = IPC_PRIVATE;
		s->ctime = ipc_now();
		sweep();
		return 0;
	case SHM_LOCK:
	case SHM_UNLOCK:
		return 0;	/* nothing is swapped here */
	default:
		return -EINVAL;
	}
}
