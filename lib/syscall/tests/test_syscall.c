/* syscall: the table answers known calls and refuses unknown numbers. */
#include <errno.h>
#include <string.h>
#include <uk/syscall.h>
#include <uk/test.h>

long uk_syscall_r_getppid(long, long, long, long, long, long);

UK_TESTCASE(syscall, table)
{
	UK_TEST_EXPECT(!strcmp(uk_syscall_name(__NR_write), "write"));
	UK_TEST_EXPECT(!strcmp(uk_syscall_name(__NR_getppid), "getppid"));
	UK_TEST_EQ(uk_syscall_unknown(1000), -ENOSYS);
	UK_TEST_EQ(uk_syscall_r_getppid(0, 0, 0, 0, 0, 0), 0);
}
