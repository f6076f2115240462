/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Layout of the memory nfvd shares with NF processes.  Described in
 * libnfv/PROTOCOL.md; bump NFV_SHM_VERSION on any change.
 *
 * Four memfds, passed at attach (enum nfv_fd_role):
 *
 *  UMEM     frames; written by the kernel (rx copy), by the NF that holds
 *           a frame, read by the kernel on tx.
 *  TABLES   struct nfv_tables.  Writer: nfvd only (sealed against new
 *           writable mappings: NFs can only map it read-only).
 *  HANDOFF  struct nfv_handoff: the frame owner table and every NF->NF
 *           lane.  Writers: see each field.
 *  PRIVATE  struct nfv_private, one per NF: its return ring (NF produces,
 *           nfvd consumes) and the counters the NF keeps about itself.
 */
#ifndef __NFV_SHM_H
#define __NFV_SHM_H

#include <stdint.h>
#include <linux/nfv.h>

#define NFV_SHM_MAGIC		0x6e667631u	/* "nfv1" */
#define NFV_SHM_VERSION		1
#define NFV_CACHELINE		64

#define NFV_LANE_SIZE		1024	/* descriptors per NF->NF lane */
#define NFV_OWNER_NFVD		0	/* frame is nfvd's: free or fill ring */

/*
 * One NF->NF descriptor: a frame address (with data offset), its length
 * and the chain hop the frame is at.  The hop travels here and not only in
 * the frame's metadata because a read-only NF cannot write the frame.
 */
struct nfv_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t hop;
	uint16_t flags;		/* NFV_DESC_F_* */
};

/* The descriptor is a tap reference: read, then release; never forward. */
#define NFV_DESC_F_TAP		1

/*
 * Single-producer single-consumer lane from NF @p to NF @c.  The producer
 * writes descs and @prod; the consumer writes @cons.  Indices run free and
 * wrap; entries are [cons, prod).  Zeroed memory is an empty lane.
 */
struct nfv_lane_hdr {
	uint32_t prod;
	uint32_t prod_pad[NFV_CACHELINE / 4 - 1];
	uint32_t cons;
	uint32_t cons_pad[NFV_CACHELINE / 4 - 1];
};

/* Per-NF consumer state in the handoff segment. */
struct nfv_inbox {
	/*
	 * Bit p set: lane p->this NF may hold descriptors.  Producers set
	 * bits (atomic or, release); the consumer takes them (atomic xchg).
	 */
	uint64_t pending[NFV_NF_MAX / 64];
	/* Consumer is about to sleep in poll(): producers must kick it. */
	uint32_t sleeping;
	uint32_t pad[NFV_CACHELINE / 4 - 1];
};

/*
 * struct nfv_handoff - the read-write segment every NF maps.
 * @owner: owner[frame index] = NF id that holds the frame, or
 *	NFV_OWNER_NFVD.  Written by nfvd when a frame goes into a fill ring
 *	and by an NF when it takes a frame off its RX ring or a lane (before
 *	it releases that ring entry).  Read by nfvd to reclaim frames of a
 *	dead NF.  Lives at @owner_off.
 * @refs: refs[frame index] = tap references outstanding (0 normally),
 *	at @refs_off.  Whoever releases a frame (an NF dropping it, nfvd
 *	taking a completion, a tap NF done with it) decrements it unless it
 *	is 0; the one who finds 0 is the last holder and frees the frame.
 * @inbox: at @inbox_off, NFV_NF_MAX entries.
 * @lanes: at @lane_hdr_off, NFV_NF_MAX * NFV_NF_MAX lane headers indexed
 *	[consumer][producer]; descriptors at @lane_desc_off, NFV_LANE_SIZE
 *	each, same indexing.  The memfd is sparse: untouched lanes cost
 *	nothing.
 */
struct nfv_handoff {
	uint32_t magic;
	uint32_t version;
	uint32_t n_frames;
	uint32_t lane_size;
	/* nfvd is about to sleep: an NF that returned or sent frames kicks
	 * NFV_FD_NFVD_DOORBELL.  Written by nfvd.
	 */
	uint32_t nfvd_sleeping;
	uint32_t pad;
	uint64_t size;
	uint64_t owner_off;
	uint64_t refs_off;
	uint64_t inbox_off;
	uint64_t lane_hdr_off;
	uint64_t lane_desc_off;
};

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
 * struct nfv_tables - read-only mirror of what the XDP program reads, for
 * NFs choosing the next hop.  Writer: nfvd (or, with nfv.ko, nfvd mirroring
 * the module).  A reader may see an entry mid-update; every value it can
 * see was valid a moment ago, and nfvd waits a grace period before it
 * reclaims anything a stale reader could still reach.
 */
struct nfv_tables {
	uint32_t magic;
	uint32_t version;
	uint32_t n_frames;
	uint32_t frame_size;
	uint32_t gen;		/* bumped on every change */
	uint32_t pad;
	struct nfv_tables_port ports[NFV_PORT_MAX];
	struct nfv_tables_nf nfs[NFV_NF_MAX];
	struct nfv_chain chains[NFV_CHAIN_MAX + 1];
	struct nfv_service services[NFV_SERVICE_MAX + 1];
};

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
};

/*
 * struct nfv_private - one per NF.  @ret: the return ring, frame base
 * addresses, NF produces, nfvd consumes; RET entries, a power of two no
 * smaller than the UMEM's frame count so it never fills with valid use.
 * At @tap_held_off, a bitmap of the frames the NF holds tap references
 * to (written by the NF, read by nfvd to release them if it dies).
 */
struct nfv_private {
	uint32_t magic;
	uint32_t version;
	uint32_t ret_size;
	uint32_t tap_held_off;
	struct nfv_nf_counters cnt;
	struct nfv_lane_hdr ret __attribute__((aligned(NFV_CACHELINE)));
	uint64_t ret_ring[];
};

#endif /* __NFV_SHM_H */
