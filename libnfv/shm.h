/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Layout of the memory nfvd shares with NF processes.  Described in
 * libnfv/PROTOCOL.md; bump NFV_SHM_VERSION on any change.
 *
 * Every byte an NF can write lives in one of two places:
 *
 *  UMEM     frames (NFV_FD_UMEM): written by the kernel (rx copy) and by
 *           writable NFs; read-only NFs get an O_RDONLY open.
 *  SEG      the NF's own segment (NFV_FD_SEG), struct nfv_seg_layout:
 *           its custody log, its lanes to other NFs, the consumer indices
 *           of lanes into it, its counters.  Only that NF writes it:
 *           nfvd seals it (F_SEAL_FUTURE_WRITE) when the NF says READY,
 *           before any peer or nfvd maps it, so every other mapping is
 *           read-only.
 *
 * and one nfvd writes alone:
 *
 *  TABLES   struct nfv_tables, sealed before any NF gets it: ports,
 *           chains, services, NF slots, and per NF the feedback nfvd
 *           gives it (the log consumer index, the frame budget flag).
 *
 * No side takes a layout from shared memory: offsets and sizes come from
 * nfv_seg_layout() (constants and the attach reply), every index read
 * from another process's memory is read once and range-checked.  Who
 * holds which frame is nfvd's private ledger (tools/nfvd/ledger.c), fed
 * by the custody logs and checked against what nfvd alone knows.
 */
#ifndef __NFV_SHM_H
#define __NFV_SHM_H

#include <stdint.h>
#include <linux/nfv.h>

#define NFV_SHM_MAGIC		0x6e667632u	/* "nfv2" */
#define NFV_SHM_VERSION		2
#define NFV_CACHELINE		64

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
 * @sleeping: u32, the NF is about to sleep in poll(): producers must
 *	write its doorbell.
 * @in_cons: NFV_NF_MAX index words, one cache line each: consumer index
 *	of the lane from producer p, tagged with p's generation.
 * @lanes: NFV_NF_MAX lanes out of this NF, by consumer id, each a cache
 *	line with the producer index word (tagged with the consumer's
 *	generation) then NFV_LANE_SIZE descriptors.
 */
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

/* Mirror of the port table for NFs (NFV_PORT_MAX entries by port id). */
struct nfv_tables_port {
	uint32_t ifindex;	/* 0: unused */
	uint16_t n_queues;
	uint16_t flags;		/* NFV_PORT_F_* */
	char name[16];		/* netdev name in the fabric's netns */
};

struct nfv_tables_nf {
	uint32_t state;		/* enum nfv_nf_state, 0 if slot unused */
	uint32_t gen;		/* bumped each time the id is reused */
	uint16_t service;
	uint16_t flags;
	uint32_t pid;
};

/*
 * What nfvd tells one NF, a cache line per NF (the NF reads its own on
 * its fast path, producers read their consumers').
 * @relay_cons: nfvd's consumer index word of the NF's lane 0, where a
 *	read-only NF puts frames for nfvd to transmit (tagged with the NF's
 *	generation, like any consumer index).
 * @log_cons: nfvd's consumer index of the NF's custody log.
 * @over: the NF holds more frames than its budget: send it nothing.
 */
struct nfv_tables_fb {
	uint64_t relay_cons;
	uint32_t log_cons;
	uint32_t over;
	uint32_t pad[NFV_CACHELINE / 4 - 4];
};

/*
 * struct nfv_tables - read-only mirror of what the XDP program reads, for
 * NFs choosing the next hop, and nfvd's feedback to each NF.  Writer:
 * nfvd (or, with nfv.ko, nfvd mirroring the module).  A reader may see
 * an entry mid-update; every value it can see was valid a moment ago, and
 * nfvd waits a grace period before it reclaims anything a stale reader
 * could still reach.
 */
struct nfv_tables {
	uint32_t magic;
	uint32_t version;
	uint32_t n_frames;
	uint32_t frame_size;
	uint32_t gen;		/* bumped on every change */
	uint32_t pad;
	/* nfvd is about to sleep: an NF that logged frames kicks
	 * NFV_FD_NFVD_DOORBELL.
	 */
	uint32_t nfvd_sleeping __attribute__((aligned(NFV_CACHELINE)));
	struct nfv_tables_port ports[NFV_PORT_MAX]
		__attribute__((aligned(NFV_CACHELINE)));
	struct nfv_tables_nf nfs[NFV_NF_MAX];
	struct nfv_chain chains[NFV_CHAIN_MAX + 1];
	struct nfv_service services[NFV_SERVICE_MAX + 1];
	struct nfv_tables_fb fb[NFV_NF_MAX]
		__attribute__((aligned(NFV_CACHELINE)));
};

/* Page 0 of a segment: checked by whoever maps one. */
struct nfv_seg_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t n_frames;
	uint32_t pad;
};

#endif /* __NFV_SHM_H */
