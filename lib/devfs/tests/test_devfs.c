/* devfs: /dev as Linux (devtmpfs with udev's links) has it: the memory
 * devices with their major:minor numbers and behaviour, the console
 * devices, the /dev/std* and /dev/fd links, and the listing. */
#include <errno.h>
#include <string.h>
#include <linux/fcntl.h>
#include <linux/magic.h>
#include <uk/vfs.h>
#include <uk/test.h>

#define DEV(maj, min) (((maj) << 8) | (min))	/* Linux's old_encode_dev */

static int stat_path(const char *path, int follow, struct stat *st)
{
	struct uk_vnode *vn;
	int rc = uk_vfs_lookup(AT_FDCWD, path, follow ? UK_LOOKUP_FOLLOW : 0, &vn);
	if (rc)
		return rc;
	uk_vnode_stat(vn, st);
	uk_vnode_put(vn);
	return 0;
}

UK_TESTCASE(devfs, device_numbers)
{
	static const struct {
		const char *path;
		unsigned maj, min, perm;
	} devs[] = {
		{ "/dev/null", 1, 3, 0666 }, { "/dev/zero", 1, 5, 0666 },
		{ "/dev/full", 1, 7, 0666 }, { "/dev/random", 1, 8, 0666 },
		{ "/dev/urandom", 1, 9, 0666 }, { "/dev/tty", 5, 0, 0 },
		{ "/dev/console", 5, 1, 0 },
	};
	struct stat st;
	for (unsigned i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		memset(&st, 0, sizeof(st));
		UK_TEST_EQ(stat_path(devs[i].path, 1, &st), 0);
		UK_TEST_EXPECT(S_ISCHR(st.st_mode));
		UK_TEST_EQ(st.st_rdev, DEV(devs[i].maj, devs[i].min));
		if (devs[i].perm)
			UK_TEST_EQ(st.st_mode & 07777, devs[i].perm);
	}
	UK_TEST_EQ(stat_path("/dev/nonexistent", 1, &st), -ENOENT);
	/* devtmpfs says it is a tmpfs. */
	struct uk_vnode *dev;
	int rc = uk_vfs_lookup(AT_FDCWD, "/dev", UK_LOOKUP_FOLLOW, &dev);
	UK_TEST_EQ(rc, 0);
	if (rc)
		return;
	UK_TEST_EQ(dev->mount->magic, TMPFS_MAGIC);
	UK_TEST_EXPECT(!strcmp(dev->mount->fstype, "devtmpfs"));
	UK_TEST_EXPECT(S_ISDIR(dev->mode));
	uk_vnode_put(dev);
}

/* Opens path into f, or records the failure and ends the test. */
#define OPEN(path, flags)                                                    \
	do {                                                                 \
		int __rc = uk_vfs_open(AT_FDCWD, path, flags, 0, &f);        \
		UK_TEST_EQ(__rc, 0);                                         \
		if (__rc)                                                    \
			return;                                              \
	} while (0)

UK_TESTCASE(devfs, memory_devices)
{
	struct uk_file *f;
	char buf[64], zeros[64] = { 0 };
	/* null: end of file on read, swallows writes; O_TRUNC is fine. */
	OPEN("/dev/null", O_RDWR | O_TRUNC);
	UK_TEST_EQ(uk_file_read(f, buf, sizeof(buf), 0, 1), 0);
	UK_TEST_EQ(uk_file_write(f, "hello", 5, 0, 1), 5);
	uk_file_put(f);
	/* zero: zeroes, as many as asked. */
	OPEN("/dev/zero", O_RDWR);
	memset(buf, 0xff, sizeof(buf));
	UK_TEST_EQ(uk_file_read(f, buf, sizeof(buf), 0, 1), sizeof(buf));
	UK_TEST_EXPECT(!memcmp(buf, zeros, sizeof(buf)));
	UK_TEST_EQ(uk_file_write(f, "x", 1, 0, 1), 1);
	uk_file_put(f);
	/* full: reads zeroes, every write fails with ENOSPC. */
	OPEN("/dev/full", O_RDWR);
	memset(buf, 0xff, sizeof(buf));
	UK_TEST_EQ(uk_file_read(f, buf, 16, 0, 1), 16);
	UK_TEST_EXPECT(!memcmp(buf, zeros, 16));
	UK_TEST_EQ(uk_file_write(f, "x", 1, 0, 1), -ENOSPC);
	uk_file_put(f);
	/* urandom and random: full reads, different each time. */
	char a[32], b[32];
	const char *rnd[2] = { "/dev/urandom", "/dev/random" };
	for (int i = 0; i < 2; i++) {
		OPEN(rnd[i], O_RDONLY);
		UK_TEST_EQ(uk_file_read(f, a, sizeof(a), 0, 1), sizeof(a));
		UK_TEST_EQ(uk_file_read(f, b, sizeof(b), 0, 1), sizeof(b));
		UK_TEST_EXPECT(memcmp(a, b, sizeof(a)));
		UK_TEST_EXPECT(memcmp(a, zeros, sizeof(a)));
		uk_file_put(f);
	}
}

UK_TESTCASE(devfs, links)
{
	static const struct {
		const char *name, *target;
	} links[] = {
		{ "/dev/stdin", "/proc/self/fd/0" }, { "/dev/stdout", "/proc/self/fd/1" },
		{ "/dev/stderr", "/proc/self/fd/2" }, { "/dev/fd", "/proc/self/fd" },
	};
	for (unsigned i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		struct uk_vnode *vn;
		char buf[64];
		int rc = uk_vfs_lookup(AT_FDCWD, links[i].name, 0, &vn);
		UK_TEST_EQ(rc, 0);
		if (rc)
			continue;
		UK_TEST_EXPECT(S_ISLNK(vn->mode));
		size_t len = strlen(links[i].target);
		UK_TEST_EQ(vn->ops->readlink(vn, buf, sizeof(buf)), len);
		UK_TEST_EXPECT(!memcmp(buf, links[i].target, len));
		/* A symlink's size is its target's length. */
		UK_TEST_EQ(vn->size, len);
		uk_vnode_put(vn);
	}
}

struct listing {
	int dot, dotdot, null, tty, fd;
	unsigned char null_type, fd_type, dot_type;
};

static int fill(void *ctx, const char *name, size_t len, uint64_t ino, unsigned char type)
{
	struct listing *l = ctx;
	(void)ino;
	if (len == 1 && !memcmp(name, ".", 1))
		l->dot++, l->dot_type = type;
	else if (len == 2 && !memcmp(name, "..", 2))
		l->dotdot++;
	else if (len == 4 && !memcmp(name, "null", 4))
		l->null++, l->null_type = type;
	else if (len == 3 && !memcmp(name, "tty", 3))
		l->tty++;
	else if (len == 2 && !memcmp(name, "fd", 2))
		l->fd++, l->fd_type = type;
	return 0;
}

UK_TESTCASE(devfs, listing)
{
	struct uk_vnode *dev;
	struct listing l;
	uint64_t pos = 0;
	memset(&l, 0, sizeof(l));
	int rc = uk_vfs_lookup(AT_FDCWD, "/dev", UK_LOOKUP_FOLLOW, &dev);
	UK_TEST_EQ(rc, 0);
	if (rc)
		return;
	UK_TEST_EQ(dev->ops->readdir(dev, &pos, fill, &l), 0);
	uk_vnode_put(dev);
	UK_TEST_EQ(l.dot, 1);
	UK_TEST_EQ(l.dotdot, 1);
	UK_TEST_EQ(l.null, 1);
	UK_TEST_EQ(l.tty, 1);
	UK_TEST_EQ(l.fd, 1);
	/* d_type: DT_DIR 4, DT_CHR 2, DT_LNK 10. */
	UK_TEST_EQ(l.dot_type, 4);
	UK_TEST_EQ(l.null_type, 2);
	UK_TEST_EQ(l.fd_type, 10);
}
