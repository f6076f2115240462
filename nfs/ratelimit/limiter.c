// SPDX-License-Identifier: GPL-2.0
/* nfv-ratelimit data path: pick the bucket, take or drop. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "limiter.h"

int rl_init(struct limiter *rl, const struct tb_conf *conf, bool per_flow,
	    uint32_t max_flows, uint64_t now)
{
	memset(rl, 0, sizeof(*rl));
	rl->conf = *conf;
	rl->per_flow = per_flow;
	rl->now = now;
	tb_init(conf, &rl->aggregate, now);
	if (!per_flow)
		return 0;
	for (rl->n_slots = RL_PROBE; rl->n_slots < max_flows; rl->n_slots <<= 1)
		;
	rl->flows = calloc(rl->n_slots, sizeof(*rl->flows));
	return rl->flows ? 0 : -ENOMEM;
}

void rl_free(struct limiter *rl)
{
	free(rl->flows);
	rl->flows = NULL;
}

struct tb *rl_bucket(struct limiter *rl, struct nfv_pkt *pkt)
{
	struct rl_flow *f, *victim = NULL;
	struct nf_flow_key k;
	uint32_t i, slot;

	if (!rl->per_flow || !nf_flow_key(pkt, &k))
		return &rl->aggregate;
	nf_flow_canon(&k);
	slot = pkt->meta->hash;
	for (i = 0; i < RL_PROBE; i++) {
		f = &rl->flows[(slot + i) & (rl->n_slots - 1)];
		if (!f->used) {
			if (!victim || victim->used)
				victim = f;
			continue;
		}
		if (nf_flow_eq(&f->key, &k))
			return &f->tb;
		if (!victim || (victim->used && f->tb.last_ns < victim->tb.last_ns))
			victim = f;
	}
	if (victim->used)
		rl->st.evicted++;
	else
		rl->st.flows++;
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->key = k;
	tb_init(&rl->conf, &victim->tb, rl->now);
	return &victim->tb;
}

uint32_t rl_handle(struct nfv_pkt *pkt, void *ctx)
{
	struct limiter *rl = ctx;
	struct tb *tb = rl_bucket(rl, pkt);

	if (tb_take(&rl->conf, tb, rl->now, pkt->len)) {
		rl->st.passed++;
		rl->st.passed_bytes += pkt->len;
		return NFV_NEXT;
	}
	rl->st.dropped++;
	rl->st.dropped_bytes += pkt->len;
	return NFV_DROP;
}

void rl_json(FILE *f, const struct limiter *rl)
{
	fprintf(f, "{\"mode\":\"%s\",\"rate\":%llu,\"unit\":\"%s\",\"burst\":%llu,"
		"\"passed\":%llu,\"passed_bytes\":%llu,\"dropped\":%llu,"
		"\"dropped_bytes\":%llu,\"flows\":%llu,\"evicted\":%llu}\n",
		rl->per_flow ? "per-flow" : "aggregate",
		(unsigned long long)rl->conf.rate,
		rl->conf.bits ? "bit/s" : "packet/s",
		(unsigned long long)rl->conf.burst,
		(unsigned long long)rl->st.passed,
		(unsigned long long)rl->st.passed_bytes,
		(unsigned long long)rl->st.dropped,
		(unsigned long long)rl->st.dropped_bytes,
		(unsigned long long)rl->st.flows,
		(unsigned long long)rl->st.evicted);
}
