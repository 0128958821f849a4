/* nolibc: formatting, strings and the heap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/test.h>

UK_TESTCASE(nolibc, snprintf)
{
	char buf[64];
	UK_TEST_EQ(snprintf(buf, sizeof(buf), "%d %u %x %s %5s|%-3d|%03d", -5, 7u, 255u,
			    "ab", "cd", 4, 9), 24);
	UK_TEST_EXPECT(!strcmp(buf, "-5 7 ff ab    cd|4  |009"));
	UK_TEST_EQ(snprintf(buf, 4, "%s", "truncated"), 9);
	UK_TEST_EXPECT(!strcmp(buf, "tru"));
	snprintf(buf, sizeof(buf), "%#lx %p", 0x10UL, (void *)0x20);
	UK_TEST_EXPECT(!strcmp(buf, "0x10 0x20"));
}

UK_TESTCASE(nolibc, strings)
{
	char buf[16];
	UK_TEST_EQ(strlen("hello"), 5);
	UK_TEST_EXPECT(strcmp("a", "b") < 0);
	UK_TEST_EQ(strncmp("abcd", "abcx", 3), 0);
	UK_TEST_EXPECT(strrchr("a/b/c", '/') != NULL);
	UK_TEST_EQ(strcspn("abc def", " "), 3);
	memcpy(buf, "0123456789", 11);
	memmove(buf + 2, buf, 5);
	UK_TEST_EXPECT(!memcmp(buf, "0101234789", 10));
	UK_TEST_EQ(strtoul("0x1f", NULL, 0), 31);
	UK_TEST_EQ(strtol("-42", NULL, 10), -42);
}

UK_TESTCASE(nolibc, heap)
{
	char *small = malloc(10), *big = malloc(100000);
	UK_TEST_EXPECT(small && big);
	memset(big, 1, 100000);
	char *grown = realloc(small, 5000);
	UK_TEST_EXPECT(grown != NULL);
	void *al = aligned_alloc(256, 100);
	UK_TEST_EQ((unsigned long)al & 255, 0);
	int *z = calloc(100, sizeof(int));
	int sum = 0;
	for (int i = 0; i < 100; i++)
		sum += z[i];
	UK_TEST_EQ(sum, 0);
	free(z), free(al), free(grown), free(big);
}
