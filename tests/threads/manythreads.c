/*
 * 10,000 threads created and joined one after the other: the memory free
 * at the end (MemFree in /proc/meminfo) is within 64 KiB of what it was
 * after 100 threads of warm-up (glibc keeps a stack cache). In the guest
 * only: a busy host's MemFree moves by more than that on its own.
 * Prints "10000 threads: free memory back within 64 KiB" or the figures.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long memfree_kb(void)
{
	char b[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	b[n] = 0;
	char *p = strstr(b, "MemFree:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

static void *nothing(void *arg)
{
	return arg;
}

static int spawn_and_join(int n)
{
	for (int i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, nothing, NULL)) {
			printf("pthread_create failed at %d\n", i);
			return 1;
		}
		pthread_join(t, NULL);
	}
	return 0;
}

int main(void)
{
	if (spawn_and_join(100))
		return 1;
	long before = memfree_kb();
	if (spawn_and_join(10000))
		return 1;
	long after = memfree_kb();
	if (before < 0 || after < 0 || before - after > 64 || after - before > 64) {
		printf("10000 threads: free memory %ld KiB before, %ld KiB after\n", before, after);
		return 1;
	}
	printf("10000 threads: free memory back within 64 KiB\n");
	return 0;
}
