/* Sockets, until a network stack and AF_UNIX land: every family is
 * unsupported, which programs handle (name service lookups, for one). */
#include <errno.h>
#include <uk/syscall.h>

UK_SYSCALL_R_DEFINE(int, socket, int, family, int, type, int, protocol)
{
	(void)family, (void)type, (void)protocol;
	return -EAFNOSUPPORT;
}

UK_SYSCALL_R_DEFINE(int, socketpair, int, family, int, type, int, protocol,
		    int *, sv)
{
	(void)family, (void)type, (void)protocol, (void)sv;
	return -EAFNOSUPPORT;
}
