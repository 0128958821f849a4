/* nolibc: Linux errno values and the kernel's single errno (used only by
 * third-party code; kernel functions return -errno instead). */
#pragma once
#include <asm-generic/errno.h>
extern int errno;
