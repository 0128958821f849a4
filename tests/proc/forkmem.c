/* The forkmem case: large private mappings across fork, where whole page
 * tables are shared until one side changes something under them. Each
 * side's view is checked page by page after writes in either order, with
 * three holders, after the child unmaps, reprotects, drops (MADV_DONTNEED)
 * or moves (mremap) parts, in a grandchild, and while the parent's threads
 * write. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proctest.h"

#define PAGE 4096UL
#define MIB (1UL << 20)
#define SPAN (8 * MIB)		/* four page tables' worth */
#define NPAGES (SPAN / PAGE)

/* What page i holds after generation gen wrote it (0: never written). */
static uint64_t tag(unsigned long i, int gen)
{
	return gen ? (uint64_t)gen << 32 | i : 0;
}

static void fill(char *m, unsigned long from, unsigned long to, int gen, int step)
{
	for (unsigned long i = from; i < to; i += step)
		*(uint64_t *)(m + i * PAGE) = tag(i, gen);
}

/* The generation the parent last wrote all of the region with. */
static int base;

/* The first page in [from, to) that does not hold gen's tag (every
 * step-th page from the first; base's in the others), as a line. */
static void check(const char *who, char *m, unsigned long from, unsigned long to, int gen,
		  int step)
{
	for (unsigned long i = from; i < to; i++) {
		uint64_t want = tag(i, (i - from) % step == 0 ? gen : base);
		uint64_t got = *(uint64_t *)(m + i * PAGE);
		if (got != want) {
			say("%s: page %lu holds %#llx, not %#llx", who, i,
			    (unsigned long long)got, (unsigned long long)want);
			return;
		}
	}
	say("%s: pages %lu-%lu as expected", who, from, to - 1);
}

/* SPAN bytes at a 2 MiB boundary (plus one page, so that the last table
 * is only partly written), each page tagged with generation 1, and 6 MiB
 * more mapped after them, where child_moves puts 4 MiB. */
static char *big_region(void)
{
	char *raw = mmap(NULL, SPAN + 8 * MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	char *m = (char *)(((uintptr_t)raw + 2 * MIB - 1) & ~(2 * MIB - 1));
	fill(m, 0, NPAGES + 1, base = 1, 1);
	return m;
}

/* Runs fn in a child and waits: its lines come before the parent's. */
static void in_child(void (*fn)(char *), char *m)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		fn(m);
		fflush(stdout);
		_exit(0);
	}
	int st = reap(p);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		say("child: %s", status_text(st));
}

static void child_writes_thirds(char *m)
{
	fill(m, 0, NPAGES, 2, 3);
	check("child, its writes to every third page", m, 0, NPAGES, 2, 3);
}

static void child_unmaps_and_reprotects(char *m)
{
	munmap(m + 2 * MIB, 2 * MIB);
	mprotect(m + 4 * MIB, 2 * MIB, PROT_READ);
	fill(m, 6 * MIB / PAGE, NPAGES, 3, 1);
	check("child, after unmapping 2 MiB", m, 0, 2 * MIB / PAGE, base, 1);
	check("child, read-only part", m, 4 * MIB / PAGE, 6 * MIB / PAGE, base, 1);
	check("child, rewritten part", m, 6 * MIB / PAGE, NPAGES, 3, 1);
}

static void child_drops(char *m)
{
	madvise(m + MIB, 4 * MIB, MADV_DONTNEED);
	check("child, before the dropped part", m, 0, MIB / PAGE, base, 1);
	check("child, dropped part reads zeroes", m, MIB / PAGE, 5 * MIB / PAGE, 0, 1);
	check("child, after it", m, 5 * MIB / PAGE, NPAGES, base, 1);
}

static void child_moves(char *m)
{
	char *to = mremap(m + 2 * MIB, 4 * MIB, 4 * MIB, MREMAP_MAYMOVE | MREMAP_FIXED,
			  m + SPAN + 2 * MIB);
	if (to == MAP_FAILED) {
		say("child: mremap failed: %s", strerror(errno));
		return;
	}
	/* The moved pages keep their tags (those of their old places). */
	for (unsigned long i = 0; i < 4 * MIB / PAGE; i++)
		if (*(uint64_t *)(to + i * PAGE) != tag(i + 2 * MIB / PAGE, base)) {
			say("child: moved page %lu is wrong", i);
			return;
		}
	fill(to, 0, 4 * MIB / PAGE, 4, 1);
	say("child: 4 MiB moved, contents kept, then rewritten");
}

static void grandchild_writes(char *m)
{
	fill(m, 0, NPAGES, 5, 2);
	check("grandchild", m, 0, NPAGES, 5, 2);
}

static void child_forks_again(char *m)
{
	in_child(grandchild_writes, m);
	check("child, after its child wrote", m, 0, NPAGES, base, 1);
	fill(m, 0, NPAGES, 6, 1);
	check("child, after writing", m, 0, NPAGES, 6, 1);
}

struct writer {
	char *m;
	unsigned long from, to;
};

static void *write_half(void *arg)
{
	struct writer *w = arg;
	fill(w->m, w->from, w->to, 7, 1);
	return NULL;
}

int t_forkmem(void)
{
	char *m = big_region();
	if (!m)
		return say("cannot map %lu MiB", SPAN / MIB), 1;

	/* The child writes, the parent's pages stay. */
	in_child(child_writes_thirds, m);
	check("parent, after the child wrote", m, 0, NPAGES + 1, 1, 1);

	/* The parent writes while the child waits, then the child looks. */
	int go[2];
	if (pipe(go))
		return say("pipe failed"), 1;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		char c;
		read(go[0], &c, 1);
		check("child, after the parent wrote", m, 0, NPAGES, 1, 1);
		fflush(stdout);
		_exit(0);
	}
	fill(m, 0, NPAGES, base = 8, 1);
	write(go[1], "x", 1);
	reap(p);
	check("parent, its writes", m, 0, NPAGES, 8, 1);

	/* The child ends first: the parent's next writes are its own. */
	p = fork();
	if (p == 0)
		_exit(0);
	reap(p);
	fill(m, 0, NPAGES, base = 9, 1);
	check("parent, writing after the child ended", m, 0, NPAGES, 9, 1);

	/* Three holders: two children alive at once, each writing. */
	int a[2], b[2];
	if (pipe(a) || pipe(b))
		return say("pipe failed"), 1;
	fflush(stdout);
	pid_t c1 = fork();
	if (c1 == 0) {
		fill(m, 0, NPAGES, 10, 2);
		write(a[1], "x", 1);
		_exit(0);
	}
	pid_t c2 = fork();
	if (c2 == 0) {
		char c;
		read(a[0], &c, 1);	/* after the first child wrote */
		check("second child, after the first wrote", m, 0, NPAGES, 9, 1);
		fill(m, 1, NPAGES, 11, 2);
		check("second child, after writing", m, 1, NPAGES, 11, 2);
		fflush(stdout);
		write(b[1], "x", 1);
		_exit(0);
	}
	char c;
	read(b[0], &c, 1);
	reap(c1);
	reap(c2);
	check("parent, after both children wrote", m, 0, NPAGES, 9, 1);

	in_child(child_unmaps_and_reprotects, m);
	check("parent, after the child unmapped and reprotected", m, 0, NPAGES, 9, 1);
	in_child(child_drops, m);
	check("parent, after the child dropped 4 MiB", m, 0, NPAGES, 9, 1);
	in_child(child_moves, m);
	check("parent, after the child moved 4 MiB", m, 0, NPAGES, 9, 1);
	in_child(child_forks_again, m);
	check("parent, after its child and grandchild wrote", m, 0, NPAGES, 9, 1);

	/* Read-only at fork, made writable and written by the child. */
	mprotect(m, SPAN, PROT_READ);
	fflush(stdout);
	if ((p = fork()) == 0) {
		mprotect(m, SPAN, PROT_READ | PROT_WRITE);
		fill(m, 0, NPAGES, 12, 1);
		check("child, writing after mprotect", m, 0, NPAGES, 12, 1);
		fflush(stdout);
		_exit(0);
	}
	reap(p);
	mprotect(m, SPAN, PROT_READ | PROT_WRITE);
	check("parent, read-only at fork", m, 0, NPAGES, 9, 1);

	/* The parent's two threads write both halves while the child waits. */
	fflush(stdout);
	if (pipe(go))
		return say("pipe failed"), 1;
	if ((p = fork()) == 0) {
		read(go[0], &c, 1);
		check("child, after the parent's threads wrote", m, 0, NPAGES, 9, 1);
		fflush(stdout);
		_exit(0);
	}
	pthread_t t[2];
	struct writer w[2] = { { m, 0, NPAGES / 2 }, { m, NPAGES / 2, NPAGES } };
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, write_half, &w[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	write(go[1], "x", 1);
	reap(p);
	check("parent, its threads' writes", m, 0, NPAGES, 7, 1);
	return 0;
}
