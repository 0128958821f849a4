/* libFuzzer target for uk_elf_validate(): any input must be accepted or
 * rejected cleanly, and an accepted one must give self-consistent info.
 */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/elf_validate.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uk_elf_info in;
	char err[160];
	int rc, rc2;

	memset(err, 'x', sizeof(err));
	rc = uk_elf_validate(data, size, &in, err, sizeof(err));
	REQUIRE(memchr(err, '\0', sizeof(err)) != NULL);
	if (rc != 0) {
		REQUIRE(rc == -ENOEXEC);
		REQUIRE(err[0] != '\0');
	} else {
		REQUIRE(err[0] == '\0');
		REQUIRE(in.type == ET_EXEC || in.type == ET_DYN);
		REQUIRE(in.nload >= 1);
		REQUIRE(in.vaddr_min % UK_ELF_PAGE_SIZE == 0);
		REQUIRE(in.vaddr_max % UK_ELF_PAGE_SIZE == 0);
		REQUIRE(in.vaddr_min < in.vaddr_max);
		REQUIRE(in.vaddr_max - in.vaddr_min <= UK_ELF_USER_END);
		REQUIRE(in.entry >= in.vaddr_min && in.entry < in.vaddr_max);
		if (in.type == ET_EXEC)
			REQUIRE(in.vaddr_max <= UK_ELF_USER_END &&
				in.vaddr_min >= UK_ELF_MIN_ADDR);
		REQUIRE(in.phentsize == sizeof(Elf64_Phdr) && in.phnum > 0);
		REQUIRE(in.phoff <= size &&
			(size - in.phoff) / in.phentsize >= in.phnum);
		if (in.interp != NULL) {
			const char *b = (const char *)data;
			size_t off = (size_t)(in.interp - b);

			REQUIRE(in.interp >= b && off < size);
			REQUIRE(in.interp[0] != '\0');
			REQUIRE(memchr(in.interp, '\0', size - off) != NULL);
		}
		REQUIRE(in.tls_memsz == 0 || in.tls_align >= 1);
		REQUIRE(in.max_align >= UK_ELF_PAGE_SIZE &&
			(in.max_align & (in.max_align - 1)) == 0);
	}
	/* Same verdict without the optional outputs. */
	rc2 = uk_elf_validate(data, size, NULL, NULL, 0);
	REQUIRE(rc2 == rc);
	return 0;
}
