/* What libelf needs beyond nolibc: failing stand-ins for the file calls on
 * its file-descriptor paths (elf_memory never takes them), and for the
 * zlib-backed decompression of elf_compress.c, which is not built. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libelfP.h"

/* The kernel gives libelf no file descriptors, so every descriptor is bad:
 * elf_begin() then fails with ELF_E_INVALID_FILE instead of reading. */
int fcntl(int fd, int cmd, ...)
{
	(void)fd;
	(void)cmd;
	errno = EBADF;
	return -1;
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	(void)fd;
	(void)buf;
	(void)len;
	(void)off;
	errno = EBADF;
	return -1;
}

int fstat(int fd, struct stat *st)
{
	(void)fd;
	(void)st;
	errno = EBADF;
	return -1;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	(void)addr;
	(void)len;
	(void)prot;
	(void)flags;
	(void)fd;
	(void)off;
	errno = ENODEV;
	return MAP_FAILED;
}

/* elf_end() unmaps only what elf_begin() mapped, which mmap() above never
 * does; reaching this is a bug, but failing is the safe answer. */
int munmap(void *addr, size_t len)
{
	(void)addr;
	(void)len;
	errno = EINVAL;
	return -1;
}

/* Compressed sections (SHF_COMPRESSED) need zlib, which the kernel lacks:
 * elf_strptr() on such a string table fails as for an unknown scheme. */
void *internal_function
__libelf_decompress_elf(Elf_Scn *scn, size_t *size_out, size_t *addralign)
{
	(void)scn;
	(void)size_out;
	(void)addralign;
	__libelf_seterrno(ELF_E_UNKNOWN_COMPRESSION_TYPE);
	return NULL;
}

/* elf_begin() parses archive members (ar) with these. Weak, so that the
 * C library's own definitions win should nolibc ever gain them. */
__attribute__((weak)) void *memccpy(void *restrict dest,
				    const void *restrict src, int c, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
		if (s[i] == (unsigned char)c)
			return d + i + 1;
	}
	return NULL;
}

__attribute__((weak)) long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

__attribute__((weak)) long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
