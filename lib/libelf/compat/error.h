/* error.h stand-in: lib/system.h insists on an error() declaration, which
 * libelf itself never calls; nothing defines it, so a call fails to link. */
#pragma once

void error(int status, int errnum, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
