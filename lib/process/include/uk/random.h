/* Kernel random bytes (for AT_RANDOM, getrandom, /dev/urandom). */
#pragma once
#include <stddef.h>

void uk_random_fill(void *buf, size_t len);
