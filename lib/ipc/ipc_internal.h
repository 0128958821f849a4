/* Internal interfaces of lib/ipc: the id tables System V's objects share
 * (a key, an id whose high bits change with each reuse of a slot,
 * permissions, removal), and the kernel's layouts of their structures. */
#pragma once
#include <stdint.h>
#include <linux/ipc.h>
#include <asm/ipcbuf.h>

#define IPC_SLOTS 1024
#define IPC_SEQ_MULT 32768	/* Linux's SEQ_MULTIPLIER */

struct ipc_obj {
	int id;
	int key;		/* IPC_PRIVATE once removed */
	unsigned int uid, gid, cuid, cgid, mode;
	unsigned short seq;
	int removed;
};

struct ipc_table {
	struct ipc_obj *slot[IPC_SLOTS];
	unsigned short seq[IPC_SLOTS];
};

/* The object of an id, or NULL (-EINVAL for the caller, as Linux). */
struct ipc_obj *ipc_find(struct ipc_table *t, int id);
struct ipc_obj *ipc_find_key(struct ipc_table *t, int key);
/* Gives obj a free slot and an id; -ENOSPC when the table is full. */
int ipc_add(struct ipc_table *t, struct ipc_obj *obj, int key, int mode);
void ipc_remove(struct ipc_table *t, struct ipc_obj *obj);
/* The lookup-or-create rules of shmget and semget: the existing object
 * (with the IPC_EXCL check), -ENOENT without IPC_CREAT, or 0 when one is
 * to be made. */
int ipc_get(struct ipc_table *t, int key, int flags, struct ipc_obj **out);
void ipc_fill_perm(const struct ipc_obj *o, struct ipc64_perm *p);
/* IPC_SET's part that is common: the owner and the mode's low 9 bits. */
void ipc_set_perm(struct ipc_obj *o, const struct ipc64_perm *p);
uint64_t ipc_now(void);
