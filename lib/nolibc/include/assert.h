/* nolibc: assertions that are never compiled out. */
#pragma once
void __attribute__((noreturn)) __uk_assert_fail(const char *expr,
						const char *file, int line);
#undef assert
#define assert(e) ((e) ? (void)0 : __uk_assert_fail(#e, __FILE__, __LINE__))
#define UK_ASSERT(e) assert(e)
