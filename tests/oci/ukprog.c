/* The test image's program. No argument: "hello from the guest", exit 0;
 *   N          the same line, exit N
 *   crash      a write to address 0 (SIGSEGV: 139)
 *   tty        "tty yes" or "tty no": whether stdout is a terminal
 *   env VAR    VAR's value (or "unset")
 *   cwd        the working directory
 *   host       the host name (uname)
 *   nofile     RLIMIT_NOFILE as "soft:hard"
 *   ls DIR     the names in DIR, sorted, one a line
 * (The image's /sigwait, tests/guest/sigwait.c, waits for signals.) */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(const char *dir)
{
	char *names[256];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d) {
		perror(dir);
		return 1;
	}
	while ((e = readdir(d)) && n < 256)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(char *), by_name);
	for (int i = 0; i < n; i++)
		printf("%s\n", names[i]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	char buf[4096];
	if (!strcmp(cmd, "crash")) {
		volatile int *p = NULL;
		*p = 1;
	} else if (!strcmp(cmd, "tty")) {
		printf("tty %s\n", isatty(1) ? "yes" : "no");
	} else if (!strcmp(cmd, "env") && argc > 2) {
		const char *v = getenv(argv[2]);
		printf("%s\n", v ? v : "unset");
	} else if (!strcmp(cmd, "cwd")) {
		printf("%s\n", getcwd(buf, sizeof(buf)) ? buf : "?");
	} else if (!strcmp(cmd, "host")) {
		struct utsname u;
		uname(&u);
		printf("%s\n", u.nodename);
	} else if (!strcmp(cmd, "nofile")) {
		struct rlimit rl;
		getrlimit(RLIMIT_NOFILE, &rl);
		printf("%llu:%llu\n", (unsigned long long)rl.rlim_cur,
		       (unsigned long long)rl.rlim_max);
	} else if (!strcmp(cmd, "ls") && argc > 2) {
		return list(argv[2]);
	} else {
		printf("hello from the guest\n");
		return atoi(cmd);
	}
	return 0;
}
