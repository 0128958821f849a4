/* config.h for building the guest's elfutils libelf sources on the host
 * (glibc) with sanitizers, for `make fuzz-libelf`; not used by the guest.
 */
#pragma once

#define PACKAGE_NAME "elfutils"
#define PACKAGE_VERSION "0.188"
#define PACKAGE_URL "http://elfutils.org/"
#define PACKAGE_BUGREPORT "https://sourceware.org/bugzilla"

#define HAVE_VISIBILITY 1
#define HAVE_GCC_STRUCT 1
#define HAVE_FALLTHROUGH 1
#define HAVE_ERROR_H 1

/* glibc declares all of these. */
#define HAVE_DECL_MEMPCPY 1
#define HAVE_DECL_POWEROF2 1
#define HAVE_DECL_REALLOCARRAY 1
#define HAVE_DECL_MEMRCHR 1
#define HAVE_DECL_RAWMEMCHR 1

#include <eu-config.h>
