/* Writes the 9P target's seeds (fuzz_9p.c reads them): conversations in
 * which every reply is laid out as QEMU's 9P2000.L server sends it
 * (hw/9pfs/9p.c, the v9fs_* handlers), one seed per client call and one
 * with all of them.
 *
 * usage: fuzz_9p_seeds OUTDIR */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_9p.h"

#define MSIZE 8192

static uint8_t seed[1 << 16];
static size_t len;
static size_t msg_at;	/* where the reply being built starts */

static void put(uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		seed[len++] = (uint8_t)(v >> (8 * i));
}

static void put_str(const char *s)
{
	put(strlen(s), 2);
	memcpy(seed + len, s, strlen(s));
	len += strlen(s);
}

static void put_qid(uint8_t type, uint64_t path)
{
	put(type, 1);
	put(1, 4);
	put(path, 8);
}

/* A record: the call op with arg, then the reply of type rtype (its body
 * follows, end() closes it). */
static void begin(int op, uint16_t arg, uint8_t rtype)
{
	put((uint64_t)op, 1);
	put(arg, 2);
	put(0, 2);		/* the record's length, set by end() */
	msg_at = len;
	put(0, 4);		/* the reply's size, set by end() */
	put(rtype, 1);
	put(0, 2);		/* tag: the target puts the request's */
}

static void end(void)
{
	size_t n = len - msg_at;

	for (int i = 0; i < 2; i++)
		seed[msg_at - 2 + i] = (uint8_t)(n >> (8 * i));
	for (int i = 0; i < 4; i++)
		seed[msg_at + i] = (uint8_t)(n >> (8 * i));
}

static void start(void)
{
	len = 0;
	put((MSIZE - 4096 - 24 + 63) / 64, 1);	/* asks for msize 8192 or a little more */
	put(16, 1);				/* the transport's max_sg - 2 */
	begin(0, 0, 101);			/* Rversion: msize, version */
	put(MSIZE, 4);
	put_str("9P2000.L");
	end();
}

static void save(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(seed, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* The reply to one call, as QEMU lays it out. */
static void call(int op)
{
	switch (op) {
	case F9_ATTACH:
		begin(op, 5, 105);
		put_qid(0x80, 2);
		break;
	case F9_WALK:
		begin(op, 3, 111);
		put(1, 2);
		put_qid(0, 42);
		break;
	case F9_CLUNK:
		begin(op, 7, 121);
		break;
	case F9_LOPEN:
		begin(op, 2, 13);
		put_qid(0, 42);
		put(0, 4);	/* iounit: QEMU sends 0 */
		break;
	case F9_LCREATE:
		begin(op, 7, 15);
		put_qid(0, 43);
		put(0, 4);
		break;
	case F9_GETATTR:
		begin(op, 0, 25);
		put(0x3fff, 8);	/* valid: basic and btime, gen, data_version */
		put_qid(0, 42);
		put(0100644, 4);
		put(1000, 4);
		put(1000, 4);
		put(1, 8);	/* nlink */
		put(0, 8);	/* rdev */
		put(5000, 8);	/* size */
		put(4096, 8);
		put(16, 8);
		for (int i = 0; i < 8; i++)	/* a/m/c/btime */
			put(i & 1 ? 123456789 : 1700000000, 8);
		put(0, 8);	/* gen */
		put(0, 8);	/* data_version */
		break;
	case F9_SETATTR:
		begin(op, 0x8, 27);
		break;
	case F9_READ:	/* a small read, through the message buffer */
		begin(op, 100, 117);
		put(100, 4);
		for (int i = 0; i < 100; i++)
			put((uint8_t)(i * 13), 1);
		break;
	case F9_WRITE:
		begin(op, 10, 119);
		put(10, 4);
		break;
	case F9_READDIR:
		begin(op, 4096, 41);
		put(3 * (13 + 8 + 1 + 2) + 1 + 2 + 5, 4);
		put_qid(0x80, 1);
		put(1, 8);
		put(4, 1);
		put_str(".");
		put_qid(0x80, 2);
		put(2, 8);
		put(4, 1);
		put_str("..");
		put_qid(0, 42);
		put(3, 8);
		put(8, 1);
		put_str("notes");
		break;
	case F9_MKDIR:
		begin(op, 3, 73);
		put_qid(0x80, 44);
		break;
	case F9_MKNOD:
		begin(op, 3, 19);
		put_qid(0, 45);
		break;
	case F9_SYMLINK:
		begin(op, 9, 17);
		put_qid(0x02, 46);
		break;
	case F9_READLINK:
		begin(op, 64, 23);
		put_str("../etc/target");
		break;
	case F9_LINK:
		begin(op, 4, 71);
		break;
	case F9_UNLINKAT:
		begin(op, 0x200, 77);
		break;
	case F9_RENAMEAT:
		begin(op, 1, 75);
		break;
	case F9_FSYNC:
		begin(op, 1, 51);
		break;
	default:	/* statfs */
		begin(op, 0, 9);
		put(0x01021997, 4);	/* V9FS_MAGIC */
		put(4096, 4);
		put(1000000, 8);
		put(600000, 8);
		put(500000, 8);
		put(65536, 8);
		put(60000, 8);
		put(0xabcdef, 8);
		put(255, 4);
		break;
	}
	end();
}

int main(int argc, char **argv)
{
	char name[32];

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_9p_seeds OUTDIR\n");
		return 2;
	}
	for (int op = 0; op < F9_NOPS; op++) {
		start();
		call(op);
		snprintf(name, sizeof(name), "op%02d", op);
		save(argv[1], name);
	}
	/* All of them, a large read in place (two chunks), an error, and a
	 * transport that stops answering. */
	start();
	for (int op = 0; op < F9_NOPS; op++)
		call(op);
	begin(F9_READ, 12000, 117);
	put(MSIZE - 24, 4);
	for (int i = 0; i < MSIZE - 24; i++)
		put((uint8_t)i, 1);
	end();
	begin(F9_READ, 0, 117);
	put(12000 - (MSIZE - 24), 4);
	for (int i = 0; i < 12000 - (MSIZE - 24); i++)
		put((uint8_t)i, 1);
	end();
	begin(F9_WALK, 3, 7);	/* Rlerror ENOENT */
	put(2, 4);
	end();
	put(F9_CLUNK, 1);
	put(1, 2);
	put(F9_TIMEOUT, 2);
	save(argv[1], "session");
	return 0;
}
