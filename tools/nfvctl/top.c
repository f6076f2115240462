// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl top [interval MS] [count N]: per-port and per-NF packet rates.
 *
 * Every interval (default 1000 ms) the ports' XDP counters (PORT_GET
 * dump, from whichever backend answers) and the NFs' counters (NF_GET
 * dump, nfvd's: NFs are always nfvd's) are read again; a rate is the
 * difference of a counter over the time measured between the two reads,
 * in packets per second.  A port or NF that appeared meanwhile, or whose
 * counter went back (it was re-created), shows 0 for that interval.
 *
 * On a terminal, without count, the screen is redrawn in place (cursor
 * home, clear); otherwise each interval is one block after the other
 * (text), or one JSON object per line (-j).
 *
 * Port columns: rx (frames seen), nf (handed to an NF socket), pass (to
 * the kernel stack), drop (dropped by the classifier: a drop hop, a
 * fail-closed port, no chain, no replica or socket for it).  NF columns:
 * rx, tx, drop, as "nfvctl nf show" counts them.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "nfvctl.h"
#include "top.h"

#define TOP_INTERVAL_MIN	100
#define TOP_INTERVAL_MAX	60000
#define TOP_COUNT_MAX		1000000

enum { P_RX, P_NF, P_PASS, P_DROP, P_N };
enum { N_RX, N_TX, N_DROP, N_N };

struct top_port {
	bool present;
	char name[IF_NAMESIZE];
	uint64_t c[P_N];
};

struct top_nf {
	bool present;
	char name[NFV_NAME_LEN];
	uint16_t service;
	uint64_t c[N_N];
};

struct sample {
	uint64_t ns;
	struct top_port ports[NFV_PORT_MAX];
	struct top_nf nfs[NFV_NF_MAX];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl top [interval MS] [count N]\n"
		"Per-port and per-NF packet rates (packets/s) over each interval\n"
		"(default 1000 ms, %d..%d); count N: N intervals, then exit.\n"
		"Ports: rx, nf (to NFs), pass (to the kernel), drop.  NFs: rx, tx, drop.\n"
		"On a terminal without count the screen is redrawn in place;\n"
		"-j: one JSON object per interval, one per line.\n",
		TOP_INTERVAL_MIN, TOP_INTERVAL_MAX);
}

static uint64_t counter(const struct nlattr *const *tb, int i)
{
	const struct nlattr *a = tb[NFV_XDP_CNT_ATTR(i)];

	return a ? mnl_attr_get_u64(a) : 0;
}

static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	const struct nlattr *cnt[NFV_XDP_CNT_MAX + 1];
	struct sample *s = data;
	struct top_port *p;
	uint16_t id;
	int err;

	err = genl_parse(nlh, &nfv_port_nl_set, tb);
	if (err)
		return err;
	if (!tb[NFV_A_PORT_ID])
		return -EPROTO;
	id = mnl_attr_get_u16(tb[NFV_A_PORT_ID]);
	if (!id || id >= NFV_PORT_MAX)
		return -EPROTO;
	p = &s->ports[id];
	memset(p, 0, sizeof(*p));
	p->present = true;
	if (tb[NFV_A_PORT_NAME])
		snprintf(p->name, sizeof(p->name), "%s",
			 mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
	else if (tb[NFV_A_PORT_IFINDEX])
		ifname(mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]), p->name);
	if (!tb[NFV_A_PORT_STATS])
		return 0;
	err = nest_parse(tb[NFV_A_PORT_STATS], &nfv_xdp_counters_nl_set, cnt);
	if (err)
		return err;
	p->c[P_RX] = counter(cnt, NFV_XDP_RX);
	p->c[P_NF] = counter(cnt, NFV_XDP_REDIRECT);
	p->c[P_PASS] = counter(cnt, NFV_XDP_PASS);
	/* Every XDP_DROP of the classifier (bpf/nfv_xdp.bpf.c). */
	p->c[P_DROP] = counter(cnt, NFV_XDP_HOP_DROP) +
		       counter(cnt, NFV_XDP_FAIL_CLOSED) +
		       counter(cnt, NFV_XDP_NO_CHAIN) +
		       counter(cnt, NFV_XDP_NO_REPLICA) +
		       counter(cnt, NFV_XDP_NO_SOCKET) +
		       counter(cnt, NFV_XDP_META_ERR);
	return 0;
}

static uint64_t nf_counter(const struct nlattr *a, uint16_t type)
{
	if (!a)
		return 0;
	return nfv_nl_mnl_type(&nfv_nf_nl_set, type) == MNL_TYPE_U64 ?
	       mnl_attr_get_u64(a) : mnl_attr_get_u32(a);
}

static int nf_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_NF_MAX + 1];
	struct sample *s = data;
	struct top_nf *n;
	uint16_t id;
	int err;

	err = genl_parse(nlh, &nfv_nf_nl_set, tb);
	if (err)
		return err;
	if (!tb[NFV_A_NF_ID])
		return -EPROTO;
	id = mnl_attr_get_u16(tb[NFV_A_NF_ID]);
	if (!id || id >= NFV_NF_MAX)
		return -EPROTO;
	n = &s->nfs[id];
	memset(n, 0, sizeof(*n));
	n->present = true;
	if (tb[NFV_A_NF_NAME])
		snprintf(n->name, sizeof(n->name), "%s",
			 mnl_attr_get_str(tb[NFV_A_NF_NAME]));
	if (tb[NFV_A_NF_SERVICE])
		n->service = mnl_attr_get_u16(tb[NFV_A_NF_SERVICE]);
	n->c[N_RX] = nf_counter(tb[NFV_A_NF_RX], NFV_A_NF_RX);
	n->c[N_TX] = nf_counter(tb[NFV_A_NF_TX], NFV_A_NF_TX);
	n->c[N_DROP] = nf_counter(tb[NFV_A_NF_DROP], NFV_A_NF_DROP);
	return 0;
}

/* Both dumps into @s; -errno with @err set. */
static int take(struct backend *b, struct backend *nfvd, struct sample *s,
		char *err, size_t n)
{
	const char *ext;
	int ret;

	memset(s->ports, 0, sizeof(s->ports));
	memset(s->nfs, 0, sizeof(s->nfs));
	s->ns = now_ns();
	ret = backend_dump(b, NFV_CMD_PORT_GET, port_cb, s, &ext);
	if (!ret && nfvd)
		ret = backend_dump(nfvd, NFV_CMD_NF_GET, nf_cb, s, &ext);
	if (ret)
		snprintf(err, n, "top: %s", ext ?: ret == -EPROTO ?
			 "malformed reply" : strerror(-ret));
	return ret;
}

/* Packets per second of @now - @then over @ns nanoseconds. */
static uint64_t rate(uint64_t now, uint64_t then, uint64_t ns)
{
	if (now < then || !ns)
		return 0;
	return ((now - then) * 1000000000ULL + ns / 2) / ns;
}

static void print_sample(const struct sample *prev, const struct sample *cur,
			 uint32_t interval_ms, const char *backend, bool home)
{
	static const char *const pkeys[P_N] = { "rx_pps", "nf_pps", "pass_pps",
						"drop_pps" };
	static const char *const nkeys[N_N] = { "rx_pps", "tx_pps",
						"drop_pps" };
	uint64_t ns = cur->ns - prev->ns;
	char at[16];
	time_t clock;
	struct tm tm;
	int i, k;

	if (home)
		fputs("\033[H\033[2J", stdout);
	print_open_object(NULL);
	clock = time(NULL);
	if (localtime_r(&clock, &tm) && strftime(at, sizeof(at), "%H:%M:%S", &tm))
		print_string(PRINT_FP, NULL, "nfvctl top: %s,", at);
	print_uint(PRINT_ANY, "interval_ms", " every %llu ms", interval_ms);
	print_uint(PRINT_ANY, "elapsed_ms", ", last %llu ms",
		   (ns + 500000) / 1000000);
	print_string(PRINT_ANY, "backend", ", %s backend\n", backend);
	print_string(PRINT_FP, NULL, "%s\n",
		     "PORT                 RX/s       NF/s     PASS/s     DROP/s");
	print_open_array("ports");
	for (i = 1; i < NFV_PORT_MAX; i++) {
		const struct top_port *p = &cur->ports[i], *o = &prev->ports[i];

		if (!p->present)
			continue;
		print_open_object(NULL);
		print_string(PRINT_ANY, "name", "%-15s", p->name);
		print_uint(PRINT_JSON, "id", NULL, i);
		for (k = 0; k < P_N; k++)
			print_uint(PRINT_ANY, pkeys[k], " %10llu",
				   o->present ? rate(p->c[k], o->c[k], ns) : 0);
		print_close_object();
		print_string(PRINT_FP, NULL, "%s\n", "");
	}
	print_close_array();
	print_string(PRINT_FP, NULL, "%s\n",
		     "NF   NAME            SERVICE       RX/s       TX/s     DROP/s");
	print_open_array("nfs");
	for (i = 1; i < NFV_NF_MAX; i++) {
		const struct top_nf *n = &cur->nfs[i], *o = &prev->nfs[i];

		if (!n->present)
			continue;
		print_open_object(NULL);
		print_uint(PRINT_ANY, "id", "%-4llu", i);
		print_string(PRINT_ANY, "name", " %-15.15s", n->name);
		print_uint(PRINT_ANY, "service", " %7llu", n->service);
		for (k = 0; k < N_N; k++)
			print_uint(PRINT_ANY, nkeys[k], " %10llu",
				   o->present ? rate(n->c[k], o->c[k], ns) : 0);
		print_close_object();
		print_string(PRINT_FP, NULL, "%s\n", "");
	}
	print_close_array();
	print_close_object();
	if (is_json())
		print_end();
	else
		print_string(PRINT_FP, NULL, "%s\n", "");
	fflush(stdout);
}

/* Sleep until @deadline (CLOCK_MONOTONIC ns). */
static void sleep_until(uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ULL),
		.tv_nsec = (long)(deadline % 1000000000ULL),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

int top_main(enum backend_kind kind, const char *socket, int argc,
	     char **argv)
{
	bool interval_seen = false, count_seen = false, home;
	uint32_t interval = 1000, count = 0, i;
	struct backend *b = NULL, *nfvd = NULL;
	struct sample *prev, *cur, *t;
	char err[300];
	uint64_t start;
	int ret = 0;

	for (; argc > 0; argc--, argv++) {
		const char *kw = *argv;
		bool *seen = !strcmp(kw, "interval") ? &interval_seen :
			     !strcmp(kw, "count") ? &count_seen : NULL;

		if (!strcmp(kw, "help")) {
			usage(stdout);
			return 0;
		}
		if (!seen) {
			fprintf(stderr, "nfvctl: unknown keyword \"%s\" in top: top [interval MS] [count N]\n",
				kw);
			return 1;
		}
		if (*seen) {
			fprintf(stderr, "nfvctl: duplicate keyword \"%s\"\n", kw);
			return 1;
		}
		*seen = true;
		if (argc < 2) {
			fprintf(stderr, "nfvctl: missing value for \"%s\"\n", kw);
			return 1;
		}
		argc--;
		argv++;
		if (seen == &interval_seen &&
		    get_u32(*argv, TOP_INTERVAL_MIN, TOP_INTERVAL_MAX,
			    &interval)) {
			fprintf(stderr, "nfvctl: invalid interval \"%s\": must be %d..%d ms\n",
				*argv, TOP_INTERVAL_MIN, TOP_INTERVAL_MAX);
			return 1;
		}
		if (seen == &count_seen &&
		    get_u32(*argv, 1, TOP_COUNT_MAX, &count)) {
			fprintf(stderr, "nfvctl: invalid count \"%s\": must be 1..%d\n",
				*argv, TOP_COUNT_MAX);
			return 1;
		}
	}
	home = !count_seen && !is_json() && isatty(STDOUT_FILENO);

	prev = calloc(1, sizeof(*prev));
	cur = calloc(1, sizeof(*cur));
	b = backend_open(kind, socket, err, sizeof(err));
	if (!prev || !cur || !b) {
		fprintf(stderr, "nfvctl: %s\n", b ? strerror(ENOMEM) : err);
		ret = 2;
		goto out;
	}
	/* NFs are nfvd's; with the kernel backend nfvd may not be there. */
	if (!strcmp(backend_name(b), "daemon"))
		nfvd = b;
	else
		nfvd = backend_open(BACKEND_DAEMON, socket, err, sizeof(err));

	if (take(b, nfvd, prev, err, sizeof(err))) {
		fprintf(stderr, "nfvctl: %s\n", err);
		ret = 2;
		goto out;
	}
	start = prev->ns;
	for (i = 1; !count_seen || i <= count; i++) {
		sleep_until(start + (uint64_t)i * interval * 1000000ULL);
		if (take(b, nfvd, cur, err, sizeof(err))) {
			fprintf(stderr, "nfvctl: %s\n", err);
			ret = 2;
			break;
		}
		print_sample(prev, cur, interval, backend_name(b), home);
		t = prev;
		prev = cur;
		cur = t;
	}
out:
	if (nfvd != b)
		backend_close(nfvd);
	backend_close(b);
	free(prev);
	free(cur);
	return ret;
}
