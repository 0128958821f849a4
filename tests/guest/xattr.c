/* Extended attributes on files of DIR: set, get, list, replace, remove,
 * with Linux's errors; by path, without following, by descriptor. Run
 * on the guest's RAM /tmp (tests/run-tests.sh) and on a 9p root
 * (tests/9p/test-9p.sh); natively on the host's /tmp.
 * usage: xattr DIR */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "sections.h"

/* The names listxattr gives, sorted (the order is the file system's). */
static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show_list(const char *label, ssize_t n, char *buf)
{
	if (n < 0) {
		printf("%s: -1 %s\n", label, ename(errno));
		return;
	}
	char *names[32];
	int k = 0;
	for (char *p = buf; p < buf + n && k < 32; p += strlen(p) + 1)
		if (!strncmp(p, "user.", 5))	/* others are the host's (security.selinux...) */
			names[k++] = p;
	qsort(names, k, sizeof(names[0]), cmp);
	printf("%s:", label);
	for (int i = 0; i < k; i++)
		printf(" %s", names[i]);
	printf("\n");
}

static void show_get(const char *label, ssize_t n, const char *buf)
{
	if (n < 0)
		printf("%s: -1 %s\n", label, ename(errno));
	else
		printf("%s: %zd '%.*s'\n", label, n, (int)n, buf);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char f[512], l[512], d[512], buf[256];
	snprintf(f, sizeof(f), "%s/xattr-file", argv[1]);
	snprintf(l, sizeof(l), "%s/xattr-link", argv[1]);
	snprintf(d, sizeof(d), "%s/xattr-dir", argv[1]);
	unlink(f);
	unlink(l);
	rmdir(d);
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
	symlink("xattr-file", l);
	mkdir(d, 0755);
	R("set user.a", setxattr(f, "user.a", "alpha", 5, 0));
	R("set user.b by fd", fsetxattr(fd, "user.b", "beta", 4, 0));
	R("set user.c through the link", setxattr(l, "user.c", "gamma", 5, 0));
	R("lset user.x on the link", lsetxattr(l, "user.x", "x", 1, 0));
	R("create user.a again", setxattr(f, "user.a", "A", 1, XATTR_CREATE));
	R("replace user.zz", setxattr(f, "user.zz", "Z", 1, XATTR_REPLACE));
	R("replace user.a", setxattr(f, "user.a", "ALPHA!", 6, XATTR_REPLACE));
	R("flags 4", setxattr(f, "user.a", "A", 1, 4));
	R("an empty name", setxattr(f, "", "A", 1, 0));
	char longname[300];
	memset(longname, 'n', sizeof(longname));
	memcpy(longname, "user.", 5);
	longname[299] = 0;
	R("a name of 299 bytes", setxattr(f, longname, "A", 1, 0));
	R("no namespace", setxattr(f, "nons", "A", 1, 0));
	static char big[65537];
	R("a value of 65537 bytes", setxattr(f, "user.big", big, sizeof(big), 0));
	R("set on a missing file", setxattr("/nonexistent-xattr", "user.a", "A", 1, 0));
	R("set user.d on a directory", setxattr(d, "user.d", "delta", 5, 0));
	show_get("get user.a", getxattr(f, "user.a", buf, sizeof(buf)), buf);
	show_get("lget user.c through the link's name", lgetxattr(l, "user.c", buf, sizeof(buf)), buf);
	show_get("get user.c through the link", getxattr(l, "user.c", buf, sizeof(buf)), buf);
	show_get("fget user.b", fgetxattr(fd, "user.b", buf, sizeof(buf)), buf);
	R("get user.a's length", getxattr(f, "user.a", NULL, 0));
	R("get user.a into 3 bytes", getxattr(f, "user.a", buf, 3));
	R("get user.none", getxattr(f, "user.none", buf, sizeof(buf)));
	show_get("get user.d of the directory", getxattr(d, "user.d", buf, sizeof(buf)), buf);
	show_list("list", listxattr(f, buf, sizeof(buf)), buf);
	show_list("flist", flistxattr(fd, buf, sizeof(buf)), buf);
	R("list into 2 bytes", listxattr(f, buf, 2));
	R("remove user.b", removexattr(f, "user.b"));
	R("remove user.b again", removexattr(f, "user.b"));
	R("fremove user.c", fremovexattr(fd, "user.c"));
	show_list("list after", listxattr(f, buf, sizeof(buf)), buf);
	R("fget on a bad descriptor", fgetxattr(-1, "user.a", buf, sizeof(buf)));
	close(fd);
	unlink(f);
	unlink(l);
	rmdir(d);
	return 0;
}
