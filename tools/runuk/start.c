/* start: the supervisor is blocked opening exec.fifo for writing; our
 * opening it for reading lets it go on, its byte says it did, and the
 * fifo's removal makes the status "running". */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include "runuk.h"

#define START_TIMEOUT_MS 10000

int cmd_start(int argc, char **argv)
{
	const char *id = argc > 1 ? argv[argc - 1] : NULL;
	struct container c;
	char fifo[PATH_MAX];
	if (!id) {
		log_error("start: no container ID");
		return -1;
	}
	if (container_load(id, &c))
		return -1;
	const char *status = container_status(&c);
	int rc = -1;
	if (strcmp(status, "created")) {
		log_error("cannot start a container that is %s", status);
		goto out;
	}
	container_path(id, "exec.fifo", fifo, sizeof(fifo));
	/* Non-blocking: a supervisor that died meanwhile cannot hang us. */
	int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log_error("%s: %s", fifo, strerror(errno));
		goto out;
	}
	for (int waited = 0; waited < START_TIMEOUT_MS; waited += 100) {
		struct pollfd p = { fd, POLLIN, 0 };
		char b;
		if (poll(&p, 1, 100) == 1 && read(fd, &b, 1) == 1) {
			rc = 0;
			break;
		}
		if (!pid_alive(c.pid, c.start_time))
			break;
	}
	close(fd);
	if (rc)
		log_error("start: the container's process %d did not start", (int)c.pid);
	else
		unlink(fifo);
out:
	container_free(&c);
	return rc;
}
