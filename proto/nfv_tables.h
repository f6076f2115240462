/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nfvd's tables (NFV_FD_TABLES): what NFs read to choose a frame's next
 * hop, and nfvd's feedback to each NF.  Written by nfvd alone, sealed
 * before any NF gets it (nfv_shm.h).
 */
#ifndef __NFV_TABLES_H
#define __NFV_TABLES_H

#include <stdint.h>
#include <linux/nfv.h>
#include "nfv_shm.h"

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
	/*
	 * Bit P of cut[C]: nfvd cut the lane from NF P to NF C (their
	 * accounts of it disagree: tools/nfvd/ledger.c move_ok()); P sends
	 * C nothing more.  Cleared when either id is used again.
	 */
	uint64_t cut[NFV_NF_MAX][NFV_NF_MAX / 64]
		__attribute__((aligned(NFV_CACHELINE)));
};

#endif /* __NFV_TABLES_H */
