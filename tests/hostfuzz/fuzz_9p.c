/* libFuzzer target for lib/9pfs's 9P2000.L client: the host's replies are
 * untrusted, so any bytes as replies must give a result or a clean error,
 * never a read or write outside the buffers, and counts no larger than
 * asked for.
 *
 * Input: msize[1] max_sg[1], then records of op[1] arg[2] len[2]
 * reply[len] (fuzz_9p.h). Each record runs one client call, op with arg
 * as its length or flags; the transport answers each request with the
 * next record's reply, the first being Rversion's, and fails for a len of
 * F9_TIMEOUT or F9_FAIL. Reply tags are patched to the request's (fuzzing
 * them only hides the rest) unless arg has F9_KEEP_TAG.
 * fuzz_9p_seeds.c writes inputs in this form. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat/layout.h>
#include "9p.h"
#include "fuzz.h"
#include "fuzz_9p.h"
#include "host_kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	const uint8_t *p;
	size_t left;
	/* the reply buffer of the last request, for the readdir callback */
	const uint8_t *rx;
} in;

static int next_record(uint8_t *op, uint16_t *arg, const uint8_t **reply, uint16_t *len)
{
	if (in.left < 5)
		return 0;
	*op = in.p[0];
	*arg = (uint16_t)(in.p[1] | in.p[2] << 8);
	*len = (uint16_t)(in.p[3] | in.p[4] << 8);
	in.p += 5;
	in.left -= 5;
	size_t n = *len >= F9_FAIL ? 0 : *len < in.left ? *len : in.left;
	*reply = in.p;
	in.p += n;
	in.left -= n;
	if (*len < F9_FAIL)
		*len = (uint16_t)n;
	return 1;
}

static uint8_t devcopy[1 << 17];

static int fuzz_rpc(struct p9_trans *t, void *tx, uint32_t tlen, const struct p9_sg *txsg,
		    unsigned ntx, void *rx, uint32_t rcap, const struct p9_sg *rxsg,
		    unsigned nrx)
{
	uint8_t op;
	uint16_t arg, len;
	const uint8_t *reply;

	REQUIRE(ntx + nrx <= t->max_sg);
	REQUIRE(tlen >= P9_HDRSZ && tlen <= sizeof(devcopy));
	/* Like the device, read all of the request (ASan checks). */
	memcpy(devcopy, tx, tlen);
	for (unsigned i = 0; i < ntx; i++)
		memcpy(devcopy, KVA(txsg[i].paddr),
		       txsg[i].len < sizeof(devcopy) ? txsg[i].len : sizeof(devcopy));
	if (!next_record(&op, &arg, &reply, &len))
		return -EIO;
	if (len == F9_TIMEOUT)
		return -ETIMEDOUT;
	if (len == F9_FAIL)
		return -EIO;
	/* Like the device: the reply fills rx, then the in-place pieces. */
	uint32_t first = len < rcap ? len : rcap, off = first;
	memcpy(rx, reply, first);
	if (first >= P9_HDRSZ && !(arg & F9_KEEP_TAG))
		memcpy((uint8_t *)rx + 5, (const uint8_t *)tx + 5, 2);
	for (unsigned i = 0; i < nrx && off < len; i++) {
		uint32_t c = len - off < rxsg[i].len ? len - off : rxsg[i].len;

		memcpy(KVA(rxsg[i].paddr), reply + off, c);
		off += c;
	}
	in.rx = rx;
	return 0;
}

static int on_entry(void *ctx, const struct p9_qid *q, uint64_t next, uint8_t type,
		    const char *name, size_t len)
{
	uint32_t count;

	(void)q;
	(void)next;
	(void)type;
	/* Inside the entries Rreaddir counts: count[4] after the header. */
	memcpy(&count, in.rx + P9_HDRSZ, 4);
	REQUIRE((const uint8_t *)name >= in.rx + P9_HDRSZ + 4 &&
		(size_t)((const uint8_t *)name - in.rx) + len <= P9_HDRSZ + 4 + (size_t)count);
	return ++*(int *)ctx == 64;
}

/* An errno the way the client returns them. */
static int is_err(long rc)
{
	return rc < 0 && rc >= -4095;
}

static uint8_t buf[F9_BUFSZ];
static const char names[] = "a-name/with/some/parts-and-a-long-tail-for-longer-names";
static char target[sizeof(names)];

static void one_call(struct p9_client *c, uint8_t op, uint16_t arg)
{
	size_t n = arg & (F9_BUFSZ - 1);
	uint32_t iounit = arg & F9_IOUNIT ? 4096 : 0;
	size_t nlen = n % sizeof(names);
	struct p9_qid q;
	struct p9_attr a;
	struct p9_iattr ia;
	struct p9_statfs st;
	uint32_t io;
	long rc;
	int seen = 0;

	memset(&ia, 0, sizeof(ia));
	switch (op % F9_NOPS) {
	case F9_ATTACH:
		rc = p9_attach(c, 1, "root", names + nlen, 0, &q);
		break;
	case F9_WALK:
		rc = p9_walk(c, 1, p9_fid_alloc(c), names, nlen, &q);
		break;
	case F9_CLUNK:
		rc = p9_clunk(c, (uint32_t)n);
		break;
	case F9_LOPEN:
		rc = p9_lopen(c, 2, (uint32_t)n, &q, &io);
		break;
	case F9_LCREATE:
		rc = p9_lcreate(c, 2, names, nlen, 0101, 0644, 0, &q, &io);
		break;
	case F9_GETATTR:
		rc = p9_getattr(c, 2, P9_GETATTR_BASIC, &a);
		break;
	case F9_SETATTR:
		ia.valid = (uint32_t)n;
		rc = p9_setattr(c, 2, &ia);
		break;
	case F9_READ:
		rc = p9_read(c, 2, iounit, 0, buf, n);
		REQUIRE(is_err(rc) || (size_t)rc <= n);
		return;
	case F9_WRITE:
		rc = p9_write(c, 2, iounit, 0, buf, n);
		REQUIRE(is_err(rc) || (size_t)rc <= n);
		return;
	case F9_READDIR:
		rc = p9_readdir(c, 2, 0, (uint32_t)n, on_entry, &seen);
		REQUIRE(is_err(rc) || (rc >= 0 && rc <= 2));
		return;
	case F9_MKDIR:
		rc = p9_mkdir(c, 1, names, nlen, 0755, 0, &q);
		break;
	case F9_MKNOD:
		rc = p9_mknod(c, 1, names, nlen, 010644, 0, 0, 0, &q);
		break;
	case F9_SYMLINK:
		memcpy(target, names, nlen);
		target[nlen] = 0;
		rc = p9_symlink(c, 1, "ln", 2, target, 0, &q);
		break;
	case F9_READLINK:
		rc = p9_readlink(c, 3, (char *)buf, n);
		REQUIRE(is_err(rc) || (size_t)rc <= n);
		return;
	case F9_LINK:
		rc = p9_link(c, 1, 2, names, nlen);
		break;
	case F9_UNLINKAT:
		rc = p9_unlinkat(c, 1, names, nlen, (uint32_t)n);
		break;
	case F9_RENAMEAT:
		rc = p9_renameat(c, 1, names, nlen, 3, names + nlen, sizeof(names) - 1 - nlen);
		break;
	case F9_FSYNC:
		rc = p9_fsync(c, 2, (int)n);
		break;
	default:
		rc = p9_statfs(c, 1, &st);
		break;
	}
	REQUIRE(rc == 0 || is_err(rc));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct p9_trans t = { .rpc = fuzz_rpc, .name = "fuzz" };
	struct p9_client c;
	uint8_t op;
	uint16_t arg;

	if (size < 2)
		return 0;
	uint32_t msize = 4096 + P9_IOHDRSZ + (uint32_t)data[0] * 64;
	t.max_sg = 2 + data[1] % 32;
	in.p = data + 2;
	in.left = size - 2;
	if (p9_client_init(&c, &t, msize) == 0) {
		REQUIRE(c.msize >= 4096 + P9_IOHDRSZ && c.msize <= msize);
		/* Every record left is one call; the calls take replies
		 * from the records that follow. */
		while (in.left >= 5) {
			const uint8_t *at = in.p, *reply;
			uint16_t len;

			one_call(&c, in.p[0], (uint16_t)(in.p[1] | in.p[2] << 8));
			if (in.p == at)		/* nothing sent: skip it */
				next_record(&op, &arg, &reply, &len);
		}
	}
	free(c.free_fids);
	host_pfree_all();
	return 0;
}
