/* Four mallocs of 200 MiB each (800 MiB) on a 256 MiB guest, each touched
 * sparsely: memory must be committed lazily, page by page. (One malloc
 * larger than the guest's memory would fail, as under Linux's default
 * overcommit heuristic.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SIZE (200UL << 20)
#define COUNT 4
#define STEP (16UL << 20)

static unsigned char pat(size_t off)
{
	return (unsigned char)((off >> 12) * 7 + 1);
}

static int check(unsigned char *p)
{
	size_t extra[] = { 0, 4096, 8192, SIZE / 2 + 4096, SIZE - 4096, SIZE - 1 };
	int bad = 0;

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
	return bad;
}

int main(void)
{
	unsigned char *p[COUNT];
	int bad = 0;
	for (int i = 0; i < COUNT; i++) {
		p[i] = malloc(SIZE);
		if (!p[i]) {
			printf("malloc %d failed\n", i);
			return 1;
		}
		bad |= check(p[i]);
	}
	for (int i = 0; i < COUNT; i++)
		free(p[i]);
	puts(bad ? "bad" : "ok");
	return bad;
}
