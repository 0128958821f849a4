/* arch_prctl: FS and GS belong to the application (its TLS); the kernel
 * keeps none of its own there, so setting them is a plain MSR write. */
#include <errno.h>
#include <asm/prctl.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>

UK_SYSCALL_R_DEFINE(int, arch_prctl, int, code, unsigned long, addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		ukplat_set_fs_base(addr);
		return 0;
	case ARCH_GET_FS:
		return uk_put_user(ukplat_get_fs_base(), (unsigned long *)addr);
	case ARCH_SET_GS:
		if (addr >= USER_TOP)
			return -EPERM;
		ukplat_set_gs_base(addr);
		return 0;
	case ARCH_GET_GS:
		return uk_put_user(ukplat_get_gs_base(), (unsigned long *)addr);
	case ARCH_GET_CPUID:
		return 1;
	default:
		return -EINVAL;
	}
}
