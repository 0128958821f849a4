/* Shared by the libFuzzer targets: invariants, and inputs that hold
 * several files. */
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sanitizer/common_interface_defs.h>

/* An invariant that must hold for any input. A failure traps, so libFuzzer
 * keeps the input as a crash; the message goes where the sanitizers'
 * reports go (libFuzzer's -close_fd_mask discards stderr). */
#define REQUIRE(c)							\
	do {								\
		if (!(c)) {						\
			char m_[256];					\
			snprintf(m_, sizeof m_, "invariant failed: %s (%s:%d)", \
				 #c, __FILE__, __LINE__);		\
			__sanitizer_report_error_summary(m_);		\
			__builtin_trap();				\
		}							\
	} while (0)

/* Several files in one input: each is "@@FILE NAME\n" and its bytes, up
 * to the next "\n@@FILE " or the end (tests/hostfuzz/hostfuzz.mk packs
 * the seeds so). */
#define FUZZ_HDR "@@FILE "
#define FUZZ_SEP "\n" FUZZ_HDR

struct fuzz_file {
	const char *name;
	size_t namelen;
	const uint8_t *data;
	size_t len;
};

/* The first "\n@@FILE " in [p, end), or end. */
static inline const uint8_t *fuzz_find_sep(const uint8_t *p, const uint8_t *end)
{
	while ((p = memchr(p, '\n', (size_t)(end - p))) &&
	       ((size_t)(end - p) < sizeof FUZZ_SEP - 1 || memcmp(p, FUZZ_SEP, sizeof FUZZ_SEP - 1)))
		p++;
	return p ? p : end;
}

/* The file that starts at *p, moving *p past it; 0 when none does. */
static inline int fuzz_next_file(const uint8_t **p, const uint8_t *end, struct fuzz_file *f)
{
	const uint8_t *at = *p, *nl, *next;

	if ((size_t)(end - at) < sizeof FUZZ_HDR - 1 || memcmp(at, FUZZ_HDR, sizeof FUZZ_HDR - 1))
		return 0;
	f->name = (const char *)at + sizeof FUZZ_HDR - 1;
	nl = memchr(f->name, '\n', (size_t)(end - (const uint8_t *)f->name));
	if (!nl)
		return 0;
	f->namelen = (size_t)(nl - (const uint8_t *)f->name);
	/* An empty file's newline may begin the next one's separator. */
	next = fuzz_find_sep(nl, end);
	f->data = next > nl ? nl + 1 : nl;
	f->len = (size_t)(next - f->data);
	*p = next < end ? next + 1 : end;
	return 1;
}
