/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-ratelimit state: one aggregate token bucket, or one per flow in
 * libnfv's flow table (canonical 5-tuple as key, so both directions share
 * a bucket; the classifier's hash as hint).  When the table is full the
 * least recently used of RL_PROBE entries (a window moving round the
 * table) is replaced: a bucket idle long enough to be full again loses
 * nothing by that.  A flow the table still refuses (both its buckets
 * full, which takes collisions in a keyed hash) shares the aggregate.
 */
#ifndef __NFV_RATELIMIT_LIMITER_H
#define __NFV_RATELIMIT_LIMITER_H

#include <stdio.h>

#include <nfv/libnfv.h>

#include "../common/flow.h"
#include "bucket.h"

#define RL_PROBE	16

struct rl_flow {
	struct tb tb;
	uint64_t passed, dropped;
};

struct rl_stats {
	uint64_t passed, passed_bytes;
	uint64_t dropped, dropped_bytes;
	uint64_t flows, evicted;
};

struct limiter {
	struct tb_conf conf;
	bool per_flow;
	struct tb aggregate;		/* also non-IP frames when per flow */
	struct nfv_ftable *flows;	/* canonical key -> struct rl_flow */
	uint32_t n_slots;		/* its capacity: a power of two */
	struct rl_flow *cursor;		/* where the LRU window starts */
	struct rl_stats st;
	uint64_t now;			/* ns, CLOCK_MONOTONIC, per batch */
};

int rl_init(struct limiter *rl, const struct tb_conf *conf, bool per_flow,
	    uint32_t max_flows, uint64_t now);
void rl_free(struct limiter *rl);
/* The bucket of @pkt (created if missing); NULL never. */
struct tb *rl_bucket(struct limiter *rl, struct nfv_pkt *pkt);
uint32_t rl_handle(struct nfv_pkt *pkt, void *ctx);
void rl_json(FILE *f, const struct limiter *rl);

#endif /* __NFV_RATELIMIT_LIMITER_H */
