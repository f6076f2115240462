/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the NFs in nfs/ share besides libnfv: the clock and option value
 * parsers.  Header only: each NF builds into its own binary.  The run
 * loop (signals, the tick between batches) is libnfv's nfv_run_opts().
 */
#ifndef __NFS_COMMON_NF_H
#define __NFS_COMMON_NF_H

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nfv/libnfv.h>

/* What every NF here does on signals: SIGINT/SIGTERM stop it, SIGUSR1
 * (report) and SIGHUP (reload) reach its tick (nfv_run_opts()).
 */
#define NF_RUN_SIGNALS	(NFV_RUN_F_STOP_SIGNALS | NFV_RUN_F_EVENT_SIGNALS)

static inline uint64_t nf_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
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

/*
 * Register one of the NF's own counters (libnfv's nfv_counter_register());
 * a refusal is said on stderr and gives a handle that nfv_counter_set()
 * ignores (-errno), so that the NF runs without that counter.
 */
static inline int nf_counter(struct nfv *nf, const char *name,
			     enum nfv_counter_type type, const char *help,
			     const char *label_name, const char *label_value)
{
	LIBNFV_COUNTER_OPTS(o, .help = help, .label_name = label_name,
			    .label_value = label_value);
	int h = nfv_counter_register(nf, name, type, &o);

	if (h < 0)
		fprintf(stderr, "nfv: counter %s not published: %s\n", name,
			strerror(-h));
	return h;
}

/*
 * A table of an NF's own counters, each read from where the NF keeps it
 * (a uint64_t, or a uint32_t with .u32): registered once, set from the
 * NF's tick (nfv_run_opts() publishes what changed).
 */
struct nf_published {
	const char *name;
	enum nfv_counter_type type;
	const char *help;
	const void *v;
	bool u32;
	int h;				/* nf_publish_register()'s */
};

static inline void nf_publish_register(struct nfv *nf, struct nf_published *p,
				       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i].h = nf_counter(nf, p[i].name, p[i].type, p[i].help,
				    NULL, NULL);
}

static inline void nf_publish_update(struct nfv *nf,
				     const struct nf_published *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		nfv_counter_set(nf, p[i].h, p[i].u32 ?
				*(const uint32_t *)p[i].v :
				*(const uint64_t *)p[i].v);
}

#endif /* __NFS_COMMON_NF_H */
