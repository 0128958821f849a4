/* FIFOs and AF_UNIX socket names in a directory (for tests/9p/test-9p.sh,
 * which runs it natively on a host directory, then in the guest on the
 * 9p root, and compares the two outputs). usage: special DIR (DIR must
 * not exist; it is gone again at the end). Prints one line per check,
 * "special ok" at the end, or "FAIL ..." and exits 1. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);       \
			printf(__VA_ARGS__);                              \
			printf(" (errno %d %s)\n", errno, strerror(errno)); \
			exit(1);                                          \
		}                                                         \
	} while (0)

static char fifo[4096], fifo2[4096], sock[4096];

static const char *type_of(mode_t m)
{
	return S_ISFIFO(m) ? "fifo" : S_ISSOCK(m) ? "socket" : S_ISREG(m) ? "file" :
	       S_ISDIR(m) ? "dir" : "other";
}

/* stat and lstat of path: type and permissions, or the errno's name. */
static void show_stat(const char *label, const char *path)
{
	struct stat st, lst;
	int rc = stat(path, &st);
	if (rc) {
		printf("%s: stat %s\n", label, errno == ENOENT ? "ENOENT" : strerror(errno));
		return;
	}
	CHECK(lstat(path, &lst) == 0, "lstat %s", path);
	CHECK(st.st_ino == lst.st_ino && st.st_mode == lst.st_mode, "stat and lstat differ");
	printf("%s: %s %04o nlink %lu size %lld\n", label, type_of(st.st_mode),
	       st.st_mode & 07777, (unsigned long)st.st_nlink, (long long)st.st_size);
}

static const char *err_name(int e)
{
	switch (e) {
	case 0: return "ok";
	case ENXIO: return "ENXIO";
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case EADDRINUSE: return "EADDRINUSE";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EAGAIN: return "EAGAIN";
	default: return strerror(e);
	}
}

/* Reads fd to its end. */
static void read_all(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t n;
	while ((n = read(fd, buf + got, cap - 1 - got)) > 0)
		got += n;
	CHECK(n == 0, "read");
	buf[got] = 0;
}

static void *fifo_writer(void *arg)
{
	/* Blocks until the reader opens. */
	int fd = open(fifo, O_WRONLY);
	CHECK(fd >= 0, "open %s for writing", fifo);
	for (int i = 0; i < 3; i++) {
		char line[64];
		int n = snprintf(line, sizeof(line), "%s line %d\n", (char *)arg, i);
		CHECK(write(fd, line, n) == n, "write");
	}
	close(fd);
	return NULL;
}

static void fifo_threads(void)
{
	pthread_t t;
	char buf[512];
	CHECK(pthread_create(&t, NULL, fifo_writer, "thread") == 0, "pthread_create");
	int fd = open(fifo, O_RDONLY);
	CHECK(fd >= 0, "open %s for reading", fifo);
	read_all(fd, buf, sizeof(buf));
	close(fd);
	pthread_join(t, NULL);
	printf("fifo between threads: %s", buf);
}

static void fifo_processes(void)
{
	char buf[512];
	pid_t pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		fifo_writer("child");
		_exit(0);
	}
	/* The reader comes second this time: the writer waits for it. */
	usleep(200 * 1000);
	int fd = open(fifo, O_RDONLY);
	CHECK(fd >= 0, "open %s for reading", fifo);
	read_all(fd, buf, sizeof(buf));
	close(fd);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st), "child");
	printf("fifo between processes: %s", buf);
}

/* Linux's O_NONBLOCK rules for opening a FIFO, and O_RDWR. */
static void fifo_nonblock(void)
{
	int w = open(fifo, O_WRONLY | O_NONBLOCK);
	printf("nonblocking writer without a reader: %s\n", err_name(w < 0 ? errno : 0));
	int r = open(fifo, O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0, "O_RDONLY|O_NONBLOCK");
	char c;
	ssize_t n = read(r, &c, 1);
	printf("read without a writer: %zd\n", n);
	w = open(fifo, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0, "O_WRONLY|O_NONBLOCK with a reader");
	n = read(r, &c, 1);
	printf("read with an idle writer: %s\n", err_name(n < 0 ? errno : 0));
	CHECK(write(w, "xyz", 3) == 3, "write");
	char buf[8] = { 0 };
	CHECK(read(r, buf, sizeof(buf) - 1) == 3, "read");
	printf("nonblocking pair carried: %s\n", buf);
	close(w);
	close(r);
	int rw = open(fifo, O_RDWR);
	CHECK(rw >= 0, "O_RDWR");
	CHECK(write(rw, "self", 4) == 4, "write O_RDWR");
	memset(buf, 0, sizeof(buf));
	CHECK(read(rw, buf, 4) == 4, "read O_RDWR");
	printf("O_RDWR carried: %s\n", buf);
	int sz = fcntl(rw, F_GETPIPE_SZ);
	printf("F_GETPIPE_SZ %d, F_SETPIPE_SZ %d\n", sz, fcntl(rw, F_SETPIPE_SZ, 100000));
	close(rw);
	/* The data of a FIFO nobody has open are gone. */
	rw = open(fifo, O_RDWR);
	CHECK(rw >= 0 && write(rw, "lost", 4) == 4, "write before close");
	close(rw);
	r = open(fifo, O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0, "reopen");
	n = read(r, buf, sizeof(buf));
	printf("after the last close: read %zd\n", n);
	close(r);
}

static void list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	CHECK(d, "opendir %s", dir);
	char names[16][64];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 16) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(names[n++], 64, "%.40s/%s", e->d_name,
			 e->d_type == DT_FIFO ? "fifo" : e->d_type == DT_SOCK ? "socket" :
			 e->d_type == DT_REG ? "file" : e->d_type == DT_DIR ? "dir" : "?");
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), (int (*)(const void *, const void *))strcmp);
	printf("listing:");
	for (int i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
}

static int unix_socket(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(s >= 0, "socket");
	return s;
}

static struct sockaddr_un addr_of(const char *path)
{
	struct sockaddr_un a;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	CHECK(strlen(path) < sizeof(a.sun_path), "%s: too long", path);
	memcpy(a.sun_path, path, strlen(path));
	return a;
}

static void *client(void *arg)
{
	(void)arg;
	struct sockaddr_un a = addr_of(sock);
	int c = unix_socket();
	CHECK(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0, "connect %s", sock);
	CHECK(write(c, "ping", 4) == 4, "client write");
	char buf[8] = { 0 };
	CHECK(read(c, buf, sizeof(buf) - 1) == 4, "client read");
	printf("client got: %s\n", buf);
	close(c);
	return NULL;
}

static void sockets(const char *dir)
{
	struct sockaddr_un a = addr_of(sock);
	int s = unix_socket();
	CHECK(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind %s", sock);
	show_stat("bound socket", sock);
	int s2 = unix_socket();
	int rc = bind(s2, (struct sockaddr *)&a, sizeof(a));
	printf("second bind: %s\n", err_name(rc ? errno : 0));
	close(s2);
	rc = open(sock, O_RDONLY);
	printf("open of the socket's name: %s\n", err_name(rc < 0 ? errno : 0));
	list_dir(dir);
	CHECK(listen(s, 4) == 0, "listen");

	/* A client thread, then a client process. */
	for (int round = 0; round < 2; round++) {
		pthread_t t;
		pid_t pid = 0;
		if (round == 0) {
			CHECK(pthread_create(&t, NULL, client, NULL) == 0, "pthread_create");
		} else {
			fflush(stdout);
			pid = fork();
			CHECK(pid >= 0, "fork");
			if (pid == 0) {
				client(NULL);
				fflush(stdout);
				_exit(0);
			}
		}
		int c = accept(s, NULL, NULL);
		CHECK(c >= 0, "accept");
		char buf[8] = { 0 };
		CHECK(read(c, buf, sizeof(buf) - 1) == 4, "server read");
		printf("server got: %s (%s)\n", buf, round ? "process" : "thread");
		fflush(stdout);
		CHECK(write(c, "pong", 4) == 4, "server write");
		if (round == 0) {
			pthread_join(t, NULL);
		} else {
			int st;
			CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
			      "client process");
		}
		close(c);
	}

	CHECK(unlink(sock) == 0, "unlink %s", sock);
	show_stat("after unlink", sock);
	int c = unix_socket();
	rc = connect(c, (struct sockaddr *)&a, sizeof(a));
	printf("connect after unlink: %s\n", err_name(rc ? errno : 0));
	close(c);
	/* The name is free again; the first socket still listens, unnamed
	 * in the file system. */
	s2 = unix_socket();
	CHECK(bind(s2, (struct sockaddr *)&a, sizeof(a)) == 0, "bind again");
	c = unix_socket();
	rc = connect(c, (struct sockaddr *)&a, sizeof(a));
	printf("connect to a bound, not listening socket: %s\n", err_name(rc ? errno : 0));
	close(c);
	close(s2);
	close(s);
	CHECK(unlink(sock) == 0, "unlink %s again", sock);
}

int main(int argc, char **argv)
{
	CHECK(argc == 2, "usage: special DIR");
	const char *dir = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(fifo2, sizeof(fifo2), "%s/renamed", dir);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	CHECK(mkdir(dir, 0755) == 0, "mkdir %s", dir);

	CHECK(mkfifo(fifo, 0666) == 0, "mkfifo %s", fifo);
	show_stat("mkfifo", fifo);
	int rc = mkfifo(fifo, 0600);
	printf("mkfifo again: %s\n", err_name(rc ? errno : 0));
	CHECK(chmod(fifo, 0640) == 0, "chmod");
	show_stat("chmod", fifo);
	int fd = open(fifo, O_RDWR);
	CHECK(fd >= 0, "open O_RDWR");
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode), "fstat");
	printf("fstat: %s, lseek: %s\n", type_of(st.st_mode),
	       lseek(fd, 0, SEEK_SET) < 0 && errno == ESPIPE ? "ESPIPE" : "seekable");
	close(fd);

	fifo_threads();
	fifo_processes();
	fifo_nonblock();

	CHECK(mknod(fifo2, S_IFIFO | 0600, 0) == 0, "mknod S_IFIFO");
	show_stat("mknod", fifo2);
	CHECK(unlink(fifo2) == 0, "unlink %s", fifo2);
	CHECK(rename(fifo, fifo2) == 0, "rename");
	show_stat("rename's old name", fifo);
	show_stat("rename's new name", fifo2);

	sockets(dir);
	list_dir(dir);

	rc = rmdir(dir);
	printf("rmdir with a fifo in it: %s\n", err_name(rc ? errno : 0));
	CHECK(unlink(fifo2) == 0, "unlink %s", fifo2);
	show_stat("after unlink", fifo2);
	list_dir(dir);
	CHECK(rmdir(dir) == 0, "rmdir %s", dir);
	printf("special ok\n");
	return 0;
}
