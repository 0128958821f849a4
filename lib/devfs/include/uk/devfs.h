/* devfs: device drivers register their vnodes under /dev by name. */
#pragma once
#include <uk/vfs.h>

/* The mount devfs vnodes belong to (for uk_vnode_alloc). */
struct uk_mount *uk_devfs_mount(void);
/* Adds a device (takes the reference) or, with target set, a symlink. */
int uk_devfs_add(const char *name, struct uk_vnode *vn);
int uk_devfs_add_link(const char *name, const char *target);
/* An empty directory, for another file system to be mounted on
 * (/dev/shm, /dev/pts). */
int uk_devfs_add_dir(const char *name, mode_t mode);
