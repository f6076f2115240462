/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-ids: payload matching against a literal set, alerts as JSON lines,
 * and flows that matched remembered (both directions, until idle for
 * --flow-timeout): with --steer SID every later frame of such a flow goes
 * to service SID (the IPS case), with --drop it is dropped, with --divert
 * CHAIN[,RCHAIN] the fabric sends it to chain CHAIN from then on, and its
 * replies to RCHAIN (flow rules, nfv_flow_add(), idle timeout
 * --flow-timeout; the frames already on their way go on inline).  Each frame's
 * L4 payload (IP payload when there is none) is scanned on its own; a
 * pattern split across two segments is not seen.  Tap references (a
 * read-only copy of the chain's traffic) are scanned and remembered but
 * cannot be steered: their frame goes on in the inline chain.
 */
#ifndef __NFV_IDS_IDS_H
#define __NFV_IDS_IDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <nfv/libnfv.h>

#include "../common/flow.h"
#include "matcher.h"
#include "patterns.h"

#define IDS_HITS_MAX	32	/* patterns reported per frame */

/*
 * A flagged flow: the value in libnfv's flow table, keyed by the
 * canonical 5-tuple; its last-seen time (CLOCK_MONOTONIC) is the table's.
 */
struct ids_flow {
	uint32_t first_id;		/* pattern that flagged it */
	uint64_t packets;		/* frames since flagged */
	uint64_t divert_ns;		/* its rules last sent (--divert) */
};

struct ids_stats {
	uint64_t packets, scanned, scanned_bytes;
	uint64_t alerts;		/* pattern matches reported */
	uint64_t flagged;		/* flows remembered */
	uint64_t flow_table_full;
	uint64_t expired;
	uint64_t steered, dropped;	/* frames of flagged flows */
	uint64_t diverted;		/* flows whose rules were sent */
	uint64_t divert_failed;		/* rules libnfv could not send */
	uint64_t tap;			/* tap references seen */
	uint64_t other;			/* not IP */
};

struct ids {
	struct pattern_set ps;
	struct matcher m;
	uint16_t steer_sid;		/* 0: do not steer */
	bool drop;
	uint16_t divert_chain;		/* 0: do not divert */
	uint16_t divert_reply_chain;	/* its replies; 0: not them */
	struct nfv *nf;			/* for its flow rules (--divert) */
	FILE *alerts;			/* NULL: count only */
	int64_t mono_to_real;
	uint64_t now;			/* per batch */
	uint64_t flow_timeout;		/* ns */
	struct nfv_ftable *flows;	/* canonical key -> struct ids_flow */
	uint32_t max_flows;
	struct ids_stats st;
	/* One frame's matches, collected by the scan callback. */
	unsigned int hits[IDS_HITS_MAX];
	size_t ends[IDS_HITS_MAX];
	unsigned int n_hits;
};

int ids_init(struct ids *ids, uint32_t max_flows, uint64_t flow_timeout);
void ids_free(struct ids *ids);
uint32_t ids_handle(struct nfv_pkt *pkt, void *ctx);
uint32_t ids_sweep(struct ids *ids, uint64_t now);
/* Is the flow of @k (directional; @hint: its classifier hash) flagged? */
struct ids_flow *ids_flagged(struct ids *ids, const struct nf_flow_key *k,
			     uint64_t hint);
/* Flagged flows remembered now. */
uint32_t ids_n_flows(const struct ids *ids);
void ids_json(FILE *f, const struct ids *ids);

#endif /* __NFV_IDS_IDS_H */
