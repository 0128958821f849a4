/* Checks the initial process state: argv, selected environment variables and auxv. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;
extern const Elf64_Ehdr __ehdr_start;	/* provided by the linker */
extern char _start[];

static int bad;

static void check(const char *name, int ok)
{
	printf("%s %s\n", name, ok ? "ok" : "bad");
	bad |= !ok;
}

/* getauxval() returns 0 and sets ENOENT for a missing entry. */
static int present(unsigned long type, unsigned long *val)
{
	errno = 0;
	*val = getauxval(type);
	return !(*val == 0 && errno == ENOENT);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_env(void)
{
	/* Names whose presence is checked; the values of these two are printed. */
	static const char *const names[] = { "HOME", "PATH", "TERM", "TESTVAR" };
	static const char *const show[] = { "HOME", "TESTVAR" };
	char *sel[64];
	size_t n = 0;

	for (char **e = environ; *e && n < 64; e++)
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			size_t l = strlen(names[i]);
			if (!strncmp(*e, names[i], l) && (*e)[l] == '=')
				sel[n++] = *e;
		}
	qsort(sel, n, sizeof(sel[0]), cmp);
	for (size_t i = 0; i < n; i++) {
		int val = 0;
		for (size_t j = 0; j < sizeof(show) / sizeof(show[0]); j++) {
			size_t l = strlen(show[j]);
			if (!strncmp(sel[i], show[j], l) && sel[i][l] == '=')
				val = 1;
		}
		if (val)
			printf("env %s\n", sel[i]);
		else
			printf("env %.*s set\n", (int)(strchr(sel[i], '=') - sel[i]), sel[i]);
	}
}

int main(int argc, char **argv)
{
	unsigned long v;
	const char *base = strrchr(argv[0], '/');

	/* argv[0] is the path of the program: native and guest paths differ */
	printf("argc=%d\n", argc);
	printf("argv[0] basename=[%s]\n", base ? base + 1 : argv[0]);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=[%s]\n", i, argv[i]);
	check("argv[argc]==NULL", argv[argc] == NULL);
	print_env();

	check("AT_PAGESZ", present(AT_PAGESZ, &v) && v == 4096);
	check("AT_PHDR", present(AT_PHDR, &v) &&
	      v == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff);
	check("AT_PHENT", present(AT_PHENT, &v) && v == sizeof(Elf64_Phdr));
	check("AT_PHNUM", present(AT_PHNUM, &v) && v == __ehdr_start.e_phnum);
	check("AT_ENTRY", present(AT_ENTRY, &v) && v == (unsigned long)_start);
	if (present(AT_RANDOM, &v) && v) {
		const volatile unsigned char *r = (const void *)v;
		unsigned char acc = 0, all = 0xff;
		for (int i = 0; i < 16; i++) {
			acc |= r[i];
			all &= r[i];
		}
		check("AT_RANDOM", acc != 0 && all != 0xff);
	} else {
		check("AT_RANDOM", 0);
	}
	check("AT_CLKTCK", present(AT_CLKTCK, &v) && v == 100);
	check("AT_SECURE", present(AT_SECURE, &v) && v == 0);
	check("AT_EXECFN", present(AT_EXECFN, &v) && v &&
	      !strcmp((const char *)v, argv[0]));
	check("AT_PLATFORM", present(AT_PLATFORM, &v) && v &&
	      !strcmp((const char *)v, "x86_64"));
	check("AT_HWCAP", present(AT_HWCAP, &v) && v != 0);
	check("AT_UID", present(AT_UID, &v));
	check("AT_EUID", present(AT_EUID, &v));
	check("AT_GID", present(AT_GID, &v));
	check("AT_EGID", present(AT_EGID, &v));
	return bad;
}
