/* sys/param.h stand-in: lib/system.h includes it for MIN/MAX, which it
 * defines itself when missing; nothing else is needed. */
#pragma once
