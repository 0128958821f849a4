/* Boot-time init functions, registered where they live and run in order
 * of their level before the application starts. */
#pragma once

typedef int (*uk_init_fn)(void);
#define UK_INIT_LEVEL_EARLY 1
#define UK_INIT_LEVEL_LIB   5
#define UK_INIT_LEVEL_LATE  9

#define __UK_INIT_STR(x) #x
#define UK_INIT_AT(fn, level)                                              \
	static const uk_init_fn __uk_init_##fn __attribute__((used,         \
		section(".uk_inittab." __UK_INIT_STR(level)))) = fn

/* Runs every init function; one that fails stops the boot. */
void uk_run_inittab(void);
/* The application's main: the ELF loader. Returns the exit status. */
int uk_app_main(void);
