/* Malformed-ELF variants made from a good x86_64 executable, shared by the
 * mkbad generator and the host unit tests.
 */
#ifndef MKBAD_H
#define MKBAD_H

#include <stddef.h>

struct mkbad_img {
	unsigned char *b;
	size_t len;     /* current length; mutations may shrink or replace */
};

struct mkbad_variant {
	const char *name;    /* file name of the variant */
	const char *expect;  /* substring of the loader's rejection message */
	/* Mutates img in place (b has room for at least the original len);
	 * returns 0, or -1 if the input lacks what the defect needs. */
	int (*make)(struct mkbad_img *img);
};

extern const struct mkbad_variant mkbad_variants[];
extern const size_t mkbad_nvariants;

/* 0 if b[0..len) is an ELF64 x86_64 file the mutations can work on. */
int mkbad_usable(const unsigned char *b, size_t len);

#endif /* MKBAD_H */
