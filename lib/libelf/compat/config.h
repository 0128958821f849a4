/* Hand-written stand-in for the config.h that elfutils' configure would
 * generate; holds only what libelf reads, for a freestanding x86_64 kernel. */
#pragma once

#define PACKAGE_NAME "elfutils"
#define PACKAGE_VERSION "0.188"
#define PACKAGE_URL "http://elfutils.org/"
#define PACKAGE_BUGREPORT "https://sourceware.org/bugzilla"

/* GCC features that configure would detect. */
#define HAVE_VISIBILITY 1
#define HAVE_GCC_STRUCT 1
#define HAVE_FALLTHROUGH 1

/* system.h wants error.h; compat/error.h only declares error(). */
#define HAVE_ERROR_H 1

/* 0: system.h then supplies mempcpy, reallocarray and powerof2 itself and
 * elf_strptr scans without memrchr, so
 * libelf does not rely on the kernel's C library for them. */
#define HAVE_DECL_MEMPCPY 0
#define HAVE_DECL_POWEROF2 0
#define HAVE_DECL_REALLOCARRAY 0
#define HAVE_DECL_MEMRCHR 0

/* C library functions that libelf's archive parsing calls but nolibc lacks;
 * lib/libelf/glue.c defines them. Declared here because config.h comes
 * before any use in every libelf source. */
#include <stddef.h>
void *memccpy(void *restrict dest, const void *restrict src, int c, size_t n);
long atol(const char *s);
long long atoll(const char *s);

/* USE_LOCKS stays undefined: the kernel runs libelf single-threaded, and
 * the lock macros then expand to nothing (no pthread dependency). */

/* As configure's config.h does: the compiler and locking macros. */
#include <eu-config.h>
