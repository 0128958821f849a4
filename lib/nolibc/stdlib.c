/* nolibc: number conversions, qsort, abort and assert. */
#include <stdlib.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <uk/plat.h>

int errno;

unsigned long long strtoull(const char *s, char **end, int base)
{
	unsigned long long v = 0;
	while (isspace(*s))
		s++;
	if (*s == '+')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] | 32) == 'x' &&
	    isxdigit(s[2])) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = *s == '0' ? 8 : 10;
	}
	for (;; s++) {
		int d;
		if (isdigit(*s))
			d = *s - '0';
		else if (isalpha(*s))
			d = (*s | 32) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end)
		*end = (char *)s;
	return v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

long long strtoll(const char *s, char **end, int base)
{
	while (isspace(*s))
		s++;
	if (*s == '-')
		return -(long long)strtoull(s + 1, end, base);
	return strtoull(s, end, base);
}

long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

int atoi(const char *s)
{
	return strtol(s, NULL, 10);
}

/* Insertion sort: the kernel sorts only short arrays. */
void qsort(void *base, size_t n, size_t size,
	   int (*cmp)(const void *, const void *))
{
	char *a = base;
	char tmp[256];
	if (size > sizeof(tmp))
		abort();
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		memcpy(tmp, a + i * size, size);
		while (j > 0 && cmp(a + (j - 1) * size, tmp) > 0) {
			memcpy(a + j * size, a + (j - 1) * size, size);
			j--;
		}
		memcpy(a + j * size, tmp, size);
	}
}

void abort(void)
{
	printf("kernel: abort() called\n");
	ukplat_backtrace(2, (unsigned long)__builtin_frame_address(0));
	ukplat_halt(134);
}

void __uk_assert_fail(const char *expr, const char *file, int line)
{
	printf("kernel: assertion failed: %s at %s:%d\n", expr, file, line);
	ukplat_backtrace(2, (unsigned long)__builtin_frame_address(0));
	ukplat_halt(134);
}

char *strerror(int errnum)
{
	static char buf[24];
	snprintf(buf, sizeof(buf), "error %d", errnum);
	return buf;
}
