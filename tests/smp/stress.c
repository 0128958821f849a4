/* Several CPUs under load: each case runs ROUNDS times in a row and prints
 * one line of results that do not depend on timing, so that the guest's
 * output (at run.sh -c 2) is compared with Linux's. Cases: atomics and a
 * mutex from 8 threads, a condition-variable queue, FUTEX_CMP_REQUEUE
 * under contention, a pipe and an AF_UNIX socket between two processes
 * pinned to different CPUs, an epoll server with two worker threads and
 * 200 connections, fork in a program whose other threads allocate, and
 * system calls from two threads on different CPUs.
 * usage: stress CASE [ROUNDS]   (CASE: atomics condvar requeue pipes
 * epoll forkalloc syscalls, or all) */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int rounds = 20;

static void die(const char *what)
{
	printf("FAIL %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Runs on CPU cpu of the online ones (modulo their number). */
static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu % (int)sysconf(_SC_NPROCESSORS_ONLN), &s);
	if (sched_setaffinity(0, sizeof(s), &s))
		die("sched_setaffinity");
}

/* 8 threads: an atomic counter and a mutex-protected one. */
static atomic_long a_count;
static long m_count;
static pthread_mutex_t m_lock = PTHREAD_MUTEX_INITIALIZER;

static void *atomics_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100000; i++) {
		atomic_fetch_add(&a_count, 1);
		pthread_mutex_lock(&m_lock);
		m_count++;
		pthread_mutex_unlock(&m_lock);
	}
	return NULL;
}

static int t_atomics(void)
{
	int bad = 0;
	for (int r = 0; r < rounds; r++) {
		pthread_t t[8];
		a_count = 0;
		m_count = 0;
		for (int i = 0; i < 8; i++)
			pthread_create(&t[i], NULL, atomics_worker, NULL);
		for (int i = 0; i < 8; i++)
			pthread_join(t[i], NULL);
		bad += a_count != 800000 || m_count != 800000;
	}
	printf("atomics: %d rounds, %d wrong (800000 each)\n", rounds, bad);
	return bad;
}

/* A bounded queue: 2 producers, 2 consumers, sum and count checked. */
#define QCAP 16
static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	long items[QCAP];
	int head, len;
} q = { .lock = PTHREAD_MUTEX_INITIALIZER, .not_empty = PTHREAD_COND_INITIALIZER,
	.not_full = PTHREAD_COND_INITIALIZER };
#define PER_PRODUCER 20000

static void *producer(void *arg)
{
	long base = (long)arg * PER_PRODUCER;
	for (long i = 1; i <= PER_PRODUCER; i++) {
		pthread_mutex_lock(&q.lock);
		while (q.len == QCAP)
			pthread_cond_wait(&q.not_full, &q.lock);
		q.items[(q.head + q.len++) % QCAP] = base + i;
		pthread_cond_signal(&q.not_empty);
		pthread_mutex_unlock(&q.lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long *sum = arg, n = 0;
	for (;;) {
		pthread_mutex_lock(&q.lock);
		while (q.len == 0)
			pthread_cond_wait(&q.not_empty, &q.lock);
		long v = q.items[q.head];
		q.head = (q.head + 1) % QCAP;
		q.len--;
		pthread_cond_signal(&q.not_full);
		pthread_mutex_unlock(&q.lock);
		if (v < 0)
			break;
		*sum += v;
		n++;
	}
	return (void *)n;
}

static int t_condvar(void)
{
	int bad = 0;
	long want = 0;
	for (long i = 1; i <= 2L * PER_PRODUCER; i++)
		want += i;
	for (int r = 0; r < rounds; r++) {
		pthread_t p[2], c[2];
		long sum[2] = { 0, 0 };
		void *n[2];
		for (long i = 0; i < 2; i++)
			pthread_create(&c[i], NULL, consumer, &sum[i]);
		for (long i = 0; i < 2; i++)
			pthread_create(&p[i], NULL, producer, (void *)i);
		for (int i = 0; i < 2; i++)
			pthread_join(p[i], NULL);
		/* One end mark for each consumer. */
		for (int i = 0; i < 2; i++) {
			pthread_mutex_lock(&q.lock);
			while (q.len == QCAP)
				pthread_cond_wait(&q.not_full, &q.lock);
			q.items[(q.head + q.len++) % QCAP] = -1;
			pthread_cond_signal(&q.not_empty);
			pthread_mutex_unlock(&q.lock);
		}
		for (int i = 0; i < 2; i++)
			pthread_join(c[i], &n[i]);
		bad += sum[0] + sum[1] != want || (long)n[0] + (long)n[1] != 2L * PER_PRODUCER;
	}
	printf("condvar: %d rounds, %d wrong (%d items each)\n", rounds, bad, 2 * PER_PRODUCER);
	return bad;
}

/* Waiters on futex a, moved to b by FUTEX_CMP_REQUEUE while others bang
 * on a; then all woken from b. Every waiter must come back. */
static atomic_int fa, fb, woken;

static long futex(atomic_int *f, int op, int val, long val2, atomic_int *f2, int val3)
{
	return syscall(SYS_futex, f, op, val, val2, f2, val3);
}

static void *requeue_waiter(void *arg)
{
	(void)arg;
	while (atomic_load(&fb) == 0)
		futex(&fa, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
	atomic_fetch_add(&woken, 1);
	return NULL;
}

static int t_requeue(void)
{
	int bad = 0;
	for (int r = 0; r < rounds; r++) {
		pthread_t t[6];
		fa = 0;
		fb = 0;
		woken = 0;
		for (int i = 0; i < 6; i++)
			pthread_create(&t[i], NULL, requeue_waiter, NULL);
		/* Requeue whoever waits, again and again, while they come
		 * and go; then release them all through b. */
		for (int i = 0; i < 200; i++) {
			long n = futex(&fa, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &fb, 0);
			if (n < 0 && errno != EAGAIN)
				die("FUTEX_CMP_REQUEUE");
			futex(&fb, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
		}
		atomic_store(&fb, 1);
		while (atomic_load(&woken) < 6) {
			futex(&fa, FUTEX_WAKE_PRIVATE, 6, 0, NULL, 0);
			futex(&fb, FUTEX_WAKE_PRIVATE, 6, 0, NULL, 0);
			sched_yield();
		}
		for (int i = 0; i < 6; i++)
			pthread_join(t[i], NULL);
		bad += woken != 6;
	}
	printf("requeue: %d rounds, %d wrong (6 waiters each)\n", rounds, bad);
	return bad;
}

/* A parent on the first CPU and a child on the second pass 1 MiB through
 * a pipe and back through an AF_UNIX stream socket. */
#define XFER (1 << 20)

static uint32_t sum_bytes(const unsigned char *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

static int t_pipes(void)
{
	int bad = 0;
	static unsigned char buf[XFER];
	for (size_t i = 0; i < XFER; i++)
		buf[i] = (unsigned char)(i * 7 + i / 251);
	uint32_t want = sum_bytes(buf, XFER, 0);
	for (int r = 0; r < rounds; r++) {
		int p[2], s[2];
		if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, s))
			die("pipe/socketpair");
		pid_t c = fork();
		if (c < 0)
			die("fork");
		if (c == 0) {
			/* The child echoes what the pipe brings into the socket. */
			pin(1);
			close(p[1]);
			close(s[0]);
			static unsigned char cb[65536];
			ssize_t n;
			while ((n = read(p[0], cb, sizeof(cb))) > 0)
				for (ssize_t off = 0; off < n;) {
					ssize_t w = write(s[1], cb + off, (size_t)(n - off));
					if (w <= 0)
						_exit(2);
					off += w;
				}
			_exit(n < 0 ? 3 : 0);
		}
		pin(0);
		close(p[0]);
		close(s[1]);
		/* Writes while reading the echo, as poll says each side can. */
		size_t sent = 0, got = 0;
		uint32_t sum = 0;
		static unsigned char rb[65536];
		while (got < XFER) {
			struct pollfd pf[2] = { { s[0], POLLIN, 0 },
						{ sent < XFER ? p[1] : -1, POLLOUT, 0 } };
			if (poll(pf, 2, -1) < 0)
				die("poll");
			if (pf[1].revents & POLLOUT) {
				size_t k = XFER - sent < 4096 ? XFER - sent : 4096;
				ssize_t w = write(p[1], buf + sent, k);
				if (w <= 0)
					die("write to the pipe");
				sent += (size_t)w;
				if (sent == XFER)
					close(p[1]);
			}
			if (pf[0].revents & (POLLIN | POLLHUP)) {
				ssize_t n = read(s[0], rb, sizeof(rb));
				if (n < 0)
					die("read");
				if (n == 0)
					break;
				sum = sum_bytes(rb, (size_t)n, sum);
				got += (size_t)n;
			}
		}
		close(s[0]);
		int st;
		waitpid(c, &st, 0);
		bad += got != XFER || sum != want || st != 0;
	}
	pin(0);
	cpu_set_t all;
	CPU_ZERO(&all);
	for (int i = 0; i < sysconf(_SC_NPROCESSORS_ONLN); i++)
		CPU_SET(i, &all);
	sched_setaffinity(0, sizeof(all), &all);
	printf("pipes: %d rounds, %d wrong (1 MiB each way)\n", rounds, bad);
	return bad;
}

/* An epoll server with two worker threads sharing one epoll set
 * (EPOLLONESHOT), 200 AF_UNIX connections from a client process, each
 * sending a request of 100 bytes and reading the answer (one request a
 * connection: our epoll_wait looks at every item, and 200 of them cost
 * some milliseconds a wait under TCG). */
#define CONNS 200
#define REQS 1

static int ep;

static void *epoll_worker(void *arg)
{
	long served = 0;
	(void)arg;
	for (;;) {
		struct epoll_event ev;
		int n = epoll_wait(ep, &ev, 1, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("epoll_wait");
		int fd = ev.data.fd;
		if (fd < 0)
			return (void *)served;	/* the end mark */
		char b[100];
		ssize_t k = recv(fd, b, sizeof(b), MSG_WAITALL);
		if (k == 0)
			continue;	/* hung up: not armed again; closed at the end */
		if (k != (ssize_t)sizeof(b) || send(fd, b, sizeof(b), 0) != (ssize_t)sizeof(b))
			die("serve");
		served++;
		ev.events = EPOLLIN | EPOLLONESHOT;
		if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev))
			die("EPOLL_CTL_MOD");
	}
}

static int t_epoll(void)
{
	int bad = 0;
	for (int r = 0; r < rounds; r++) {
		int sv[CONNS][2];
		ep = epoll_create1(0);
		if (ep < 0)
			die("epoll_create1");
		for (int i = 0; i < CONNS; i++) {
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]))
				die("socketpair");
			struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.fd = sv[i][0] };
			if (epoll_ctl(ep, EPOLL_CTL_ADD, sv[i][0], &ev))
				die("EPOLL_CTL_ADD");
		}
		pid_t c = fork();
		if (c < 0)
			die("fork");
		if (c == 0) {
			/* The client: every connection's requests in turn. */
			close(ep);
			for (int i = 0; i < CONNS; i++)
				close(sv[i][0]);
			int wrong = 0;
			for (int k = 0; k < REQS; k++)
				for (int i = 0; i < CONNS; i++) {
					char b[100], a[100];
					memset(b, 'a' + (i + k) % 26, sizeof(b));
					if (send(sv[i][1], b, sizeof(b), 0) != (ssize_t)sizeof(b) ||
					    recv(sv[i][1], a, sizeof(a), MSG_WAITALL) != (ssize_t)sizeof(a) ||
					    memcmp(a, b, sizeof(a)))
						wrong++;
				}
			_exit(wrong ? 1 : 0);
		}
		for (int i = 0; i < CONNS; i++)
			close(sv[i][1]);
		pthread_t w[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&w[i], NULL, epoll_worker, NULL);
		int st;
		waitpid(c, &st, 0);
		/* Then an end mark: a pipe whose read end says stop. */
		int stop[2];
		if (pipe(stop))
			die("pipe");
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = -1 };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, stop[0], &ev))
			die("EPOLL_CTL_ADD");
		if (write(stop[1], "x", 1) != 1)
			die("write");
		void *n[2];
		for (int i = 0; i < 2; i++)
			pthread_join(w[i], &n[i]);
		close(stop[0]);
		close(stop[1]);
		close(ep);
		for (int i = 0; i < CONNS; i++)
			close(sv[i][0]);
		bad += st != 0 || (long)n[0] + (long)n[1] != (long)CONNS * REQS;
	}
	printf("epoll: %d rounds, %d wrong (%d requests each)\n", rounds, bad, CONNS * REQS);
	return bad;
}

/* fork while 3 threads allocate, touch and free memory; the child checks
 * a pattern written before the fork and changes it, the parent's stays. */
static atomic_int stop_alloc;

static void *allocator(void *arg)
{
	unsigned seed = (unsigned)(long)arg;
	while (!atomic_load(&stop_alloc)) {
		size_t n = 4096 + rand_r(&seed) % (256 * 1024);
		unsigned char *p = malloc(n);
		if (!p)
			die("malloc");
		for (size_t i = 0; i < n; i += 4096)
			p[i] = (unsigned char)i;
		free(p);
	}
	return NULL;
}

static int t_forkalloc(void)
{
	int bad = 0;
	pthread_t t[3];
	atomic_store(&stop_alloc, 0);
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, allocator, (void *)i);
	size_t len = 4 << 20;
	unsigned char *pat = malloc(len);
	if (!pat)
		die("malloc");
	for (int r = 0; r < rounds; r++) {
		memset(pat, r + 1, len);
		pid_t c = fork();
		if (c < 0)
			die("fork");
		if (c == 0) {
			int wrong = 0;
			for (size_t i = 0; i < len; i += 512)
				wrong += pat[i] != r + 1;
			memset(pat, 0xee, len);
			/* The child allocates too, from the copied heap. */
			void *p = malloc(1 << 20);
			memset(p, 1, 1 << 20);
			_exit(wrong ? 1 : 0);
		}
		int st;
		waitpid(c, &st, 0);
		int wrong = 0;
		for (size_t i = 0; i < len; i += 512)
			wrong += pat[i] != r + 1;
		bad += st != 0 || wrong;
	}
	atomic_store(&stop_alloc, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	free(pat);
	printf("forkalloc: %d rounds, %d wrong (4 MiB checked on both sides)\n", rounds, bad);
	return bad;
}

/* Two threads on different CPUs making system calls, which take the big
 * kernel lock in turns: each thread's calls see its own process. */
#define SYSCALLS 20000

static void *syscaller(void *arg)
{
	long wrong = 0;
	pin((int)(long)arg);
	pid_t ppid = getppid();
	for (int i = 0; i < SYSCALLS; i++)
		wrong += syscall(SYS_getppid) != ppid;
	return (void *)wrong;
}

static int t_syscalls(void)
{
	int bad = 0;
	for (int r = 0; r < rounds; r++) {
		pthread_t t[2];
		void *wrong[2];
		for (long i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, syscaller, (void *)i);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], &wrong[i]);
		bad += wrong[0] || wrong[1];
	}
	printf("syscalls: %d rounds, %d wrong (2 threads, %d calls each)\n", rounds, bad, SYSCALLS);
	return bad;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cases[] = {
		{ "atomics", t_atomics }, { "condvar", t_condvar }, { "requeue", t_requeue },
		{ "pipes", t_pipes }, { "epoll", t_epoll }, { "forkalloc", t_forkalloc },
		{ "syscalls", t_syscalls },
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: stress CASE|all [ROUNDS]\n");
		return 2;
	}
	if (argc > 2)
		rounds = atoi(argv[2]);
	int bad = 0, found = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(argv[1], "all") && strcmp(argv[1], cases[i].name))
			continue;
		found = 1;
		bad += cases[i].fn();
	}
	if (!found) {
		fprintf(stderr, "stress: no case %s\n", argv[1]);
		return 2;
	}
	return bad ? 1 : 0;
}
