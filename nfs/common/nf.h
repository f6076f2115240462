/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the NFs in nfs/ share besides libnfv: signal flags, a batch loop
 * that runs a per-frame handler and a tick between batches (where an NF
 * reloads, dumps or expires state — never in a signal handler), and
 * option value parsers.  Header only: each NF builds into its own binary.
 *
 * Signals: SIGINT/SIGTERM stop, SIGUSR1 and SIGHUP set a flag the tick
 * reads.  They are installed without SA_RESTART, so a sleeping
 * nfv_rx_burst() returns at once and the tick runs without traffic.
 */
#ifndef __NFS_COMMON_NF_H
#define __NFS_COMMON_NF_H

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nfv/libnfv.h>

#define NF_BATCH_MAX	256

static struct nfv *nf_self __attribute__((unused));
static volatile sig_atomic_t nf_stopping __attribute__((unused));
static volatile sig_atomic_t nf_got_usr1 __attribute__((unused));
static volatile sig_atomic_t nf_got_hup __attribute__((unused));
/* CLOCK_MONOTONIC ns when nf_loop() received the batch being handled. */
static uint64_t nf_batch_ns __attribute__((unused));

static inline void nf_on_signal(int sig)
{
	switch (sig) {
	case SIGUSR1:
		nf_got_usr1 = 1;
		break;
	case SIGHUP:
		nf_got_hup = 1;
		break;
	default:
		nf_stopping = 1;
		if (nf_self)
			nfv_stop(nf_self);
		break;
	}
}

static inline void nf_signals_init(struct nfv *nf)
{
	struct sigaction sa = { .sa_handler = nf_on_signal };
	int sigs[] = { SIGINT, SIGTERM, SIGUSR1, SIGHUP };
	size_t i;

	nf_self = nf;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Take a flag set by a signal, once. */
static inline bool nf_take(volatile sig_atomic_t *flag)
{
	if (!*flag)
		return false;
	*flag = 0;
	return true;
}

static inline uint64_t nf_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

typedef uint32_t (*nf_handler_t)(struct nfv_pkt *pkt, void *ctx);
typedef void (*nf_tick_t)(void *ctx);

/*
 * Receive, handle, transmit, tick; until a stop signal.  @timeout_ms
 * bounds how long a tick may wait without traffic (-1: only signals).
 */
static inline int nf_loop(struct nfv *nf, int batch, nf_handler_t handler,
			  nf_tick_t tick, void *ctx, int timeout_ms)
{
	struct nfv_pkt pkts[NF_BATCH_MAX];
	int n, i;

	if (batch <= 0 || batch > NF_BATCH_MAX)
		batch = 64;
	while (!nf_stopping) {
		n = nfv_rx_burst(nf, pkts, batch, timeout_ms);
		if (n < 0 && n != -EINTR)
			return n;
		if (n > 0)
			nf_batch_ns = nf_now_ns(CLOCK_MONOTONIC);
		for (i = 0; i < n; i++)
			pkts[i].action = handler(&pkts[i], ctx);
		if (n > 0)
			nfv_tx_burst(nf, pkts, n);
		if (tick)
			tick(ctx);
	}
	return 0;
}

/* ---- option values ---- */

/* N with an optional k/M/G suffix (x1000), within [min, max]. */
static inline int nf_parse_u64(const char *s, uint64_t min, uint64_t max,
			       uint64_t *v)
{
	unsigned long long x;
	uint64_t mul = 1;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end == 'k' || *end == 'K')
		mul = 1000, end++;
	else if (*end == 'M')
		mul = 1000000, end++;
	else if (*end == 'G')
		mul = 1000000000, end++;
	if (*end || (x && x * mul / mul != x))
		return -EINVAL;
	x *= mul;
	if (x < min || x > max)
		return -ERANGE;
	*v = x;
	return 0;
}

static inline int nf_parse_u32(const char *s, uint32_t min, uint32_t max,
			       uint32_t *v)
{
	uint64_t x;
	int err = nf_parse_u64(s, min, max, &x);

	if (!err)
		*v = (uint32_t)x;
	return err;
}

/* LO-HI (or N) within 1..65535. */
static inline int nf_parse_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char tmp[16], *dash;
	uint32_t a, b;

	if (!s || strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	dash = strchr(tmp, '-');
	if (dash)
		*dash++ = 0;
	if (nf_parse_u32(tmp, 1, 65535, &a) ||
	    (dash && nf_parse_u32(dash, 1, 65535, &b)))
		return -EINVAL;
	if (!dash)
		b = a;
	if (b < a)
		return -EINVAL;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

/* IPv4 ADDR:PORT; both results in network byte order. */
static inline int nf_parse_addr_port(const char *s, uint32_t *addr,
				     uint16_t *port)
{
	char tmp[32], *colon;
	uint32_t p;

	if (!s || strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	colon = strrchr(tmp, ':');
	if (!colon)
		return -EINVAL;
	*colon++ = 0;
	if (inet_pton(AF_INET, tmp, addr) != 1 ||
	    nf_parse_u32(colon, 1, 65535, &p))
		return -EINVAL;
	*port = htons((uint16_t)p);
	return 0;
}

/*
 * An endpoint of either family: IPv4 "ADDR:PORT" or IPv6 "[ADDR]:PORT".
 * @addr gets 16 bytes (IPv4 in the first 4, the rest zero), @family 4
 * or 6; address and port in network byte order.
 */
static inline int nf_parse_endpoint(const char *s, uint8_t addr[16],
				    uint8_t *family, uint16_t *port)
{
	char tmp[64], *close;
	uint32_t p;

	if (!s || strlen(s) >= sizeof(tmp))
		return -EINVAL;
	memset(addr, 0, 16);
	if (*s != '[') {
		uint32_t a4;

		if (nf_parse_addr_port(s, &a4, port))
			return -EINVAL;
		memcpy(addr, &a4, 4);
		*family = 4;
		return 0;
	}
	strcpy(tmp, s + 1);
	close = strchr(tmp, ']');
	if (!close || close[1] != ':')
		return -EINVAL;
	*close = 0;
	if (inet_pton(AF_INET6, tmp, addr) != 1 ||
	    nf_parse_u32(close + 2, 1, 65535, &p))
		return -EINVAL;
	*port = htons((uint16_t)p);
	*family = 6;
	return 0;
}

/* "ADDR:PORT" or "[ADDR]:PORT" into @buf (at least 56 bytes). */
static inline void nf_endpoint_str(const uint8_t addr[16], uint8_t family,
				   uint16_t port, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, a, sizeof(a));
	snprintf(buf, n, family == 6 ? "[%s]:%u" : "%s:%u", a, ntohs(port));
}

static inline int nf_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int m[6];
	char end;
	int i;

	if (!s || sscanf(s, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3],
			 &m[4], &m[5], &end) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (m[i] > 0xff)
			return -EINVAL;
		mac[i] = (uint8_t)m[i];
	}
	return 0;
}

/* Write @fn's output to @path atomically (temporary file, rename). */
static inline int nf_write_file(const char *path, void (*fn)(FILE *, void *),
				void *ctx)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fn(f, ctx);
	if (fclose(f) || rename(tmp, path)) {
		int err = -errno;

		unlink(tmp);
		return err;
	}
	return 0;
}

#endif /* __NFS_COMMON_NF_H */
