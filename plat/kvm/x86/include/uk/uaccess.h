/* Kernel access to program memory. Every read or write of memory a
 * program named goes through these: they check that the range lies in the
 * program's half of the address space and recover from a fault there
 * (nothing mapped, or a write to a read-only page) with -EFAULT, through
 * the exception table (the faulting instruction's fixup), as Linux's
 * uaccess does. A fault in kernel code anywhere else is a kernel bug. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <uk/plat/layout.h>

/* Whether [p, p + n) lies below USER_TOP (n == 0 included). */
static inline int uk_user_range_ok(const void *p, size_t n)
{
	unsigned long a = (unsigned long)p;
	return a <= USER_TOP && n <= USER_TOP - a;
}

/* The copy loops (plat/kvm/x86/uaccess.S): the number of bytes NOT
 * copied, 0 when all were. */
size_t ukplat_uaccess_copy(void *dst, const void *src, size_t n);
size_t ukplat_uaccess_clear(void *dst, size_t n);
/* Bytes of src before its NUL, n when none in the first n, or -1 on a
 * fault; copies them and the NUL (if found) to dst. */
long ukplat_uaccess_strncpy(char *dst, const char *src, size_t n);

static inline int uk_copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!uk_user_range_ok(usrc, n))
		return -EFAULT;
	return ukplat_uaccess_copy(dst, usrc, n) ? -EFAULT : 0;
}

static inline int uk_copy_to_user(void *udst, const void *src, size_t n)
{
	if (!uk_user_range_ok(udst, n))
		return -EFAULT;
	return ukplat_uaccess_copy(udst, src, n) ? -EFAULT : 0;
}

static inline int uk_clear_user(void *udst, size_t n)
{
	if (!uk_user_range_ok(udst, n))
		return -EFAULT;
	return ukplat_uaccess_clear(udst, n) ? -EFAULT : 0;
}

/* For the data paths (read, write, sockets, pipes) that serve both the
 * program, whose pointer the system call has checked with
 * uk_user_range_ok, and the kernel's own callers with kernel buffers:
 * which side is program memory is told by its address. */
static inline int uk_copy_out(void *dst, const void *src, size_t n)
{
	if ((unsigned long)dst < USER_TOP)
		return uk_copy_to_user(dst, src, n);
	__builtin_memcpy(dst, src, n);
	return 0;
}

static inline int uk_copy_in(void *dst, const void *src, size_t n)
{
	if ((unsigned long)src < USER_TOP)
		return uk_copy_from_user(dst, src, n);
	__builtin_memcpy(dst, src, n);
	return 0;
}

/* The same for the data paths that report a short count (read and write
 * return the bytes done before a fault, as Linux's do): how many of the n
 * bytes were copied, or cleared, before the first that faulted. */
static inline size_t uk_copy_out_part(void *dst, const void *src, size_t n)
{
	if ((unsigned long)dst >= USER_TOP) {
		__builtin_memcpy(dst, src, n);
		return n;
	}
	return uk_user_range_ok(dst, n) ? n - ukplat_uaccess_copy(dst, src, n) : 0;
}

static inline size_t uk_copy_in_part(void *dst, const void *src, size_t n)
{
	if ((unsigned long)src >= USER_TOP) {
		__builtin_memcpy(dst, src, n);
		return n;
	}
	return uk_user_range_ok(src, n) ? n - ukplat_uaccess_copy(dst, src, n) : 0;
}

static inline size_t uk_clear_out_part(void *dst, size_t n)
{
	if ((unsigned long)dst >= USER_TOP) {
		__builtin_memset(dst, 0, n);
		return n;
	}
	return uk_user_range_ok(dst, n) ? n - ukplat_uaccess_clear(dst, n) : 0;
}

/* How many bytes from p on are there to read (at most n), found by
 * touching each page through the helpers, which map what is legitimately
 * there: for code outside the kernel's own (lwIP's tcp_write) that copies
 * from the program's memory itself. Nothing can unmap the pages before
 * that copy: one CPU, and kernel code is not preempted. Kernel memory
 * counts as all there. */
static inline size_t uk_user_readable(const void *p, size_t n)
{
	unsigned long a = (unsigned long)p;
	if (a >= USER_TOP)
		return n;
	if (n > USER_TOP - a)
		n = USER_TOP - a;
	for (unsigned long at = a; at < a + n; at = (at | (PAGE_SIZE - 1)) + 1) {
		char c;
		if (ukplat_uaccess_copy(&c, (const void *)at, 1))
			return at - a;
	}
	return n;
}

/* Copies a NUL-terminated string of at most len - 1 bytes: its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL comes within len bytes (dst is
 * then not terminated). */
static inline long uk_strncpy_from_user(char *dst, const char *usrc, size_t len)
{
	if ((unsigned long)usrc >= USER_TOP || !len)
		return -EFAULT;
	size_t room = USER_TOP - (unsigned long)usrc;
	size_t n = len < room ? len : room;
	long got = ukplat_uaccess_strncpy(dst, usrc, n);
	if (got < 0)
		return -EFAULT;
	if ((size_t)got == n)
		return n < len ? -EFAULT : -ENAMETOOLONG;
	return got;
}

/* A path argument: up to PATH_MAX bytes with its NUL, ENAMETOOLONG
 * beyond, ENOENT when empty (as Linux's getname). */
#define UK_PATH_MAX 4096
static inline long uk_path_from_user(char *dst, const char *upath)
{
	long n = uk_strncpy_from_user(dst, upath, UK_PATH_MAX);
	if (n == 0)
		return -ENOENT;
	return n;
}

/* Single values: uk_get_user(x, uptr) and uk_put_user(x, uptr), 0 or
 * -EFAULT; x takes *uptr's type. */
#define uk_get_user(x, uptr) ({						\
	union {								\
		__typeof__(*(uptr)) v;	/* may be const-qualified */	\
		unsigned char b[sizeof(*(uptr))];			\
	} __u;								\
	int __rc = uk_copy_from_user(__u.b, (uptr), sizeof(__u.b));	\
	if (!__rc)							\
		(x) = __u.v;						\
	__rc; })
#define uk_put_user(x, uptr) ({						\
	__typeof__(*(uptr)) __v = (x);					\
	uk_copy_to_user((uptr), &__v, sizeof(__v)); })

/* The fixup for a faulting kernel instruction at rip, or 0: the trap
 * handler resumes there. */
unsigned long ukplat_extable_fixup(unsigned long rip);
