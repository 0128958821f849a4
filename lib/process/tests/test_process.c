/* process: ids, limits, uname, sysinfo, prctl, arch_prctl and
 * getrandom against Linux's values and errors, and the generator's
 * ChaCha20 block against RFC 8439's test vectors. */
#include <errno.h>
#include <string.h>
#include <asm/prctl.h>
#include <linux/kernel.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/utsname.h>
#include <uk/plat.h>
#include <uk/random.h>
#include <uk/test.h>

#define SYSCALL(name) long uk_syscall_r_##name(long, long, long, long, long, long)
SYSCALL(getpid);
SYSCALL(getppid);
SYSCALL(getuid);
SYSCALL(geteuid);
SYSCALL(getgid);
SYSCALL(getpgid);
SYSCALL(getsid);
SYSCALL(setsid);
SYSCALL(getresuid);
SYSCALL(prlimit64);
SYSCALL(getrlimit);
SYSCALL(setrlimit);
SYSCALL(uname);
SYSCALL(sysinfo);
SYSCALL(prctl);
SYSCALL(arch_prctl);
SYSCALL(getrandom);

UK_TESTCASE(process, ids)
{
	/* The program is init of its own namespace: pid 1, parent 0, root. */
	UK_TEST_EQ(uk_syscall_r_getpid(0, 0, 0, 0, 0, 0), 1);
	UK_TEST_EQ(uk_syscall_r_getppid(0, 0, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_getuid(0, 0, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_geteuid(0, 0, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_getgid(0, 0, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_getpgid(0, 0, 0, 0, 0, 0), 1);
	UK_TEST_EQ(uk_syscall_r_getpgid(1, 0, 0, 0, 0, 0), 1);
	UK_TEST_EQ(uk_syscall_r_getpgid(4242, 0, 0, 0, 0, 0), -ESRCH);
	UK_TEST_EQ(uk_syscall_r_getsid(0, 0, 0, 0, 0, 0), 1);
	/* A process group leader cannot start a session. */
	UK_TEST_EQ(uk_syscall_r_setsid(0, 0, 0, 0, 0, 0), -EPERM);
	unsigned r = 9, e = 9, s = 9;
	UK_TEST_EQ(uk_syscall_r_getresuid((long)&r, (long)&e, (long)&s, 0, 0, 0), 0);
	UK_TEST_EQ(r + e + s, 0);
}

UK_TESTCASE(process, limits)
{
	struct rlimit64 old, cur, lim;
	UK_TEST_EQ(uk_syscall_r_getrlimit(RLIMIT_NOFILE, (long)&old, 0, 0, 0, 0), 0);
	UK_TEST_EXPECT(old.rlim_cur <= old.rlim_max);
	lim.rlim_cur = 100;
	lim.rlim_max = 200;
	UK_TEST_EQ(uk_syscall_r_prlimit64(0, RLIMIT_NOFILE, (long)&lim, (long)&cur, 0, 0), 0);
	UK_TEST_EQ(cur.rlim_cur, old.rlim_cur);	/* the old value comes back */
	UK_TEST_EQ(uk_syscall_r_getrlimit(RLIMIT_NOFILE, (long)&cur, 0, 0, 0, 0), 0);
	UK_TEST_EQ(cur.rlim_cur, 100);
	UK_TEST_EQ(cur.rlim_max, 200);
	/* soft > hard, an unknown resource, another process. */
	lim.rlim_cur = 300;
	UK_TEST_EQ(uk_syscall_r_setrlimit(RLIMIT_NOFILE, (long)&lim, 0, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_getrlimit(RLIM_NLIMITS, (long)&cur, 0, 0, 0, 0), -EINVAL);
	UK_TEST_EQ(uk_syscall_r_prlimit64(4242, RLIMIT_NOFILE, 0, (long)&cur, 0, 0), -ESRCH);
	UK_TEST_EQ(uk_syscall_r_prlimit64(1, RLIMIT_NOFILE, 0, (long)&cur, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_setrlimit(RLIMIT_NOFILE, (long)&old, 0, 0, 0, 0), 0);
	/* Linux's defaults: no core files, an 8 MiB stack. */
	UK_TEST_EQ(uk_syscall_r_getrlimit(RLIMIT_CORE, (long)&cur, 0, 0, 0, 0), 0);
	UK_TEST_EQ(cur.rlim_cur, 0);
	UK_TEST_EQ(uk_syscall_r_getrlimit(RLIMIT_STACK, (long)&cur, 0, 0, 0, 0), 0);
	UK_TEST_EQ(cur.rlim_cur, 8 << 20);
	UK_TEST_EQ(cur.rlim_max, RLIM64_INFINITY);
}

UK_TESTCASE(process, uname_sysinfo)
{
	struct new_utsname u;
	memset(&u, 'x', sizeof(u));
	UK_TEST_EQ(uk_syscall_r_uname((long)&u, 0, 0, 0, 0, 0), 0);
	UK_TEST_EXPECT(!strcmp(u.sysname, "Linux"));
	UK_TEST_EXPECT(!strcmp(u.machine, "x86_64"));
	UK_TEST_EXPECT(!strcmp(u.nodename, CONFIG_LIBPROCESS_HOSTNAME));
	/* release: a version glibc accepts ("M.m.p..."), 3.2 or newer. */
	UK_TEST_EXPECT(u.release[0] >= '3' && u.release[0] <= '9' && u.release[1] == '.');
	UK_TEST_EQ(u.release[sizeof(u.release) - 1], 0);
	struct sysinfo si;
	UK_TEST_EQ(uk_syscall_r_sysinfo((long)&si, 0, 0, 0, 0, 0), 0);
	UK_TEST_EXPECT(si.mem_unit > 0);
	UK_TEST_EXPECT(si.totalram > 0 && si.freeram <= si.totalram);
	UK_TEST_EXPECT(si.totalram * si.mem_unit <= ukplat_ram_bytes());
	UK_TEST_EXPECT(si.totalram * si.mem_unit >= ukplat_ram_bytes() / 2);
	UK_TEST_EQ(si.uptime, ukplat_monotonic_ns() / 1000000000ULL);
	UK_TEST_EQ(si.procs, 1);
}

UK_TESTCASE(process, prctl)
{
	char name[16], saved[16];
	UK_TEST_EQ(uk_syscall_r_prctl(PR_GET_NAME, (long)saved, 0, 0, 0, 0), 0);
	/* TASK_COMM_LEN is 16: a longer name is cut to 15 bytes. */
	UK_TEST_EQ(uk_syscall_r_prctl(PR_SET_NAME, (long)uk_test_ustr("abcdefghijklmnopqrstu"),
				      0, 0, 0, 0), 0);
	memset(name, 'x', sizeof(name));
	UK_TEST_EQ(uk_syscall_r_prctl(PR_GET_NAME, (long)name, 0, 0, 0, 0), 0);
	UK_TEST_EXPECT(!memcmp(name, "abcdefghijklmno", 16));
	UK_TEST_EQ(uk_syscall_r_prctl(PR_SET_NAME, (long)saved, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_prctl(PR_GET_DUMPABLE, 0, 0, 0, 0, 0), 1);
	UK_TEST_EQ(uk_syscall_r_prctl(-1, 0, 0, 0, 0, 0), -EINVAL);
}

UK_TESTCASE(process, arch_prctl)
{
	unsigned long gs = 0, saved;
	UK_TEST_EQ(uk_syscall_r_arch_prctl(ARCH_GET_GS, (long)&saved, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_arch_prctl(ARCH_SET_GS, 0x7f0000001000L, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_arch_prctl(ARCH_GET_GS, (long)&gs, 0, 0, 0, 0), 0);
	UK_TEST_EQ(gs, 0x7f0000001000L);
	/* Bases in the kernel's half are refused. */
	UK_TEST_EQ(uk_syscall_r_arch_prctl(ARCH_SET_GS, 0xffff800000000000L, 0, 0, 0, 0), -EPERM);
	UK_TEST_EQ(uk_syscall_r_arch_prctl(ARCH_SET_FS, 0xffffffff80000000L, 0, 0, 0, 0), -EPERM);
	UK_TEST_EQ(uk_syscall_r_arch_prctl(ARCH_SET_GS, saved, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_arch_prctl(0x9999, 0, 0, 0, 0, 0), -EINVAL);
}

/* RFC 8439 A.1 test vectors 1-4 (zero nonce), and a block whose counter
 * passes 2^32 (word 13 taking the high half, as in DJB's original). */
static const struct {
	uint8_t key0, key1, key31;
	uint64_t counter;
	uint32_t w0, w1, w15;
} vectors[] = {
	{ 0, 0, 0, 0, 0xade0b876, 0x903df1a0, 0x8665eeb2 },
	{ 0, 0, 0, 1, 0xbee7079f, 0x7a385155, 0x6f4d794b },
	{ 0, 0, 1, 1, 0x2452eb3a, 0x9249f8ec, 0xa0136c00 },
	{ 0, 0xff, 0, 2, 0xfb4dd572, 0x4bc42ef1, 0x96f0992e },
};

UK_TESTCASE(process, chacha20)
{
	uint32_t key[8], out[16];
	for (unsigned i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		uint8_t k[32] = { 0 };
		k[0] = vectors[i].key0;
		k[1] = vectors[i].key1;
		k[31] = vectors[i].key31;
		memcpy(key, k, 32);
		uk_chacha20_block(key, vectors[i].counter, out);
		UK_TEST_EQ(out[0], vectors[i].w0);
		UK_TEST_EQ(out[1], vectors[i].w1);
		UK_TEST_EQ(out[15], vectors[i].w15);
	}
	static const uint32_t big[16] = {
		0xee7b3f94, 0x2a9ce3c4, 0xf3d35b77, 0x5bdd3f6d, 0xd8f0b821, 0x3dd9f92d,
		0x59f74095, 0xcd11a117, 0x265cae61, 0x29638740, 0xd285133b, 0x102eb602,
		0x9b7d1f40, 0x2d4012f1, 0x534afc67, 0x5ad73462 };
	uint8_t k[32];
	for (int i = 0; i < 32; i++)
		k[i] = i;
	memcpy(key, k, 32);
	uk_chacha20_block(key, 0x100000001ULL, out);
	UK_TEST_EXPECT(!memcmp(out, big, sizeof(big)));
}

UK_TESTCASE(process, getrandom)
{
	enum { N = 4096 };
	uint8_t *a = uk_test_umem(N), *b = uk_test_umem(N);
	UK_TEST_EQ(uk_syscall_r_getrandom((long)a, N, 0, 0, 0, 0), N);
	UK_TEST_EQ(uk_syscall_r_getrandom((long)b, N, 1 /* GRND_NONBLOCK */, 0, 0, 0), N);
	UK_TEST_EXPECT(memcmp(a, b, N));
	/* Half the bits set, give or take 5 standard deviations (~226). */
	long ones = 0;
	for (unsigned i = 0; i < N; i++)
		ones += __builtin_popcount(a[i]);
	UK_TEST_EXPECT(ones > 16384 - 1200 && ones < 16384 + 1200);
	/* No byte value missing from 4096 bytes (each has p ~ 1e-7 to be). */
	int seen[256] = { 0 };
	for (unsigned i = 0; i < N; i++)
		seen[a[i]] = 1;
	int missing = 0;
	for (int i = 0; i < 256; i++)
		missing += !seen[i];
	UK_TEST_EQ(missing, 0);
	UK_TEST_EQ(uk_syscall_r_getrandom((long)a, 0, 0, 0, 0, 0), 0);
	UK_TEST_EQ(uk_syscall_r_getrandom((long)a, 16, 8, 0, 0, 0), -EINVAL);
}
