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
