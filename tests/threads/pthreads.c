/*
 * POSIX threads: creation and joins with return values, a mutex-protected
 * counter, a condition-variable bounded queue (producers and consumers), a
 * barrier, a reader-writer lock, __thread variables, pthread_once, thread-
 * specific data with destructors, and detached threads. Prints a
 * deterministic summary; exits 0 only when every check held.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NTHREADS 8
#define INCS 20000
#define ITEMS 400		/* per producer */
#define QCAP 8

static int failures;
#define CHECK(cond, ...)                                           \
	do {                                                       \
		if (!(cond)) {                                     \
			failures++;                                \
			printf("FAILED: " __VA_ARGS__);            \
			putchar('\n');                             \
		}                                                  \
	} while (0)

/* --- 1. joins and return values, __thread ----------------------------- */
static __thread int tls_id = -1;
static __thread char tls_buf[64];

static void *tls_worker(void *arg)
{
	intptr_t id = (intptr_t)arg;

	tls_id = (int)id;
	snprintf(tls_buf, sizeof tls_buf, "thread-%d", (int)id);
	for (int i = 0; i < 1000; i++) {
		if (i % 100 == 0)
			sched_yield();
		if (tls_id != (int)id)
			return (void *)(intptr_t)-1;
	}
	char want[64];
	snprintf(want, sizeof want, "thread-%d", (int)id);
	if (strcmp(tls_buf, want) != 0)
		return (void *)(intptr_t)-2;
	return (void *)(id * id);
}

/* --- 2. mutex ------------------------------------------------------------ */
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < INCS; i++) {
		pthread_mutex_lock(&count_lock);
		counter++;
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

/* --- 3. condition variables: a bounded queue ----------------------------- */
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t q_not_full = PTHREAD_COND_INITIALIZER;
static int queue[QCAP], q_head, q_len;

static void q_put(int v)
{
	pthread_mutex_lock(&q_lock);
	while (q_len == QCAP)
		pthread_cond_wait(&q_not_full, &q_lock);
	queue[(q_head + q_len) % QCAP] = v;
	q_len++;
	pthread_cond_signal(&q_not_empty);
	pthread_mutex_unlock(&q_lock);
}

static int q_get(void)
{
	pthread_mutex_lock(&q_lock);
	while (q_len == 0)
		pthread_cond_wait(&q_not_empty, &q_lock);
	int v = queue[q_head];
	q_head = (q_head + 1) % QCAP;
	q_len--;
	pthread_cond_signal(&q_not_full);
	pthread_mutex_unlock(&q_lock);
	return v;
}

static void *producer(void *arg)
{
	int base = (int)(intptr_t)arg * ITEMS;

	for (int i = 1; i <= ITEMS; i++)
		q_put(base + i);
	return NULL;
}

static void *consumer(void *arg)
{
	long sum = 0;
	int n = (int)(intptr_t)arg;

	for (int i = 0; i < n; i++) {
		int v = q_get();
		if (v < 0)	/* poison pill */
			break;
		sum += v;
	}
	return (void *)sum;
}

/* --- 4. barrier ------------------------------------------------------- */
static pthread_barrier_t barrier;
static int phase_seen[3][NTHREADS];
static int phase_count[3];
static pthread_mutex_t phase_lock = PTHREAD_MUTEX_INITIALIZER;
static int serial_count;

static void *barrier_worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	int bad = 0;

	for (int ph = 0; ph < 3; ph++) {
		pthread_mutex_lock(&phase_lock);
		phase_count[ph]++;
		phase_seen[ph][id] = 1;
		pthread_mutex_unlock(&phase_lock);
		int r = pthread_barrier_wait(&barrier);
		if (r == PTHREAD_BARRIER_SERIAL_THREAD) {
			pthread_mutex_lock(&phase_lock);
			serial_count++;
			pthread_mutex_unlock(&phase_lock);
		} else if (r != 0) {
			bad++;
		}
		/* past the barrier, every thread has arrived in this phase */
		pthread_mutex_lock(&phase_lock);
		if (phase_count[ph] != NTHREADS)
			bad++;
		pthread_mutex_unlock(&phase_lock);
	}
	return (void *)(intptr_t)bad;
}

/* --- 5. reader-writer lock ----------------------------------------------- */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b;		/* a writer keeps rw_a + rw_b == 0 */

static void *rw_worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	long torn = 0;

	for (int i = 0; i < 2000; i++) {
		if (id % 4 == 0) {
			pthread_rwlock_wrlock(&rw);
			rw_a++;
			sched_yield();
			rw_b--;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			if (rw_a + rw_b != 0)
				torn++;
			pthread_rwlock_unlock(&rw);
		}
	}
	return (void *)torn;
}

/* --- 6. pthread_once, keys with destructors, detached threads ------------ */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_key_t key;
static int destructor_runs;
static pthread_mutex_t dlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t dcond = PTHREAD_COND_INITIALIZER;
static int detached_done;

static void once_init(void)
{
	once_runs++;
}

static void key_destructor(void *p)
{
	pthread_mutex_lock(&dlock);
	destructor_runs++;
	pthread_mutex_unlock(&dlock);
	free(p);
}

static void *key_worker(void *arg)
{
	pthread_once(&once, once_init);
	int *v = malloc(sizeof *v);
	*v = (int)(intptr_t)arg;
	pthread_setspecific(key, v);
	sched_yield();
	int *back = pthread_getspecific(key);
	return (void *)(intptr_t)(back == v && *back == (int)(intptr_t)arg);
}

static void *detached_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&dlock);
	detached_done++;
	pthread_cond_broadcast(&dcond);
	pthread_mutex_unlock(&dlock);
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	void *ret;

	setvbuf(stdout, NULL, _IOLBF, 0);

	/* 1 */
	long sumsq = 0;
	tls_id = 100;
	for (int i = 0; i < NTHREADS; i++)
		CHECK(pthread_create(&t[i], NULL, tls_worker, (void *)(intptr_t)(i + 1)) == 0,
		      "pthread_create %d", i);
	for (int i = 0; i < NTHREADS; i++) {
		CHECK(pthread_join(t[i], &ret) == 0, "pthread_join %d", i);
		CHECK((intptr_t)ret >= 0, "thread %d saw a foreign __thread value (%ld)",
		      i + 1, (long)(intptr_t)ret);
		sumsq += (intptr_t)ret;
	}
	CHECK(tls_id == 100, "main's __thread value changed to %d", tls_id);
	printf("joins: %d threads, sum of squares %ld, main tls %d\n", NTHREADS, sumsq, tls_id);

	/* 2 */
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, count_worker, NULL);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(counter == (long)NTHREADS * INCS, "counter %ld", counter);
	printf("mutex: counter %ld (expected %ld)\n", counter, (long)NTHREADS * INCS);

	/* 3: 4 producers, 4 consumers each taking ITEMS items */
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, producer, (void *)(intptr_t)i);
	for (int i = 4; i < 8; i++)
		pthread_create(&t[i], NULL, consumer, (void *)(intptr_t)ITEMS);
	long qsum = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], &ret);
		if (i >= 4)
			qsum += (long)ret;
	}
	long n = 4L * ITEMS;
	CHECK(qsum == n * (n + 1) / 2, "queue sum %ld", qsum);
	printf("condvar: %ld items through a %d-slot queue, sum %ld\n", n, QCAP, qsum);

	/* 4 */
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	long bad = 0;
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, barrier_worker, (void *)(intptr_t)i);
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		bad += (intptr_t)ret;
	}
	pthread_barrier_destroy(&barrier);
	CHECK(bad == 0 && serial_count == 3, "barrier: bad %ld serial %d", bad, serial_count);
	printf("barrier: 3 phases x %d threads, %d serial threads, %ld early\n",
	       NTHREADS, serial_count, bad);

	/* 5 */
	long torn = 0;
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, rw_worker, (void *)(intptr_t)i);
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		torn += (long)ret;
	}
	CHECK(torn == 0 && rw_a == 4000 && rw_b == -4000, "rwlock torn %ld a %ld b %ld",
	      torn, rw_a, rw_b);
	printf("rwlock: %ld writes, %ld torn reads\n", rw_a, torn);

	/* 6 */
	pthread_key_create(&key, key_destructor);
	long keys_ok = 0;
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, key_worker, (void *)(intptr_t)i);
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		keys_ok += (intptr_t)ret;
	}
	CHECK(once_runs == 1 && keys_ok == NTHREADS && destructor_runs == NTHREADS,
	      "once %d keys %ld destructors %d", once_runs, keys_ok, destructor_runs);
	printf("once: %d run; keys: %ld ok, %d destructors\n", once_runs, keys_ok,
	       destructor_runs);

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], &attr, detached_worker, NULL) == 0,
		      "detached create %d", i);
	pthread_mutex_lock(&dlock);
	while (detached_done < 4)
		pthread_cond_wait(&dcond, &dlock);
	pthread_mutex_unlock(&dlock);
	printf("detached: %d threads done\n", detached_done);

	printf("%s\n", failures ? "pthreads FAILED" : "pthreads ok");
	return failures != 0;
}
