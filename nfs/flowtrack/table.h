/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-flowtrack flow table: one record per flow, both directions in it
 * (the key is the canonical 5-tuple and, for frames a decap port
 * unwrapped, the VLAN id or VNI they came in: tenants whose addresses
 * overlap stay apart; the first frame seen decides which endpoint is the
 * initiator).  Kept in libnfv's flow table (nfv_ftable, the
 * classifier's hash as hint): records idle past the timeout are swept,
 * and when the table refuses a flow (full, or its buckets full) its
 * frames are counted, not tracked.
 *
 * Single-threaded: the NF's loop alone reads and writes it.
 */
#ifndef __NFV_FLOWTRACK_TABLE_H
#define __NFV_FLOWTRACK_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <nfv/libnfv.h>

#include "../common/flow.h"

/* The value of a flow; its key (canonical 5-tuple, decap) is the table's. */
struct ft_flow {
	bool reversed;			/* the initiator is key.dst */
	uint8_t tcp_flags;		/* OR of every segment's flags */
	uint16_t in_port;		/* the initiator's ingress port */
	uint64_t packets, bytes;	/* initiator to responder */
	uint64_t reply_packets, reply_bytes;
	uint64_t first_ns, last_ns;	/* CLOCK_MONOTONIC */
};

struct ft_table {
	struct nfv_ftable *ft;
	uint32_t max;
	uint64_t overflow;		/* frames of flows not tracked */
	uint64_t other;			/* non-IP frames */
	uint64_t idle_ns;		/* 0: never expire */
};

int ft_init(struct ft_table *t, uint32_t max, uint64_t idle_ns);
void ft_free(struct ft_table *t);
/* Count @pkt at @now; returns its record or NULL (not IP, or full). */
struct ft_flow *ft_account(struct ft_table *t, struct nfv_pkt *pkt,
			   uint64_t now);
uint32_t ft_sweep(struct ft_table *t, uint64_t now);
/* Flows tracked now. */
uint32_t ft_n(const struct ft_table *t);
/*
 * The table as one JSON object; times as UNIX seconds (CLOCK_REALTIME),
 * @mono_to_real added to the CLOCK_MONOTONIC stamps.
 */
void ft_json(FILE *f, const struct ft_table *t, int64_t mono_to_real);

#endif /* __NFV_FLOWTRACK_TABLE_H */
