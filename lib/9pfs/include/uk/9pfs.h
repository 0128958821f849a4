/* 9pfs: a directory of the host, shared over virtio-9p (9P2000.L), as a
 * file system. Data and names go to the host as the program makes them
 * (reads and writes in msize chunks, no page cache); attributes are read
 * when a file is first looked up. */
#pragma once
#include <sys/types.h>
#include <uk/vfs.h>

/* Attaches to the export of the virtio-9p device whose mount tag is tag;
 * returns the mount, for uk_vfs_mount, or NULL with *err set. */
struct uk_mount *uk_9pfs_new(const char *tag, int *err);

/* Gives the mount's root a directory named name that exists only in the
 * guest (an empty directory to mount /dev, /proc... on), unless the
 * host's directory has that name: returns 1 when it made one, 0 when the
 * host has the name, or a negative errno. */
int uk_9pfs_mountpoint(struct uk_mount *m, const char *name, mode_t mode);

/* Shows vn, a file of another file system (an in-memory file the kernel
 * made), as name in dir, a host directory of a 9p mount (from
 * uk_vfs_lookup), unless the host has that name: like a file bind mount,
 * it is looked up, listed, read and written there, cannot be unlinked or
 * renamed over (EBUSY), and nothing of it reaches the host. Keeps a
 * reference to both vnodes. Returns 1 when it was added, 0 when the host
 * has the name, -EINVAL when dir is not a host directory of a 9p mount,
 * or another negative errno. */
int uk_9pfs_overlay(struct uk_vnode *dir, const char *name, struct uk_vnode *vn);
