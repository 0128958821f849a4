/* nolibc: formatted output. printf and the uk_pr_* macros write to the
 * kernel's log stream (the host's stderr). */
#pragma once
#include <stdarg.h>
#include <stddef.h>

typedef struct __uk_file FILE;
extern FILE *const stderr;
extern FILE *const stdout;

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sprintf(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int puts(const char *s);
