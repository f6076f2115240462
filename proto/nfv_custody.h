/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An NF's custody log: what it did with each frame, in order, for nfvd's
 * ledger (tools/nfvd/ledger.c).  The entry format, and the producer side
 * of the ring the NF writes them to: a single-producer single-consumer
 * ring like the lanes (nfv_lane.h), whose producer index lives in the
 * NF's segment and whose consumer index lives in nfvd's tables.
 */
#ifndef __NFV_CUSTODY_H
#define __NFV_CUSTODY_H

#include <stdint.h>

/*
 * Custody log entries: what an NF did with a frame, in order.  nfvd
 * applies them to its ledger; an entry that does not match what the
 * ledger says (a frame the NF does not hold, a peer it cannot send to)
 * is refused and counted, never followed.
 *
 *  bits  0..31  frame index
 *  bits 32..39  op (enum nfv_log_op)
 *  bits 40..55  arg: peer NF id, port id, or rx socket (port << 2 | queue)
 */
enum nfv_log_op {
	NFV_LOG_NONE,
	NFV_LOG_TAKE_RX,	/* took it off the rx ring of socket @arg */
	NFV_LOG_TAKE,		/* took it off the lane from NF @arg */
	NFV_LOG_SEND,		/* put it on the lane to NF @arg */
	NFV_LOG_TAP,		/* gave NF @arg a tap reference (keeps it) */
	NFV_LOG_TAP_TAKE,	/* took a tap reference from NF @arg */
	NFV_LOG_TAP_DONE,	/* released its tap reference */
	NFV_LOG_TX,		/* put it on the tx ring of port @arg */
	NFV_LOG_DROP,		/* gave it back to nfvd */
	__NFV_LOG_OP_MAX,
};

static inline uint64_t nfv_log_entry(uint32_t frame, enum nfv_log_op op,
				     uint16_t arg)
{
	return (uint64_t)frame | (uint64_t)op << 32 | (uint64_t)arg << 40;
}

#define NFV_LOG_FRAME(e)	((uint32_t)(e))
#define NFV_LOG_OPOF(e)		((uint32_t)((e) >> 32) & 0xff)
#define NFV_LOG_ARG(e)		((uint16_t)((e) >> 40))
#define NFV_LOG_RXSOCK(port, queue) ((uint16_t)((port) << 2 | (queue)))

/*
 * The custody log, producer side (the NF).  The consumer index is
 * nfvd's, in the tables; nfvd keeps its own copy and never reads ours
 * back as its own.
 */
struct nfv_log {
	uint32_t *prod_word;		/* ours, in our segment */
	const uint32_t *cons_word;	/* nfvd's, in the tables */
	uint64_t *entries;
	uint32_t size, mask;
	uint32_t prod;			/* written, maybe not published */
	uint32_t cached_cons;
	uint32_t reserved;		/* promised to frames we hold */
};

/*
 * Entries that can be written beyond those promised; the cache of nfvd's
 * index is refreshed when it shows fewer than @want.
 */
static inline uint32_t nfv_log_free(struct nfv_log *g, uint32_t want)
{
	uint32_t used = g->prod - g->cached_cons + g->reserved, cons;

	if (used <= g->size && g->size - used >= want)
		return g->size - used;
	cons = __atomic_load_n(g->cons_word, __ATOMIC_ACQUIRE);
	used = g->prod - cons;
	/* nfvd never runs ahead of us; if it seems to, trust nothing (and
	 * keep nothing of it).
	 */
	if (used > g->size)
		return 0;
	g->cached_cons = cons;
	used += g->reserved;
	return used <= g->size ? g->size - used : 0;
}

/* More than half of the log waits for nfvd. */
static inline int nfv_log_half_full(const struct nfv_log *g)
{
	return g->prod - g->cached_cons > g->size / 2;
}

/* Write an entry; room was checked (nfv_log_free) or reserved. */
static inline void nfv_log_put(struct nfv_log *g, uint64_t e)
{
	g->entries[g->prod & g->mask] = e;
	g->prod++;
}

static inline void nfv_log_submit(struct nfv_log *g)
{
	/* Release: entries are visible before the index. */
	__atomic_store_n(g->prod_word, g->prod, __ATOMIC_RELEASE);
}

#endif /* __NFV_CUSTODY_H */
