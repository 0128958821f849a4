/* Reading "newc" cpio archives in place (no copies).
 * uk_cpio_next returns 1 with the next entry, 0 at the trailer, or
 * -EINVAL for a malformed header (bad magic, a field that is not hex, a
 * name or body running past the end). Pure: also built on the host. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct uk_cpio_entry {
	const char *name;	/* NUL-terminated, leading "./" and "/" removed */
	const void *data;
	size_t size;
	uint32_t mode, uid, gid, nlink;
	uint64_t mtime;
	uint32_t ino, devmajor, devminor, rdevmajor, rdevminor;
};

struct uk_cpio_iter {
	const char *base;
	size_t len, off;
};

void uk_cpio_iter_init(struct uk_cpio_iter *it, const void *archive, size_t len);
int uk_cpio_next(struct uk_cpio_iter *it, struct uk_cpio_entry *e);
/* Finds path (with or without a leading '/'); follows no symlinks.
 * Returns 1 found, 0 not found, -EINVAL malformed. */
int uk_cpio_find(const void *archive, size_t len, const char *path,
		 struct uk_cpio_entry *e);
