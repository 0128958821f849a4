/* sys/mman.h stand-in: libelf maps files only on its file-descriptor paths,
 * never for elf_memory(); lib/libelf/glue.c stubs these to fail. */
#pragma once
#include <stddef.h>
#include <sys/types.h>

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FAILED ((void *)-1)
#define MS_ASYNC 1
#define MS_SYNC 4
#define MREMAP_MAYMOVE 1

/* Private names; see unistd.h. */
#define mmap uk_libelf_mmap
#define munmap uk_libelf_munmap

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int msync(void *addr, size_t len, int flags);
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...);
int posix_madvise(void *addr, size_t len, int advice);
