/* Zycore's libc abstraction (Zycore/LibC.h) mapped to the kernel's own
 * functions; force-included into the Zydis sources with ZYAN_CUSTOM_LIBC
 * so that Zycore/LibC.h leaves these definitions alone. */
#pragma once
#include <string.h>

typedef __builtin_va_list ZyanVAList;
#define ZYAN_VA_START(v, l)	__builtin_va_start(v, l)
#define ZYAN_VA_END(v)		__builtin_va_end(v)
#define ZYAN_VA_ARG(v, l)	__builtin_va_arg(v, l)
#define ZYAN_VA_COPY(d, s)	__builtin_va_copy(d, s)

#define ZYAN_MEMCHR	memchr
#define ZYAN_MEMCMP	memcmp
#define ZYAN_MEMCPY	memcpy
#define ZYAN_MEMMOVE	memmove
#define ZYAN_MEMSET	memset
#define ZYAN_STRCHR	strchr
#define ZYAN_STRCMP	strcmp
#define ZYAN_STRCPY	strcpy
#define ZYAN_STRCSPN	strcspn
#define ZYAN_STRLEN	strlen
#define ZYAN_STRNCMP	strncmp
#define ZYAN_STRNCPY	strncpy
#define ZYAN_STRRCHR	strrchr
#define ZYAN_STRSPN	strspn
#define ZYAN_STRSTR	strstr
