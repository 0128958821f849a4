/* ramfs: create an instance, and add initrd-backed files to it. */
#pragma once
#include <stddef.h>
#include <uk/vfs.h>

struct uk_mount *uk_ramfs_new(void);
/* Makes a regular file's content the given bytes, read in place until
 * the first write (the bytes must stay valid: the initrd does). */
void uk_ramfs_set_backing(struct uk_vnode *vn, const void *data, size_t len);
