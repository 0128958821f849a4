/* create: the container's process is a supervisor forked here (its PID
 * goes to --pid-file; the caller, conmon or containerd's shim, is its
 * subreaper once we exit). It takes the terminal, joins the network
 * namespace and readies the guest's network, tells us it is ready, then
 * blocks opening exec.fifo for writing until `start` opens it for
 * reading, and execs run.sh -S, which execs ukconsole: the PID stays the
 * same, so its exit status is the program's and signals sent to it reach
 * the program in the guest. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runuk.h"

/* mkdir -p of the state root: callers nest it (/run/containerd/runc/NS). */
static int mkdirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, mode) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, mode) && errno != EEXIST ? -1 : 0;
}

/* The supervisor: never returns. One byte on sync says whether it got
 * ready (0) or not (1: it logged why). */
static void __attribute__((noreturn))
supervise(const struct oci_config *c, const char *console, const char *fifo, int sync)
{
	struct argv_buf a = { 0 };
	char no = 1, yes = 0;
	setsid();
	if (console && console_setup(console))
		goto fail;
	if (boot_options(c, &a) || net_setup(c, &a) || boot_program(c, &a))
		goto fail;
	if (g.debug) {
		for (size_t i = 0; i < a.n; i++)
			log_debug("run.sh argument %zu: %s", i, a.v[i]);
	}
	if (write(sync, &yes, 1) != 1)
		_exit(125);
	close(sync);
	/* Blocks until start opens the fifo for reading. */
	int fd = open(fifo, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, &yes, 1) != 1) {
		log_error("%s: %s", fifo, strerror(errno));
		_exit(125);
	}
	close(fd);
	execv(a.v[0], a.v);
	log_error("%s: %s", a.v[0], strerror(errno));
	_exit(125);
fail:
	if (write(sync, &no, 1) != 1)
		_exit(125);
	_exit(125);
}

int cmd_create(int argc, char **argv)
{
	const char *bundle = ".", *pidfile = NULL, *console = NULL, *id = NULL, *v;
	for (int i = 1; i < argc; i++) {
		if (opt_value(argv, argc, &i, "bundle", &v) || opt_value(argv, argc, &i, "b", &v))
			bundle = v;
		else if (opt_value(argv, argc, &i, "pid-file", &v))
			pidfile = v;
		else if (opt_value(argv, argc, &i, "console-socket", &v))
			console = v;
		else if (opt_value(argv, argc, &i, "preserve-fds", &v)) {
			if (atoi(v))
				log_warn("--preserve-fds %s: descriptors cannot be passed into the guest", v);
		} else if (opt_flag(argv, &i, "no-pivot") || opt_flag(argv, &i, "no-new-keyring"))
			log_debug("%s: nothing to do for a guest", argv[i]);
		else if (argv[i][0] == '-')
			log_warn("create: unknown option %s: ignored", argv[i]);
		else
			id = argv[i];
	}
	if (!id) {
		log_error("create: no container ID");
		return -1;
	}
	if (!container_id_valid(id)) {
		log_error("%s: not a valid container ID", id);
		return -1;
	}
	struct container ct = { 0 };
	struct oci_config c;
	if (!realpath(bundle, ct.bundle)) {
		log_error("bundle %s: %s", bundle, strerror(errno));
		return -1;
	}
	if (oci_config_load(ct.bundle, &c))
		return -1;
	if (c.terminal && !console) {
		log_error("process.terminal is set but there is no --console-socket");
		goto err_config;
	}
	char fifo[PATH_MAX];
	snprintf(ct.id, sizeof(ct.id), "%s", id);
	container_path(id, NULL, ct.dir, sizeof(ct.dir));
	container_path(id, "exec.fifo", fifo, sizeof(fifo));
	if (mkdirs(g.root, 0711)) {
		log_error("%s: %s", g.root, strerror(errno));
		goto err_config;
	}
	if (mkdir(ct.dir, 0711)) {
		log_error(errno == EEXIST ? "container with ID %s already exists" : "%s: %s",
			  errno == EEXIST ? id : ct.dir, strerror(errno));
		goto err_config;
	}
	if (mkfifo(fifo, 0622)) {
		log_error("%s: %s", fifo, strerror(errno));
		goto err_dir;
	}
	int sync[2];
	if (pipe2(sync, O_CLOEXEC)) {
		log_error("pipe: %s", strerror(errno));
		goto err_fifo;
	}
	pid_t pid = fork();
	if (pid < 0) {
		log_error("fork: %s", strerror(errno));
		goto err_sync;
	}
	if (pid == 0) {
		close(sync[0]);
		supervise(&c, console, fifo, sync[1]);
	}
	close(sync[1]);
	sync[1] = -1;
	char ready = 1;
	if (read(sync[0], &ready, 1) != 1 || ready != 0) {
		log_error("create: the container's process could not get ready");
		waitpid(pid, NULL, 0);
		goto err_sync;
	}
	close(sync[0]);
	ct.pid = pid;
	ct.start_time = pid_start_time(pid);
	snprintf(ct.rootfs, sizeof(ct.rootfs), "%s", c.root);
	rfc3339_now(ct.created, sizeof(ct.created));
	ct.annotations = c.annotations;
	char num[32];
	snprintf(num, sizeof(num), "%d", (int)pid);
	if (container_save(&ct) || (pidfile && write_file_atomic(pidfile, num))) {
		if (pidfile)
			log_error("%s: %s", pidfile, strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto err_fifo;
	}
	log_debug("created %s: pid %d, root %s", id, (int)pid, c.root);
	oci_config_free(&c);
	return 0;

err_sync:
	close(sync[0]);
	if (sync[1] >= 0)
		close(sync[1]);
err_fifo:
	unlink(fifo);
	{
		char st[PATH_MAX];
		container_path(id, "state.json", st, sizeof(st));
		unlink(st);
	}
err_dir:
	rmdir(ct.dir);
err_config:
	oci_config_free(&c);
	return -1;
}
