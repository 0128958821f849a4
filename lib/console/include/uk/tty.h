/* The console tty: line discipline over the platform console. */
#pragma once
#include <stddef.h>
#include <sys/types.h>

struct uk_vnode;
/* Reads stdin through the line discipline; blocks unless nonblock. */
ssize_t uk_tty_read(char *buf, size_t len, int nonblock);
/* Whether a read would find input (or the end of it) now. */
int uk_tty_input_ready(void);
/* A console vnode whose wait queue should be woken when input comes. */
void uk_tty_add_poller(struct uk_vnode *vn);
/* Writes to the console: len, or -errno (a background group's write
 * under TOSTOP: its SIGTTOU first). */
ssize_t uk_tty_write(int stream, const char *buf, size_t len);
/* Opening console stream (3: /dev/tty): 0 or -ENXIO without a
 * controlling terminal. */
int uk_tty_open(int stream);
int uk_tty_ioctl(int fd, unsigned int cmd, unsigned long arg);
