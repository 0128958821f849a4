/* lwIP's compiler and platform glue for the kernel (freestanding C11,
 * nolibc). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_UNISTD_H 1
#define X8_F  "02x"
#define U16_F "hu"
#define S16_F "hd"
#define X16_F "hx"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

uint32_t uk_lwip_rand(void);
#define LWIP_RAND() uk_lwip_rand()

#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
void uk_lwip_assert(const char *msg, int line, const char *file);
#define LWIP_PLATFORM_ASSERT(x) uk_lwip_assert((x), __LINE__, __FILE__)

