/* fcntl.h stand-in: elf_begin validates a descriptor with fcntl(F_GETFD);
 * lib/libelf/glue.c defines fcntl() as a stub that reports EBADF. */
#pragma once

#define F_GETFD 1
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2

/* Private name; see unistd.h. */
#define fcntl uk_libelf_fcntl
int fcntl(int fd, int cmd, ...);
