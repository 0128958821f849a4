/* mmap's limits as Linux's defaults set them: one private writable
 * mapping larger than RAM and swap (1 TiB here) fails with ENOMEM under
 * the overcommit heuristic, but not with MAP_NORESERVE, nor read-only;
 * RLIMIT_AS bounds the whole address space (ENOMEM past it, and mmap
 * works again under it). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

static void try(const char *what, size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (p == MAP_FAILED) {
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	printf("%s: mapped\n", what);
	munmap(p, len);
}

int main(void)
{
	size_t tib = 1UL << 40;
	try("1 TiB private writable", tib, PROT_READ | PROT_WRITE, 0);
	try("1 TiB private writable, MAP_NORESERVE", tib, PROT_READ | PROT_WRITE, MAP_NORESERVE);
	try("1 TiB read-only", tib, PROT_READ, 0);
	void *s = mmap(NULL, tib, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	printf("1 TiB shared anonymous: %s\n", s == MAP_FAILED ? strerror(errno) : "mapped");
	struct rlimit as = { 256UL << 20, 256UL << 20 };
	if (setrlimit(RLIMIT_AS, &as)) {
		perror("setrlimit");
		return 1;
	}
	try("512 MiB under RLIMIT_AS 256 MiB", 512UL << 20, PROT_READ, MAP_NORESERVE);
	try("1 MiB under RLIMIT_AS 256 MiB", 1UL << 20, PROT_READ | PROT_WRITE, 0);
	return 0;
}
