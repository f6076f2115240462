/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * NF->NF lanes: single-producer single-consumer rings of struct nfv_desc
 * between processes (the custody log, nfv_custody.h, is built the same
 * way).
 *
 * Same discipline as the AF_XDP rings: free-running 32-bit indices, each
 * index has one writer, each side keeps its own index privately and
 * caches the other's, re-reading it only when the cache says "full" or
 * "empty".  Unlike AF_XDP rings, the two indices live in two different
 * processes' memory: the producer's index in the producer's segment, the
 * consumer's in the consumer's (or, for the log, in nfvd's tables).
 * Neither side ever reads its own index back from shared memory.
 *
 * Barriers: the producer fills entries, then publishes its index with a
 * release store, so a consumer that acquire-loads it sees the entries.
 * The consumer reads entries, then publishes its index with a release
 * store, so a producer that acquire-loads it never overwrites an entry
 * still being read.
 *
 * The other side may be hostile: an index it publishes is read once and
 * checked (a producer ahead by more than the ring size is a "jump": the
 * consumer skips everything and counts it; a consumer index that runs
 * ahead of the producer's reads as "full").  Index words carry the
 * generation they were written for (nfv_idx_word() below).
 */
#ifndef __NFV_LANE_H
#define __NFV_LANE_H

#include <stdint.h>
#include "nfv_shm.h"

#define NFV_LANE_SIZE		1024	/* descriptors per NF->NF lane */

/*
 * Moves (next hop, to-service, tap) a frame may make between leaving the
 * classifier and leaving the fabric.  A chain has at most NFV_HOPS_MAX
 * hops; the rest is room for overrides.  Past it the frame is dropped
 * (loop_drop): two NFs sending a frame to each other cannot keep it
 * forever.
 */
#define NFV_MOVE_BUDGET		32

/*
 * One NF->NF descriptor: a frame address (with data offset), its length,
 * the chain hop the frame is at and the moves it has left.  The hop
 * travels here and not only in the frame's metadata because a read-only
 * NF cannot write the frame.
 */
struct nfv_desc {
	uint64_t addr;
	uint32_t len;
	uint8_t hop;
	uint8_t budget;
	uint16_t flags;		/* NFV_DESC_F_* */
};

/* The descriptor is a tap reference: read, then release; never forward. */
#define NFV_DESC_F_TAP		1

/*
 * Index words.  A lane's producer index lives in the producer's segment,
 * its consumer index in the consumer's: each side writes only its own.
 * Both are tagged with the generation of the *other* end they were
 * written for (the NF slot's gen in the tables), so a new incarnation of
 * an NF id never takes a stale index of the previous one for its own:
 * an index word whose tag is not the reader's own generation reads as 0.
 */
static inline uint64_t nfv_idx_word(uint32_t gen, uint32_t idx)
{
	return (uint64_t)gen << 32 | idx;
}

/* Producer side of a lane, in the producer. */
struct nfv_lane_tx {
	uint64_t *prod_word;		/* ours: in our segment */
	const uint64_t *cons_word;	/* theirs: in the consumer's segment */
	struct nfv_desc *descs;		/* ours */
	uint32_t prod;			/* private: never read back */
	uint32_t cached_cons;
	uint32_t self_gen;		/* our generation: tags their word */
	uint32_t peer_gen;		/* theirs: tags our word */
};

/*
 * Consumer side of a lane, in the consumer.  Entries are read at @read;
 * the index the producer sees (@cons) moves up to it only once no frame
 * read from the lane is @open: the consumer logs no TAKE for lane frames,
 * their next custody entry says it took them, so the lane keeps showing
 * them until that entry is published (nfvd reads the lanes of a dead
 * producer to know what its consumers still hold).
 */
struct nfv_lane_rx {
	const uint64_t *prod_word;	/* theirs */
	const struct nfv_desc *descs;	/* theirs */
	uint64_t *cons_word;		/* ours */
	uint32_t cons;			/* published */
	uint32_t read;			/* private */
	uint32_t open;			/* frames read, last entry not logged */
	uint32_t cached_prod;
	uint32_t self_gen;
	uint32_t peer_gen;
};

/* An index word of the other side, as the side of generation @self. */
static inline uint32_t nfv_idx_read(const uint64_t *word, uint32_t self)
{
	/* Acquire: pairs with the other side's release of the word. */
	uint64_t w = __atomic_load_n(word, __ATOMIC_ACQUIRE);

	return (uint32_t)(w >> 32) == self ? (uint32_t)w : 0;
}

/*
 * A producer starting a lane to a consumer of generation @peer_gen.  It
 * starts at 0, and so does a consumer that sees a new producer
 * generation: the consumer's word, tagged with our previous generation
 * (or nothing), reads as 0.
 */
static inline void nfv_lane_tx_init(struct nfv_lane_tx *l, void *seg_lane,
				    const uint64_t *cons_word,
				    uint32_t self_gen, uint32_t peer_gen)
{
	l->prod_word = seg_lane;
	l->descs = (struct nfv_desc *)((char *)seg_lane + NFV_CACHELINE);
	l->cons_word = cons_word;
	l->prod = 0;
	l->cached_cons = 0;
	l->self_gen = self_gen;
	l->peer_gen = peer_gen;
	__atomic_store_n(l->prod_word, nfv_idx_word(peer_gen, 0),
			 __ATOMIC_RELEASE);
}

/* Producer: how many entries can be written (at most @n). */
static inline uint32_t nfv_lane_free(struct nfv_lane_tx *l, uint32_t n)
{
	uint32_t free = NFV_LANE_SIZE - (l->prod - l->cached_cons), cons;

	if (free >= n)
		return n;
	cons = nfv_idx_read(l->cons_word, l->self_gen);
	free = NFV_LANE_SIZE - (l->prod - cons);
	/* A consumer that moved its index beyond ours is lying: full,
	 * and not cached: the lie must not answer the next call.
	 */
	if (free > NFV_LANE_SIZE)
		return 0;
	l->cached_cons = cons;
	return free < n ? free : n;
}

static inline struct nfv_desc *nfv_lane_slot(struct nfv_lane_tx *l)
{
	return &l->descs[l->prod & (NFV_LANE_SIZE - 1)];
}

/* Producer: publish everything written since the last submit. */
static inline void nfv_lane_submit(struct nfv_lane_tx *l)
{
	/* Release: entries are visible before the new index. */
	__atomic_store_n(l->prod_word, nfv_idx_word(l->peer_gen, l->prod),
			 __ATOMIC_RELEASE);
}

static inline void nfv_lane_rx_init(struct nfv_lane_rx *l,
				    const void *peer_lane, uint64_t *cons_word,
				    uint32_t self_gen, uint32_t peer_gen)
{
	l->prod_word = peer_lane;
	l->descs = (const struct nfv_desc *)((const char *)peer_lane +
					     NFV_CACHELINE);
	l->cons_word = cons_word;
	l->cons = l->read = l->open = 0;
	l->cached_prod = 0;
	l->self_gen = self_gen;
	l->peer_gen = peer_gen;
	__atomic_store_n(l->cons_word, nfv_idx_word(peer_gen, 0),
			 __ATOMIC_RELEASE);
}

/*
 * Consumer: entries ready (at most @n).  Sets *@jump if the producer's
 * index is further ahead than the ring can hold; everything up to it is
 * skipped (the caller counts it).
 */
static inline uint32_t nfv_lane_avail(struct nfv_lane_rx *l, uint32_t n,
				      int *jump)
{
	uint32_t avail = l->cached_prod - l->read;

	/*
	 * Fewer cached than wanted: look at the producer's index again.  Not
	 * only when none are cached: a consumer that takes what it cached,
	 * finds it short of @n and concludes the lane is drained would
	 * leave entries published meanwhile for a later wake-up that may
	 * not come (ring.short_cache_looks_again).
	 */
	if (avail < n) {
		l->cached_prod = nfv_idx_read(l->prod_word, l->self_gen);
		avail = l->cached_prod - l->read;
	}
	/*
	 * Checked every time: a ring first seen mid-jump starts here.  What
	 * is open stays shown (nfv_lane_settle()).
	 */
	if (l->cached_prod - l->cons > NFV_LANE_SIZE) {
		*jump = 1;
		l->read = l->cached_prod;
		if (!l->open) {
			l->cons = l->read;
			__atomic_store_n(l->cons_word,
					 nfv_idx_word(l->peer_gen, l->cons),
					 __ATOMIC_RELEASE);
		}
		return 0;
	}
	return avail < n ? avail : n;
}

/* Consumer: a copy of entry @i of the ones nfv_lane_avail() counted. */
static inline struct nfv_desc nfv_lane_read(const struct nfv_lane_rx *l,
					    uint32_t i)
{
	return l->descs[(l->read + i) & (NFV_LANE_SIZE - 1)];
}

/* Consumer: @n entries read, @open of them frames still to log. */
static inline void nfv_lane_consume(struct nfv_lane_rx *l, uint32_t n,
				    uint32_t open)
{
	l->read += n;
	l->open += open;
}

/*
 * Consumer: the last entries of the frames read are published (the
 * log's submit is before this); give the producer the lane back.
 */
static inline void nfv_lane_settle(struct nfv_lane_rx *l)
{
	if (l->open || l->cons == l->read)
		return;
	l->cons = l->read;
	/* Release: our reads of the entries happen before the producer may
	 * overwrite them.
	 */
	__atomic_store_n(l->cons_word, nfv_idx_word(l->peer_gen, l->cons),
			 __ATOMIC_RELEASE);
}

/* Consumer: @n entries read and done with at once. */
static inline void nfv_lane_release(struct nfv_lane_rx *l, uint32_t n)
{
	nfv_lane_consume(l, n, 0);
	nfv_lane_settle(l);
}

#endif /* __NFV_LANE_H */
