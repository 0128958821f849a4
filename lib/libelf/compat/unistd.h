/* unistd.h stand-in: declares the file calls that libelf makes only on its
 * file-descriptor paths; lib/libelf/glue.c defines them as failing stubs. */
#pragma once
#include <stddef.h>
#include <sys/types.h>

/* Renamed so that these always-failing stubs stay private to libelf and
 * never stand in for (or clash with) a kernel function of the same name. */
#define pread uk_libelf_pread

ssize_t read(int fd, void *buf, size_t len);
ssize_t write(int fd, const void *buf, size_t len);
ssize_t pread(int fd, void *buf, size_t len, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t len, off_t off);
int ftruncate(int fd, off_t len);
int close(int fd);
long sysconf(int name);

#define _SC_PAGESIZE 30
#define _SC_PAGE_SIZE _SC_PAGESIZE
