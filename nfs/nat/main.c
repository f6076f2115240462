// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-nat: stateful source NAT.  Counters as one JSON line on SIGUSR1
 * and at exit; expired connections are swept once a second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "nat.h"

#define NSEC	1000000000ull

struct nat_main {
	struct nat nat;
	uint64_t last_sweep;
	struct nfv *nf;
	const char *inside;
};

/*
 * The inside port may be added to the fabric after we start: until it is
 * known no frame counts as outbound (fail closed), and every tick looks
 * again.
 */
static bool resolve_inside(struct nat_main *m)
{
	int id = nfv_port_by_name(m->nf, m->inside);

	if (id <= 0)
		return false;
	m->nat.inside_port = (uint16_t)id;
	return true;
}

static uint32_t handle(struct nfv_pkt *pkt, void *ctx)
{
	struct nat_main *m = ctx;

	m->nat.now = nfv_batch_ns(m->nf);
	return nat_handle(pkt, &m->nat);
}

/* Outbound connections of a batch on their way into the cache. */
static void prefetch(struct nfv *nf, struct nfv_pkt *pkts, int n, void *ctx)
{
	struct nat_main *m = ctx;
	int i, stage;

	(void)nf;
	for (stage = 0; stage < 2; stage++)
		for (i = 0; i < n; i++)
			nfv_ftable_prefetch(m->nat.ct.conns,
					    pkts[i].meta->hash, stage);
}

/* Published to nfvd (nfvctl nf show ID -s, /metrics). */
static struct nf_published counters[] = {
	{ "sessions", NFV_COUNTER_TYPE_GAUGE, "Connections in the table.",
	  NULL, true, -1 },
	{ "sessions_created", NFV_COUNTER_TYPE_COUNTER,
	  "Connections created.", NULL, false, -1 },
	{ "sessions_expired", NFV_COUNTER_TYPE_COUNTER,
	  "Connections expired.", NULL, false, -1 },
	{ "alloc_failed_no_port", NFV_COUNTER_TYPE_COUNTER,
	  "Connections refused: no external port free.", NULL, false, -1 },
	{ "alloc_failed_table_full", NFV_COUNTER_TYPE_COUNTER,
	  "Connections refused: the table is full.", NULL, false, -1 },
	{ "translated_out", NFV_COUNTER_TYPE_COUNTER,
	  "Frames translated outbound.", NULL, false, -1 },
	{ "translated_in", NFV_COUNTER_TYPE_COUNTER,
	  "Frames translated inbound.", NULL, false, -1 },
	{ "in_no_conn", NFV_COUNTER_TYPE_COUNTER,
	  "Frames to the external address of no connection.", NULL, false, -1 },
};

static void counters_bind(struct nat *nat)
{
	counters[0].v = &nat->ct.n;
	counters[1].v = &nat->ct.st.created;
	counters[2].v = &nat->ct.st.expired;
	counters[3].v = &nat->ct.st.no_port;
	counters[4].v = &nat->ct.st.full;
	counters[5].v = &nat->st.out;
	counters[6].v = &nat->st.in;
	counters[7].v = &nat->st.in_no_conn;
}

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	struct nat_main *m = ctx;
	uint64_t now = nf_now_ns(CLOCK_MONOTONIC);

	nf_publish_update(nf, counters, sizeof(counters) / sizeof(counters[0]));
	if (now - m->last_sweep >= NSEC) {
		ct_sweep(&m->nat.ct, now);
		m->last_sweep = now;
		if (!m->nat.inside_port && resolve_inside(m))
			fprintf(stderr, "nfv-nat: inside port %s is port %u\n",
				m->inside, m->nat.inside_port);
	}
	if (events & NFV_EV_USR1) {
		nat_json(stdout, &m->nat);
		fflush(stdout);
	}
}

static const char usage[] =
	"NAT options:\n"
	"  --external ADDR      the external IPv4 address (NAT44); required\n"
	"                       unless --nptv6 is given\n"
	"  --inside DEV         the fabric port of the inside, required: frames\n"
	"                       arriving there are translated outbound\n"
	"  --ports LO-HI        external ports (default 1024-65535)\n"
	"  --timeout-udp S      idle timeout of UDP mappings (default 30)\n"
	"  --timeout-tcp S      idle timeout of established TCP (default 7440)\n"
	"  --timeout-icmp S     idle timeout of ICMP echo ids (default 30)\n"
	"  --max-conns N        connection table size (default 65536)\n"
	"  --nptv6 IN/LEN=EXT/LEN  translate the inside IPv6 prefix IN to EXT\n"
	"                       (RFC 6296: stateless, checksum-neutral, ports\n"
	"                       kept; LEN <= 64, the same on both sides)\n"
	"  --ipv6 pass|drop     IPv6 that is not prefix-translated (default pass)\n"
	"SIGUSR1 prints counters (JSON).\n";

static int bad(const char *opt, const char *v)
{
	fprintf(stderr, "nfv-nat: invalid %s \"%s\"\n", opt, v);
	return 1;
}

int main(int argc, char **argv)
{
	struct ct_timeouts to = { .udp = 30 * NSEC, .tcp = 7440 * NSEC,
				  .icmp = 30 * NSEC };
	static struct nat_main m;
	struct nat *nat = &m.nat;
	uint16_t lo = 1024, hi = 65535;
	uint32_t max = 65536, v;
	const char *inside = NULL;
	struct nfv_args args;
	bool ext = false;
	struct nfv *nf;
	int i, ret;

	if (nfv_args_parse(&argc, argv, &args, "nfv-nat", usage))
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val) {
			fprintf(stderr, "nfv-nat: unknown argument or missing value \"%s\"\n", a);
			return 1;
		}
		if (!strcmp(a, "--external")) {
			if (inet_pton(AF_INET, val, &nat->external) != 1)
				return bad(a, val);
			ext = true;
		} else if (!strcmp(a, "--inside")) {
			inside = val;
		} else if (!strcmp(a, "--ports")) {
			if (nf_parse_range(val, &lo, &hi))
				return bad(a, val);
		} else if (!strcmp(a, "--timeout-udp") ||
			   !strcmp(a, "--timeout-tcp") ||
			   !strcmp(a, "--timeout-icmp")) {
			if (nf_parse_u32(val, 1, 86400 * 7, &v))
				return bad(a, val);
			if (!strcmp(a, "--timeout-udp"))
				to.udp = v * NSEC;
			else if (!strcmp(a, "--timeout-tcp"))
				to.tcp = v * NSEC;
			else
				to.icmp = v * NSEC;
		} else if (!strcmp(a, "--nptv6")) {
			if (nptv6_parse(&nat->npt, val)) {
				fprintf(stderr, "nfv-nat: invalid --nptv6 \"%s\": INSIDE/LEN=EXTERNAL/LEN, IPv6 prefixes of the same length <= 64, host bits zero\n", val);
				return 1;
			}
		} else if (!strcmp(a, "--ipv6")) {
			if (strcmp(val, "pass") && strcmp(val, "drop"))
				return bad(a, val);
			nat->ipv6_drop = !strcmp(val, "drop");
		} else if (!strcmp(a, "--max-conns")) {
			if (nf_parse_u32(val, 1, 16 << 20, &max))
				return bad(a, val);
		} else {
			fprintf(stderr, "nfv-nat: unknown argument \"%s\"\n", a);
			return 1;
		}
		i++;
	}
	if ((!ext && !nat->npt.on) || !inside) {
		fprintf(stderr, "nfv-nat: --inside DEV and --external ADDR (or --nptv6) are required\n");
		return 1;
	}
	/* Transitory TCP (RFC 5382: at least 4 min), resets quickly. */
	to.tcp_trans = to.tcp < 240 * NSEC ? to.tcp : 240 * NSEC;
	to.tcp_rst = to.tcp < 10 * NSEC ? to.tcp : 10 * NSEC;
	if (ct_init(&nat->ct, max, lo, hi, &to)) {
		fprintf(stderr, "nfv-nat: out of memory\n");
		return 1;
	}
	if (args.readonly) {
		fprintf(stderr, "nfv-nat: rewrites frames: cannot run --readonly\n");
		return 1;
	}
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	m.nf = nf;
	m.inside = inside;
	if (!resolve_inside(&m))
		fprintf(stderr, "nfv-nat: --inside \"%s\" is not a fabric port (yet): nothing is translated outbound until it is\n",
			inside);
	nat->now = m.last_sweep = nf_now_ns(CLOCK_MONOTONIC);
	counters_bind(nat);
	nf_publish_register(nf, counters, sizeof(counters) / sizeof(counters[0]));
	LIBNFV_RUN_OPTS(run_opts, .tick = tick, .tick_ms = 1000,
			.flags = NF_RUN_SIGNALS | NFV_RUN_F_BATCH_TIME,
			.batch = prefetch);
	ret = nfv_run_opts(nf, handle, &m, &run_opts);
	nat_json(stdout, nat);
	nfv_close(nf);
	ct_free(&nat->ct);
	return ret ? 1 : 0;
}
