/* procfs: /proc's files in Linux's formats (maps, status, stat, limits,
 * meminfo, uptime, mounts, filesystems), the self and fd links, and the
 * values they must agree on with the system calls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/magic.h>
#include <linux/mman.h>
#include <linux/resource.h>
#include <linux/utsname.h>
#include <uk/mm.h>
#include <uk/process.h>
#include <uk/vfs.h>
#include <uk/test.h>

#define SYSCALL(name) long uk_syscall_r_##name(long, long, long, long, long, long)
SYSCALL(pipe2);
SYSCALL(close);
SYSCALL(openat);
SYSCALL(unlinkat);
SYSCALL(uname);
SYSCALL(prctl);
SYSCALL(getrlimit);
SYSCALL(setrlimit);
SYSCALL(readlinkat);

static char text[16384];

/* The whole of a /proc file, NUL-terminated; its length or -errno. */
static long slurp(const char *path)
{
	struct uk_file *f;
	long rc = uk_vfs_open(AT_FDCWD, path, O_RDONLY, 0, &f);
	if (rc)
		return rc;
	size_t n = 0;
	for (;;) {
		ssize_t r = uk_file_read(f, text + n, sizeof(text) - 1 - n, 0, 1);
		if (r <= 0)
			break;
		n += r;
	}
	uk_file_put(f);
	text[n] = 0;
	return n;
}

/* The line of text starting with prefix (up to its \n), or NULL. */
static const char *line_of(const char *prefix)
{
	size_t l = strlen(prefix);
	for (const char *p = text; *p; ) {
		if (!strncmp(p, prefix, l))
			return p;
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	return NULL;
}

static int line_is(const char *line)
{
	const char *p = line_of(line);
	return p && !strncmp(p, line, strlen(line));
}

/* The number after prefix at the start of a line, followed by suffix;
 * -1 when there is no such line. */
static long number_of(const char *prefix, const char *suffix)
{
	const char *l = line_of(prefix);
	char *end;
	if (!l)
		return -1;
	unsigned long v = strtoul(l + strlen(prefix), &end, 10);
	if (end == l + strlen(prefix) || strncmp(end, suffix, strlen(suffix)))
		return -1;
	return v;
}

/* Splits a line (up to \n or NUL) at spaces into at most max words,
 * each copied NUL-terminated into w[i] (32 bytes); returns the count. */
static int words(const char *p, char w[][32], int max)
{
	int n = 0;
	while (*p && *p != '\n') {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		size_t l = 0;
		while (p[l] && p[l] != ' ' && p[l] != '\n')
			l++;
		if (n < max) {
			size_t c = l < 31 ? l : 31;
			memcpy(w[n], p, c);
			w[n][c] = 0;
		}
		n++;
		p += l;
	}
	return n;
}

static long readlink_at(const char *path, char *buf, size_t len)
{
	long n = uk_syscall_r_readlinkat(AT_FDCWD, (long)uk_test_ustr(path), (long)buf,
					 len - 1, 0, 0);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

UK_TESTCASE(procfs, links)
{
	char buf[256];
	UK_TEST_EQ(readlink_at("/proc/self", buf, sizeof(buf)), 1);
	UK_TEST_EXPECT(!strcmp(buf, "1"));
	/* fd links: a file's path, a pipe's pipe:[inode], a directory's path. */
	int fd = uk_syscall_r_openat(AT_FDCWD, (long)uk_test_ustr("/uktest_procfs"), O_CREAT | O_RDWR, 0600, 0, 0);
	UK_TEST_EXPECT(fd >= 3);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	UK_TEST_EQ(readlink_at(path, buf, sizeof(buf)), 14);
	UK_TEST_EXPECT(!strcmp(buf, "/uktest_procfs"));
	struct uk_vnode *vn;
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, path, 0, &vn), 0);
	UK_TEST_EXPECT(S_ISLNK(vn->mode));
	uk_vnode_put(vn);
	uk_syscall_r_close(fd, 0, 0, 0, 0, 0);
	uk_syscall_r_unlinkat(AT_FDCWD, (long)uk_test_ustr("/uktest_procfs"), 0, 0, 0, 0);
	/* Closed: the link is gone. */
	UK_TEST_EQ(readlink_at(path, buf, sizeof(buf)), -ENOENT);
	int p[2];
	UK_TEST_EQ(uk_syscall_r_pipe2((long)p, 0, 0, 0, 0, 0), 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	char want[64];
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)uk_fd_get(p[0])->vn->ino);
	UK_TEST_EQ(readlink_at(path, buf, sizeof(buf)), (long)strlen(want));
	UK_TEST_EXPECT(!strcmp(buf, want));
	uk_syscall_r_close(p[0], 0, 0, 0, 0, 0);
	uk_syscall_r_close(p[1], 0, 0, 0, 0, 0);
	fd = uk_syscall_r_openat(AT_FDCWD, (long)uk_test_ustr("/proc/sys"), O_RDONLY | O_DIRECTORY, 0, 0, 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	UK_TEST_EQ(readlink_at(path, buf, sizeof(buf)), 9);
	UK_TEST_EXPECT(!strcmp(buf, "/proc/sys"));
	uk_syscall_r_close(fd, 0, 0, 0, 0, 0);
	/* exe and cmdline: what the loader recorded; NUL after each arg. */
	const char *old_exe = uk_process_exe();
	char *const *old_argv = uk_process_argv();
	char *argv[] = { "prog", "-x", "", NULL };
	uk_process_set_exe("/bin/prog", argv);
	UK_TEST_EQ(readlink_at("/proc/self/exe", buf, sizeof(buf)), 9);
	UK_TEST_EXPECT(!strcmp(buf, "/bin/prog"));
	UK_TEST_EQ(slurp("/proc/self/cmdline"), 9);
	UK_TEST_EXPECT(!memcmp(text, "prog\0-x\0\0", 9));
	uk_process_set_exe(old_exe, old_argv);
	/* /proc/self is /proc/1. */
	struct uk_vnode *a, *b;
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, "/proc/self/", UK_LOOKUP_FOLLOW, &a), 0);
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, "/proc/1", UK_LOOKUP_FOLLOW, &b), 0);
	UK_TEST_EXPECT(S_ISDIR(a->mode) && a->ino == b->ino);
	uk_vnode_put(a);
	uk_vnode_put(b);
	UK_TEST_EQ(a->mount->magic, PROC_SUPER_MAGIC);
}

UK_TESTCASE(procfs, maps)
{
	long a = uk_mm_mmap(0x3100000000L, 3 * PAGE_SIZE, PROT_READ | PROT_EXEC,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	UK_TEST_EQ(a, 0x3100000000L);
	uk_mm_mprotect(a + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE);
	UK_TEST_EXPECT(slurp("/proc/self/maps") > 0);
	/* Linux: lower-case hex, no 0x, offset 8 digits, dev 00:00 and
	 * inode 0 for anonymous memory, then a space; split by mprotect. */
	UK_TEST_EXPECT(line_is("3100000000-3100001000 r-xp 00000000 00:00 0 \n"));
	UK_TEST_EXPECT(line_is("3100001000-3100002000 rw-p 00000000 00:00 0 \n"));
	UK_TEST_EXPECT(line_is("3100002000-3100003000 r-xp 00000000 00:00 0 \n"));
	uk_mm_munmap(a, 3 * PAGE_SIZE);
	slurp("/proc/self/maps");
	UK_TEST_EXPECT(!line_of("3100000000-"));
}

UK_TESTCASE(procfs, status_stat_comm)
{
	char saved[16];
	uk_syscall_r_prctl(16 /* PR_GET_NAME */, (long)saved, 0, 0, 0, 0);
	uk_syscall_r_prctl(15 /* PR_SET_NAME */, (long)uk_test_ustr("uktest-comm"), 0, 0, 0, 0);
	long m = uk_mm_mmap(0, 4 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	UK_TEST_EXPECT(slurp("/proc/self/status") > 0);
	UK_TEST_EXPECT(line_is("Name:\tuktest-comm\n"));
	UK_TEST_EXPECT(line_is("Pid:\t1\n"));
	UK_TEST_EXPECT(line_is("PPid:\t0\n"));
	UK_TEST_EXPECT(line_is("Uid:\t0\t0\t0\t0\n"));
	long vmsize_kb = number_of("VmSize:", " kB\n");
	UK_TEST_EXPECT(vmsize_kb >= 16);	/* the 4 pages above at least */
	UK_TEST_EQ(slurp("/proc/self/comm"), 12);
	UK_TEST_EXPECT(!strcmp(text, "uktest-comm\n"));
	/* stat: pid (comm) state ppid pgrp session ...; vsize, field 23,
	 * in bytes is VmSize. */
	UK_TEST_EXPECT(slurp("/proc/self/stat") > 0);
	UK_TEST_EXPECT(!strncmp(text, "1 (uktest-comm) R ", 18));
	static char w[60][32];
	int n = words(text, w, 60);
	UK_TEST_EQ(n, 52);	/* Linux 6.1's count */
	UK_TEST_EXPECT(!strcmp(w[37], "17"));	/* exit_signal: SIGCHLD */
	UK_TEST_EXPECT(!strcmp(w[3], "0") && !strcmp(w[4], "1") && !strcmp(w[5], "1"));
	UK_TEST_EQ(strtoul(w[22], NULL, 10), vmsize_kb * 1024);
	uk_mm_munmap(m, 4 * PAGE_SIZE);
	uk_syscall_r_prctl(15, (long)saved, 0, 0, 0, 0);
}

UK_TESTCASE(procfs, limits)
{
	struct rlimit64 old, lim = { 100, 200 };
	uk_syscall_r_getrlimit(RLIMIT_NOFILE, (long)&old, 0, 0, 0, 0);
	UK_TEST_EQ(uk_syscall_r_setrlimit(RLIMIT_NOFILE, (long)&lim, 0, 0, 0, 0), 0);
	UK_TEST_EXPECT(slurp("/proc/self/limits") > 0);
	uk_syscall_r_setrlimit(RLIMIT_NOFILE, (long)&old, 0, 0, 0, 0);
	/* Linux's proc_pid_limits: "%-25s %-20s %-20s %-10s\n". */
	UK_TEST_EXPECT(line_is("Limit                     Soft Limit           "
			       "Hard Limit           Units     \n"));
	UK_TEST_EXPECT(line_is("Max open files            100                  "
			       "200                  files     \n"));
	UK_TEST_EXPECT(line_is("Max core file size        0                    "
			       "unlimited            bytes     \n"));
	/* No unit: the line ends after the hard limit's padding. */
	UK_TEST_EXPECT(line_is("Max nice priority         0                    "
			       "0                    \n"));
	int lines = 0;
	for (const char *p = text; (p = strchr(p, '\n')); p++)
		lines++;
	UK_TEST_EQ(lines, 1 + RLIM_NLIMITS);
}

UK_TESTCASE(procfs, system_files)
{
	UK_TEST_EXPECT(slurp("/proc/meminfo") > 0);
	long total = number_of("MemTotal:", " kB\n"), free_kb = number_of("MemFree:", " kB\n");
	UK_TEST_EXPECT(total > 0 && free_kb >= 0 && free_kb <= total);
	UK_TEST_EQ(total, uk_pmem_total_pages() * (PAGE_SIZE / 1024));
	/* "MemTotal:" then the number right-aligned to column 24. */
	const char *l = line_of("MemTotal:");
	UK_TEST_EXPECT(l && strstr(l, " kB\n") == l + 24);
	/* uptime: seconds with two decimals, twice ("12.34 10.01\n"). */
	UK_TEST_EXPECT(slurp("/proc/uptime") > 0);
	char *e;
	strtoul(text, &e, 10);
	UK_TEST_EXPECT(e > text && e[0] == '.' && e[3] == ' ');
	strtoul(e + 4, &e, 10);
	UK_TEST_EXPECT(e[0] == '.' && e[3] == '\n' && e[4] == 0);
	UK_TEST_EXPECT(slurp("/proc/version") > 0);
	UK_TEST_EXPECT(!strncmp(text, "Linux version ", 14));
	/* osrelease and ostype agree with uname. */
	struct new_utsname u;
	uk_syscall_r_uname((long)&u, 0, 0, 0, 0, 0);
	char want[80];
	snprintf(want, sizeof(want), "%s\n", u.release);
	UK_TEST_EXPECT(slurp("/proc/sys/kernel/osrelease") > 0 && !strcmp(text, want));
	UK_TEST_EXPECT(slurp("/proc/sys/kernel/ostype") > 0 && !strcmp(text, "Linux\n"));
	/* filesystems: "nodev\t<name>" lines. */
	UK_TEST_EXPECT(slurp("/proc/filesystems") > 0);
	UK_TEST_EXPECT(line_is("nodev\tproc\n"));
	UK_TEST_EXPECT(line_is("nodev\tramfs\n"));
	/* mounts: six fields; /proc, /dev and / are there. */
	UK_TEST_EXPECT(slurp("/proc/mounts") > 0);
	int root = 0, proc = 0, dev = 0, bad = 0;
	for (char *p = text; *p; ) {
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = 0;
		char w[7][32];
		if (words(p, w, 7) != 6 || strcmp(w[4], "0") || strcmp(w[5], "0"))
			bad++;
		root += !strcmp(w[1], "/");
		proc += !strcmp(w[1], "/proc") && !strcmp(w[2], "proc");
		dev += !strcmp(w[1], "/dev") && !strcmp(w[2], "devtmpfs");
		p = nl + 1;
	}
	UK_TEST_EQ(bad, 0);
	UK_TEST_EQ(root, 1);
	UK_TEST_EQ(proc, 1);
	UK_TEST_EQ(dev, 1);
	/* Read-only files, and no new ones. */
	struct uk_file *f;
	UK_TEST_EXPECT(uk_vfs_open(AT_FDCWD, "/proc/version", O_WRONLY, 0, &f) < 0);
	UK_TEST_EXPECT(uk_vfs_open(AT_FDCWD, "/proc/uktest", O_CREAT | O_RDWR, 0600, &f) < 0);
	UK_TEST_EQ(slurp("/proc/none"), -ENOENT);
}
