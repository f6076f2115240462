// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-ids: multi-pattern payload matching (Hyperscan, or a built-in
 * Aho-Corasick), alerts as JSON lines, matching flows remembered and
 * optionally steered to a service or dropped.  Counters as one JSON line
 * ({"stats":...}) on SIGUSR1 and at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "ids.h"

#define NSEC	1000000000ull

struct ids_main {
	struct ids ids;
	uint64_t last_sweep;
	struct nfv *nf;
};

static uint32_t handle(struct nfv_pkt *pkt, void *ctx)
{
	struct ids_main *m = ctx;

	m->ids.now = nfv_batch_ns(m->nf);
	return ids_handle(pkt, &m->ids);
}

/* Published to nfvd (nfvctl nf show ID -s, /metrics). */
static struct nf_published counters[] = {
	{ "alerts", NFV_COUNTER_TYPE_COUNTER, "Pattern matches reported.",
	  NULL, false, -1 },
	{ "flows_flagged", NFV_COUNTER_TYPE_COUNTER,
	  "Flows remembered as matched.", NULL, false, -1 },
	{ "scanned", NFV_COUNTER_TYPE_COUNTER, "Frames scanned.", NULL,
	  false, -1 },
	{ "steered", NFV_COUNTER_TYPE_COUNTER,
	  "Frames of flagged flows steered (--steer).", NULL, false, -1 },
	{ "dropped", NFV_COUNTER_TYPE_COUNTER,
	  "Frames of flagged flows dropped (--drop).", NULL, false, -1 },
	{ "flow_table_full", NFV_COUNTER_TYPE_COUNTER,
	  "Matched flows not remembered: the table was full.", NULL, false, -1 },
	{ "diverted", NFV_COUNTER_TYPE_COUNTER,
	  "Flagged flows sent to the divert chain (--divert).", NULL, false, -1 },
	{ "divert_failed", NFV_COUNTER_TYPE_COUNTER,
	  "Divert rules that could not be sent to nfvd.", NULL, false, -1 },
};

static void counters_bind(struct ids *ids)
{
	counters[0].v = &ids->st.alerts;
	counters[1].v = &ids->st.flagged;
	counters[2].v = &ids->st.scanned;
	counters[3].v = &ids->st.steered;
	counters[4].v = &ids->st.dropped;
	counters[5].v = &ids->st.flow_table_full;
	counters[6].v = &ids->st.diverted;
	counters[7].v = &ids->st.divert_failed;
}

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	struct ids_main *m = ctx;
	uint64_t now = nf_now_ns(CLOCK_MONOTONIC);

	nf_publish_update(nf, counters, sizeof(counters) / sizeof(counters[0]));
	if (now - m->last_sweep >= NSEC) {
		ids_sweep(&m->ids, now);
		m->last_sweep = now;
	}
	if (events & NFV_EV_USR1) {
		ids_json(stdout, &m->ids);
		fflush(stdout);
	}
}

static const char usage[] =
	"IDS options:\n"
	"  --patterns FILE      literals to look for, required; one per line:\n"
	"                       ID:TEXT (|0d 0a| for hex bytes) or ID:hex:HEX,\n"
	"                       '#' starts a comment line\n"
	"  --alerts FILE        append alerts (JSON lines) to FILE (default:\n"
	"                       stdout; \"-\" for none, count only)\n"
	"  --steer SID          send every frame of a flow that matched, both\n"
	"                       ways, to service SID (IPS)\n"
	"  --drop               drop every frame of a flow that matched\n"
	"  --divert CHAIN[,RCHAIN]  have the fabric send a flow that matched to\n"
	"                       chain CHAIN from then on, its replies to RCHAIN\n"
	"                       (flow rules; nfvd's policy must grant them:\n"
	"                       \"flows chains\")\n"
	"  --flow-timeout S     forget a flagged flow idle for S s (default 300)\n"
	"  --max-flows N        flagged flows remembered (default 65536)\n"
	"  --engine auto|hyperscan|aho-corasick   (default auto)\n"
	"SIGUSR1 prints counters as {\"stats\":...}.\n";

/* CHAIN[,RCHAIN] */
static int parse_divert(const char *v, struct ids *ids)
{
	char buf[32], *comma;
	uint32_t c, r = 0;

	if (strlen(v) >= sizeof(buf))
		return -1;
	strcpy(buf, v);
	comma = strchr(buf, ',');
	if (comma) {
		*comma = 0;
		if (nf_parse_u32(comma + 1, 1, NFV_CHAIN_MAX, &r))
			return -1;
	}
	if (nf_parse_u32(buf, 1, NFV_CHAIN_MAX, &c))
		return -1;
	ids->divert_chain = (uint16_t)c;
	ids->divert_reply_chain = (uint16_t)r;
	return 0;
}

static int bad(const char *opt, const char *v)
{
	fprintf(stderr, "nfv-ids: invalid %s \"%s\"\n", opt, v ? v : "");
	return 1;
}

int main(int argc, char **argv)
{
	static struct ids_main m;
	struct ids *ids = &m.ids;
	const char *patterns = NULL, *alerts = NULL;
	enum matcher_kind kind = MATCHER_AUTO;
	uint32_t timeout = 300, max_flows = 65536, sid;
	struct nfv_args args;
	char err[512] = "";
	struct nfv *nf;
	int i, ret;

	if (nfv_args_parse(&argc, argv, &args, "nfv-ids", usage))
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--drop")) {
			ids->drop = true;
			continue;
		}
		if (!v)
			return bad(a, v);
		if (!strcmp(a, "--patterns")) {
			patterns = v;
		} else if (!strcmp(a, "--alerts")) {
			alerts = v;
		} else if (!strcmp(a, "--steer")) {
			if (nf_parse_u32(v, 1, NFV_SERVICE_MAX, &sid))
				return bad(a, v);
			ids->steer_sid = (uint16_t)sid;
		} else if (!strcmp(a, "--divert")) {
			if (parse_divert(v, ids))
				return bad(a, v);
		} else if (!strcmp(a, "--flow-timeout")) {
			if (nf_parse_u32(v, 1, 86400 * 7, &timeout))
				return bad(a, v);
		} else if (!strcmp(a, "--max-flows")) {
			if (nf_parse_u32(v, 1, 16 << 20, &max_flows))
				return bad(a, v);
		} else if (!strcmp(a, "--engine")) {
			if (!strcmp(v, "auto"))
				kind = MATCHER_AUTO;
			else if (!strcmp(v, "hyperscan"))
				kind = MATCHER_HYPERSCAN;
			else if (!strcmp(v, "aho-corasick"))
				kind = MATCHER_AC;
			else
				return bad(a, v);
		} else {
			fprintf(stderr, "nfv-ids: unknown argument \"%s\"\n", a);
			return 1;
		}
		i++;
	}
	if (!patterns) {
		fprintf(stderr, "nfv-ids: --patterns FILE is required\n");
		return 1;
	}
	if (!!ids->steer_sid + ids->drop + !!ids->divert_chain > 1) {
		fprintf(stderr, "nfv-ids: give one of --steer, --drop and --divert\n");
		return 1;
	}
	if (patterns_load(patterns, &ids->ps, err, sizeof(err))) {
		fprintf(stderr, "nfv-ids: %s\n", err);
		return 1;
	}
	err[0] = 0;
	if (matcher_init(&ids->m, &ids->ps, kind, err, sizeof(err))) {
		fprintf(stderr, "nfv-ids: %s\n", err);
		return 1;
	}
	if (*err)
		fprintf(stderr, "nfv-ids: %u patterns, engine %s (hyperscan: %s)\n",
			ids->ps.n, ids->m.ops->name, err);
	else
		fprintf(stderr, "nfv-ids: %u patterns, engine %s\n", ids->ps.n,
			ids->m.ops->name);
	if (!alerts) {
		ids->alerts = stdout;
	} else if (strcmp(alerts, "-")) {
		ids->alerts = fopen(alerts, "a");
		if (!ids->alerts) {
			fprintf(stderr, "nfv-ids: %s: %s\n", alerts, strerror(errno));
			return 1;
		}
	}
	if (ids_init(ids, max_flows, (uint64_t)timeout * NSEC)) {
		fprintf(stderr, "nfv-ids: out of memory\n");
		return 1;
	}
	ids->mono_to_real = (int64_t)nf_now_ns(CLOCK_REALTIME) -
			    (int64_t)nf_now_ns(CLOCK_MONOTONIC);
	nf = nfv_init_args(&args);
	if (!nf)
		return 1;
	m.last_sweep = nf_now_ns(CLOCK_MONOTONIC);
	m.nf = nf;
	ids->nf = nf;
	counters_bind(ids);
	nf_publish_register(nf, counters, sizeof(counters) / sizeof(counters[0]));
	LIBNFV_RUN_OPTS(run_opts, .tick = tick, .tick_ms = 1000,
			.flags = NF_RUN_SIGNALS | NFV_RUN_F_BATCH_TIME);
	ret = nfv_run_opts(nf, handle, &m, &run_opts);
	ids_json(stdout, ids);
	nfv_close(nf);
	if (ids->alerts && ids->alerts != stdout)
		fclose(ids->alerts);
	ids_free(ids);
	return ret ? 1 : 0;
}
