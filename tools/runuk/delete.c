/* delete: the state directory goes; with --force a container still alive
 * is killed first (SIGKILL: QEMU dies with its relay) and waited for,
 * so nothing of it is left. The tap lives in the engine's network
 * namespace and goes with it. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "runuk.h"

#define MAX_CHILDREN 8

/* The container process's children (QEMU, ukconsole's stdin feeder) with
 * their start times, from /proc/PID/task/PID/children. */
static int children_of(pid_t pid, pid_t *kids, unsigned long long *times)
{
	char path[64];
	int n = 0;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	while (n < MAX_CHILDREN && fscanf(f, "%d", &kids[n]) == 1) {
		times[n] = pid_start_time(kids[n]);
		n++;
	}
	fclose(f);
	return n;
}

/* Until none of pids is alive (or 10 s have passed). */
static void wait_gone(const pid_t *pids, const unsigned long long *times, int n)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	for (int tries = 0; tries < 500; tries++) {
		int alive = 0;
		for (int i = 0; i < n; i++)
			alive |= pid_alive(pids[i], times[i]);
		if (!alive)
			return;
		nanosleep(&ts, NULL);
	}
}

int cmd_delete(int argc, char **argv)
{
	const char *id = NULL;
	int force = 0;
	for (int i = 1; i < argc; i++) {
		if (opt_flag(argv, &i, "force") || opt_flag(argv, &i, "f"))
			force = 1;
		else
			id = argv[i];
	}
	if (!id) {
		log_error("delete: no container ID");
		return -1;
	}
	struct container c;
	int rc = container_load(id, &c);
	if (rc)
		return rc == -ENOENT && force ? 0 : -1;
	const char *status = container_status(&c);
	if (strcmp(status, "stopped")) {
		if (!force) {
			log_error("cannot delete container %s that is %s (use --force)", id, status);
			container_free(&c);
			return -1;
		}
		/* The caller reaps it: wait until it and what it started
		 * (QEMU dies with it) are zombies or gone. */
		pid_t pids[MAX_CHILDREN + 1] = { c.pid };
		unsigned long long times[MAX_CHILDREN + 1] = { c.start_time };
		int n = 1 + children_of(c.pid, pids + 1, times + 1);
		kill(c.pid, SIGKILL);
		wait_gone(pids, times, n);
	}
	char path[PATH_MAX];
	static const char *const files[] = { "exec.fifo", "state.json" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		container_path(id, files[i], path, sizeof(path));
		unlink(path);
	}
	if (rmdir(c.dir) && errno != ENOENT) {
		log_error("%s: %s", c.dir, strerror(errno));
		rc = -1;
	}
	container_free(&c);
	return rc;
}
