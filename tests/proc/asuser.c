/* asuser UID NPROC PROGRAM [ARGS...]: runs PROGRAM as user and group UID
 * (no supplementary groups) with RLIMIT_NPROC at NPROC, as setpriv and
 * ulimit would; for the fork bomb of tests/proc/forkbomb.sh. */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: asuser UID NPROC PROGRAM [ARGS...]\n");
		return 2;
	}
	unsigned id = strtoul(argv[1], NULL, 10);
	struct rlimit rl = { strtoul(argv[2], NULL, 10), strtoul(argv[2], NULL, 10) };
	if (setrlimit(RLIMIT_NPROC, &rl) || setgroups(0, NULL) || setresgid(id, id, id) ||
	    setresuid(id, id, id)) {
		perror("asuser");
		return 1;
	}
	execv(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
