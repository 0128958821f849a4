/* The names uname reports and a process's execution domain: sethostname
 * and setdomainname (CAP_SYS_ADMIN, at most 64 bytes, as Linux's UTS
 * namespace holds them; one guest, one namespace) and personality. */
#include <errno.h>
#include <string.h>
#include <linux/capability.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include <uk/process.h>

#define UTS_LEN 64

static char domainname[UTS_LEN + 1] = "(none)";

const char *uk_process_domainname(void)
{
	return domainname;
}

/* The name copied in whole before anything changes: a bad pointer leaves
 * the old one. */
static int set_name(char *dst, const char *uname, int len)
{
	char k[UTS_LEN + 1];
	if (!uk_cred_capable(&uk_proc()->cred, CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > UTS_LEN)
		return -EINVAL;
	if (uk_copy_from_user(k, uname, len))
		return -EFAULT;
	memcpy(dst, k, len);
	dst[len] = 0;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, sethostname, const char *, name, int, len)
{
	return set_name(uk_process_hostname_buf(), name, len);
}

UK_SYSCALL_R_DEFINE(int, setdomainname, const char *, name, int, len)
{
	return set_name(domainname, name, len);
}

/* The persona is recorded and inherited (fork copies the process, execve
 * keeps it); this kernel runs every persona as PER_LINUX, and lays out
 * memory the same way whatever ADDR_NO_RANDOMIZE says. 0xffffffff asks. */
UK_SYSCALL_R_DEFINE(int, personality, unsigned int, persona)
{
	struct uk_process *p = uk_proc();
	unsigned int old = p->personality;
	if (persona != 0xffffffff)
		p->personality = persona;
	return old;
}
