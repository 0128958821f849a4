/* stamp: runs a command, stamps each line of its stdout with CLOCK_MONOTONIC seconds since launch. */
/*
 * Usage: stamp [-t TIMEOUT_S] [-m TEXT] -- CMD [ARGS...]
 *
 * The clock starts just before fork(); the child's stdin is /dev/null and
 * its stdout is a pipe that is read as bytes arrive. Each complete line is
 * printed as "SECONDS<TAB>LINE" (carriage returns dropped), stamped when its
 * newline arrives. At the end one summary line is printed:
 *   "#match SECONDS" for the first line containing TEXT (with -m), or
 *   "#nomatch", then "#exit SECONDS STATUS" (STATUS is the exit code, or
 *   128+signal; "#timeout SECONDS" if the child was killed after TIMEOUT_S).
 * Exit status: 0 if TEXT was seen (or no -m given), 3 if not, 4 on timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct timespec t0;

static double since_launch(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: stamp [-t TIMEOUT_S] [-m TEXT] -- CMD [ARGS...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double timeout = 0, match_t = -1;
	const char *match = NULL;
	int opt, pfd[2], status = 0, timed_out = 0;
	static char line[1 << 16];
	size_t len = 0;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+t:m:")) != -1) {
		switch (opt) {
		case 't': timeout = atof(optarg); break;
		case 'm': match = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		perror("pipe2");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		setpgid(0, 0);	/* a timeout kills the whole group */

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		_exit(127);
	}
	close(pfd[1]);

	for (;;) {
		char buf[4096];
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		int wait_ms = -1;
		ssize_t n;

		if (timeout > 0) {
			double left = timeout - since_launch();

			if (left <= 0) {
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
				timed_out = 1;
				break;
			}
			wait_ms = (int)(left * 1000) + 1;
		}
		if (poll(&p, 1, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			break;
		}
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		double now = since_launch();
		for (ssize_t i = 0; i < n; i++) {
			char c = buf[i];

			if (c == '\r')
				continue;
			if (c != '\n') {
				if (len < sizeof(line) - 1)
					line[len++] = c;
				continue;
			}
			line[len] = 0;
			printf("%.6f\t%s\n", now, line);
			if (match && match_t < 0 && strstr(line, match))
				match_t = now;
			len = 0;
		}
	}
	if (len) {
		line[len] = 0;
		printf("%.6f\t%s\n", since_launch(), line);
		if (match && match_t < 0 && strstr(line, match))
			match_t = since_launch();
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	double end = since_launch();

	if (match) {
		if (match_t >= 0)
			printf("#match %.6f\n", match_t);
		else
			printf("#nomatch\n");
	}
	if (timed_out) {
		printf("#timeout %.6f\n", end);
		return 4;
	}
	printf("#exit %.6f %d\n", end,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return match && match_t < 0 ? 3 : 0;
}
