/* The "futex" case: futexes between processes. A futex on a MAP_SHARED
 * page wakes a waiter in another process, whether the two map it by one
 * fork-shared mapping or by mmaps of their own of one /dev/shm file at
 * different addresses; on a private (copy-on-write) page they stay each
 * process's own. The process-shared pthread objects built on them work
 * across fork: a mutex, a condition variable, a semaphore, and a robust
 * mutex whose owner died (EOWNERDEAD).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "proctest.h"

static long futex(uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

/* Wakes w until someone was there to wake (up to 5 s): how many. */
static long wake_one(uint32_t *w)
{
	for (int i = 0; i < 500; i++) {
		long n = futex(w, FUTEX_WAKE, 1, NULL);
		if (n)
			return n;
		usleep(10000);
	}
	return 0;
}

/* One wait on w (while it is 0); exit status: 0 when woken, 1 not. */
static int waiter(void *arg)
{
	uint32_t *w = arg;
	struct timespec ts = { 5, 0 };
	return futex(w, FUTEX_WAIT, 0, &ts) ? 1 : 0;
}

static int private_waiter(void *arg)
{
	uint32_t *w = arg;
	struct timespec ts = { 0, 300000000 };
	long r = futex(w, FUTEX_WAIT, 0, &ts);
	return r == -1 && errno == ETIMEDOUT ? 0 : 1;
}

/* Maps /dev/shm's file anew, at another address than the parent's. */
static int shm_waiter(void *arg)
{
	(void)arg;
	void *pad = mmap(NULL, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/dev/shm/proctest-futex", O_RDWR);
	uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd < 0 || w == MAP_FAILED || pad == MAP_FAILED)
		return 2;
	return waiter(w + 1);
}

struct shared {
	pthread_mutex_t m;
	pthread_cond_t c;
	sem_t s;
	pthread_mutex_t robust;
	int ready;
};

static int cond_waiter(void *arg)
{
	struct shared *sh = arg;
	pthread_mutex_lock(&sh->m);
	while (!sh->ready)
		pthread_cond_wait(&sh->c, &sh->m);
	pthread_mutex_unlock(&sh->m);
	return 0;
}

static int sem_waiter(void *arg)
{
	struct shared *sh = arg;
	return sem_wait(&sh->s) ? 1 : 0;
}

static int robust_owner(void *arg)
{
	struct shared *sh = arg;
	return pthread_mutex_lock(&sh->robust) ? 1 : 0;	/* and ends holding it */
}

int t_futex(void)
{
	uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	pid_t p = child(waiter, page);
	long n = wake_one(page);
	say("MAP_SHARED page: FUTEX_WAKE woke %ld; the child: %s", n, status_text(reap(p)));

	static uint32_t priv;
	p = child(private_waiter, &priv);
	usleep(100000);
	n = futex(&priv, FUTEX_WAKE, 1, NULL);
	say("private page: FUTEX_WAKE woke %ld; the child timed out: %s", n, status_text(reap(p)));

	int fd = shm_open("/proctest-futex", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096))
		return 1;
	uint32_t *mine = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	p = child(shm_waiter, NULL);
	n = wake_one(mine + 1);
	say("a /dev/shm file mapped apart: FUTEX_WAKE woke %ld; the child: %s", n,
	    status_text(reap(p)));
	shm_unlink("/proctest-futex");
	close(fd);

	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->m, &ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&sh->robust, &ma);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_cond_init(&sh->c, &ca);
	sem_init(&sh->s, 1, 0);

	pthread_mutex_lock(&sh->m);
	p = child(cond_waiter, sh);
	pthread_mutex_unlock(&sh->m);
	usleep(200000);
	pthread_mutex_lock(&sh->m);
	sh->ready = 1;
	pthread_cond_broadcast(&sh->c);
	pthread_mutex_unlock(&sh->m);
	say("process-shared mutex and condition variable: the child %s", status_text(reap(p)));
	p = child(sem_waiter, sh);
	usleep(200000);
	sem_post(&sh->s);
	say("process-shared semaphore: the child %s", status_text(reap(p)));
	say("robust mutex: its owner %s", status_text(reap(child(robust_owner, sh))));
	int r = pthread_mutex_lock(&sh->robust);
	say("robust mutex: lock after its owner died: %s", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
	pthread_mutex_consistent(&sh->robust);
	pthread_mutex_unlock(&sh->robust);
	return 0;
}
