/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An NF's segment (NFV_FD_SEG): its custody log, its lanes to other NFs,
 * the consumer indices of lanes into it, its counters.  Written by that
 * NF alone; every other mapping is read-only (nfv_shm.h).  Where things
 * are comes from nfv_seg_layout(), never from the segment.
 */
#ifndef __NFV_SEGMENT_H
#define __NFV_SEGMENT_H

#include <stdint.h>
#include <linux/nfv.h>
#include "nfv_shm.h"
#include "nfv_lane.h"

/* Counters an NF keeps about itself (it may lie about them). */
struct nfv_nf_counters {
	uint64_t rx;		/* frames received (rx rings and lanes) */
	uint64_t tx;		/* frames sent out of a port */
	uint64_t next;		/* frames handed to another NF */
	uint64_t drop;		/* frames returned: DROP, errors */
	uint64_t bad_desc;	/* lane descriptors that failed checks */
	uint64_t ring_full;	/* lane or tx ring full: frame dropped */
	uint64_t no_replica;	/* next service had no live replica */
	uint64_t override_denied; /* action override refused by the chain */
	uint64_t csum_fixed;	/* partial checksums completed */
	uint64_t tap_overflow;	/* tap lane full: reference not given */
	uint64_t loop_drop;	/* move budget spent: frame dropped */
	uint64_t overrun;	/* next NF over its frame budget: dropped */
	uint64_t bp_waits;	/* waited for room on its lanes out */
	uint64_t bp_timeouts;	/* gave up waiting: a consumer took nothing */
	uint64_t sched_switches; /* SCHED_BATCH under load and back (sched.c) */
};

/*
 * struct nfv_seg_layout - where things are in an NF's segment.  Computed
 * by nfv_seg_layout() from constants and the frame count of the attach
 * reply, by the NF, by nfvd and by peers alike; never stored in the
 * segment.
 *
 * @log_prod: u32, the NF's producer index of its custody log; the
 *	consumer index is nfvd's, in the tables (struct nfv_tables_fb).
 * @log: @log_size u64 entries (a power of two, 4 per frame: room for
 *	every frame to move twice before nfvd looks).
 * @sleeping: u32, the NF is about to sleep in poll(): NFV_SLEEP_IDLE,
 *	for frames (producers must write its doorbell), or NFV_SLEEP_ROOM,
 *	for room on the lanes out of it (their consumers write its doorbell
 *	once they have drained half of such a lane; libnfv/rx.c).  Read by
 *	its peers only, each value at worst a wasted doorbell write.
 * @in_cons: NFV_NF_MAX index words, one cache line each: consumer index
 *	of the lane from producer p, tagged with p's generation.
 * @lanes: NFV_NF_MAX lanes out of this NF, by consumer id, each a cache
 *	line with the producer index word (tagged with the consumer's
 *	generation) then NFV_LANE_SIZE descriptors.
 */
#define NFV_SLEEP_IDLE		1
#define NFV_SLEEP_ROOM		2

struct nfv_seg_layout {
	uint64_t size;
	uint64_t counters;
	uint64_t sleeping;
	uint64_t log_prod;
	uint64_t log;
	uint64_t in_cons;
	uint64_t lanes;
	uint32_t log_size;
};

#define NFV_LANE_STRIDE \
	(NFV_CACHELINE + NFV_LANE_SIZE * sizeof(struct nfv_desc))

static inline void nfv_seg_layout(struct nfv_seg_layout *l, uint32_t n_frames)
{
	uint64_t off = 4096;	/* page 0: magic and version */
	uint32_t log = 1;

	while (log < 4 * n_frames)
		log <<= 1;
	l->log_size = log;
	l->counters = off;
	off += 4096;
	l->sleeping = off;
	off += NFV_CACHELINE;
	l->log_prod = off;
	off = (off + NFV_CACHELINE + 4095) & ~4095ULL;
	l->log = off;
	off += (uint64_t)log * sizeof(uint64_t);
	l->in_cons = off;
	off += (uint64_t)NFV_NF_MAX * NFV_CACHELINE;
	l->lanes = off;
	off += (uint64_t)NFV_NF_MAX * NFV_LANE_STRIDE;
	l->size = (off + 4095) & ~4095ULL;
}

/* Page 0 of a segment: checked by whoever maps one. */
struct nfv_seg_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t n_frames;
	uint32_t pad;
};

#endif /* __NFV_SEGMENT_H */
