/* vfs: path walk over the root ramfs: ".", "..", symlinks, loops, long
 * names, and descriptors. */
#include <errno.h>
#include <string.h>
#include <linux/fcntl.h>
#include <uk/vfs.h>
#include <uk/test.h>

static int mk(const char *path)
{
	struct uk_vnode *dir;
	const char *name;
	size_t len;
	int rc = uk_vfs_lookup_parent(AT_FDCWD, path, &dir, &name, &len);
	if (rc < 0)
		return rc;
	rc = dir->ops->mkdir(dir, name, len, S_IFDIR | 0755);
	uk_vnode_put(dir);
	return rc;
}

static int ln(const char *target, const char *path)
{
	struct uk_vnode *dir;
	const char *name;
	size_t len;
	int rc = uk_vfs_lookup_parent(AT_FDCWD, path, &dir, &name, &len);
	if (rc < 0)
		return rc;
	rc = dir->ops->symlink(dir, name, len, target);
	uk_vnode_put(dir);
	return rc;
}

UK_TESTCASE(vfs, walk)
{
	struct uk_vnode *a, *b;
	UK_TEST_EQ(mk("/uktest_vfs"), 0);
	UK_TEST_EQ(mk("/uktest_vfs/d"), 0);
	UK_TEST_EQ(ln("d", "/uktest_vfs/l"), 0);
	UK_TEST_EQ(ln("loop2", "/uktest_vfs/loop1"), 0);
	UK_TEST_EQ(ln("loop1", "/uktest_vfs/loop2"), 0);
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, "/uktest_vfs/./d/../d", UK_LOOKUP_FOLLOW, &a), 0);
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, "/uktest_vfs/l", UK_LOOKUP_FOLLOW, &b), 0);
	UK_TEST_EXPECT(a == b);
	uk_vnode_put(a);
	uk_vnode_put(b);
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, "/uktest_vfs/l", 0, &a), 0);
	UK_TEST_EXPECT(S_ISLNK(a->mode));
	uk_vnode_put(a);
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, "/uktest_vfs/loop1", UK_LOOKUP_FOLLOW, &a), -ELOOP);
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, "/uktest_vfs/none/x", 0, &a), -ENOENT);
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, "/..", UK_LOOKUP_FOLLOW, &a), 0);
	UK_TEST_EXPECT(a == uk_vfs_root());
	uk_vnode_put(a);
	char longname[300];
	memset(longname, 'x', sizeof(longname));
	longname[0] = '/';
	longname[299] = 0;
	UK_TEST_EQ(uk_vfs_lookup(AT_FDCWD, longname, 0, &a), -ENAMETOOLONG);
}

UK_TESTCASE(vfs, open_write_read)
{
	struct uk_file *f;
	char buf[8] = { 0 };
	UK_TEST_EQ(uk_vfs_open(AT_FDCWD, "/uktest_file", O_CREAT | O_RDWR, 0644, &f), 0);
	UK_TEST_EQ(uk_file_write(f, "hello", 5, 0, 1), 5);
	UK_TEST_EQ(uk_file_read(f, buf, sizeof(buf), 0, 0), 5);
	UK_TEST_EXPECT(!memcmp(buf, "hello", 5));
	int fd = uk_fd_install(f, 0, 1);
	UK_TEST_EXPECT(fd >= 3);
	UK_TEST_EQ(uk_fd_get_cloexec(fd), 1);
	UK_TEST_EQ(uk_fd_close(fd), 0);
	UK_TEST_EQ(uk_fd_close(fd), -EBADF);
	UK_TEST_EQ(uk_vfs_open(AT_FDCWD, "/uktest_file", O_CREAT | O_EXCL, 0644, &f), -EEXIST);
	UK_TEST_EQ(uk_vfs_open(AT_FDCWD, "/uktest_file/x", O_RDONLY, 0, &f), -ENOTDIR);
}
