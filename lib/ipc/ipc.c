/* The id tables of System V IPC objects, shared by shared memory,
 * semaphores and message queues: keys, ids, permissions and removal. An
 * object is its maker's (effective ids); permissions are kept and
 * reported, not enforced. */
#include <errno.h>
#include <uk/plat.h>
#include <uk/process.h>
#include "ipc_internal.h"

struct ipc_obj *ipc_find(struct ipc_table *t, int id)
{
	if (id < 0)
		return NULL;
	struct ipc_obj *o = t->slot[id % IPC_SEQ_MULT % IPC_SLOTS];
	return o && o->id == id ? o : NULL;
}

struct ipc_obj *ipc_find_key(struct ipc_table *t, int key)
{
	for (int i = 0; i < IPC_SLOTS; i++)
		if (t->slot[i] && t->slot[i]->key == key && !t->slot[i]->removed)
			return t->slot[i];
	return NULL;
}

int ipc_add(struct ipc_table *t, struct ipc_obj *o, int key, int mode)
{
	for (int i = 0; i < IPC_SLOTS; i++) {
		if (t->slot[i])
			continue;
		t->slot[i] = o;
		o->seq = t->seq[i]++ % (0x7fffffff / IPC_SEQ_MULT);
		o->id = o->seq * IPC_SEQ_MULT + i;
		o->key = key;
		o->mode = mode & 0777;
		o->uid = o->cuid = uk_proc()->cred.euid;
		o->gid = o->cgid = uk_proc()->cred.egid;
		o->removed = 0;
		return 0;
	}
	return -ENOSPC;
}

void ipc_remove(struct ipc_table *t, struct ipc_obj *o)
{
	t->slot[o->id % IPC_SEQ_MULT % IPC_SLOTS] = NULL;
}

int ipc_get(struct ipc_table *t, int key, int flags, struct ipc_obj **out)
{
	*out = NULL;
	if (key == IPC_PRIVATE)
		return 0;
	struct ipc_obj *o = ipc_find_key(t, key);
	if (!o)
		return (flags & IPC_CREAT) ? 0 : -ENOENT;
	if ((flags & IPC_CREAT) && (flags & IPC_EXCL))
		return -EEXIST;
	*out = o;
	return 0;
}

void ipc_fill_perm(const struct ipc_obj *o, struct ipc64_perm *p)
{
	*p = (struct ipc64_perm){
		.key = o->key, .uid = o->uid, .gid = o->gid, .cuid = o->cuid,
		.cgid = o->cgid, .mode = o->mode | (o->removed ? 01000 : 0), .seq = o->seq,
	};
}

void ipc_set_perm(struct ipc_obj *o, const struct ipc64_perm *p)
{
	o->uid = p->uid;
	o->gid = p->gid;
	o->mode = (o->mode & ~0777) | (p->mode & 0777);
}

uint64_t ipc_now(void)
{
	return ukplat_wall_clock_ns() / 1000000000ULL;
}
