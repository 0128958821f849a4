/* Extended attributes of 9p files, as Linux's v9fs asks for them: a
 * value (or the list of names) is read through a fid Txattrwalk makes; a
 * value is set through a fresh clone of the file's fid that Txattrcreate
 * turns into an attribute, written, and committed by its clunk (a size
 * of 0 removes it: an empty value cannot be set, as with Linux's v9fs
 * over QEMU). The host answers ENODATA, EEXIST, EOPNOTSUPP... */
#include <errno.h>
#include <stddef.h>
#include <linux/limits.h>
#include <uk/vfs.h>
#include "9p.h"
#include "9pfs_internal.h"

/* name's value (name "": the names) into buf of size (0: its length). */
static long get(struct p9_client *c, uint32_t fid, const char *name, void *buf,
		size_t size)
{
	uint32_t xfid = p9_fid_alloc(c);
	if (xfid == P9_NOFID)
		return -ENFILE;
	uint64_t len;
	int rc = p9_xattrwalk(c, fid, xfid, name, &len);
	if (rc) {
		p9_fid_free(c, xfid);	/* not made */
		return rc;
	}
	long n = (long)len;
	if (len > XATTR_SIZE_MAX)
		n = -E2BIG;
	else if (size && len > size)
		n = -ERANGE;
	else if (size && len)
		n = p9_read(c, xfid, 0, 0, buf, len);
	p9_clunk(c, xfid);
	return n;
}

/* Sets name to size bytes of buf, or removes it (buf NULL). */
static long set(struct p9_client *c, uint32_t fid, const char *name, const void *buf,
		size_t size, int flags)
{
	uint32_t xfid = p9_fid_alloc(c);
	if (xfid == P9_NOFID)
		return -ENFILE;
	struct p9_qid qid;
	int rc = p9_walk(c, fid, xfid, NULL, 0, &qid);
	if (rc) {
		p9_fid_free(c, xfid);
		return rc;
	}
	rc = p9_xattrcreate(c, xfid, name, size, flags);
	if (!rc && size) {
		long w = p9_write(c, xfid, 0, 0, buf, size);
		if (w >= 0 && (size_t)w != size)
			w = -EIO;
		if (w < 0)
			rc = (int)w;
	}
	/* The clunk commits it: its answer is the call's. */
	int crc = p9_clunk(c, xfid);
	return rc ? rc : crc;
}

int p9fs_xattr(struct uk_vnode *vn, int op, const char *name, void *buf, size_t size,
	       int flags)
{
	struct p9_client *c;
	uint32_t fid;
	int rc = p9fs_xattr_target(vn, &c, &fid);
	if (rc)
		return rc;
	switch (op) {
	case UK_XATTR_GET:
		return (int)get(c, fid, name, buf, size);
	case UK_XATTR_LIST:
		return (int)get(c, fid, "", buf, size);
	case UK_XATTR_SET:
		return (int)set(c, fid, name, buf, size, flags);
	case UK_XATTR_REMOVE:
		return (int)set(c, fid, name, NULL, 0, 0);
	}
	return -EINVAL;
}
