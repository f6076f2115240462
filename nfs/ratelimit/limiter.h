/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-ratelimit state: one aggregate token bucket, or one per flow in a
 * fixed table (open addressing over the classifier's symmetric hash,
 * canonical 5-tuple as key, so both directions share a bucket).  When a
 * probe window is full the least recently used entry is replaced: a
 * bucket idle long enough to be full again loses nothing by that.
 */
#ifndef __NFV_RATELIMIT_LIMITER_H
#define __NFV_RATELIMIT_LIMITER_H

#include <stdio.h>

#include <nfv/libnfv.h>

#include "../common/flow.h"
#include "bucket.h"

#define RL_PROBE	16

struct rl_flow {
	struct nf_flow_key key;
	struct tb tb;
	uint64_t passed, dropped;
	bool used;
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
	struct rl_flow *flows;
	uint32_t n_slots;		/* power of two */
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
