/* Name resolution from the files alone (tests/net/run-net-tests.sh): glibc's
 * getaddrinfo, gethostbyname and getnameinfo on "localhost" and numeric
 * addresses, which need /etc/hosts and /etc/nsswitch.conf ("hosts: files
 * dns") but no name server. Run natively and in the guest; the output must
 * be the same. Hosts list ::1 under "localhost" or not, so for the
 * AF_UNSPEC lookup only what every Linux gives is printed: 127.0.0.1 is
 * there and nothing is not loopback. Exits 1 after a line "FAIL ...". */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int failed;

#define FAIL(...)                       \
	do {                            \
		printf("FAIL ");        \
		printf(__VA_ARGS__);    \
		printf("\n");           \
		failed = 1;             \
	} while (0)

static const char *family(int f)
{
	return f == AF_INET ? "AF_INET" : f == AF_INET6 ? "AF_INET6" : "AF_?";
}

static const char *socktype(int t)
{
	switch (t) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_RAW: return "raw";
	default: return "?";
	}
}

/* The address and port of one result, as text. */
static void addr_text(const struct addrinfo *ai, char *buf, size_t len, int *port)
{
	if (ai->ai_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ai->ai_addr;
		inet_ntop(AF_INET, &s->sin_addr, buf, len);
		*port = ntohs(s->sin_port);
	} else if (ai->ai_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)ai->ai_addr;
		inet_ntop(AF_INET6, &s->sin6_addr, buf, len);
		*port = ntohs(s->sin6_port);
	} else {
		snprintf(buf, len, "?");
		*port = -1;
	}
}

static int is_loopback(const struct addrinfo *ai)
{
	if (ai->ai_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ai->ai_addr;
		return (ntohl(s->sin_addr.s_addr) >> 24) == 127;
	}
	if (ai->ai_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)ai->ai_addr;
		return IN6_IS_ADDR_LOOPBACK(&s->sin6_addr);
	}
	return 0;
}

/* Prints every result of getaddrinfo(node, service) with these hints. */
static void show(const char *node, const char *service, int fam, int type, int flags)
{
	struct addrinfo hints, *res, *ai;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = fam;
	hints.ai_socktype = type;
	hints.ai_flags = flags;
	int rc = getaddrinfo(node, service, &hints, &res);
	printf("getaddrinfo %s %s %s %s flags %#x:", node ? node : "-", service ? service : "-",
	       fam == AF_UNSPEC ? "AF_UNSPEC" : family(fam), type ? socktype(type) : "any",
	       flags);
	if (rc) {
		printf(" error %d (%s)\n", rc, gai_strerror(rc));
		return;
	}
	printf("\n");
	for (ai = res; ai; ai = ai->ai_next) {
		char a[INET6_ADDRSTRLEN];
		int port;
		addr_text(ai, a, sizeof(a), &port);
		printf("  %s %s port %d %s proto %d", family(ai->ai_family), a, port,
		       socktype(ai->ai_socktype), ai->ai_protocol);
		if (ai->ai_canonname)
			printf(" canonname %s", ai->ai_canonname);
		printf("\n");
	}
	freeaddrinfo(res);
}

/* getaddrinfo("localhost") for any family: 127.0.0.1 among the results,
 * all of them loopback. */
static void localhost_unspec(void)
{
	struct addrinfo hints, *res, *ai;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo("localhost", "80", &hints, &res);
	if (rc) {
		FAIL("getaddrinfo localhost AF_UNSPEC: %d (%s)", rc, gai_strerror(rc));
		return;
	}
	int has_v4 = 0, n = 0;
	for (ai = res; ai; ai = ai->ai_next, n++) {
		char a[INET6_ADDRSTRLEN];
		int port;
		addr_text(ai, a, sizeof(a), &port);
		if (!is_loopback(ai))
			FAIL("localhost AF_UNSPEC gave %s", a);
		if (port != 80)
			FAIL("localhost AF_UNSPEC: port %d", port);
		if (!strcmp(a, "127.0.0.1"))
			has_v4 = 1;
	}
	freeaddrinfo(res);
	if (!has_v4)
		FAIL("localhost AF_UNSPEC: no 127.0.0.1 among %d results", n);
	printf("getaddrinfo localhost 80 AF_UNSPEC stream: 127.0.0.1 %s, all loopback\n",
	       has_v4 ? "present" : "missing");
}

static void hostent(const char *name)
{
	struct hostent *h = gethostbyname(name);
	if (!h) {
		printf("gethostbyname %s: h_errno %d\n", name, h_errno);
		return;
	}
	char a[INET6_ADDRSTRLEN];
	inet_ntop(h->h_addrtype, h->h_addr_list[0], a, sizeof(a));
	printf("gethostbyname %s: h_name %s, %s, length %d, first %s\n", name, h->h_name,
	       family(h->h_addrtype), h->h_length, a);
}

static void reverse(const char *addr, int flags)
{
	struct sockaddr_in s;
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons(8080);
	inet_pton(AF_INET, addr, &s.sin_addr);
	int rc = getnameinfo((struct sockaddr *)&s, sizeof(s), host, sizeof(host), serv,
			     sizeof(serv), flags | NI_NUMERICSERV);
	if (rc)
		printf("getnameinfo %s flags %#x: error %d (%s)\n", addr, flags, rc,
		       gai_strerror(rc));
	else
		printf("getnameinfo %s flags %#x: %s %s\n", addr, flags, host, serv);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	show("localhost", NULL, AF_INET, SOCK_STREAM, 0);
	show("localhost", "80", AF_INET, SOCK_DGRAM, AI_CANONNAME);
	localhost_unspec();
	show("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
	show("127.0.0.1", NULL, AF_UNSPEC, 0, AI_NUMERICHOST);
	show("::1", NULL, AF_UNSPEC, 0, AI_NUMERICHOST);
	show("::1", "443", AF_INET6, SOCK_STREAM, AI_NUMERICHOST | AI_NUMERICSERV);
	show("localhost", NULL, AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
	show("127.0.0.1", NULL, AF_INET6, SOCK_STREAM, AI_NUMERICHOST);
	show(NULL, "8080", AF_INET, SOCK_STREAM, AI_PASSIVE);
	hostent("localhost");
	hostent("127.0.0.1");
	reverse("127.0.0.1", NI_NUMERICHOST);
	reverse("127.0.0.1", 0);
	return failed;
}
