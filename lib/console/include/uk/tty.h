/* The console tty: line discipline over the platform console. */
#pragma once
#include <stddef.h>
#include <sys/types.h>

ssize_t uk_tty_read(char *buf, size_t len);
ssize_t uk_tty_write(int stream, const char *buf, size_t len);
int uk_tty_ioctl(int fd, unsigned int cmd, unsigned long arg);
