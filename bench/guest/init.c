/* init.c: /init for the Linux guest's initramfs: runs argv[1..] as a child, then powers off. */
/*
 * With 9p=TAG:DIR on the kernel command line (the kernel hands it to /init
 * as the environment variable "9p"), it first loads the modules named in
 * /lib/modules/load.list (one file name a line, in dependency order, files
 * in /lib/modules/) with finit_module, then mounts the virtio-9p share TAG
 * on DIR (trans=virtio, version=9p2000.L, msize=524288), and drops "9p"
 * from the child's environment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Without /dev/console in the cpio the kernel gives /init no stdio. */
static void ensure_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static void load_modules(void)
{
	char name[256], path[512];
	FILE *f = fopen("/lib/modules/load.list", "r");

	if (!f)
		return;
	while (fgets(name, sizeof name, f)) {
		int fd;

		name[strcspn(name, "\r\n")] = 0;
		if (!name[0])
			continue;
		snprintf(path, sizeof path, "/lib/modules/%s", name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(path);
			continue;
		}
		if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
			fprintf(stderr, "init: finit_module %s: %s\n", name, strerror(errno));
		close(fd);
	}
	fclose(f);
}

/* spec "TAG:DIR": the device may bind a moment after its driver loads. */
static void mount_9p(const char *spec)
{
	char tag[128];
	const char *dir = strchr(spec, ':');
	const char *opts = "trans=virtio,version=9p2000.L,msize=524288";
	struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
	int i;

	if (!dir || (size_t)(dir - spec) >= sizeof tag) {
		fprintf(stderr, "init: 9p=%s: want TAG:DIR\n", spec);
		return;
	}
	memcpy(tag, spec, dir - spec);
	tag[dir - spec] = 0;
	dir++;
	load_modules();
	mkdir(dir, 0755);
	for (i = 0; i < 300; i++) {
		if (mount(tag, dir, "9p", 0, opts) == 0)
			return;
		if (errno != ENOENT && errno != ENODEV)
			break;
		nanosleep(&ten_ms, NULL);
	}
	fprintf(stderr, "init: mount 9p %s on %s: %s\n", tag, dir, strerror(errno));
}

int main(int argc, char **argv)
{
	const char *spec;

	ensure_console();
	spec = getenv("9p");
	if (spec) {
		char copy[256];

		snprintf(copy, sizeof copy, "%s", spec);
		unsetenv("9p");
		mount_9p(copy);
	}
	if (argc < 2) {
		fprintf(stderr, "init: nothing to run (pass: -- /prog args)\n");
	} else {
		pid_t pid = fork();

		if (pid == 0) {
			execve(argv[1], argv + 1, environ);
			perror(argv[1]);
			_exit(127);
		}
		if (pid > 0) {
			int status;

			while (waitpid(pid, &status, 0) < 0)
				;
		} else {
			perror("fork");
		}
	}
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_POWER_OFF, NULL);
	for (;;)
		pause();
}
