/* The contents of procfs's generated files, in Linux's formats. */
#include <stdio.h>
#include <string.h>
#include <linux/mman.h>
#include <linux/resource.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/plat/cpu.h>
#include <uk/mm.h>
#include <uk/vfs.h>
#include <uk/process.h>
#include <uk/signal.h>
#include "procfs.h"

struct uk_mount *uk_vfs_mounts(void);

void gen_maps(struct pbuf *b, struct uk_process *p)
{
	for (struct uk_vma *v = uk_mm_vmas(p->mm); v; v = v->next) {
		const char *name = v->name ? v->name :
				   v->file && v->file->path ? v->file->path : "";
		unsigned long ino = v->file ? v->file->vn->ino : 0;
		char line[128];
		int n = snprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
				 v->start, v->end, (v->prot & PROT_READ) ? 'r' : '-',
				 (v->prot & PROT_WRITE) ? 'w' : '-',
				 (v->prot & PROT_EXEC) ? 'x' : '-', v->shared ? 's' : 'p',
				 v->pgoff, 0, v->file ? 1 : 0, ino);
		/* Linux pads the name to column 73. */
		pb_printf(b, "%s%*s%s\n", line, *name && n < 73 ? 73 - n : 0, "", name);
	}
}

static unsigned long vm_kb(struct uk_process *p, int flags_any)
{
	unsigned long kb = 0;
	for (struct uk_vma *v = uk_mm_vmas(p->mm); v; v = v->next)
		if (!flags_any || (v->flags & flags_any))
			kb += (v->end - v->start) / 1024;
	return kb;
}

/* The state letter ps shows: Z for a zombie, R when one of its threads
 * runs or may run, S when all of them wait. */
static char state_of(struct uk_process *p)
{
	if (p->state == UK_PROC_ZOMBIE)
		return 'Z';
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc)
		if (t->state == T_RUNNING || t->state == T_READY)
			return 'R';
	return 'S';
}

static const char *state_name(char s)
{
	return s == 'Z' ? "Z (zombie)" : s == 'R' ? "R (running)" : "S (sleeping)";
}

void gen_status(struct pbuf *b, struct uk_process *p)
{
	const struct uk_cred *c = &p->cred;
	pb_printf(b, "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\n"
		  "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\n"
		  "Gid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t", p->comm,
		  state_name(state_of(p)), p->pid, p->pid, uk_process_ppid(p), c->ruid, c->euid,
		  c->suid, c->fsuid, c->rgid, c->egid, c->sgid, c->fsgid, uk_fdtable_size(p->files));
	for (int i = 0; i < c->ngroups; i++)
		pb_printf(b, "%u ", c->groups[i]);
	pb_put(b, "\n", 1);
	if (p->mm)
		pb_printf(b, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmRSS:\t%8lu kB\n"
			  "VmData:\t%8lu kB\nVmStk:\t%8lu kB\n", vm_kb(p, 0), vm_kb(p, 0),
			  (unsigned long)(uk_pmem_total_pages() - uk_pmem_free_pages()) * 4,
			  vm_kb(p, UK_VMA_HEAP | UK_VMA_ANON), vm_kb(p, UK_VMA_STACK));
	/* The thread parts are the main thread's (the first left, once it
	 * has ended), as Linux shows them for /proc/PID. */
	struct uk_thread *t = p->threads;
	for (struct uk_thread *q = p->threads; q; q = q->next_in_proc)
		if (q->tid == p->pid)
			t = q;
	uint64_t ign = 0, cgt = 0;
	uk_signal_dispositions(p, &ign, &cgt);
	int ncpus = uk_sched_ncpus();
	uint64_t all = ncpus >= 64 ? ~0ULL : (1ULL << ncpus) - 1;
	uint64_t cpus = t && t->affinity ? t->affinity & all : all;
	pb_printf(b, "Threads:\t%d\nSigQ:\t0/4096\nSigPnd:\t%016llx\n"
		  "ShdPnd:\t%016llx\nSigBlk:\t%016llx\n"
		  "SigIgn:\t%016llx\nSigCgt:\t%016llx\n"
		  "CapInh:\t%016llx\nCapPrm:\t%016llx\n"
		  "CapEff:\t%016llx\nCapBnd:\t%016llx\nCapAmb:\t%016llx\n",
		  p->nthreads, (unsigned long long)(t ? t->sigpending : 0),
		  (unsigned long long)uk_signal_proc_pending(p),
		  (unsigned long long)(t ? t->sigmask : 0), (unsigned long long)ign,
		  (unsigned long long)cgt, (unsigned long long)c->cap_inh,
		  (unsigned long long)c->cap_prm, (unsigned long long)c->cap_eff,
		  (unsigned long long)c->cap_bnd, (unsigned long long)c->cap_amb);
	pb_printf(b, "Cpus_allowed:\t%llx\nCpus_allowed_list:\t", (unsigned long long)cpus);
	/* Runs of CPUs: 0-1,3. */
	const char *sep = "";
	for (int i = 0; i < 64; i++) {
		if (!(cpus >> i & 1) || (i && cpus >> (i - 1) & 1))
			continue;
		int j = i;
		while (j + 1 < 64 && cpus >> (j + 1) & 1)
			j++;
		if (j > i)
			pb_printf(b, "%s%d-%d", sep, i, j);
		else
			pb_printf(b, "%s%d", sep, i);
		sep = ",";
	}
	pb_printf(b, "\nvoluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}

/* Linux's 52 fields (fs/proc/array.c do_task_stat); what the kernel
 * does not keep reads 0, the RSS limit unlimited, the exit signal
 * SIGCHLD as for any process started by fork. */
void gen_pid_stat(struct pbuf *b, struct uk_process *p)
{
	uint64_t cpu = p->dead_cpu_ns;
	for (struct uk_thread *t = p->threads; t; t = t->next_in_proc)
		cpu += t->cpu_ns;
	pb_printf(b, "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %lu 0 %lu 0 20 0 %d 0 %lu %lu 0 "
		  "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0 "
		  "0 0 0 0 0 0 0 %d\n",
		  p->pid, p->comm, state_of(p), uk_process_ppid(p), p->pgid, p->sid,
		  (unsigned long)(cpu / 10000000ULL), (unsigned long)(p->children_cpu_ns / 10000000ULL),
		  p->nthreads ? p->nthreads : 1, (unsigned long)(p->start_ns / 10000000ULL),
		  vm_kb(p, 0) * 1024, p->exit_signal, p->state == UK_PROC_ZOMBIE ? p->wstatus : 0);
}

void gen_comm(struct pbuf *b, struct uk_process *p)
{
	pb_printf(b, "%s\n", p->comm);
}

void gen_cmdline(struct pbuf *b, struct uk_process *p)
{
	char *const *argv = uk_process_argv_of(p);
	for (int i = 0; argv && argv[i]; i++)
		pb_put(b, argv[i], strlen(argv[i]) + 1);
}

void gen_environ(struct pbuf *b, struct uk_process *p)
{
	(void)b, (void)p;	/* the environment lives in the program's own memory */
}

void gen_mounts(struct pbuf *b, struct uk_process *p)
{
	(void)p;	/* about the whole system */
	for (struct uk_mount *m = uk_vfs_mounts(); m; m = m->next) {
		char path[256] = "/";
		if (m->mountpoint && uk_vfs_dir_path(m->mountpoint, path, sizeof(path)) < 0)
			strcpy(path, "?");
		pb_printf(b, "%s %s %s %s 0 0\n", m->fstype, path, m->fstype,
			  m->readonly ? "ro" : "rw");
	}
}

void gen_meminfo(struct pbuf *b, struct uk_process *p)
{
	(void)p;	/* about the whole system */
	unsigned long total = uk_pmem_total_pages() * 4, avail = uk_pmem_free_pages() * 4;
	pb_printf(b, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
		  "MemAvailable:   %8lu kB\nBuffers:               0 kB\n"
		  "Cached:                0 kB\nSwapCached:            0 kB\n"
		  "SwapTotal:             0 kB\nSwapFree:              0 kB\n"
		  "Shmem:                 0 kB\nHugePages_Total:       0\n"
		  "Hugepagesize:       2048 kB\n", total, avail, avail);
}

void gen_cpuinfo(struct pbuf *b, struct uk_process *p)
{
	(void)p;	/* about the whole system */
	uint32_t a, bb, c, d, sig[4];
	char brand[49] = { 0 };
	cpuid(0, 0, &a, &sig[0], &sig[2], &sig[1]);
	sig[3] = 0;
	cpuid(0x80000000, 0, &a, &bb, &c, &d);
	if (a >= 0x80000004)
		for (uint32_t i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, (uint32_t *)&brand[16 * i],
			      (uint32_t *)&brand[16 * i + 4], (uint32_t *)&brand[16 * i + 8],
			      (uint32_t *)&brand[16 * i + 12]);
	cpuid(1, 0, &a, &bb, &c, &d);
	int n = uk_sched_ncpus();
	for (int cpu = 0; cpu < n; cpu++)
		pb_printf(b, "processor\t: %d\nvendor_id\t: %.12s\ncpu family\t: %u\nmodel\t\t: %u\n"
			  "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %lu.%03lu\n"
			  "cache size\t: 512 KB\nphysical id\t: 0\nsiblings\t: %d\ncore id\t\t: %d\n"
			  "cpu cores\t: %d\napicid\t\t: %d\nfpu\t\t: yes\nflags\t\t: fpu tsc msr pae cx8 apic sep cmov "
			  "pat clflush mmx fxsr sse sse2 syscall nx lm%s%s%s%s%s\n"
			  "bogomips\t: %lu.00\nclflush size\t: 64\ncache_alignment\t: 64\n"
			  "address sizes\t: 40 bits physical, 48 bits virtual\n\n",
			  cpu, (char *)sig, ((a >> 8) & 0xf) + ((a >> 20) & 0xff),
			  ((a >> 4) & 0xf) | ((a >> 12) & 0xf0),
			  brand[0] ? brand : "QEMU Virtual CPU", a & 0xf,
			  (unsigned long)(ukplat_tsc_khz() / 1000), (unsigned long)(ukplat_tsc_khz() % 1000),
			  n, cpu, n, cpu,
			  (c & 1) ? " pni" : "", (c & (1 << 9)) ? " ssse3" : "",
			  (c & (1 << 19)) ? " sse4_1" : "", (c & (1 << 20)) ? " sse4_2" : "",
			  (c & (1 << 28)) ? " avx" : "", (unsigned long)(ukplat_tsc_khz() / 500));
}

void gen_uptime(struct pbuf *b, struct uk_process *p)
{
	(void)p;	/* about the whole system */
	uint64_t ns = ukplat_monotonic_ns();
	pb_printf(b, "%lu.%02lu %lu.%02lu\n", (unsigned long)(ns / 1000000000ULL),
		  (unsigned long)(ns / 10000000ULL % 100), (unsigned long)(ns / 1000000000ULL),
		  (unsigned long)(ns / 10000000ULL % 100));
}

void gen_version(struct pbuf *b, struct uk_process *p)
{
	(void)p;	/* about the whole system */
	pb_printf(b, "Linux version 6.1.0-unikernel (unikernel) #1 SMP\n");
}

void gen_filesystems(struct pbuf *b, struct uk_process *p)
{
	(void)p;	/* about the whole system */
	pb_printf(b, "nodev\tramfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tpipefs\n");
}

void gen_stat(struct pbuf *b, struct uk_process *p)
{
	(void)p;	/* about the whole system */
	uint64_t ticks = ukplat_monotonic_ns() / 10000000ULL;
	int n = uk_sched_ncpus();
	/* Time is not split by CPU here: each is counted as busy throughout. */
	pb_printf(b, "cpu  %lu 0 0 0 0 0 0 0 0 0\n", (unsigned long)(ticks * (uint64_t)n));
	for (int cpu = 0; cpu < n; cpu++)
		pb_printf(b, "cpu%d %lu 0 0 0 0 0 0 0 0 0\n", cpu, (unsigned long)ticks);
	pb_printf(b, "btime %lu\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n",
		  (unsigned long)((ukplat_wall_clock_ns() - ukplat_monotonic_ns()) / 1000000000ULL));
}

/* Linux's fs/proc/base.c proc_pid_limits, row for row. */
void gen_limits(struct pbuf *b, struct uk_process *p)
{
	static const struct {
		const char *name, *unit;
	} rows[RLIM_NLIMITS] = {
		[RLIMIT_CPU] = { "Max cpu time", "seconds" },
		[RLIMIT_FSIZE] = { "Max file size", "bytes" },
		[RLIMIT_DATA] = { "Max data size", "bytes" },
		[RLIMIT_STACK] = { "Max stack size", "bytes" },
		[RLIMIT_CORE] = { "Max core file size", "bytes" },
		[RLIMIT_RSS] = { "Max resident set", "bytes" },
		[RLIMIT_NPROC] = { "Max processes", "processes" },
		[RLIMIT_NOFILE] = { "Max open files", "files" },
		[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
		[RLIMIT_AS] = { "Max address space", "bytes" },
		[RLIMIT_LOCKS] = { "Max file locks", "locks" },
		[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
		[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
		[RLIMIT_NICE] = { "Max nice priority", NULL },
		[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
		[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
	};
	pb_printf(b, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (unsigned i = 0; i < RLIM_NLIMITS; i++) {
		struct rlimit64 rl;
		char cur[24], max[24];
		rl = p->limits[i];
		if (rl.rlim_cur == RLIM64_INFINITY)
			strcpy(cur, "unlimited");
		else
			snprintf(cur, sizeof(cur), "%llu", (unsigned long long)rl.rlim_cur);
		if (rl.rlim_max == RLIM64_INFINITY)
			strcpy(max, "unlimited");
		else
			snprintf(max, sizeof(max), "%llu", (unsigned long long)rl.rlim_max);
		pb_printf(b, "%-25s %-20s %-20s ", rows[i].name, cur, max);
		if (rows[i].unit)
			pb_printf(b, "%-10s\n", rows[i].unit);
		else
			pb_put(b, "\n", 1);
	}
}
