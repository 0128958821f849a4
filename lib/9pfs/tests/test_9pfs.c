/* 9pfs: the 9P2000.L client against a transport faked here, without a
 * device: each request's bytes are checked against the protocol's
 * layout (message types, field order and sizes, as in the 9P2000.L
 * specification and Linux's net/9p), and hand-built replies are decoded,
 * malformed ones refused. Reads and writes of 2 KiB or more move their
 * data in place through the transport's scatter lists. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/mm.h>
#include <uk/plat/layout.h>
#include <uk/test.h>
#include "../9p.h"

/* 9P2000.L message types. */
enum {
	RLERROR = 7, TSTATFS = 8, TLOPEN = 12, TLCREATE = 14, TSYMLINK = 16,
	TREADLINK = 22, TGETATTR = 24, TSETATTR = 26, TREADDIR = 40, TFSYNC = 50,
	TLINK = 70, TMKDIR = 72, TRENAMEAT = 74, TUNLINKAT = 76, TVERSION = 100,
	TATTACH = 104, TWALK = 110, TREAD = 116, TWRITE = 118, TCLUNK = 120,
};

#define MSIZE 8192
#define BUFSZ (MSIZE + 1024)

/* A message built by hand, little-endian as 9P is. */
struct msg {
	uint8_t b[BUFSZ];
	uint32_t n;
};

static void put(struct msg *m, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		m->b[m->n++] = (uint8_t)(v >> (8 * i));
}

static void put_str(struct msg *m, const char *s)
{
	size_t l = strlen(s);
	put(m, l, 2);
	memcpy(m->b + m->n, s, l);
	m->n += l;
}

static void put_qid(struct msg *m, uint8_t type, uint32_t version, uint64_t path)
{
	put(m, type, 1);
	put(m, version, 4);
	put(m, path, 8);
}

/* size[4] type[1] tag[2]; end() fills the size. */
static void begin(struct msg *m, uint8_t type, uint16_t tag)
{
	m->n = 0;
	put(m, 0, 4);
	put(m, type, 1);
	put(m, tag, 2);
}

static void end(struct msg *m)
{
	uint32_t n = m->n;
	for (int i = 0; i < 4; i++)
		m->b[i] = (uint8_t)(n >> (8 * i));
}

static uint64_t get(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The fake transport: keeps the request, answers with rep (or what the
 * responder builds from the request), with the request's tag unless
 * keep_tag. */
static struct {
	struct p9_trans t;
	uint8_t req[BUFSZ];
	uint32_t req_len;
	struct msg rep;
	void (*respond)(void);
	int fail, calls, keep_tag;
	unsigned ntx, nrx;
} fk;

static int fake_rpc(struct p9_trans *t, void *tx, uint32_t tlen, const struct p9_sg *txsg,
		    unsigned ntx, void *rx, uint32_t rcap, const struct p9_sg *rxsg,
		    unsigned nrx)
{
	(void)t;
	fk.calls++;
	if (fk.fail)
		return fk.fail;
	uint32_t n = tlen < BUFSZ ? tlen : BUFSZ;
	memcpy(fk.req, tx, n);
	for (unsigned i = 0; i < ntx && n + txsg[i].len <= BUFSZ; i++) {
		memcpy(fk.req + n, KVA(txsg[i].paddr), txsg[i].len);
		n += txsg[i].len;
	}
	fk.req_len = n;
	fk.ntx = ntx;
	fk.nrx = nrx;
	if (fk.respond)
		fk.respond();
	if (!fk.keep_tag)
		memcpy(fk.rep.b + 5, fk.req + 5, 2);
	uint32_t first = fk.rep.n < rcap ? fk.rep.n : rcap, off = first;
	memcpy(rx, fk.rep.b, first);
	for (unsigned i = 0; i < nrx && off < fk.rep.n; i++) {
		uint32_t c = fk.rep.n - off < rxsg[i].len ? fk.rep.n - off : rxsg[i].len;
		memcpy(KVA(rxsg[i].paddr), fk.rep.b + off, c);
		off += c;
	}
	return 0;
}

static struct p9_client c;

static void reset(void)
{
	if (c.main.t) {
		uk_pfree(c.main.t, c.main.tpages);
		uk_pfree(c.main.r, c.main.rpages);
	}
	free(c.free_fids);
	memset(&c, 0, sizeof(c));
	memset(&fk, 0, sizeof(fk));
	fk.t.rpc = fake_rpc;
	fk.t.max_sg = 16;
	fk.t.name = "fake";
}

/* The request is exactly want (its tag aside, the client's choice). */
static int sent(struct msg *want)
{
	end(want);
	if (fk.req_len != want->n || want->n < 7)
		return 0;
	memcpy(want->b + 5, fk.req + 5, 2);
	return !memcmp(fk.req, want->b, want->n);
}

static void reply(struct msg *m)
{
	end(m);
	fk.rep = *m;
}

/* A connected client: Tversion answered with msize. */
static int connect(uint32_t msize)
{
	static struct msg m;
	reset();
	begin(&m, TVERSION + 1, P9_NOTAG);
	put(&m, msize, 4);
	put_str(&m, "9P2000.L");
	reply(&m);
	return p9_client_init(&c, &fk.t, MSIZE);
}

static struct msg want, rep;

UK_TESTCASE(9pfs, version)
{
	UK_TEST_EQ(connect(MSIZE), 0);
	/* Tversion: tag NOTAG, msize[4], version[s]. */
	begin(&want, TVERSION, P9_NOTAG);
	put(&want, MSIZE, 4);
	put_str(&want, "9P2000.L");
	end(&want);
	UK_TEST_EQ(fk.req_len, want.n);
	UK_TEST_EXPECT(!memcmp(fk.req, want.b, want.n));
	UK_TEST_EQ(c.msize, MSIZE);
	/* The server may lower msize, never raise it. */
	UK_TEST_EQ(connect(5000), 0);
	UK_TEST_EQ(c.msize, 5000);
	UK_TEST_EQ(connect(MSIZE * 4), 0);
	UK_TEST_EQ(c.msize, MSIZE);
	/* Another dialect, or an msize without room for a page of data. */
	reset();
	begin(&rep, TVERSION + 1, P9_NOTAG);
	put(&rep, MSIZE, 4);
	put_str(&rep, "9P2000.u");
	reply(&rep);
	UK_TEST_EXPECT(p9_client_init(&c, &fk.t, MSIZE) < 0);
	UK_TEST_EXPECT(connect(4096) < 0);
	reset();
	begin(&rep, RLERROR, P9_NOTAG);
	put(&rep, EOPNOTSUPP, 4);
	reply(&rep);
	UK_TEST_EQ(p9_client_init(&c, &fk.t, MSIZE), -EOPNOTSUPP);
}

UK_TESTCASE(9pfs, attach_walk_clunk)
{
	struct p9_qid q;
	UK_TEST_EQ(connect(MSIZE), 0);
	uint32_t root = p9_fid_alloc(&c);
	/* Tattach: fid, afid NOFID, uname, aname, n_uname. */
	begin(&rep, TATTACH + 1, 0);
	put_qid(&rep, P9_QTDIR, 7, 0x1122334455667788ULL);
	reply(&rep);
	UK_TEST_EQ(p9_attach(&c, root, "root", "/export", 0, &q), 0);
	begin(&want, TATTACH, 0);
	put(&want, root, 4);
	put(&want, P9_NOFID, 4);
	put_str(&want, "root");
	put_str(&want, "/export");
	put(&want, 0, 4);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(q.type, P9_QTDIR);
	UK_TEST_EQ(q.version, 7);
	UK_TEST_EQ(q.path, 0x1122334455667788ULL);
	/* Twalk of one name: fid, newfid, nwname 1, wname; Rwalk: nwqid, qids. */
	uint32_t f = p9_fid_alloc(&c);
	UK_TEST_EXPECT(f != root);
	begin(&rep, TWALK + 1, 0);
	put(&rep, 1, 2);
	put_qid(&rep, 0, 1, 42);
	reply(&rep);
	UK_TEST_EQ(p9_walk(&c, root, f, "etc/x", 3, &q), 0);
	begin(&want, TWALK, 0);
	put(&want, root, 4);
	put(&want, f, 4);
	put(&want, 1, 2);
	put_str(&want, "etc");
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(q.path, 42);
	/* A walk that stops short (nwqid 0) made no newfid. */
	begin(&rep, TWALK + 1, 0);
	put(&rep, 0, 2);
	reply(&rep);
	UK_TEST_EQ(p9_walk(&c, root, f, "nope", 4, &q), -ENOENT);
	/* A clone walks zero names. */
	UK_TEST_EQ(p9_walk(&c, root, f, "", 0, &q), 0);
	begin(&want, TWALK, 0);
	put(&want, root, 4);
	put(&want, f, 4);
	put(&want, 0, 2);
	UK_TEST_EXPECT(sent(&want));
	/* Rlerror carries a Linux errno. */
	begin(&rep, RLERROR, 0);
	put(&rep, ENOENT, 4);
	reply(&rep);
	UK_TEST_EQ(p9_walk(&c, root, f, "gone", 4, &q), -ENOENT);
	/* Tclunk: the fid is given back for reuse, even on an error. */
	begin(&rep, TCLUNK + 1, 0);
	reply(&rep);
	UK_TEST_EQ(p9_clunk(&c, f), 0);
	begin(&want, TCLUNK, 0);
	put(&want, f, 4);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(p9_fid_alloc(&c), f);
	int calls = fk.calls;
	UK_TEST_EQ(p9_clunk(&c, P9_NOFID), 0);		/* nothing sent */
	UK_TEST_EQ(fk.calls, calls);
}

UK_TESTCASE(9pfs, getattr_setattr)
{
	struct p9_attr a;
	UK_TEST_EQ(connect(MSIZE), 0);
	/* Tgetattr: fid, request_mask[8]. Rgetattr: valid, qid, mode, uid,
	 * gid, nlink, rdev, size, blksize, blocks, a/m/c/btime, gen,
	 * data_version. */
	begin(&rep, TGETATTR + 1, 0);
	put(&rep, P9_GETATTR_BASIC, 8);
	put_qid(&rep, 0, 3, 99);
	put(&rep, 0100644, 4);
	put(&rep, 1000, 4);
	put(&rep, 100, 4);
	put(&rep, 2, 8);
	put(&rep, 0, 8);
	put(&rep, 12345, 8);
	put(&rep, 4096, 8);
	put(&rep, 32, 8);
	put(&rep, 1700000001, 8);
	put(&rep, 11, 8);
	put(&rep, 1700000002, 8);
	put(&rep, 22, 8);
	put(&rep, 1700000003, 8);
	put(&rep, 33, 8);
	put(&rep, 0, 8);
	put(&rep, 0, 8);
	put(&rep, 0, 8);
	put(&rep, 0, 8);
	reply(&rep);
	UK_TEST_EQ(p9_getattr(&c, 5, P9_GETATTR_BASIC, &a), 0);
	begin(&want, TGETATTR, 0);
	put(&want, 5, 4);
	put(&want, P9_GETATTR_BASIC, 8);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(a.qid.path, 99);
	UK_TEST_EQ(a.mode, 0100644);
	UK_TEST_EQ(a.uid, 1000);
	UK_TEST_EQ(a.gid, 100);
	UK_TEST_EQ(a.nlink, 2);
	UK_TEST_EQ(a.size, 12345);
	UK_TEST_EQ(a.blksize, 4096);
	UK_TEST_EQ(a.blocks, 32);
	UK_TEST_EQ(a.atime_sec, 1700000001);
	UK_TEST_EQ(a.mtime_nsec, 22);
	UK_TEST_EQ(a.ctime_sec, 1700000003);
	/* Cut short after the mode: refused. */
	rep.n = 7 + 8 + 13 + 4;
	reply(&rep);
	UK_TEST_EQ(p9_getattr(&c, 5, P9_GETATTR_BASIC, &a), -EIO);
	/* Tsetattr: fid, valid[4], mode, uid, gid, size[8], atime s/ns,
	 * mtime s/ns. */
	struct p9_iattr ia = { .valid = P9_SETATTR_SIZE | P9_SETATTR_MTIME_SET | P9_SETATTR_MTIME,
			       .mode = 0640, .uid = 1000, .gid = 100, .size = 77,
			       .atime_sec = 3, .atime_nsec = 4, .mtime_sec = 5, .mtime_nsec = 6 };
	begin(&rep, TSETATTR + 1, 0);
	reply(&rep);
	UK_TEST_EQ(p9_setattr(&c, 5, &ia), 0);
	begin(&want, TSETATTR, 0);
	put(&want, 5, 4);
	put(&want, 0x128, 4);
	put(&want, 0640, 4);
	put(&want, 1000, 4);
	put(&want, 100, 4);
	put(&want, 77, 8);
	put(&want, 3, 8);
	put(&want, 4, 8);
	put(&want, 5, 8);
	put(&want, 6, 8);
	UK_TEST_EXPECT(sent(&want));
}

/* A file of 64 KiB whose byte at offset o is (o * 13) & 0xff. */
#define FILE_SIZE 65536
static uint8_t file_byte(uint64_t o)
{
	return (uint8_t)(o * 13);
}

static uint64_t read_offsets[8];
static uint32_t read_counts[8];
static int nreads;

static void serve_read(void)
{
	uint64_t off = get(fk.req + 11, 8);
	uint32_t count = get(fk.req + 19, 4);
	if (nreads < 8) {
		read_offsets[nreads] = off;
		read_counts[nreads] = count;
	}
	nreads++;
	uint32_t n = off >= FILE_SIZE ? 0 : FILE_SIZE - off < count ? FILE_SIZE - off : count;
	begin(&fk.rep, TREAD + 1, 0);
	put(&fk.rep, n, 4);
	for (uint32_t i = 0; i < n; i++)
		fk.rep.b[fk.rep.n++] = file_byte(off + i);
	end(&fk.rep);
}

UK_TESTCASE(9pfs, read)
{
	static uint8_t buf[20000];
	UK_TEST_EQ(connect(MSIZE), 0);
	fk.respond = serve_read;
	/* Small: Tread fid, offset[8], count[4]; data through the buffer. */
	nreads = 0;
	UK_TEST_EQ(p9_read(&c, 9, 0, 100, buf, 10), 10);
	begin(&want, TREAD, 0);
	put(&want, 9, 4);
	put(&want, 100, 8);
	put(&want, 10, 4);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(fk.nrx, 0);
	UK_TEST_EQ(buf[0], file_byte(100));
	UK_TEST_EQ(buf[9], file_byte(109));
	/* Large: msize - 24 bytes per Tread, the data in place. */
	nreads = 0;
	memset(buf, 0, sizeof(buf));
	UK_TEST_EQ(p9_read(&c, 9, 0, 1000, buf, sizeof(buf)), sizeof(buf));
	UK_TEST_EQ(nreads, 3);
	UK_TEST_EQ(read_counts[0], MSIZE - P9_IOHDRSZ);
	UK_TEST_EQ(read_offsets[1], 1000 + MSIZE - P9_IOHDRSZ);
	UK_TEST_EQ(read_counts[2], sizeof(buf) - 2 * (MSIZE - P9_IOHDRSZ));
	UK_TEST_EXPECT(fk.nrx > 0);
	int ok = 1;
	for (unsigned i = 0; i < sizeof(buf); i++)
		ok &= buf[i] == file_byte(1000 + i);
	UK_TEST_EQ(ok, 1);
	/* iounit caps the chunk. */
	nreads = 0;
	UK_TEST_EQ(p9_read(&c, 9, 4096, 0, buf, 8192), 8192);
	UK_TEST_EQ(nreads, 2);
	UK_TEST_EQ(read_counts[0], 4096);
	/* A short read ends it: the end of the file. */
	nreads = 0;
	UK_TEST_EQ(p9_read(&c, 9, 0, FILE_SIZE - 100, buf, 5000), 100);
	UK_TEST_EQ(nreads, 1);
	UK_TEST_EQ(p9_read(&c, 9, 0, FILE_SIZE, buf, 10), 0);
	/* More data than asked for is a broken reply. */
	fk.respond = NULL;
	begin(&rep, TREAD + 1, 0);
	put(&rep, 20, 4);
	for (int i = 0; i < 20; i++)
		put(&rep, 0, 1);
	reply(&rep);
	UK_TEST_EQ(p9_read(&c, 9, 0, 0, buf, 10), -EIO);
}

static uint8_t written[FILE_SIZE];
static uint32_t short_by;

static void serve_write(void)
{
	uint64_t off = get(fk.req + 11, 8);
	uint32_t count = get(fk.req + 19, 4);
	uint32_t have = fk.req_len - 23;
	if (have == count && off + count <= FILE_SIZE)
		memcpy(written + off, fk.req + 23, count);
	begin(&fk.rep, TWRITE + 1, 0);
	put(&fk.rep, count - (short_by < count ? short_by : 0), 4);
	end(&fk.rep);
}

UK_TESTCASE(9pfs, write)
{
	static uint8_t data[12000];
	UK_TEST_EQ(connect(MSIZE), 0);
	fk.respond = serve_write;
	short_by = 0;
	/* Twrite: fid, offset[8], count[4], data[count]. */
	UK_TEST_EQ(p9_write(&c, 3, 0, 7, "hello", 5), 5);
	begin(&want, TWRITE, 0);
	put(&want, 3, 4);
	put(&want, 7, 8);
	put(&want, 5, 4);
	memcpy(want.b + want.n, "hello", 5);
	want.n += 5;
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(fk.ntx, 0);
	/* Large: in place, in msize chunks, all of it arriving. */
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + 1);
	memset(written, 0, sizeof(written));
	UK_TEST_EQ(p9_write(&c, 3, 0, 100, data, sizeof(data)), sizeof(data));
	UK_TEST_EXPECT(fk.ntx > 0);
	UK_TEST_EXPECT(!memcmp(written + 100, data, sizeof(data)));
	/* The server took less: the count is what it took. */
	short_by = 10;
	UK_TEST_EQ(p9_write(&c, 3, 0, 0, data, 100), 90);
	UK_TEST_EQ(p9_write(&c, 3, 0, 0, data, 0), 0);
}

struct seen {
	char names[4][16];
	uint8_t types[4];
	uint64_t next[4];
	int n;
};

static int on_entry(void *ctx, const struct p9_qid *q, uint64_t next, uint8_t type,
		    const char *name, size_t len)
{
	struct seen *s = ctx;
	(void)q;
	if (s->n < 4 && len < 16) {
		memcpy(s->names[s->n], name, len);
		s->names[s->n][len] = 0;
		s->types[s->n] = type;
		s->next[s->n] = next;
	}
	s->n++;
	return 0;
}

UK_TESTCASE(9pfs, readdir)
{
	struct seen s;
	UK_TEST_EQ(connect(MSIZE), 0);
	/* Treaddir: fid, offset[8], count[4]. Rreaddir: count[4], then
	 * entries of qid, offset[8], type[1], name[s]. */
	begin(&rep, TREADDIR + 1, 0);
	put(&rep, 2 * (13 + 8 + 1 + 2) + 1 + 5, 4);
	put_qid(&rep, P9_QTDIR, 0, 1);
	put(&rep, 1, 8);
	put(&rep, 4, 1);		/* DT_DIR */
	put_str(&rep, ".");
	put_qid(&rep, 0, 0, 2);
	put(&rep, 2, 8);
	put(&rep, 8, 1);		/* DT_REG */
	put_str(&rep, "notes");
	reply(&rep);
	memset(&s, 0, sizeof(s));
	UK_TEST_EQ(p9_readdir(&c, 4, 0, 4096, on_entry, &s), 2);
	begin(&want, TREADDIR, 0);
	put(&want, 4, 4);
	put(&want, 0, 8);
	put(&want, 4096, 4);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(s.n, 2);
	UK_TEST_EXPECT(!strcmp(s.names[0], ".") && s.types[0] == 4 && s.next[0] == 1);
	UK_TEST_EXPECT(!strcmp(s.names[1], "notes") && s.types[1] == 8 && s.next[1] == 2);
	/* count 0: the end of the directory. */
	begin(&rep, TREADDIR + 1, 0);
	put(&rep, 0, 4);
	reply(&rep);
	UK_TEST_EQ(p9_readdir(&c, 4, 2, 4096, on_entry, &s), 0);
	/* An entry running past count is malformed. */
	begin(&rep, TREADDIR + 1, 0);
	put(&rep, 20, 4);
	put_qid(&rep, 0, 0, 2);
	put(&rep, 2, 8);
	reply(&rep);
	UK_TEST_EQ(p9_readdir(&c, 4, 0, 4096, on_entry, &s), -EIO);
	/* Even when the reply goes on after count: an entry that ends past
	 * count is no entry (found by make fuzz). */
	begin(&rep, TREADDIR + 1, 0);
	put(&rep, 20, 4);
	put_qid(&rep, 0, 0, 2);
	put(&rep, 2, 8);
	put(&rep, 8, 1);
	put_str(&rep, "beyond");
	reply(&rep);
	memset(&s, 0, sizeof(s));
	UK_TEST_EQ(p9_readdir(&c, 4, 0, 4096, on_entry, &s), -EIO);
	UK_TEST_EQ(s.n, 0);
	/* count asks for no more than msize allows. */
	begin(&rep, TREADDIR + 1, 0);
	put(&rep, 0, 4);
	reply(&rep);
	p9_readdir(&c, 4, 0, 1 << 20, on_entry, &s);
	UK_TEST_EQ(get(fk.req + 19, 4), MSIZE - P9_IOHDRSZ);
}

UK_TESTCASE(9pfs, create_and_names)
{
	struct p9_qid q;
	uint32_t iounit = 1;
	char buf[32];
	UK_TEST_EQ(connect(MSIZE), 0);
	/* Tlcreate: fid, name, flags, mode, gid; Rlcreate: qid, iounit. */
	begin(&rep, TLCREATE + 1, 0);
	put_qid(&rep, 0, 0, 5);
	put(&rep, 0, 4);
	reply(&rep);
	UK_TEST_EQ(p9_lcreate(&c, 2, "new.txt", 7, 0101, 0644, 0, &q, &iounit), 0);
	begin(&want, TLCREATE, 0);
	put(&want, 2, 4);
	put_str(&want, "new.txt");
	put(&want, 0101, 4);
	put(&want, 0644, 4);
	put(&want, 0, 4);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(q.path, 5);
	UK_TEST_EQ(iounit, 0);
	/* Tlopen: fid, flags. */
	begin(&rep, TLOPEN + 1, 0);
	put_qid(&rep, 0, 0, 5);
	put(&rep, 4096, 4);
	reply(&rep);
	UK_TEST_EQ(p9_lopen(&c, 2, 2, &q, &iounit), 0);
	begin(&want, TLOPEN, 0);
	put(&want, 2, 4);
	put(&want, 2, 4);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(iounit, 4096);
	/* Tmkdir: dfid, name, mode, gid. */
	begin(&rep, TMKDIR + 1, 0);
	put_qid(&rep, P9_QTDIR, 0, 6);
	reply(&rep);
	UK_TEST_EQ(p9_mkdir(&c, 1, "sub", 3, 0755, 0, &q), 0);
	begin(&want, TMKDIR, 0);
	put(&want, 1, 4);
	put_str(&want, "sub");
	put(&want, 0755, 4);
	put(&want, 0, 4);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(q.type, P9_QTDIR);
	/* Tsymlink: fid, name, symtgt, gid. */
	begin(&rep, TSYMLINK + 1, 0);
	put_qid(&rep, P9_QTSYMLINK, 0, 7);
	reply(&rep);
	UK_TEST_EQ(p9_symlink(&c, 1, "ln", 2, "../target", 0, &q), 0);
	begin(&want, TSYMLINK, 0);
	put(&want, 1, 4);
	put_str(&want, "ln");
	put_str(&want, "../target");
	put(&want, 0, 4);
	UK_TEST_EXPECT(sent(&want));
	/* Treadlink: fid; Rreadlink: target[s], cut to the buffer. */
	begin(&rep, TREADLINK + 1, 0);
	put_str(&rep, "../target");
	reply(&rep);
	UK_TEST_EQ(p9_readlink(&c, 7, buf, sizeof(buf)), 9);
	UK_TEST_EXPECT(!memcmp(buf, "../target", 9));
	UK_TEST_EQ(p9_readlink(&c, 7, buf, 4), 4);
	/* Tlink: dfid, fid, name. Tunlinkat: dirfd, name, flags. */
	begin(&rep, TLINK + 1, 0);
	reply(&rep);
	UK_TEST_EQ(p9_link(&c, 1, 2, "hard", 4), 0);
	begin(&want, TLINK, 0);
	put(&want, 1, 4);
	put(&want, 2, 4);
	put_str(&want, "hard");
	UK_TEST_EXPECT(sent(&want));
	begin(&rep, TUNLINKAT + 1, 0);
	reply(&rep);
	UK_TEST_EQ(p9_unlinkat(&c, 1, "sub", 3, P9_AT_REMOVEDIR), 0);
	begin(&want, TUNLINKAT, 0);
	put(&want, 1, 4);
	put_str(&want, "sub");
	put(&want, 0x200, 4);
	UK_TEST_EXPECT(sent(&want));
	/* Trenameat: olddirfid, oldname, newdirfid, newname. */
	begin(&rep, TRENAMEAT + 1, 0);
	reply(&rep);
	UK_TEST_EQ(p9_renameat(&c, 1, "a", 1, 3, "b", 1), 0);
	begin(&want, TRENAMEAT, 0);
	put(&want, 1, 4);
	put_str(&want, "a");
	put(&want, 3, 4);
	put_str(&want, "b");
	UK_TEST_EXPECT(sent(&want));
	/* Tfsync: fid, datasync. Tstatfs: fid; Rstatfs: type, bsize,
	 * blocks, bfree, bavail, files, ffree, fsid, namelen. */
	begin(&rep, TFSYNC + 1, 0);
	reply(&rep);
	UK_TEST_EQ(p9_fsync(&c, 2, 1), 0);
	begin(&want, TFSYNC, 0);
	put(&want, 2, 4);
	put(&want, 1, 4);
	UK_TEST_EXPECT(sent(&want));
	struct p9_statfs st;
	begin(&rep, TSTATFS + 1, 0);
	put(&rep, 0x01021997, 4);	/* V9FS_MAGIC */
	put(&rep, 4096, 4);
	put(&rep, 1000, 8);
	put(&rep, 600, 8);
	put(&rep, 500, 8);
	put(&rep, 90, 8);
	put(&rep, 80, 8);
	put(&rep, 0xabc, 8);
	put(&rep, 255, 4);
	reply(&rep);
	UK_TEST_EQ(p9_statfs(&c, 1, &st), 0);
	begin(&want, TSTATFS, 0);
	put(&want, 1, 4);
	UK_TEST_EXPECT(sent(&want));
	UK_TEST_EQ(st.type, 0x01021997);
	UK_TEST_EQ(st.bsize, 4096);
	UK_TEST_EQ(st.bfree, 600);
	UK_TEST_EQ(st.ffree, 80);
	UK_TEST_EQ(st.namelen, 255);
}

UK_TESTCASE(9pfs, bad_replies)
{
	struct p9_qid q;
	UK_TEST_EQ(connect(MSIZE), 0);
	/* The wrong reply type. */
	begin(&rep, TCLUNK + 1, 0);
	reply(&rep);
	UK_TEST_EQ(p9_walk(&c, 1, 2, "x", 1, &q), -EIO);
	/* Another request's tag. */
	fk.keep_tag = 1;
	begin(&rep, TWALK + 1, 0x7777);
	put(&rep, 0, 2);
	reply(&rep);
	UK_TEST_EQ(p9_walk(&c, 1, 2, "", 0, &q), -EIO);
	fk.keep_tag = 0;
	/* A size larger than what came, or smaller than a header. */
	begin(&rep, TWALK + 1, 0);
	put(&rep, 0, 2);
	reply(&rep);
	rep.b[0] = 0xff;
	rep.b[1] = 0xff;
	fk.rep = rep;
	UK_TEST_EQ(p9_walk(&c, 1, 2, "", 0, &q), -EIO);
	fk.rep.b[0] = 6;
	fk.rep.b[1] = 0;
	UK_TEST_EQ(p9_walk(&c, 1, 2, "", 0, &q), -EIO);
	/* Rlerror with 0 or an impossible errno: EIO. */
	begin(&rep, RLERROR, 0);
	put(&rep, 0, 4);
	reply(&rep);
	UK_TEST_EQ(p9_clunk(&c, 3), -EIO);
	begin(&rep, RLERROR, 0);
	put(&rep, 100000, 4);
	reply(&rep);
	UK_TEST_EQ(p9_clunk(&c, 3), -EIO);
	/* A name longer than 9P's 16-bit string length is not sent. */
	static char longname[70000];
	memset(longname, 'a', sizeof(longname));
	int calls = fk.calls;
	UK_TEST_EXPECT(p9_walk(&c, 1, 2, longname, sizeof(longname), &q) < 0);
	UK_TEST_EQ(fk.calls, calls);
	/* A transport that times out breaks the client for good. */
	fk.fail = -ETIMEDOUT;
	UK_TEST_EQ(p9_clunk(&c, 3), -EIO);
	UK_TEST_EQ(c.broken, 1);
	fk.fail = 0;
	calls = fk.calls;
	begin(&rep, TCLUNK + 1, 0);
	reply(&rep);
	UK_TEST_EQ(p9_clunk(&c, 3), -EIO);
	UK_TEST_EQ(fk.calls, calls);		/* nothing more is sent */
	c.main.t = NULL;	/* the device might still write them: keep */
	reset();
}
