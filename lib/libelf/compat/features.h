/* features.h stand-in: glibc's feature-test header, which some sources
 * include for its side effects only; nothing is needed here. */
#pragma once
