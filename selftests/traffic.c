// SPDX-License-Identifier: GPL-2.0
/*
 * traffic: ordinary-socket traffic for the selftests, sent and checked
 * byte for byte.  It uses plain kernel sockets on purpose: the peers are
 * stock veths (checksum offload on), as in any container.
 *
 *   traffic udp-send ADDR PORT COUNT SIZE [SPORT]
 *   traffic udp-recv PORT COUNT TIMEOUT_MS
 *                              -> "received N bad M dup D bytes B"
 *                              (D: a sender's datagram seen again)
 *   traffic tcp-send ADDR PORT BYTES
 *   traffic tcp-recv PORT TIMEOUT_MS             -> "received B bad M"
 *   traffic udp-send-rate ADDR PORT COUNT SIZE PPS [SPORT]
 *                                                (paced at PPS datagrams/s)
 *   traffic udp-peers PORT TIMEOUT_MS [ADDR]     (echo server, on ADDR
 *                                 if given, that prints "peer ADDR PORT"
 *                                 once per peer, then "echoed N")
 *   traffic udp-msg ADDR PORT COUNT MSG [SPORT]  (MSG as payload, \xHH
 *                                                escapes allowed)
 *   traffic udp-echo PORT TIMEOUT_MS             (echo server)
 *   traffic udp-ping ADDR PORT COUNT SIZE TIMEOUT_MS [SPORT]
 *                                                -> "replies N bad M"
 *   traffic malformed IFNAME DST_MAC            (AF_PACKET: bad frames)
 *   traffic udp-multi ADDR PORT_BASE N [SPORT]  (one datagram to each of
 *                                                PORT_BASE+1..PORT_BASE+N)
 *
 * Payloads: byte i of datagram s is (s * 31 + i) & 0xff, with s in the
 * first 4 bytes; a TCP stream carries byte i = (i * 7 + i / 251) & 0xff.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DGRAM 65507

static uint8_t dgram_byte(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 31 + i);
}

static uint8_t stream_byte(uint64_t i)
{
	return (uint8_t)(i * 7 + i / 251);
}

static void fill_dgram(uint8_t *buf, uint32_t seq, uint32_t size)
{
	uint32_t i;

	for (i = 0; i < size; i++)
		buf[i] = dgram_byte(seq, i);
	if (size >= 4)
		memcpy(buf, &seq, 4);
}

static int check_dgram(const uint8_t *buf, uint32_t size)
{
	uint32_t seq, i;

	if (size < 4)
		return 0;
	memcpy(&seq, buf, 4);
	for (i = 4; i < size; i++)
		if (buf[i] != dgram_byte(seq, i))
			return 0;
	return 1;
}

static int parse_addr(const char *s, uint16_t port, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
		return AF_INET6;
	}
	fprintf(stderr, "traffic: bad address %s\n", s);
	exit(2);
}

static int bound_socket(int type, uint16_t port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port) };
	int fd = socket(AF_INET6, type, 0), zero = 0, one = 1;
	int rcvbuf = 16 << 20;

	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* A receiver starved of CPU must not be what loses datagrams. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sin6, sizeof(sin6))) {
		perror("bind");
		exit(2);
	}
	return fd;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int wait_in(int fd, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long long left = deadline - now_ms();

	if (left <= 0)
		return 0;
	return poll(&p, 1, (int)left) > 0;
}

static int udp_send(int argc, char **argv)
{
	struct sockaddr_storage ss;
	static uint8_t buf[MAX_DGRAM];
	uint32_t count, size, s;
	socklen_t len;
	int fd, fam;

	if (argc < 6)
		return 2;
	fam = parse_addr(argv[2], (uint16_t)atoi(argv[3]), &ss, &len);
	count = (uint32_t)atoi(argv[4]);
	size = (uint32_t)atoi(argv[5]);
	if (size > MAX_DGRAM)
		size = MAX_DGRAM;
	fd = socket(fam, SOCK_DGRAM, 0);
	if (argc > 6) {
		struct sockaddr_storage src;
		socklen_t slen;

		parse_addr(fam == AF_INET ? "0.0.0.0" : "::",
			   (uint16_t)atoi(argv[6]), &src, &slen);
		if (bind(fd, (struct sockaddr *)&src, slen))
			perror("bind");
	}
	for (s = 0; s < count; s++) {
		fill_dgram(buf, s, size);
		if (sendto(fd, buf, size, 0, (struct sockaddr *)&ss, len) < 0)
			perror("sendto");
		/* Don't outrun a 2-core machine: the test is about bytes. */
		if ((s & 15) == 15)
			usleep(1000);
	}
	close(fd);
	return 0;
}

static int udp_multi(int argc, char **argv)
{
	struct sockaddr_storage ss;
	uint8_t buf[64];
	socklen_t len;
	int fd, fam, base, n, i;

	if (argc < 5)
		return 2;
	base = atoi(argv[3]);
	n = atoi(argv[4]);
	fam = parse_addr(argv[2], 0, &ss, &len);
	fd = socket(fam, SOCK_DGRAM, 0);
	if (argc > 5) {
		struct sockaddr_storage src;
		socklen_t slen;

		parse_addr(fam == AF_INET ? "0.0.0.0" : "::",
			   (uint16_t)atoi(argv[5]), &src, &slen);
		if (bind(fd, (struct sockaddr *)&src, slen))
			perror("bind");
	}
	fill_dgram(buf, 0, sizeof(buf));
	for (i = 1; i <= n; i++) {
		if (fam == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)(base + i));
		else
			((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)(base + i));
		sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, len);
	}
	close(fd);
	return 0;
}

/*
 * The datagrams udp-recv has seen, by sender and sequence number: one
 * seen again is a frame the path delivered twice, not one more datagram
 * (a loss and a duplicate must not add up to "all received").  Senders
 * all number from 0, so the sender's address and port are in the key.
 * Open addressing, at least twice as many slots as datagrams counted.
 */
struct seen {
	struct in6_addr addr;
	uint16_t port;
	uint8_t used;
	uint32_t seq;
};

static struct seen *seen;
static size_t seen_mask;

static void seen_init(uint32_t count)
{
	size_t n = 64;

	while (n < 2 * (size_t)count)
		n <<= 1;
	seen = calloc(n, sizeof(*seen));
	if (!seen) {
		perror("calloc");
		exit(2);
	}
	seen_mask = n - 1;
}

/* 1 if this sender's SEQ was seen before; else remember it, 0. */
static int seen_before(const struct sockaddr_in6 *from, uint32_t seq)
{
	uint32_t h = seq * 2654435761u ^ from->sin6_port;
	size_t i;

	for (i = 0; i < 16; i++)
		h = h * 31 + from->sin6_addr.s6_addr[i];
	for (i = h & seen_mask; seen[i].used; i = (i + 1) & seen_mask) {
		if (seen[i].seq == seq && seen[i].port == from->sin6_port &&
		    !memcmp(&seen[i].addr, &from->sin6_addr, 16))
			return 1;
	}
	seen[i].addr = from->sin6_addr;
	seen[i].port = from->sin6_port;
	seen[i].seq = seq;
	seen[i].used = 1;
	return 0;
}

static int udp_recv(int argc, char **argv)
{
	static uint8_t buf[MAX_DGRAM];
	uint32_t count, got = 0, bad = 0, dup = 0, seq;
	unsigned long long bytes = 0;
	struct sockaddr_in6 from;
	long long deadline;
	int fd;

	if (argc < 5)
		return 2;
	fd = bound_socket(SOCK_DGRAM, (uint16_t)atoi(argv[2]));
	count = (uint32_t)atoi(argv[3]);
	deadline = now_ms() + atoi(argv[4]);
	seen_init(count);
	printf("ready\n");
	fflush(stdout);
	while (got + bad < count && wait_in(fd, deadline)) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			continue;
		if (!check_dgram(buf, (uint32_t)n)) {
			bad++;
			continue;
		}
		memcpy(&seq, buf, 4);
		if (seen_before(&from, seq)) {
			dup++;
			continue;
		}
		got++;
		bytes += (unsigned long long)n;
	}
	printf("received %u bad %u dup %u bytes %llu\n", got, bad, dup, bytes);
	return 0;
}

static int udp_echo(int argc, char **argv)
{
	static uint8_t buf[MAX_DGRAM];
	struct sockaddr_storage from;
	long long deadline;
	int fd;

	if (argc < 4)
		return 2;
	fd = bound_socket(SOCK_DGRAM, (uint16_t)atoi(argv[2]));
	deadline = now_ms() + atoi(argv[3]);
	printf("ready\n");
	fflush(stdout);
	while (wait_in(fd, deadline)) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n > 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from,
			       fl);
	}
	return 0;
}

static int udp_ping(int argc, char **argv)
{
	static uint8_t buf[MAX_DGRAM], in[MAX_DGRAM];
	struct sockaddr_storage ss;
	uint32_t count, size, s, replies = 0, bad = 0;
	long long deadline;
	socklen_t len;
	int fd, fam;

	if (argc < 7)
		return 2;
	fam = parse_addr(argv[2], (uint16_t)atoi(argv[3]), &ss, &len);
	count = (uint32_t)atoi(argv[4]);
	size = (uint32_t)atoi(argv[5]);
	if (size < 4)
		size = 4;
	fd = socket(fam, SOCK_DGRAM, 0);
	if (argc > 7) {
		struct sockaddr_storage src;
		socklen_t slen;

		parse_addr(fam == AF_INET ? "0.0.0.0" : "::",
			   (uint16_t)atoi(argv[7]), &src, &slen);
		if (bind(fd, (struct sockaddr *)&src, slen))
			perror("bind");
	}
	if (connect(fd, (struct sockaddr *)&ss, len)) {
		perror("connect");
		return 2;
	}
	for (s = 0; s < count; s++) {
		fill_dgram(buf, s, size);
		send(fd, buf, size, 0);
		deadline = now_ms() + atoi(argv[6]);
		while (wait_in(fd, deadline)) {
			ssize_t n = recv(fd, in, sizeof(in), 0);
			uint32_t seq;

			if (n != (ssize_t)size || !check_dgram(in, size)) {
				bad++;
				continue;
			}
			memcpy(&seq, in, 4);
			if (seq == s) {
				replies++;
				break;
			}
		}
	}
	printf("replies %u bad %u\n", replies, bad);
	return 0;
}

/* A socket for ADDR:PORT, bound to SPORT (argv[i]) if given. */
static int udp_client(const char *addr, const char *port, const char *sport,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	int fam = parse_addr(addr, (uint16_t)atoi(port), ss, len), fd;

	fd = socket(fam, SOCK_DGRAM, 0);
	if (sport) {
		struct sockaddr_storage src;
		socklen_t slen;

		parse_addr(fam == AF_INET ? "0.0.0.0" : "::",
			   (uint16_t)atoi(sport), &src, &slen);
		if (bind(fd, (struct sockaddr *)&src, slen))
			perror("bind");
	}
	return fd;
}

static int udp_send_rate(int argc, char **argv)
{
	static uint8_t buf[MAX_DGRAM];
	struct sockaddr_storage ss;
	struct timespec next;
	uint32_t count, size, pps, s;
	socklen_t len;
	int fd;

	if (argc < 7)
		return 2;
	fd = udp_client(argv[2], argv[3], argc > 7 ? argv[7] : NULL, &ss, &len);
	count = (uint32_t)atoi(argv[4]);
	size = (uint32_t)atoi(argv[5]);
	pps = (uint32_t)atoi(argv[6]);
	if (size > MAX_DGRAM)
		size = MAX_DGRAM;
	if (!pps)
		pps = 1;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (s = 0; s < count; s++) {
		fill_dgram(buf, s, size);
		if (sendto(fd, buf, size, 0, (struct sockaddr *)&ss, len) < 0)
			perror("sendto");
		next.tv_nsec += 1000000000L / pps;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	close(fd);
	printf("sent %u\n", count);
	return 0;
}

static int udp_peers(int argc, char **argv)
{
	static uint8_t buf[MAX_DGRAM];
	struct sockaddr_storage from, seen[256];
	unsigned long echoed = 0;
	long long deadline;
	int fd, n_seen = 0, i;

	if (argc < 4)
		return 2;
	if (argc > 4) {
		/* On one address: replies leave from it, as a server's. */
		struct sockaddr_storage ss;
		socklen_t len;
		int fam = parse_addr(argv[4], (uint16_t)atoi(argv[2]), &ss, &len);

		fd = socket(fam, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len)) {
			perror("bind");
			return 2;
		}
	} else {
		fd = bound_socket(SOCK_DGRAM, (uint16_t)atoi(argv[2]));
	}
	deadline = now_ms() + atoi(argv[3]);
	printf("ready\n");
	fflush(stdout);
	while (wait_in(fd, deadline)) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&from;
		struct sockaddr_in *s4 = (struct sockaddr_in *)&from;
		char a[INET6_ADDRSTRLEN];

		if (n <= 0)
			continue;
		for (i = 0; i < n_seen; i++)
			if (!memcmp(&seen[i], &from, fl))
				break;
		if (i == n_seen && n_seen < 256) {
			memcpy(&seen[n_seen++], &from, fl);
			/* v4-mapped on the dual-stack socket: print as v4. */
			if (from.ss_family == AF_INET)
				inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
			else if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
				inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], a,
					  sizeof(a));
			else
				inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
			printf("peer %s %u\n", a, ntohs(from.ss_family == AF_INET ?
						     s4->sin_port : s6->sin6_port));
		}
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from,
			   fl) == n)
			echoed++;
	}
	printf("echoed %lu\n", echoed);
	return 0;
}

static int udp_msg(int argc, char **argv)
{
	struct sockaddr_storage ss;
	uint8_t buf[2048];
	const char *m;
	uint32_t count, s;
	socklen_t len;
	size_t n = 0;
	int fd;

	if (argc < 6)
		return 2;
	for (m = argv[5]; *m && n < sizeof(buf); m++) {
		unsigned int x;

		if (m[0] == '\\' && m[1] == 'x' && sscanf(m + 2, "%2x", &x) == 1) {
			buf[n++] = (uint8_t)x;
			m += 3;
		} else {
			buf[n++] = (uint8_t)*m;
		}
	}
	fd = udp_client(argv[2], argv[3], argc > 6 ? argv[6] : NULL, &ss, &len);
	count = (uint32_t)atoi(argv[4]);
	for (s = 0; s < count; s++) {
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&ss, len) < 0)
			perror("sendto");
		usleep(1000);
	}
	close(fd);
	return 0;
}

static int tcp_send(int argc, char **argv)
{
	struct sockaddr_storage ss;
	static uint8_t buf[65536];
	unsigned long long total, sent = 0;
	socklen_t len;
	int fd, fam;

	if (argc < 5)
		return 2;
	fam = parse_addr(argv[2], (uint16_t)atoi(argv[3]), &ss, &len);
	total = strtoull(argv[4], NULL, 0);
	fd = socket(fam, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&ss, len)) {
		perror("connect");
		return 1;
	}
	while (sent < total) {
		size_t chunk = sizeof(buf), i;
		ssize_t n;

		if (chunk > total - sent)
			chunk = (size_t)(total - sent);
		for (i = 0; i < chunk; i++)
			buf[i] = stream_byte(sent + i);
		n = send(fd, buf, chunk, 0);
		if (n <= 0) {
			perror("send");
			return 1;
		}
		sent += (unsigned long long)n;
		/* Partial send: the next round rebuilds from 'sent'. */
	}
	shutdown(fd, SHUT_WR);
	while (recv(fd, buf, sizeof(buf), 0) > 0)
		;
	close(fd);
	printf("sent %llu\n", sent);
	return 0;
}

static int tcp_recv(int argc, char **argv)
{
	static uint8_t buf[65536];
	unsigned long long got = 0, bad = 0;
	long long deadline;
	int lfd, fd;

	if (argc < 4)
		return 2;
	lfd = bound_socket(SOCK_STREAM, (uint16_t)atoi(argv[2]));
	listen(lfd, 1);
	deadline = now_ms() + atoi(argv[3]);
	printf("ready\n");
	fflush(stdout);
	if (!wait_in(lfd, deadline)) {
		printf("received 0 bad 0\n");
		return 0;
	}
	fd = accept(lfd, NULL, NULL);
	while (wait_in(fd, deadline)) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0), i;

		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] != stream_byte(got + (unsigned long long)i))
				bad++;
		got += (unsigned long long)n;
	}
	close(fd);
	printf("received %llu bad %llu\n", got, bad);
	return 0;
}

/*
 * Malformed frames, sent raw on IFNAME: each is something the classifier
 * must count and survive.  Prints how many were sent.
 */
static int malformed(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	uint8_t mac[6], f[128];
	int fd, n = 0, k;
	unsigned int m[6];

	if (argc < 4 || sscanf(argv[3], "%x:%x:%x:%x:%x:%x", &m[0], &m[1],
			       &m[2], &m[3], &m[4], &m[5]) != 6)
		return 2;
	for (k = 0; k < 6; k++)
		mac[k] = (uint8_t)m[k];
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = (int)if_nametoindex(argv[2]);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, mac, 6);
	if (fd < 0 || !sll.sll_ifindex) {
		perror("packet socket");
		return 2;
	}
#define SEND(len) do {							\
	sendto(fd, f, (len), 0, (struct sockaddr *)&sll, sizeof(sll));	\
	n++;								\
} while (0)
	for (k = 0; k < 10; k++) {
		/* Ethernet + IPv4 header skeleton: 198.18.0.1 -> .2 UDP */
		static const uint8_t ip[20] = {
			0x45, 0, 0, 48, 0, 0, 0x40, 0, 64, 17, 0, 0,
			198, 18, 0, 1, 198, 18, 0, 2 };

		memset(f, 0, sizeof(f));
		memcpy(f, mac, 6);
		f[6] = 0x02; f[11] = 0x01;
		f[12] = 0x08; f[13] = 0x00;
		memcpy(f + 14, ip, 20);
		SEND(20);			/* truncated IPv4 header */
		f[14] = 0x43;			/* IHL 3 */
		SEND(62);
		f[14] = 0x4f;			/* IHL 15: beyond the frame */
		SEND(40);
		f[14] = 0x45;
		f[16] = 0x40;			/* total length 16k */
		SEND(62);
		f[16] = 0;
		f[23] = 6;			/* TCP, header cut short */
		SEND(40);
		f[23] = 17;			/* UDP, header cut short */
		SEND(38);
		f[12] = 0x81; f[13] = 0x00;	/* VLAN in VLAN */
		f[16] = 0x81; f[17] = 0x00;
		f[20] = 0x08; f[21] = 0x00;
		SEND(64);
		memset(f + 12, 0, 60);
		f[12] = 0x86; f[13] = 0xdd;	/* IPv6, truncated */
		f[14] = 0x60;
		SEND(30);
		f[18] = 0; f[19] = 40; f[20] = 0;	/* hop-by-hop ext... */
		f[54] = 60; f[55] = 200;	/* ...with a huge length */
		SEND(64);
		SEND(13);			/* shorter than Ethernet */
	}
	printf("sent %d\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "udp-send"))
		return udp_send(argc, argv);
	if (!strcmp(argv[1], "udp-recv"))
		return udp_recv(argc, argv);
	if (!strcmp(argv[1], "udp-echo"))
		return udp_echo(argc, argv);
	if (!strcmp(argv[1], "udp-ping"))
		return udp_ping(argc, argv);
	if (!strcmp(argv[1], "udp-send-rate"))
		return udp_send_rate(argc, argv);
	if (!strcmp(argv[1], "udp-peers"))
		return udp_peers(argc, argv);
	if (!strcmp(argv[1], "udp-msg"))
		return udp_msg(argc, argv);
	if (!strcmp(argv[1], "tcp-send"))
		return tcp_send(argc, argv);
	if (!strcmp(argv[1], "tcp-recv"))
		return tcp_recv(argc, argv);
	if (!strcmp(argv[1], "udp-multi"))
		return udp_multi(argc, argv);
	if (!strcmp(argv[1], "malformed"))
		return malformed(argc, argv);
usage:
	fprintf(stderr, "usage: traffic udp-send|udp-recv|udp-echo|udp-ping|"
		"tcp-send|tcp-recv ARGS (see source)\n");
	return 2;
}
