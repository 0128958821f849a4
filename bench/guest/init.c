/* init.c: /init for the Linux guest's initramfs: runs argv[1..] as a child, then powers off. */
/*
 * With 9p=TAG:DIR on the kernel command line (the kernel hands it to /init
 * as the environment variable "9p"), it first loads the modules named in
 * /lib/modules/load.list (one file name a line, in dependency order, files
 * in /lib/modules/) with finit_module, then mounts the virtio-9p share TAG
 * on DIR (trans=virtio, version=9p2000.L, msize=524288), and drops "9p"
 * from the child's environment.
 *
 * With net=ADDR/PREFIX,GW (e.g. net=10.0.2.15/24,10.0.2.2) it loads the
 * modules the same way, waits for eth0 (the virtio-net device), brings lo
 * up, gives eth0 the address and netmask, brings it up and adds a default
 * route via GW, all with plain ioctls; "net" is dropped from the child's
 * environment too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/reboot.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
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
	static int loaded;
	char name[256], path[512];
	FILE *f;

	if (loaded++)
		return;
	f = fopen("/lib/modules/load.list", "r");
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

static int in_addr(struct sockaddr *sa, const char *ip)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;

	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	return inet_pton(AF_INET, ip, &sin->sin_addr) == 1 ? 0 : -1;
}

static int if_up(int s, const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return ioctl(s, SIOCSIFFLAGS, &ifr);
}

/* spec "ADDR/PREFIX,GW": eth0 may appear a moment after its driver loads. */
static void setup_net(const char *spec)
{
	char addr[64], gw[64];
	int prefix, s, i;
	struct ifreq ifr;
	struct rtentry rt;
	struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
	const char *what;

	if (sscanf(spec, "%63[0-9.]/%d,%63[0-9.]", addr, &prefix, gw) != 3 ||
	    prefix < 0 || prefix > 32) {
		fprintf(stderr, "init: net=%s: want ADDR/PREFIX,GW\n", spec);
		return;
	}
	load_modules();
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		perror("init: socket");
		return;
	}
	if (if_up(s, "lo") < 0)
		perror("init: lo up");
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "eth0");
	for (i = 0; i < 500 && ioctl(s, SIOCGIFINDEX, &ifr) < 0; i++)
		nanosleep(&ten_ms, NULL);
	what = "no eth0";
	if (i == 500)
		goto fail;
	what = "SIOCSIFADDR";
	if (in_addr(&ifr.ifr_addr, addr) < 0 || ioctl(s, SIOCSIFADDR, &ifr) < 0)
		goto fail;
	what = "SIOCSIFNETMASK";
	in_addr(&ifr.ifr_netmask, "0.0.0.0");
	((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr.s_addr =
		htonl(prefix ? 0xffffffffu << (32 - prefix) : 0);
	if (ioctl(s, SIOCSIFNETMASK, &ifr) < 0)
		goto fail;
	what = "eth0 up";
	if (if_up(s, "eth0") < 0)
		goto fail;
	what = "SIOCADDRT";
	memset(&rt, 0, sizeof rt);
	in_addr(&rt.rt_dst, "0.0.0.0");
	in_addr(&rt.rt_genmask, "0.0.0.0");
	if (in_addr(&rt.rt_gateway, gw) < 0)
		goto fail;
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	if (ioctl(s, SIOCADDRT, &rt) < 0)
		goto fail;
	close(s);
	return;
fail:
	fprintf(stderr, "init: net=%s: %s: %s\n", spec, what, strerror(errno));
	close(s);
}

int main(int argc, char **argv)
{
	const char *spec;

	ensure_console();
	spec = getenv("net");
	if (spec) {
		char copy[128];

		snprintf(copy, sizeof copy, "%s", spec);
		unsetenv("net");
		setup_net(copy);
	}
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
