/* libFuzzer target for tools/ldwalk: the program and every library,
 * loader configuration file and musl path file it reads are untrusted, so
 * any set of such files must give a closure or a clean error.
 *
 * Input: flags[1] (1: -C, 2: -v), then files (fuzz.h: "@@FILE PATH\n"
 * and the bytes); the first is the program.
 * They are written into a sandbox directory, which the walk takes as its
 * root (ldwalk's root_fd), so that nothing outside it is read. */
#define LDWALK_NO_MAIN
#include "../../tools/ldwalk.c"
#include <limits.h>
#include "fuzz.h"

#define MAX_FILES 24

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char sandbox[PATH_MAX];

/* Empties the directory dfd (only files and directories are made there). */
static void clear_dir(int dfd)
{
	DIR *d = fdopendir(dup(dfd));
	struct dirent *e;

	REQUIRE(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type == DT_DIR) {
			int sub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

			REQUIRE(sub >= 0);
			clear_dir(sub);
			close(sub);
			REQUIRE(unlinkat(dfd, e->d_name, AT_REMOVEDIR) == 0);
		} else {
			REQUIRE(unlinkat(dfd, e->d_name, 0) == 0);
		}
	}
	closedir(d);
}

static void remove_sandbox(void)
{
	int fd = open(sandbox, O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		clear_dir(fd);
		close(fd);
	}
	rmdir(sandbox);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(sandbox, sizeof sandbox, "%s/ldwalk-fuzz.XXXXXX",
		 tmp && strlen(tmp) < sizeof sandbox - 32 ? tmp : "/tmp");
	REQUIRE(mkdtemp(sandbox));
	atexit(remove_sandbox);
	REQUIRE(elf_version(EV_CURRENT) != EV_NONE);
	return 0;
}

/* Writes len bytes at path inside the sandbox, making its directories;
 * false for a path that has no name or climbs with "..". */
static bool put_file(int root, const char *path, size_t plen, const uint8_t *data, size_t len)
{
	char rel[256];
	size_t n = 0;
	int fd;

	/* Components: none empty, ".", or ".."; directories made on the way. */
	for (size_t i = 0; i < plen;) {
		size_t j = i;

		while (j < plen && path[j] != '/')
			j++;
		if (j == i || (j - i == 1 && path[i] == '.')) {
			i = j + 1;
			continue;
		}
		if ((j - i == 2 && path[i] == '.' && path[i + 1] == '.') ||
		    memchr(path + i, 0, j - i) || n + (j - i) + 2 > sizeof rel)
			return false;
		if (n)
			rel[n++] = '/';
		memcpy(rel + n, path + i, j - i);
		n += j - i;
		rel[n] = 0;
		if (j < plen)
			mkdirat(root, rel, 0755);
		i = j + 1;
	}
	if (!n)
		return false;
	fd = openat(root, rel, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0755);
	if (fd < 0)
		return false;	/* a directory already, or under a file */
	REQUIRE(write(fd, data, len) == (ssize_t)len);
	close(fd);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *p;
	struct fuzz_file f;
	char prog[256] = "";
	int root, nfiles = 0, st;

	if (size < 1)
		return 0;
	use_conf = data[0] & 1;
	verbose = data[0] & 2;
	root = open(sandbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	REQUIRE(root >= 0);
	clear_dir(root);
	p = data + 1;
	while (nfiles < MAX_FILES && fuzz_next_file(&p, end, &f))
		if (put_file(root, f.name, f.namelen, f.data, f.len) && !nfiles++)
			snprintf(prog, sizeof prog, "%.*s", (int)f.namelen, f.name);
	if (nfiles) {
		char *out = NULL;
		size_t outlen = 0;
		FILE *save = stdout;

		root_fd = root;
		stdout = open_memstream(&out, &outlen);
		REQUIRE(stdout);
		st = walk(prog);
		walk_free();
		fclose(stdout);
		stdout = save;
		root_fd = -1;
		REQUIRE(st >= 0 && st <= 2);
		/* Lines of a known kind, the program's first. */
		REQUIRE(st == 2 || !strncmp(out, "exe ", 4));
		for (char *l = out; *l; l = strchr(l, '\n') + 1)
			REQUIRE(strchr(l, '\n') &&
				(!strncmp(l, "exe ", 4) || !strncmp(l, "interp ", 7) ||
				 !strncmp(l, "lib ", 4) || !strncmp(l, "libconf ", 8) ||
				 !strncmp(l, "conf ", 5)));
		free(out);
	}
	close(root);
	return 0;
}
