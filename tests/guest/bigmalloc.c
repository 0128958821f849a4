/* malloc(1 GiB) on a small guest: memory must be committed lazily, page by page. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SIZE (1UL << 30)
#define STEP (16UL << 20)

static unsigned char pat(size_t off)
{
	return (unsigned char)((off >> 12) * 7 + 1);
}

int main(void)
{
	unsigned char *p = malloc(SIZE);
	size_t extra[] = { 0, 4096, 8192, SIZE / 2 + 4096, SIZE - 4096, SIZE - 1 };
	int bad = 0;

	if (!p) {
		puts("malloc failed");
		return 1;
	}
	for (size_t off = 0; off < SIZE; off += STEP)
		p[off] = pat(off);
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		p[extra[i]] = pat(extra[i]);
	for (size_t off = 0; off < SIZE; off += STEP)
		bad |= p[off] != pat(off);
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		bad |= p[extra[i]] != pat(extra[i]);
	/* an untouched byte of a touched page still reads as zero */
	bad |= p[STEP + 100] != 0;
	free(p);
	puts(bad ? "bad" : "ok");
	return bad;
}
