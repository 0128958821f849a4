/* The "fsperm" case: file permissions as Linux checks them, for a child
 * that drops root (setresuid, as the creds case does).
 *   - uid 1000 cannot write a root-owned 0644 file, nor create, unlink,
 *     rename or link in a root-owned 0755 directory, nor chmod, chown or
 *     set times there (EACCES, EPERM as Linux says); it can read
 *   - after chmod 0666 and 1777 it can write the file and make and
 *     remove its own names, but the sticky bit keeps root's names
 *   - a directory without search permission hides its names; a
 *     supplementary group's rights count; a set-group-ID directory gives
 *     its group (and the bit) to what is made in it
 *   - access() answers for the real ids, faccessat2(AT_EACCESS) for the
 *     effective ones; execve needs an execute bit
 *   - connecting to a socket file takes write permission on it; pipes,
 *     sockets and socket files are their maker's
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>
#include "proctest.h"

#define D "/tmp/fsperm"
/* Socket files where the guest can make them (not on the 9p root). */
#define S "/dev/shm/fsperm"

static void owner_of(const char *label, const char *path)
{
	struct stat st;
	if (stat(path, &st))
		say("%s: stat failed: %s", label, strerror(errno));
	else
		say("%s: uid %u gid %u mode %o", label, st.st_uid, st.st_gid, st.st_mode & 07777);
}

/* Becomes uid 1000 (gid 1000, supplementary group 4242 if asked). */
static int drop(int with_group)
{
	gid_t g = 4242;
	if (setgroups(with_group, &g) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000)) {
		say("cannot drop root: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static int as_user_closed(void *arg)
{
	(void)arg;
	if (drop(0))
		return 1;
	result("open(root's 0644 file, O_WRONLY)", open(D "/f", O_WRONLY));
	result("open(root's 0644 file, O_RDONLY) >= 0", open(D "/f", O_RDONLY) >= 0);
	result("open(O_RDONLY | O_TRUNC)", open(D "/f", O_RDONLY | O_TRUNC));
	result("unlink in root's 0755 directory", unlink(D "/f"));
	result("creat in root's 0755 directory", creat(D "/new", 0644));
	result("mkdir in it", mkdir(D "/sub", 0755));
	result("symlink in it", symlink("f", D "/sl"));
	result("rename in it", rename(D "/f", D "/g"));
	result("link to root's file (protected hard links)", link(D "/f", "/tmp/fsperm-link"));
	result("truncate", truncate(D "/f", 0));
	result("chmod", chmod(D "/f", 0666));
	result("chown to self", chown(D "/f", 1000, -1));
	result("chown -1 -1", chown(D "/f", -1, -1));
	result("utime(NULL)", utime(D "/f", NULL));
	struct utimbuf ub = { 1, 2 };
	result("utime(times)", utime(D "/f", &ub));
	result("access(W_OK)", access(D "/f", W_OK));
	result("access(R_OK)", access(D "/f", R_OK));
	result("access(X_OK)", access(D "/f", X_OK));
	result("stat through a 0700 directory", access(D "/closed/f", F_OK));
	result("open a 0700 directory", open(D "/closed", O_RDONLY | O_DIRECTORY));
	result("chdir into it", chdir(D "/closed"));
	result("rmdir root's empty directory", rmdir(D "/empty"));
	char *argv[] = { D "/script", NULL };
	result("execve a 0644 script", execve(argv[0], argv, NULL));
	result("mkdir in a 0770 directory of group 4242 (not a member)", mkdir(D "/grp/x", 0755));
	return 0;
}

static struct sockaddr_un sun(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, path);
	return a;
}

static void fd_owner(const char *label, int fd)
{
	struct stat st;
	if (fstat(fd, &st))
		say("%s: fstat failed: %s", label, strerror(errno));
	else
		say("%s: uid %u gid %u mode %o", label, st.st_uid, st.st_gid, st.st_mode & 07777);
}

static int as_user_open(void *arg)
{
	(void)arg;
	if (drop(1))
		return 1;
	int p[2];
	if (pipe(p) == 0) {
		fd_owner("  my pipe", p[0]);
		close(p[0]);
		close(p[1]);
	}
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	fd_owner("  my socket", s);
	struct sockaddr_un a = sun(S "/rootsock");
	result("connect to root's 0755 socket", connect(s, (struct sockaddr *)&a, sizeof(a)));
	a = sun(S "/mysock");
	result("bind a socket in a 1777 directory", bind(s, (struct sockaddr *)&a, sizeof(a)));
	owner_of("  my socket file", S "/mysock");
	close(s);
	unlink(S "/mysock");
	int fd = open(D "/f", O_WRONLY);
	result("open(0666 file, O_WRONLY) >= 0", fd >= 0);
	result("write", write(fd, "user", 4));
	close(fd);
	result("utime(NULL) with write permission", utime(D "/f", NULL));
	struct utimbuf ub = { 1, 2 };
	result("utime(times) without owning", utime(D "/f", &ub));
	result("unlink root's file in a 1777 directory", unlink(D "/f"));
	result("rename root's file there", rename(D "/f", D "/g"));
	fd = creat(D "/mine", 0640);
	result("creat there >= 0", fd >= 0);
	close(fd);
	owner_of("  my file", D "/mine");
	result("chmod my file", chmod(D "/mine", 0600));
	result("chown my file to group 4242 (a member)", chown(D "/mine", -1, 4242));
	result("chown my file to group 4243", chown(D "/mine", -1, 4243));
	result("chown my file to uid 0", chown(D "/mine", 0, -1));
	result("rename my file over root's", rename(D "/mine", D "/f"));
	result("link to root's 0666 file", link(D "/f", D "/mylink"));
	result("unlink my link", unlink(D "/mylink"));
	result("mkdir in the 1777 directory", mkdir(D "/mydir", 0755));
	owner_of("  my directory", D "/mydir");
	result("rmdir it", rmdir(D "/mydir"));
	result("unlink my file", unlink(D "/mine"));
	result("mkdir in a 0770 directory of group 4242 (a member)", mkdir(D "/grp/x", 0755));
	owner_of("  made there", D "/grp/x");
	fd = creat(D "/sgid/file", 0644);
	close(fd);
	owner_of("  a file in a set-group-ID directory", D "/sgid/file");
	result("mkdir there", mkdir(D "/sgid/d", 0755));
	owner_of("  a directory there", D "/sgid/d");
	unlink(D "/sgid/file");
	rmdir(D "/sgid/d");
	rmdir(D "/grp/x");
	return 0;
}

/* Real uid 1000, effective 0: access() is the real user's. */
static int as_mixed(void *arg)
{
	(void)arg;
	if (setresuid(1000, 0, 0))
		return 1;
	result("access(root's 0600 file, R_OK) as real uid 1000", access(D "/secret", R_OK));
	result("faccessat2(AT_EACCESS) as effective root",
	       syscall(SYS_faccessat2, AT_FDCWD, D "/secret", R_OK, AT_EACCESS));
	result("faccessat(0) the same", faccessat(AT_FDCWD, D "/secret", R_OK, 0));
	result("open it (effective root) >= 0", open(D "/secret", O_RDONLY) >= 0);
	return 0;
}

static void put(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, "#!/bin/sh\n", 10) != 10)
		say("cannot make %s: %s", path, strerror(errno));
	close(fd);
	chmod(path, mode);
}

static void cleanup(void)
{
	const char *files[] = { D "/f", D "/g", D "/new", D "/sl", D "/mine", D "/mylink",
				D "/closed/f", D "/secret", D "/script", "/tmp/fsperm-link",
				D "/sgid/file", S "/rootsock", S "/mysock" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	const char *dirs[] = { D "/sub", D "/mydir", D "/closed", D "/empty", D "/grp/x",
			       D "/grp", D "/sgid/d", D "/sgid", D, S };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		rmdir(dirs[i]);
}

int t_fsperm(void)
{
	umask(022);
	cleanup();
	if (mkdir(D, 0755) || mkdir(D "/closed", 0700) || mkdir(D "/empty", 0755) ||
	    mkdir(D "/grp", 0770) || mkdir(D "/sgid", 0777) || mkdir(S, 0755)) {
		say("setup failed: %s", strerror(errno));
		return 1;
	}
	chown(D "/grp", 0, 4242);
	chmod(D "/grp", 0770);
	chown(D "/sgid", 0, 4242);
	chmod(D "/sgid", 02777);
	put(D "/f", 0644);
	put(D "/closed/f", 0644);
	put(D "/secret", 0600);
	put(D "/script", 0644);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a = sun(S "/rootsock");
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1))
		say("cannot bind root's socket: %s", strerror(errno));
	owner_of("root's file", D "/f");
	owner_of("root's socket", S "/rootsock");
	say("closed: %s", status_text(reap(child(as_user_closed, NULL))));
	chmod(D "/f", 0666);
	chmod(D, 01777);
	chmod(S, 01777);
	say("open: %s", status_text(reap(child(as_user_open, NULL))));
	say("mixed: %s", status_text(reap(child(as_mixed, NULL))));
	close(s);
	cleanup();
	return 0;
}
