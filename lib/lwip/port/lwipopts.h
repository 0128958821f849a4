/* lwIP options for the kernel: NO_SYS (the raw API, every call made
 * with interrupts off from system calls or timer callbacks, never
 * concurrently), memory from the kernel's malloc, IPv4 and IPv6,
 * loopback, DHCP. The socket layer is our own (inet_sock.c). */
#pragma once

#define NO_SYS				1
#define SYS_LIGHTWEIGHT_PROT		0
#define LWIP_SOCKET			0
#define LWIP_NETCONN			0
#define LWIP_TIMERS			1

/* Memory: the heap and every pool from malloc, so .bss stays small and
 * only what is in use takes memory. */
#define MEM_LIBC_MALLOC			1
#define MEMP_MEM_MALLOC			1
#define MEM_ALIGNMENT			8
#define MEM_SIZE			(256 * 1024)
#define MEMP_NUM_TCP_PCB		256
#define MEMP_NUM_TCP_PCB_LISTEN		64
#define MEMP_NUM_UDP_PCB		64
#define MEMP_NUM_TCP_SEG		1024
#define MEMP_NUM_PBUF			1024
#define MEMP_NUM_REASSDATA		16
#define MEMP_NUM_FRAG_PBUF		64
#define MEMP_NUM_SYS_TIMEOUT		(LWIP_NUM_SYS_TIMEOUT_INTERNAL + 4)
#define PBUF_POOL_SIZE			512

/* Protocols. */
#define LWIP_IPV4			1
#define LWIP_IPV6			1
#define LWIP_ARP			1
#define LWIP_ETHERNET			1
#define LWIP_ICMP			1
#define LWIP_RAW			1	/* SOCK_RAW (raw_sock.c) */
#define LWIP_UDP			1
#define LWIP_UDPLITE			1	/* IPPROTO_UDPLITE sockets */
#define LWIP_TCP			1
#define LWIP_DHCP			1
#define LWIP_DNS			0
#define LWIP_IGMP			0
#define LWIP_AUTOIP			0
#define LWIP_IPV6_DHCP6			0
#define LWIP_IPV6_MLD			1
#define LWIP_IPV6_AUTOCONFIG		1
#define LWIP_ICMP6			1
/* Linux's default TTL and hop limit (net.ipv4.ip_default_ttl). */
#define IP_DEFAULT_TTL			64
#define IP_REASSEMBLY			1
#define IP_FRAG				1
#define LWIP_IPV6_FRAG			1
#define LWIP_IPV6_REASS			1
#define IPV6_FRAG_COPYHEADER		1	/* 64-bit pointers */
#define ARP_QUEUEING			1
#define ETHARP_SUPPORT_STATIC_ENTRIES	0
#define LWIP_ETHERNET_PAD		0

/* Loopback: 127.0.0.1 and ::1 (the loop interface), and traffic to the
 * interfaces' own addresses. Delivered by netif_poll_all(). */
#define LWIP_HAVE_LOOPIF		1
#define LWIP_NETIF_LOOPBACK		1
#define LWIP_LOOPBACK_MAX_PBUFS		0
#define LWIP_NETIF_LOOPBACK_MULTITHREADING 0
#define LWIP_SINGLE_NETIF		0
#define LWIP_NETIF_HOSTNAME		0
#define LWIP_NETIF_STATUS_CALLBACK	0
#define LWIP_NETIF_LINK_CALLBACK	0

/* TCP: a 64 KB window (without window scaling), as large a send
 * buffer; SO_REUSEADDR; the listen backlog is the socket layer's. */
#define TCP_MSS				1460
#define TCP_WND				(44 * TCP_MSS)
#define TCP_SND_BUF			(44 * TCP_MSS)
#define TCP_SND_QUEUELEN		(4 * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT			(TCP_SND_BUF / 4)
#define TCP_QUEUE_OOSEQ			1
#define TCP_LISTEN_BACKLOG		0
#define LWIP_TCP_KEEPALIVE		1
#define LWIP_TCP_TIMESTAMPS		0
#define TCP_OVERSIZE			TCP_MSS
#define LWIP_TCP_SACK_OUT		0
#define SO_REUSE			1
#define SO_REUSE_RXTOALL		1
#define LWIP_CALLBACK_API		1
#define LWIP_EVENT_API			0

/* Checksums computed and checked in software (QEMU's user networking
 * offers no offloads to a device without them negotiated). */
#define LWIP_CHKSUM_ALGORITHM		3

#define LWIP_STATS			0
#define LWIP_DEBUG			0
#define LWIP_PERF			0
