// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-ratelimit: token bucket policer, aggregate or per flow.  Frames
 * within the rate follow their chain, the excess is dropped and counted.
 * Counters as one JSON line on SIGUSR1 and at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "limiter.h"

static struct nfv *nf;

static uint32_t handle(struct nfv_pkt *pkt, void *ctx)
{
	struct limiter *rl = ctx;

	rl->now = nfv_batch_ns(nf);
	return rl_handle(pkt, rl);
}

/* Published to nfvd (nfvctl nf show ID -s, /metrics). */
static struct nf_published counters[] = {
	{ "passed", NFV_COUNTER_TYPE_COUNTER, "Frames within the rate.",
	  NULL, false, -1 },
	{ "dropped", NFV_COUNTER_TYPE_COUNTER, "Frames over the rate, dropped.",
	  NULL, false, -1 },
	{ "dropped_bytes", NFV_COUNTER_TYPE_COUNTER,
	  "Bytes of the frames dropped.", NULL, false, -1 },
	{ "flows", NFV_COUNTER_TYPE_COUNTER,
	  "Flows given a bucket (--per-flow).", NULL, false, -1 },
};

static void counters_bind(struct limiter *rl)
{
	counters[0].v = &rl->st.passed;
	counters[1].v = &rl->st.dropped;
	counters[2].v = &rl->st.dropped_bytes;
	counters[3].v = &rl->st.flows;
}

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	nf_publish_update(nf, counters, sizeof(counters) / sizeof(counters[0]));
	if (events & NFV_EV_USR1) {
		rl_json(stdout, ctx);
		fflush(stdout);
	}
}

static const char usage[] =
	"Rate limit options (one of --rate and --bps is required):\n"
	"  --rate PPS         packets per second (k, M, G suffixes: x1000)\n"
	"  --bps BPS          bits per second of Ethernet frames (k, M, G)\n"
	"  --burst N          bucket size: packets with --rate, bytes with\n"
	"                     --bps (default: 100 ms worth, at least one\n"
	"                     packet or 1514 bytes)\n"
	"  --per-flow         one bucket per flow (both directions share it)\n"
	"                     instead of one for all traffic\n"
	"  --max-flows N      per-flow table size (default 65536)\n"
	"SIGUSR1 prints counters (JSON).\n";

int main(int argc, char **argv)
{
	uint64_t rate = 0, burst = 0, max_flows = 65536;
	static struct limiter rl;
	bool bits = false, per_flow = false;
	struct nfv_args args;
	struct tb_conf conf;
	int i, ret;

	if (nfv_args_parse(&argc, argv, &args, "nfv-ratelimit", usage))
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t *dst = NULL;

		if (!strcmp(a, "--per-flow")) {
			per_flow = true;
			continue;
		}
		if (!strcmp(a, "--rate") || !strcmp(a, "--bps")) {
			if (rate) {
				fprintf(stderr, "nfv-ratelimit: give one of --rate and --bps\n");
				return 1;
			}
			bits = !strcmp(a, "--bps");
			dst = &rate;
		} else if (!strcmp(a, "--burst")) {
			dst = &burst;
		} else if (!strcmp(a, "--max-flows")) {
			dst = &max_flows;
		} else {
			fprintf(stderr, "nfv-ratelimit: unknown argument \"%s\"\n", a);
			return 1;
		}
		if (nf_parse_u64(v, 1, 1ull << 40, dst)) {
			fprintf(stderr, "nfv-ratelimit: invalid %s \"%s\"\n", a,
				v ? v : "");
			return 1;
		}
		i++;
	}
	if (!rate) {
		fprintf(stderr, "nfv-ratelimit: --rate PPS or --bps BPS is required\n");
		return 1;
	}
	if (!burst) {
		burst = bits ? rate / 8 / 10 : rate / 10;
		if (burst < (bits ? 1514u : 1u))
			burst = bits ? 1514 : 1;
	}
	/* --burst counts bytes with --bps; the bucket counts bits. */
	if (tb_conf_init(&conf, rate, bits ? burst * 8 : burst, bits) ||
	    rl_init(&rl, &conf, per_flow, (uint32_t)max_flows,
		    nf_now_ns(CLOCK_MONOTONIC))) {
		fprintf(stderr, "nfv-ratelimit: cannot set up the buckets\n");
		return 1;
	}
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	counters_bind(&rl);
	nf_publish_register(nf, counters, sizeof(counters) / sizeof(counters[0]));
	LIBNFV_RUN_OPTS(run_opts, .tick = tick,
			.flags = NF_RUN_SIGNALS | NFV_RUN_F_BATCH_TIME);
	ret = nfv_run_opts(nf, handle, &rl, &run_opts);
	rl_json(stdout, &rl);
	nfv_close(nf);
	rl_free(&rl);
	return ret ? 1 : 0;
}
