/* sys/stat.h stand-in: libelf sizes a file with fstat() only on its
 * file-descriptor paths; lib/libelf/glue.c stubs fstat() to fail. The
 * layout is Linux x86_64's, though nothing here depends on it. */
#pragma once
#include <sys/types.h>

struct stat {
	dev_t st_dev;
	ino_t st_ino;
	nlink_t st_nlink;
	mode_t st_mode;
	uid_t st_uid;
	gid_t st_gid;
	int __pad0;
	dev_t st_rdev;
	off_t st_size;
	blksize_t st_blksize;
	blkcnt_t st_blocks;
	long st_atime_sec, st_atime_nsec;
	long st_mtime_sec, st_mtime_nsec;
	long st_ctime_sec, st_ctime_nsec;
	long __reserved[3];
};

#define S_IRWXU 0700
#define S_IRUSR 0400
#define S_IWUSR 0200
#define S_IXUSR 0100
#define S_IRWXG 070
#define S_IRGRP 040
#define S_IWGRP 020
#define S_IXGRP 010
#define S_IRWXO 07
#define S_IROTH 04
#define S_IWOTH 02
#define S_IXOTH 01
#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000

/* Private name; see unistd.h. */
#define fstat uk_libelf_fstat
int fstat(int fd, struct stat *st);
