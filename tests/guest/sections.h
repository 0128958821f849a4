/* The main of a guest test made of named sections (compat, compat2):
 * PROG DIR [SECTION...] runs the sections named, in the table's order,
 * or all of them; each starts with a "== NAME" line. */
#pragma once
#include <stdio.h>
#include <string.h>

struct section {
	const char *name;
	void (*fn)(void);
};

static inline int run_sections(int argc, char **argv, const struct section *s,
			       size_t n, const char **dir)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [SECTION...]\n", argv[0]);
		return 2;
	}
	*dir = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < n; i++) {
		int want = argc == 2;
		for (int a = 2; a < argc; a++)
			want |= !strcmp(argv[a], s[i].name);
		if (!want)
			continue;
		printf("== %s\n", s[i].name);
		s[i].fn();
	}
	return 0;
}
