/* The 9P2000.L client: messages over a transport that carries one
 * request and its reply at a time. Functions return 0 (or a count) or a
 * negative errno: the server's (Rlerror), -EIO for a malformed reply or a
 * transport that failed (after which every request fails). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define P9_NOFID	0xffffffffu
#define P9_NOTAG	0xffff

/* qid types */
#define P9_QTDIR	0x80
#define P9_QTSYMLINK	0x02

/* Tgetattr request mask */
#define P9_GETATTR_BASIC 0x000007ffULL

/* Tsetattr valid bits */
#define P9_SETATTR_MODE		0x001
#define P9_SETATTR_UID		0x002
#define P9_SETATTR_GID		0x004
#define P9_SETATTR_SIZE		0x008
#define P9_SETATTR_ATIME	0x010
#define P9_SETATTR_MTIME	0x020
#define P9_SETATTR_CTIME	0x040
#define P9_SETATTR_ATIME_SET	0x080
#define P9_SETATTR_MTIME_SET	0x100

#define P9_AT_REMOVEDIR	0x200

/* Message header and the fixed part of Tread/Twrite before the data. */
#define P9_HDRSZ	7
#define P9_IOHDRSZ	24

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

struct p9_attr {
	uint64_t valid;
	struct p9_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};

struct p9_iattr {
	uint32_t valid;
	uint32_t mode, uid, gid;
	uint64_t size;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
};

struct p9_statfs {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
	uint32_t namelen;
};

/* A piece of memory by physical address, for data moved in place. */
struct p9_sg {
	uint64_t paddr;
	uint32_t len;
};

/* A transport. tx and rx are direct-map addresses of physically
 * contiguous buffers; rx has room for rcap bytes (the largest reply the
 * request can get). The message goes on in txsg (ntx pieces) and the
 * reply in rxsg (nrx): the data of Twrite and Rread, moved straight
 * between the host and the caller's pages. Returns 0 once the reply is
 * in. */
struct p9_trans {
	int (*rpc)(struct p9_trans *t, void *tx, uint32_t tlen,
		   const struct p9_sg *txsg, unsigned ntx, void *rx, uint32_t rcap,
		   const struct p9_sg *rxsg, unsigned nrx);
	unsigned max_sg;		/* ntx + nrx at most */
	const char *name;
};

struct p9_bufs {
	uint8_t *t, *r;
	size_t tpages, rpages;
	int busy;
};

struct p9_client {
	struct p9_trans *trans;
	uint32_t msize;
	int broken;
	struct p9_bufs main;		/* msize each; nested requests use others */
	uint32_t next_fid;
	uint32_t *free_fids;
	size_t nfree, capfree;
	uint64_t nrpc;			/* requests sent, for statistics */
};

/* Negotiates the version (9P2000.L) and msize (at most msize). */
int p9_client_init(struct p9_client *c, struct p9_trans *t, uint32_t msize);

uint32_t p9_fid_alloc(struct p9_client *c);
/* Gives back a fid number the server never took (a failed walk). */
void p9_fid_free(struct p9_client *c, uint32_t fid);

int p9_attach(struct p9_client *c, uint32_t fid, const char *uname,
	      const char *aname, uint32_t n_uname, struct p9_qid *qid);
/* Walks one name from fid to a new fid (len 0: a clone of fid). */
int p9_walk(struct p9_client *c, uint32_t fid, uint32_t newfid,
	    const char *name, size_t len, struct p9_qid *qid);
/* Clunks the fid and gives its number back. */
int p9_clunk(struct p9_client *c, uint32_t fid);
int p9_lopen(struct p9_client *c, uint32_t fid, uint32_t flags,
	     struct p9_qid *qid, uint32_t *iounit);
/* Creates name in the directory fid and opens it: fid becomes the file. */
int p9_lcreate(struct p9_client *c, uint32_t fid, const char *name, size_t len,
	       uint32_t flags, uint32_t mode, uint32_t gid, struct p9_qid *qid,
	       uint32_t *iounit);
int p9_getattr(struct p9_client *c, uint32_t fid, uint64_t mask,
	       struct p9_attr *a);
int p9_setattr(struct p9_client *c, uint32_t fid, const struct p9_iattr *a);
/* Reads up to len bytes at off, in msize (or iounit) chunks, until a
 * short read; returns the count. buf may be the program's memory. */
long p9_read(struct p9_client *c, uint32_t fid, uint32_t iounit, uint64_t off,
	     void *buf, size_t len);
long p9_write(struct p9_client *c, uint32_t fid, uint32_t iounit, uint64_t off,
	      const void *buf, size_t len);
/* One Treaddir of at most count bytes from the cookie off; fn is called
 * per entry with the cookie after it and returns non-zero to stop.
 * Returns 0 at the end of the directory (no entries came), 1 when fn
 * stopped, 2 when the whole batch was taken (read on from the last
 * cookie). */
typedef int (*p9_dirent_fn)(void *ctx, const struct p9_qid *qid, uint64_t next,
			    uint8_t type, const char *name, size_t len);
int p9_readdir(struct p9_client *c, uint32_t fid, uint64_t off, uint32_t count,
	       p9_dirent_fn fn, void *ctx);
int p9_mkdir(struct p9_client *c, uint32_t dfid, const char *name, size_t len,
	     uint32_t mode, uint32_t gid, struct p9_qid *qid);
int p9_mknod(struct p9_client *c, uint32_t dfid, const char *name, size_t len,
	     uint32_t mode, uint32_t major, uint32_t minor, uint32_t gid,
	     struct p9_qid *qid);
int p9_symlink(struct p9_client *c, uint32_t dfid, const char *name, size_t len,
	       const char *target, uint32_t gid, struct p9_qid *qid);
/* Copies at most len bytes of the target (no NUL); returns its length. */
long p9_readlink(struct p9_client *c, uint32_t fid, char *buf, size_t len);
int p9_link(struct p9_client *c, uint32_t dfid, uint32_t fid, const char *name,
	    size_t len);
int p9_unlinkat(struct p9_client *c, uint32_t dfid, const char *name, size_t len,
		uint32_t flags);
int p9_renameat(struct p9_client *c, uint32_t odfid, const char *oname,
		size_t olen, uint32_t ndfid, const char *nname, size_t nlen);
int p9_fsync(struct p9_client *c, uint32_t fid, int datasync);
int p9_statfs(struct p9_client *c, uint32_t fid, struct p9_statfs *s);
/* Extended attributes: xattrwalk makes newfid a fid to read name's value
 * (of *size bytes) from, or with name "" the list of names; xattrcreate
 * turns fid (a fresh clone) into one that takes size bytes of value by
 * p9_write, set (or, with size 0, removed) at its clunk. */
int p9_xattrwalk(struct p9_client *c, uint32_t fid, uint32_t newfid, const char *name,
		 uint64_t *size);
int p9_xattrcreate(struct p9_client *c, uint32_t fid, const char *name, uint64_t size,
		   uint32_t flags);
