/* The example system call of docs/adding-a-syscall.md: number 400 returns
 * the square of its argument. */
#include <uk/syscall.h>

#define __NR_square 400

UK_SYSCALL_R_DEFINE(long, square, long, x)
{
	return x * x;
}
