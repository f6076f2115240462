/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-nat: stateful source NAT (NAT44, RFC 4787/5382 behaviour where it
 * matters: port preservation when possible, endpoint-dependent
 * filtering, idle timeouts).  Frames arriving on the inside port leave
 * with the external address and an allocated port; replies to the
 * external address are translated back when they match a connection,
 * dropped when they do not.  ICMP echo is translated by its identifier;
 * ICMP errors about a translated connection are translated with the
 * datagram they quote.  IPv4 to other addresses passes as is.
 *
 * IPv6 gets no address-and-port translation (NAPT66): see nptv6.h and
 * nfv-nat(8).  With --nptv6 the inside prefix is translated statelessly
 * (RFC 6296); every other IPv6 frame follows --ipv6 pass|drop, counted.
 */
#ifndef __NFV_NAT_NAT_H
#define __NFV_NAT_NAT_H

#include <stdio.h>

#include <nfv/libnfv.h>

#include "ct.h"
#include "nptv6.h"

struct nat_stats {
	uint64_t out, in;		/* translated */
	uint64_t in_no_conn;		/* to the external address, no match */
	uint64_t out_unsupported;	/* inside, IPv4, nothing to key on */
	uint64_t icmp_errors;		/* ICMP errors translated */
	uint64_t passed;		/* IPv4 not ours, non-IP: untouched */
	uint64_t npt_out, npt_in;	/* IPv6 prefix-translated */
	uint64_t npt_unmappable;	/* RFC 6296: word to adjust 0xffff */
	uint64_t ipv6_passed;		/* IPv6 not translated, --ipv6 pass */
	uint64_t ipv6_dropped;		/* IPv6 not translated, --ipv6 drop */
};

struct nat {
	uint32_t external;		/* network order; 0: no NAT44 */
	uint16_t inside_port;		/* fabric port id of the inside */
	struct nptv6 npt;		/* --nptv6, if on */
	bool ipv6_drop;			/* --ipv6 drop */
	struct ct ct;
	struct nat_stats st;
	uint64_t now;			/* per batch */
};

uint32_t nat_handle(struct nfv_pkt *pkt, void *ctx);
void nat_json(FILE *f, const struct nat *nat);

#endif /* __NFV_NAT_NAT_H */
