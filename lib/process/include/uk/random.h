/* Kernel random bytes (for AT_RANDOM, getrandom, /dev/urandom). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Fills buf (the kernel's, or the program's: then the bytes before a
 * fault); returns how many were filled. */
size_t uk_random_fill(void *buf, size_t len);
/* One ChaCha20 block (64 bytes, as 16 little-endian words) of the key
 * at a 64-bit block counter with a zero nonce: the generator's core. */
void uk_chacha20_block(const uint32_t key[8], uint64_t counter, uint32_t out[16]);
