/* libFuzzer target for tools/elfcompat: the programs and libraries it
 * disassembles are untrusted, so any set of files must be analysed to a
 * report (numbers, or reasons why not) without a fault or a hang.
 *
 * Input: files (fuzz.h: "@@FILE NAME\n" and the bytes), read from memory
 * by libelf as one closure, in load order. */
#define ELFCOMPAT_NO_MAIN
#include "../../tools/elfcompat.c"
#include "fuzz.h"

#define MAX_FILES 8

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	REQUIRE(elf_version(EV_CURRENT) != EV_NONE);
	REQUIRE(ZYAN_SUCCESS(ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64,
					      ZYDIS_STACK_WIDTH_64)));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	void *image[MAX_FILES];
	struct fuzz_file f;
	size_t nimages = 0, nsites;
	struct site *sites;

	while (nimages < MAX_FILES && fuzz_next_file(&p, end, &f)) {
		char name[64];
		struct object o;

		/* libelf may write to the image, and keeps it until free_all:
		 * a copy of exactly the file's size, so ASan sees overreads. */
		image[nimages] = malloc(f.len ? f.len : 1);
		REQUIRE(image[nimages]);
		memcpy(image[nimages], f.data, f.len);
		snprintf(name, sizeof name, "%.*s", (int)f.namelen, f.name);
		memset(&o, 0, sizeof o);
		o.path = xstrdup(name);
		o.fd = -1;
		o.elf = elf_memory(image[nimages], f.len);
		nimages++;
		if (add_object(o) >= 0)
			REQUIRE(nobjs <= nimages);
	}
	sites = analyze(&nsites);
	for (size_t i = 0; i < nsites; i++) {
		struct site *s = &sites[i];

		REQUIRE(s->oi >= 0 && (size_t)s->oi < nobjs);
		REQUIRE(s->why < (int)nreasons);
		REQUIRE(s->vs.n <= MAX_VALUES);
		REQUIRE(i == 0 || cmp_site(&sites[i - 1], s) <= 0);
		/* The report's text for the site, as main prints it. */
		REQUIRE(describe(s->oi, s->addr)[0]);
	}
	free_all(sites, nsites);
	for (size_t i = 0; i < nimages; i++)
		free(image[i]);
	return 0;
}
