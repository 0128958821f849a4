/* Network diagnostics: with the boot argument netstat=SECONDS the kernel
 * prints, every SECONDS, the device's counters and every TCP connection
 * (state, what it has not sent, what is unacknowledged, both windows,
 * data lwIP holds for a full socket) on the log stream. For chasing
 * stalls without a debugger: `run.sh -a netstat=5 ...`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/plat.h>
#include <uk/init.h>
#include <uk/sched.h>
#include <uk/netdev.h>
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip_internal.h"

#define MAX_LISTED 12

static struct uk_timer timer;
static uint64_t period_ns;

static void dump(struct uk_timer *t)
{
	struct uk_netdev *nd = uk_lwip_netdev();
	if (nd) {
		struct uk_netdev_stats st;
		uk_netdev_stats(nd, &st);
		printf("netstat: rx %llu tx %llu tx-busy %llu irqs %llu rx-nopbuf %llu; "
		       "rx ring: %u free, avail %u, used %u, taken %u\n",
		       (unsigned long long)st.rx_frames, (unsigned long long)st.tx_frames,
		       (unsigned long long)st.tx_busy, (unsigned long long)st.irqs,
		       (unsigned long long)uk_lwip_rx_nopbuf, st.rx_free, st.rx_avail,
		       st.rx_used, st.rx_last_used);
	}
	int n = 0, listed = 0;
	for (struct tcp_pcb *p = tcp_active_pcbs; p; p = p->next, n++) {
		if (listed++ >= MAX_LISTED)
			continue;
		unsigned unsent = 0, unacked = 0;
		for (struct tcp_seg *s = p->unsent; s; s = s->next)
			unsent += s->len;
		for (struct tcp_seg *s = p->unacked; s; s = s->next)
			unacked += s->len;
		printf("netstat:   :%u->:%u %s unsent %u unacked %u snd_wnd %u rcv_wnd %u "
		       "snd_buf %u refused %u rto %d\n",
		       p->local_port, p->remote_port, tcp_debug_state_str(p->state),
		       unsent, unacked, (unsigned)p->snd_wnd, (unsigned)p->rcv_wnd,
		       (unsigned)p->snd_buf, p->refused_data ? p->refused_data->tot_len : 0,
		       (int)p->rto);
	}
	printf("netstat: %d TCP connections\n", n);
	uk_timer_arm(t, ukplat_monotonic_ns() + period_ns);
}

static int diag_init(void)
{
	size_t len;
	const char *v = ukplat_bootarg("netstat", &len);
	long s = v ? strtol(v, NULL, 10) : 0;
	if (s > 0) {
		period_ns = (uint64_t)s * 1000000000ULL;
		timer.fn = dump;
		uk_timer_arm(&timer, ukplat_monotonic_ns() + period_ns);
	}
	return 0;
}
UK_INIT_AT(diag_init, UK_INIT_LEVEL_LATE);
