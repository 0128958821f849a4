/* libFuzzer target for lib/cpio: any bytes as an initrd must give entries
 * that lie inside the archive, or a clean end or -EINVAL, in a number of
 * steps bounded by the archive's size. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uk/cpio.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether [p, p + n) lies inside [base, base + size). */
static int inside(const void *p, size_t n, const uint8_t *base, size_t size)
{
	const uint8_t *q = p;
	return q >= base && (size_t)(q - base) <= size && n <= size - (size_t)(q - base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uk_cpio_iter it;
	struct uk_cpio_entry e, f;
	size_t n = 0, last = 0;
	int rc;

	uk_cpio_iter_init(&it, data, size);
	while ((rc = uk_cpio_next(&it, &e)) == 1) {
		/* A header, a name byte, padding: each entry takes 112 bytes. */
		REQUIRE(++n <= size / 112);
		REQUIRE(it.off > last);
		last = it.off;
		/* "." itself comes back as "", a string of the reader's. */
		REQUIRE(!e.name[0] || inside(e.name, 1, data, size));
		REQUIRE(!e.name[0] ||
			memchr(e.name, 0, size - (size_t)((const uint8_t *)e.name - data)));
		REQUIRE(e.name[0] != '/' && strncmp(e.name, "./", 2) != 0);
		REQUIRE(inside(e.data, e.size, data, size));
		/* The lookup by name finds this entry or an earlier namesake. */
		if (n <= 16) {
			REQUIRE(uk_cpio_find(data, size, e.name, &f) == 1);
			REQUIRE(!strcmp(f.name, e.name) && (const char *)f.data <= (const char *)e.data);
		}
	}
	REQUIRE(rc == 0 || rc == -EINVAL);
	return 0;
}
