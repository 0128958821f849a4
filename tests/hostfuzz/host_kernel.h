/* Host builds of kernel code (host_kernel.c): what the fuzz targets call
 * besides the kernel's own interfaces. */
#pragma once

/* Frees every page block still allocated. */
void host_pfree_all(void);
