/* 9P2000.L messages: marshalling, the request/reply cycle and fids.
 *
 * One request is in flight at a time (the kernel is not preemptible and
 * waits for each reply). Requests use the client's two msize buffers;
 * a request made while they are in use (a page fault on the program's
 * buffer while a reply is copied out reads a mapped file) gets buffers
 * of its own for the time it runs. The data of reads and writes of
 * INPLACE_MIN bytes or more moves in place, between the host and the
 * caller's pages (faulted in first), not through the buffers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/uaccess.h>
#include <uk/mm.h>
#include <uk/plat/paging.h>
#include "9p.h"

enum {
	P9_TLERROR = 6, P9_RLERROR,
	P9_TSTATFS = 8, P9_RSTATFS,
	P9_TLOPEN = 12, P9_RLOPEN,
	P9_TLCREATE = 14, P9_RLCREATE,
	P9_TSYMLINK = 16, P9_RSYMLINK,
	P9_TMKNOD = 18, P9_RMKNOD,
	P9_TREADLINK = 22, P9_RREADLINK,
	P9_TGETATTR = 24, P9_RGETATTR,
	P9_TSETATTR = 26, P9_RSETATTR,
	P9_TXATTRWALK = 30, P9_RXATTRWALK,
	P9_TXATTRCREATE = 32, P9_RXATTRCREATE,
	P9_TREADDIR = 40, P9_RREADDIR,
	P9_TFSYNC = 50, P9_RFSYNC,
	P9_TLINK = 70, P9_RLINK,
	P9_TMKDIR = 72, P9_RMKDIR,
	P9_TRENAMEAT = 74, P9_RRENAMEAT,
	P9_TUNLINKAT = 76, P9_RUNLINKAT,
	P9_TVERSION = 100, P9_RVERSION,
	P9_TATTACH = 104, P9_RATTACH,
	P9_TWALK = 110, P9_RWALK,
	P9_TREAD = 116, P9_RREAD,
	P9_TWRITE = 118, P9_RWRITE,
	P9_TCLUNK = 120, P9_RCLUNK,
};

/* Room for any reply but Rread/Rreaddir data: Rreadlink's path is the
 * longest. */
#define SMALL_REPLY 8192

struct req {
	struct p9_client *c;
	struct p9_bufs own, *b;
	uint8_t type;
	/* T message being built */
	size_t tpos, tcap;
	/* R message being parsed */
	size_t rpos, rlen, rcap;
	/* data moved in place: after the T message, and after the first
	 * rcap bytes of the reply */
	const struct p9_sg *txsg, *rxsg;
	unsigned ntx, nrx;
	size_t txdata, rxdata;
	int bad;
};

static size_t pages_for(size_t n)
{
	return (n + PAGE_SIZE - 1) / PAGE_SIZE;
}

static int req_begin(struct p9_client *c, struct req *r, uint8_t type,
		     size_t tcap, size_t rcap)
{
	memset(r, 0, sizeof(*r));
	r->c = c;
	r->type = type;
	if (c->broken)
		return -EIO;
	if (tcap < SMALL_REPLY)
		tcap = SMALL_REPLY;
	if (rcap < SMALL_REPLY)
		rcap = SMALL_REPLY;
	if (!c->main.busy && c->main.t && tcap <= c->msize && rcap <= c->msize) {
		r->b = &c->main;
		tcap = rcap = c->msize;
	} else {
		r->b = &r->own;
		r->own.tpages = pages_for(tcap);
		r->own.rpages = pages_for(rcap);
		r->own.t = uk_palloc(r->own.tpages);
		r->own.r = uk_palloc(r->own.rpages);
		if (!r->own.t || !r->own.r) {
			if (r->own.t)
				uk_pfree(r->own.t, r->own.tpages);
			if (r->own.r)
				uk_pfree(r->own.r, r->own.rpages);
			return -ENOMEM;
		}
	}
	r->b->busy = 1;
	r->tcap = tcap;
	r->rcap = rcap;
	r->tpos = P9_HDRSZ;
	return 0;
}

static void req_end(struct req *r)
{
	if (!r->b)
		return;
	if (r->c->broken)
		return;		/* the device may still write: never reuse */
	if (r->b == &r->own) {
		uk_pfree(r->own.t, r->own.tpages);
		uk_pfree(r->own.r, r->own.rpages);
	}
	r->b->busy = 0;
	r->b = NULL;
}

/* --- marshalling ------------------------------------------------------ */

static uint8_t *tput(struct req *r, size_t n)
{
	if (r->tpos + n > r->tcap) {
		r->bad = 1;
		return NULL;
	}
	uint8_t *p = r->b->t + r->tpos;
	r->tpos += n;
	return p;
}

static void put16(struct req *r, uint16_t v)
{
	uint8_t *p = tput(r, 2);
	if (p)
		memcpy(p, &v, 2);	/* x86 and 9P are both little-endian */
}

static void put32(struct req *r, uint32_t v)
{
	uint8_t *p = tput(r, 4);
	if (p)
		memcpy(p, &v, 4);
}

static void put64(struct req *r, uint64_t v)
{
	uint8_t *p = tput(r, 8);
	if (p)
		memcpy(p, &v, 8);
}

static void putstr(struct req *r, const char *s, size_t len)
{
	if (len > 0xffff) {
		r->bad = 1;
		return;
	}
	put16(r, len);
	uint8_t *p = tput(r, len);
	if (p)
		memcpy(p, s, len);
}

static const uint8_t *rget(struct req *r, size_t n)
{
	if (r->rpos + n > r->rlen) {
		r->bad = 1;
		return NULL;
	}
	const uint8_t *p = r->b->r + r->rpos;
	r->rpos += n;
	return p;
}

static uint8_t get8(struct req *r)
{
	const uint8_t *p = rget(r, 1);
	return p ? p[0] : 0;
}

static uint16_t get16(struct req *r)
{
	uint16_t v = 0;
	const uint8_t *p = rget(r, 2);
	if (p)
		memcpy(&v, p, 2);
	return v;
}

static uint32_t get32(struct req *r)
{
	uint32_t v = 0;
	const uint8_t *p = rget(r, 4);
	if (p)
		memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(struct req *r)
{
	uint64_t v = 0;
	const uint8_t *p = rget(r, 8);
	if (p)
		memcpy(&v, p, 8);
	return v;
}

/* A string in place: *len bytes at the returned pointer. */
static const char *getstr(struct req *r, size_t *len)
{
	*len = get16(r);
	const uint8_t *p = rget(r, *len);
	if (!p)
		*len = 0;
	return (const char *)p;
}

static void getqid(struct req *r, struct p9_qid *q)
{
	struct p9_qid tmp;
	if (!q)
		q = &tmp;
	q->type = get8(r);
	q->version = get32(r);
	q->path = get64(r);
}

/* Sends the request and checks the reply's header: 0 with the reply's
 * body ready to parse, or the server's error. */
static int req_rpc(struct req *r)
{
	struct p9_client *c = r->c;
	if (r->bad)
		return -EINVAL;
	uint32_t size = r->tpos + r->txdata;
	uint16_t tag = r->type == P9_TVERSION ? P9_NOTAG : (r->b == &c->main ? 1 : 2);
	memcpy(r->b->t, &size, 4);
	r->b->t[4] = r->type;
	memcpy(r->b->t + 5, &tag, 2);
	c->nrpc++;
	int rc = c->trans->rpc(c->trans, r->b->t, r->tpos, r->txsg, r->ntx, r->b->r,
			       r->rcap, r->rxsg, r->nrx);
	if (rc) {
		if (rc == -ETIMEDOUT) {
			c->broken = 1;
			printf("9p (%s): the host stopped answering; file system calls now fail with EIO\n",
			       c->trans->name);
		}
		return -EIO;
	}
	uint32_t rsize;
	uint16_t rtag;
	memcpy(&rsize, r->b->r, 4);
	memcpy(&rtag, r->b->r + 5, 2);
	uint8_t rtype = r->b->r[4];
	if (rsize < P9_HDRSZ || rsize > r->rcap + r->rxdata || rtag != tag) {
		printf("9p (%s): malformed reply (size %u, tag %u) to message %u\n",
		       c->trans->name, rsize, rtag, r->type);
		return -EIO;
	}
	r->rlen = rsize < r->rcap ? rsize : r->rcap;
	r->rpos = P9_HDRSZ;
	if (rtype == P9_RLERROR) {
		uint32_t ecode = get32(r);
		return ecode && ecode < 4096 ? -(int)ecode : -EIO;
	}
	if (rtype != r->type + 1) {
		printf("9p (%s): reply %u to message %u\n", c->trans->name, rtype, r->type);
		return -EIO;
	}
	return 0;
}

/* For requests whose reply has nothing but the header, or a qid. */
static int finish(struct req *r, int rc)
{
	if (!rc && r->bad)
		rc = -EIO;
	req_end(r);
	return rc;
}

/* --- fids ------------------------------------------------------------- */

uint32_t p9_fid_alloc(struct p9_client *c)
{
	if (c->nfree)
		return c->free_fids[--c->nfree];
	return c->next_fid++;
}

void p9_fid_free(struct p9_client *c, uint32_t fid)
{
	if (c->nfree == c->capfree) {
		size_t cap = c->capfree ? c->capfree * 2 : 64;
		uint32_t *f = realloc(c->free_fids, cap * sizeof(*f));
		if (!f)
			return;	/* the number is lost, not reused */
		c->free_fids = f;
		c->capfree = cap;
	}
	c->free_fids[c->nfree++] = fid;
}

/* --- messages --------------------------------------------------------- */

int p9_client_init(struct p9_client *c, struct p9_trans *t, uint32_t msize)
{
	struct req r;
	memset(c, 0, sizeof(*c));
	c->trans = t;
	c->next_fid = 1;
	int rc = req_begin(c, &r, P9_TVERSION, 0, 0);
	if (rc)
		return rc;
	put32(&r, msize);
	putstr(&r, "9P2000.L", 8);
	rc = req_rpc(&r);
	if (!rc) {
		size_t vlen;
		uint32_t m = get32(&r);
		const char *v = getstr(&r, &vlen);
		if (r.bad || vlen != 8 || memcmp(v, "9P2000.L", 8)) {
			printf("9p (%s): the host does not speak 9P2000.L\n", t->name);
			rc = -EPROTONOSUPPORT;
		} else if (m < 4096 + P9_IOHDRSZ) {
			printf("9p (%s): msize %u is too small\n", t->name, m);
			rc = -EPROTONOSUPPORT;
		} else {
			c->msize = m < msize ? m : msize;
		}
	}
	req_end(&r);
	if (rc)
		return rc;
	c->main.tpages = c->main.rpages = pages_for(c->msize);
	c->main.t = uk_palloc(c->main.tpages);
	c->main.r = uk_palloc(c->main.rpages);
	if (!c->main.t || !c->main.r)
		return -ENOMEM;
	return 0;
}

int p9_attach(struct p9_client *c, uint32_t fid, const char *uname,
	      const char *aname, uint32_t n_uname, struct p9_qid *qid)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TATTACH, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	put32(&r, P9_NOFID);
	putstr(&r, uname, strlen(uname));
	putstr(&r, aname, strlen(aname));
	put32(&r, n_uname);
	rc = req_rpc(&r);
	if (!rc)
		getqid(&r, qid);
	return finish(&r, rc);
}

int p9_walk(struct p9_client *c, uint32_t fid, uint32_t newfid,
	    const char *name, size_t len, struct p9_qid *qid)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TWALK, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	put32(&r, newfid);
	put16(&r, len ? 1 : 0);
	if (len)
		putstr(&r, name, len);
	rc = req_rpc(&r);
	if (!rc) {
		uint16_t n = get16(&r);
		if (len && n != 1)
			rc = -ENOENT;	/* newfid was not made */
		else if (len)
			getqid(&r, qid);
	}
	return finish(&r, rc);
}

int p9_clunk(struct p9_client *c, uint32_t fid)
{
	struct req r;
	if (fid == P9_NOFID)
		return 0;
	int rc = req_begin(c, &r, P9_TCLUNK, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	rc = req_rpc(&r);
	/* Clunked even when the server complains. */
	p9_fid_free(c, fid);
	return finish(&r, rc);
}

int p9_lopen(struct p9_client *c, uint32_t fid, uint32_t flags,
	     struct p9_qid *qid, uint32_t *iounit)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TLOPEN, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	put32(&r, flags);
	rc = req_rpc(&r);
	if (!rc) {
		getqid(&r, qid);
		uint32_t io = get32(&r);
		if (iounit)
			*iounit = io;
	}
	return finish(&r, rc);
}

int p9_lcreate(struct p9_client *c, uint32_t fid, const char *name, size_t len,
	       uint32_t flags, uint32_t mode, uint32_t gid, struct p9_qid *qid,
	       uint32_t *iounit)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TLCREATE, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	putstr(&r, name, len);
	put32(&r, flags);
	put32(&r, mode);
	put32(&r, gid);
	rc = req_rpc(&r);
	if (!rc) {
		getqid(&r, qid);
		uint32_t io = get32(&r);
		if (iounit)
			*iounit = io;
	}
	return finish(&r, rc);
}

int p9_getattr(struct p9_client *c, uint32_t fid, uint64_t mask,
	       struct p9_attr *a)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TGETATTR, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	put64(&r, mask);
	rc = req_rpc(&r);
	if (!rc) {
		a->valid = get64(&r);
		getqid(&r, &a->qid);
		a->mode = get32(&r);
		a->uid = get32(&r);
		a->gid = get32(&r);
		a->nlink = get64(&r);
		a->rdev = get64(&r);
		a->size = get64(&r);
		a->blksize = get64(&r);
		a->blocks = get64(&r);
		a->atime_sec = get64(&r);
		a->atime_nsec = get64(&r);
		a->mtime_sec = get64(&r);
		a->mtime_nsec = get64(&r);
		a->ctime_sec = get64(&r);
		a->ctime_nsec = get64(&r);
	}
	return finish(&r, rc);
}

int p9_setattr(struct p9_client *c, uint32_t fid, const struct p9_iattr *a)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TSETATTR, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	put32(&r, a->valid);
	put32(&r, a->mode);
	put32(&r, a->uid);
	put32(&r, a->gid);
	put64(&r, a->size);
	put64(&r, a->atime_sec);
	put64(&r, a->atime_nsec);
	put64(&r, a->mtime_sec);
	put64(&r, a->mtime_nsec);
	rc = req_rpc(&r);
	return finish(&r, rc);
}

static uint32_t chunk_max(struct p9_client *c, uint32_t iounit)
{
	uint32_t m = c->msize - P9_IOHDRSZ;
	return iounit && iounit < m ? iounit : m;
}

/* The kernel's ioremap window: device memory, never a buffer. */
#define IOREMAP_START 0xffffffffc0000000UL
/* Below this, data goes through the message buffers. */
#define INPLACE_MIN 2048

/* Describes [buf, buf + *len) by physical address for the device to
 * move data in place, in at most max pieces; shrinks *len to what fits.
 * The program's pages are faulted in first through the user-memory
 * helpers (written, when the device is to write them: a read-only page
 * ends the buffer as it would end a copy); the buffer ends at the first
 * that is not there. Returns the number of pieces, 0 when the buffer
 * must be copied (which then meets the fault, if any). */
static unsigned map_buffer(void *buf, size_t *len, int device_writes,
			   struct p9_sg *sg, unsigned max)
{
	uintptr_t va = (uintptr_t)buf, end = va + *len;
	if (!max || end < va)
		return 0;
	if (va >= DIRECTMAP_BASE) {
		/* The direct map and the kernel image are linear. */
		if (va >= IOREMAP_START || (va < KERNEL_VBASE && end > KERNEL_VBASE) ||
		    (va < UKPLAT_KSTACK_AREA + UKPLAT_KSTACK_AREA_SIZE && end > UKPLAT_KSTACK_AREA))
			return 0;	/* not linear: a kernel stack, device pages */
		sg[0].paddr = KPA(va);
		sg[0].len = *len;
		return 1;
	}
	if (end > USER_TOP)
		return 0;
	unsigned n = 0;
	while (va < end) {
		size_t off = va & (PAGE_SIZE - 1);
		size_t c = PAGE_SIZE - off < end - va ? PAGE_SIZE - off : end - va;
		char b;
		if (uk_copy_from_user(&b, (void *)va, 1) ||
		    (device_writes && uk_copy_to_user((void *)va, &b, 1)))
			break;
		unsigned long pa;
		if (!ukplat_page_lookup(va - off, &pa))
			break;
		pa += off;
		if (n && sg[n - 1].paddr + sg[n - 1].len == pa) {
			sg[n - 1].len += c;
		} else {
			if (n == max)
				break;
			sg[n].paddr = pa;
			sg[n++].len = c;
		}
		va += c;
	}
	if (n)
		*len = va - (uintptr_t)buf;
	return n;
}

long p9_read(struct p9_client *c, uint32_t fid, uint32_t iounit, uint64_t off,
	     void *buf, size_t len)
{
	size_t done = 0;
	uint32_t max = chunk_max(c, iounit);
	struct p9_sg sg[128];
	unsigned maxsg = c->trans->max_sg < 128 ? c->trans->max_sg : 128;
	while (done < len) {
		size_t want = len - done < max ? len - done : max;
		char *dst = (char *)buf + done;
		unsigned nsg = want >= INPLACE_MIN ? map_buffer(dst, &want, 1, sg, maxsg) : 0;
		struct req r;
		int rc = req_begin(c, &r, P9_TREAD, 0, nsg ? 0 : P9_IOHDRSZ + want);
		if (rc)
			return done ? (long)done : rc;
		put32(&r, fid);
		put64(&r, off + done);
		put32(&r, want);
		if (nsg) {
			/* The header alone in the buffer, the data in place. */
			r.rcap = P9_HDRSZ + 4;
			r.rxsg = sg;
			r.nrx = nsg;
			r.rxdata = want;
		}
		rc = req_rpc(&r);
		uint32_t got = 0;
		if (!rc) {
			got = get32(&r);
			if (r.bad || got > want) {
				rc = -EIO;
			} else if (!nsg) {
				/* May demand-page the program's memory: a
				 * nested request takes other buffers. A
				 * fault ends the read with what went out. */
				const uint8_t *data = rget(&r, got);
				size_t out = data ? uk_copy_out_part(dst, data, got) : 0;
				if (!data) {
					rc = -EIO;
				} else if (out < got) {
					done += out;
					rc = -EFAULT;
				}
			}
		}
		req_end(&r);
		if (rc)
			return done ? (long)done : rc;
		done += got;
		if (got < want)
			break;
	}
	return done;
}

long p9_write(struct p9_client *c, uint32_t fid, uint32_t iounit, uint64_t off,
	      const void *buf, size_t len)
{
	size_t done = 0;
	uint32_t max = chunk_max(c, iounit);
	struct p9_sg sg[128];
	unsigned maxsg = c->trans->max_sg < 128 ? c->trans->max_sg : 128;
	if (!len)
		return 0;
	while (done < len) {
		size_t want = len - done < max ? len - done : max;
		const char *src = (const char *)buf + done;
		unsigned nsg = want >= INPLACE_MIN ?
			       map_buffer((void *)src, &want, 0, sg, maxsg) : 0;
		/* Copied: only the bytes there to read are sent (their pages
		 * faulted in now, before the request holds its buffers), and
		 * a fault ends the write. */
		size_t there = nsg ? want : uk_user_readable(src, want);
		if (!there)
			return done ? (long)done : -EFAULT;
		int cut = there < want;
		want = there;
		struct req r;
		int rc = req_begin(c, &r, P9_TWRITE, nsg ? 0 : P9_IOHDRSZ + want, 0);
		if (rc)
			return done ? (long)done : rc;
		put32(&r, fid);
		put64(&r, off + done);
		put32(&r, want);
		if (nsg) {
			r.txsg = sg;
			r.ntx = nsg;
			r.txdata = want;
		} else {
			uint8_t *data = tput(&r, want);
			if (data && uk_copy_in_part(data, src, want) < want)
				r.bad = 1;	/* cannot be: nothing unmapped it */
		}
		rc = req_rpc(&r);
		uint32_t got = 0;
		if (!rc) {
			got = get32(&r);
			if (r.bad || got > want)
				rc = -EIO;
		}
		req_end(&r);
		if (rc)
			return done ? (long)done : rc;
		done += got;
		if (got < want || cut)
			break;
	}
	return done;
}

int p9_readdir(struct p9_client *c, uint32_t fid, uint64_t off, uint32_t count,
	       p9_dirent_fn fn, void *ctx)
{
	struct req r;
	uint32_t max = c->msize - P9_IOHDRSZ;
	if (count > max)
		count = max;
	int rc = req_begin(c, &r, P9_TREADDIR, 0, P9_IOHDRSZ + (size_t)count);
	if (rc)
		return rc;
	put32(&r, fid);
	put64(&r, off);
	put32(&r, count);
	rc = req_rpc(&r);
	if (!rc) {
		uint32_t n = get32(&r);
		if (r.bad || n > r.rlen - r.rpos) {
			rc = -EIO;
		} else {
			/* An entry running past count is malformed, whatever
			 * follows it in the reply. */
			size_t end = r.rlen = r.rpos + n;
			rc = n ? 2 : 0;
			while (r.rpos < end) {
				struct p9_qid q;
				size_t len;
				getqid(&r, &q);
				uint64_t next = get64(&r);
				uint8_t type = get8(&r);
				const char *name = getstr(&r, &len);
				if (r.bad) {
					rc = -EIO;
					break;
				}
				if (fn(ctx, &q, next, type, name, len)) {
					rc = 1;
					break;
				}
			}
		}
	}
	req_end(&r);
	return rc;
}

int p9_mkdir(struct p9_client *c, uint32_t dfid, const char *name, size_t len,
	     uint32_t mode, uint32_t gid, struct p9_qid *qid)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TMKDIR, 0, 0);
	if (rc)
		return rc;
	put32(&r, dfid);
	putstr(&r, name, len);
	put32(&r, mode);
	put32(&r, gid);
	rc = req_rpc(&r);
	if (!rc)
		getqid(&r, qid);
	return finish(&r, rc);
}

int p9_mknod(struct p9_client *c, uint32_t dfid, const char *name, size_t len,
	     uint32_t mode, uint32_t major, uint32_t minor, uint32_t gid,
	     struct p9_qid *qid)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TMKNOD, 0, 0);
	if (rc)
		return rc;
	put32(&r, dfid);
	putstr(&r, name, len);
	put32(&r, mode);
	put32(&r, major);
	put32(&r, minor);
	put32(&r, gid);
	rc = req_rpc(&r);
	if (!rc)
		getqid(&r, qid);
	return finish(&r, rc);
}

int p9_symlink(struct p9_client *c, uint32_t dfid, const char *name, size_t len,
	       const char *target, uint32_t gid, struct p9_qid *qid)
{
	struct req r;
	size_t tlen = strlen(target);
	int rc = req_begin(c, &r, P9_TSYMLINK, 64 + len + tlen, 0);
	if (rc)
		return rc;
	put32(&r, dfid);
	putstr(&r, name, len);
	putstr(&r, target, tlen);
	put32(&r, gid);
	rc = req_rpc(&r);
	if (!rc)
		getqid(&r, qid);
	return finish(&r, rc);
}

long p9_readlink(struct p9_client *c, uint32_t fid, char *buf, size_t len)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TREADLINK, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	rc = req_rpc(&r);
	long n = rc;
	if (!rc) {
		size_t tlen;
		const char *t = getstr(&r, &tlen);
		if (r.bad) {
			n = -EIO;
		} else {
			n = tlen < len ? tlen : len;
			memcpy(buf, t, n);
		}
	}
	req_end(&r);
	return n;
}

int p9_link(struct p9_client *c, uint32_t dfid, uint32_t fid, const char *name,
	    size_t len)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TLINK, 0, 0);
	if (rc)
		return rc;
	put32(&r, dfid);
	put32(&r, fid);
	putstr(&r, name, len);
	rc = req_rpc(&r);
	return finish(&r, rc);
}

int p9_unlinkat(struct p9_client *c, uint32_t dfid, const char *name, size_t len,
		uint32_t flags)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TUNLINKAT, 0, 0);
	if (rc)
		return rc;
	put32(&r, dfid);
	putstr(&r, name, len);
	put32(&r, flags);
	rc = req_rpc(&r);
	return finish(&r, rc);
}

int p9_renameat(struct p9_client *c, uint32_t odfid, const char *oname,
		size_t olen, uint32_t ndfid, const char *nname, size_t nlen)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TRENAMEAT, 0, 0);
	if (rc)
		return rc;
	put32(&r, odfid);
	putstr(&r, oname, olen);
	put32(&r, ndfid);
	putstr(&r, nname, nlen);
	rc = req_rpc(&r);
	return finish(&r, rc);
}

int p9_fsync(struct p9_client *c, uint32_t fid, int datasync)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TFSYNC, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	put32(&r, datasync);
	rc = req_rpc(&r);
	return finish(&r, rc);
}

int p9_statfs(struct p9_client *c, uint32_t fid, struct p9_statfs *s)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TSTATFS, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	rc = req_rpc(&r);
	if (!rc) {
		s->type = get32(&r);
		s->bsize = get32(&r);
		s->blocks = get64(&r);
		s->bfree = get64(&r);
		s->bavail = get64(&r);
		s->files = get64(&r);
		s->ffree = get64(&r);
		s->fsid = get64(&r);
		s->namelen = get32(&r);
	}
	return finish(&r, rc);
}

int p9_xattrwalk(struct p9_client *c, uint32_t fid, uint32_t newfid, const char *name,
		 uint64_t *size)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TXATTRWALK, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	put32(&r, newfid);
	putstr(&r, name, strlen(name));
	rc = req_rpc(&r);
	if (!rc)
		*size = get64(&r);
	return finish(&r, rc);
}

int p9_xattrcreate(struct p9_client *c, uint32_t fid, const char *name, uint64_t size,
		   uint32_t flags)
{
	struct req r;
	int rc = req_begin(c, &r, P9_TXATTRCREATE, 0, 0);
	if (rc)
		return rc;
	put32(&r, fid);
	putstr(&r, name, strlen(name));
	put64(&r, size);
	put32(&r, flags);
	rc = req_rpc(&r);
	return finish(&r, rc);
}
