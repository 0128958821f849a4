/* In-kernel unit tests: UK_TESTCASE(suite, name) { ... } registers a
 * test; UK_TEST_EXPECT(cond) records a failure (with its line) and goes
 * on; UK_TEST_EQ(a, b) compares two integers. */
#pragma once

struct uk_testcase {
	const char *suite, *name;
	void (*fn)(int *failures);
};

void uk_test_fail(int *failures, const char *expr, const char *file, int line,
		  long a, long b);

/* Tests run on a stack in the program's half of the address space, so
 * their locals can be system-call arguments (which must be the
 * program's memory). For the rest: n zeroed bytes of program memory, or
 * a copy of a string there; both last until the test ends. */
void *uk_test_umem(unsigned long n);
char *uk_test_ustr(const char *s);

#define UK_TESTCASE(suite, name)                                             \
	static void __uk_test_##suite##_##name(int *__uk_failures);         \
	static const struct uk_testcase __uk_testcase_##suite##_##name      \
		__attribute__((used, section(".uk_testtab"), aligned(8))) = { \
		#suite, #name, __uk_test_##suite##_##name };                 \
	static void __uk_test_##suite##_##name(int *__uk_failures)

#define UK_TEST_EXPECT(cond)                                                 \
	((cond) ? (void)0 :                                                  \
	 uk_test_fail(__uk_failures, #cond, __FILE__, __LINE__, 0, 0))
#define UK_TEST_EQ(a, b)                                                     \
	do {                                                                 \
		long __a = (long)(a), __b = (long)(b);                       \
		if (__a != __b)                                              \
			uk_test_fail(__uk_failures, #a " == " #b, __FILE__,  \
				     __LINE__, __a, __b);                    \
	} while (0)
