/* process.terminal: a pseudo-terminal whose master goes to the caller
 * over --console-socket, as runc sends it (one SCM_RIGHTS message whose
 * data is the terminal's name); conmon and containerd's shim relay it.
 * The slave becomes the supervisor's stdin, stdout, stderr and
 * controlling terminal, so run.sh sees a terminal and the guest's line
 * discipline does the rest. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "runuk.h"

static int send_fd(int sock, int fd, const char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) < 0 ? -1 : 0;
}

int console_setup(const char *socket_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(socket_path) >= sizeof(sa.sun_path)) {
		log_error("--console-socket %s: path too long", socket_path);
		return -1;
	}
	strcpy(sa.sun_path, socket_path);
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) || unlockpt(master)) {
		log_error("console: no pseudo-terminal: %s", strerror(errno));
		goto err_master;
	}
	char *name = ptsname(master);
	int slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	if (slave < 0) {
		log_error("console: %s: %s", name ? name : "ptsname", strerror(errno));
		goto err_master;
	}
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof(sa)) ||
	    send_fd(sock, master, name)) {
		log_error("--console-socket %s: %s", socket_path, strerror(errno));
		if (sock >= 0)
			close(sock);
		close(slave);
		goto err_master;
	}
	close(sock);
	close(master);
	if (ioctl(slave, TIOCSCTTY, 0))
		log_warn("console: no controlling terminal: %s", strerror(errno));
	for (int fd = 0; fd < 3; fd++)
		dup2(slave, fd);
	if (slave > 2)
		close(slave);
	return 0;
err_master:
	if (master >= 0)
		close(master);
	return -1;
}
