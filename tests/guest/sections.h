/* What the guest tests made of named sections share (compat, compat2):
 * the result line of one call, R(), and the main: PROG DIR [SECTION...]
 * runs the sections named, in the table's order, or all of them; each
 * starts with a "== NAME" line. */
#pragma once
#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char *ename(int e)
{
	static char buf[16];
	switch (e) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(ESRCH); E(EINTR); E(EBADF); E(EAGAIN); E(ENOMEM);
	E(EACCES); E(EFAULT); E(EBUSY); E(EEXIST); E(ENOTDIR); E(EISDIR);
	E(EINVAL); E(ESPIPE); E(EMFILE); E(ENODATA); E(ERANGE); E(EOPNOTSUPP); E(ENOSYS); E(ENAMETOOLONG);
	E(EROFS); E(EOVERFLOW); E(E2BIG); E(ENOMSG); E(EIDRM); E(EFBIG); E(ENOSPC);
#undef E
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* One call's result: "LABEL: RESULT" or "LABEL: -1 ERRNAME". */
#define R(label, call) do {						\
		errno = 0;						\
		long r_ = (long)(call);					\
		if (r_ == -1)						\
			printf("%s: -1 %s\n", label, ename(errno));	\
		else							\
			printf("%s: %ld\n", label, r_);			\
	} while (0)

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
