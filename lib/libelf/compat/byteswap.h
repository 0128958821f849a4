/* byteswap.h stand-in: libelf byte-swaps the fields of foreign-endian ELF
 * files; GCC's builtins do this without a C library. */
#pragma once
#include <stdint.h>

#define bswap_16(x) __builtin_bswap16(x)
#define bswap_32(x) __builtin_bswap32(x)
#define bswap_64(x) __builtin_bswap64(x)
