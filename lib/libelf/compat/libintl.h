/* libintl stand-in: the kernel has no message catalogues, so libelf's
 * translated error strings are its English originals. */
#pragma once

#define gettext(s) (s)
#define dgettext(d, s) (s)
#define dcgettext(d, s, c) (s)
