/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-nat connection table.  One entry per translated connection:
 * inside endpoint, remote endpoint, external port (unique per protocol,
 * so replies are found by that port alone and then checked against the
 * remote endpoint: unsolicited traffic finds nothing).  Entries expire
 * after a per-protocol (and, for TCP, per-state) idle timeout; their
 * port goes back to the allocator.  Outbound lookups go through libnfv's
 * flow table (keyed 5-tuple, the classifier's hash as hint); replies
 * through a direct map from the external port to the connection.
 *
 * Single-threaded: the NF's loop alone reads and writes it.
 */
#ifndef __NFV_NAT_CT_H
#define __NFV_NAT_CT_H

#include <stdbool.h>
#include <stdint.h>

#include <nfv/ftable.h>

#include "portalloc.h"

enum ct_proto { CT_TCP, CT_UDP, CT_ICMP, CT_NPROTO };

enum ct_tcp_state {
	CT_TCP_NEW,		/* SYN seen from inside, nothing back yet */
	CT_TCP_EST,		/* traffic both ways */
	CT_TCP_CLOSING,		/* FIN seen */
	CT_TCP_RESET,		/* RST seen */
};

struct ct_conn {
	uint32_t int_addr, rem_addr;	/* network order */
	uint16_t int_port, rem_port;	/* network order; ICMP: id, 0 */
	uint16_t ext_port;		/* network order */
	uint8_t proto;			/* enum ct_proto */
	uint8_t state;			/* enum ct_tcp_state for TCP */
	bool fin_out, fin_in;
	uint64_t last;			/* ns, CLOCK_MONOTONIC */
	uint64_t packets_out, packets_in;
};

struct ct_timeouts {
	uint64_t udp, tcp, tcp_trans, tcp_rst, icmp;	/* ns */
};

struct ct_stats {
	uint64_t created, expired, no_port, full;
};

struct ct {
	struct nfv_ftable *conns;	/* outbound key -> struct ct_conn */
	uint32_t max, n;
	struct ct_conn **by_port[CT_NPROTO];	/* ext port -> conn */
	struct portalloc pa[CT_NPROTO];
	struct ct_timeouts to;
	struct ct_stats st;
	uint32_t n_proto[CT_NPROTO];
};

int ct_init(struct ct *ct, uint32_t max, uint16_t port_lo, uint16_t port_hi,
	    const struct ct_timeouts *to);
void ct_free(struct ct *ct);

/*
 * The connection of an outbound frame; created (with an external port)
 * if missing or expired.  NULL: no port or table full (counted).
 */
struct ct_conn *ct_out(struct ct *ct, uint8_t proto, uint32_t int_addr,
		       uint16_t int_port, uint32_t rem_addr, uint16_t rem_port,
		       uint64_t now);
/* ct_out() with the classifier's hash of the frame as the table's hint. */
struct ct_conn *ct_out_hint(struct ct *ct, uint8_t proto, uint32_t int_addr,
			    uint16_t int_port, uint32_t rem_addr,
			    uint16_t rem_port, uint64_t now, uint64_t hint);
/* The live connection a reply to @ext_port from the remote belongs to. */
struct ct_conn *ct_in(struct ct *ct, uint8_t proto, uint16_t ext_port,
		      uint32_t rem_addr, uint16_t rem_port, uint64_t now);

/* TCP flags seen on @c: moves its state (and so its timeout). */
void ct_tcp_update(struct ct_conn *c, uint8_t flags, bool outbound);

bool ct_expired(const struct ct *ct, const struct ct_conn *c, uint64_t now);
/* Remove every expired connection; returns how many. */
uint32_t ct_sweep(struct ct *ct, uint64_t now);

#endif /* __NFV_NAT_CT_H */
