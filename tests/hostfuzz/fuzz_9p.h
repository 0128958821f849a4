/* The input format of the 9P target (fuzz_9p.c), shared with the program
 * that writes its seeds (fuzz_9p_seeds.c). */
#pragma once

/* Client calls, by a record's op byte (modulo F9_NOPS). */
enum {
	F9_ATTACH, F9_WALK, F9_CLUNK, F9_LOPEN, F9_LCREATE, F9_GETATTR,
	F9_SETATTR, F9_READ, F9_WRITE, F9_READDIR, F9_MKDIR, F9_MKNOD,
	F9_SYMLINK, F9_READLINK, F9_LINK, F9_UNLINKAT, F9_RENAMEAT, F9_FSYNC,
	F9_STATFS, F9_NOPS
};

/* A record's length that stands for a failing transport. */
#define F9_FAIL		0xfffe
#define F9_TIMEOUT	0xffff

/* A record's arg: its low 14 bits are the call's length or flags; bit 14
 * gives reads and writes an iounit of 4096, bit 15 keeps the reply's own
 * tag. */
#define F9_IOUNIT	0x4000
#define F9_KEEP_TAG	0x8000
#define F9_BUFSZ	0x4000
