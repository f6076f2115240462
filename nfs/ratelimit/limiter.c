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
	rl->flows = nfv_ftable_create(rl->n_slots, sizeof(struct rl_flow), 0);
	return rl->flows ? 0 : -ENOMEM;
}

void rl_free(struct limiter *rl)
{
	nfv_ftable_free(rl->flows);
	rl->flows = NULL;
}

/* Make room: remove the least recently used of the next RL_PROBE flows. */
static void evict_lru(struct limiter *rl)
{
	struct rl_flow *f = rl->cursor, *victim = NULL;
	uint32_t i;

	for (i = 0; i < RL_PROBE; i++) {
		f = nfv_ftable_next(rl->flows, f);
		if (!f && !(f = nfv_ftable_next(rl->flows, NULL)))
			break;
		if (!victim || f->tb.last_ns < victim->tb.last_ns)
			victim = f;
	}
	rl->cursor = f;
	if (victim) {
		nfv_ftable_delete(rl->flows, victim);
		rl->st.evicted++;
	}
}

struct tb *rl_bucket(struct limiter *rl, struct nfv_pkt *pkt)
{
	struct nfv_ftable_key key;
	struct nf_flow_key k;
	bool created, evicted = false;
	struct rl_flow *f;

	if (!rl->per_flow || !nf_flow_key(pkt, &k))
		return &rl->aggregate;
	nf_flow_canon(&k);
	nf_ftable_key(&key, &k);
	f = nfv_ftable_insert(rl->flows, &key, pkt->meta->hash, rl->now,
			      &created);
	if (!f && errno == ENOSPC) {
		evict_lru(rl);
		evicted = true;
		f = nfv_ftable_insert(rl->flows, &key, pkt->meta->hash,
				      rl->now, &created);
	}
	if (!f)
		return &rl->aggregate;
	if (created) {
		/* Counted as a flow when it took a free entry, else evicted. */
		if (!evicted)
			rl->st.flows++;
		tb_init(&rl->conf, &f->tb, rl->now);
	}
	return &f->tb;
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
