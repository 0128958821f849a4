/* x86-64 disassembly for diagnostics (lib/zydis: Zydis built for the
 * guest). Only declared when CONFIG_LIBZYDIS is set. */
#pragma once
#include <stddef.h>

/* Decodes the 64-bit instruction at the start of code (len bytes there)
 * and writes it in Intel syntax to buf, with relative targets computed as
 * if it were at address ip. Returns its length (1..15), or 0 when the
 * bytes are not a valid instruction (or are cut short), buf then "(bad)".
 * *target (if target is not NULL) gets the address a relative branch or
 * call goes to, else 0. */
int uk_disasm(const void *code, size_t len, unsigned long ip, char *buf,
	      size_t buflen, unsigned long *target);
