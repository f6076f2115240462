/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv6-to-IPv6 network prefix translation (NPTv6, RFC 6296) for nfv-nat:
 * the inside prefix is swapped for an external prefix of the same
 * length, and one 16-bit word outside the prefix is adjusted so that the
 * one's complement sum of the address does not change.  Checksums that
 * cover the address (TCP, UDP, ICMPv6 pseudo headers) stay valid as they
 * are; the mapping is 1:1, stateless and reversible, so ports are never
 * touched, replies need no table, and replicas and restarts agree.
 *
 * The adjusted word (RFC 6296 3.4): bits 48-63 for prefixes up to /48;
 * for /49 to /64 the first of the interface identifier's words that is
 * not 0xffff.  An address whose word to adjust is 0xffff cannot be
 * mapped (the frame is dropped and counted by the caller).
 */
#ifndef __NFV_NAT_NPTV6_H
#define __NFV_NAT_NPTV6_H

#include <stdbool.h>
#include <stdint.h>

struct nptv6 {
	bool on;
	uint8_t len;			/* prefix length, 1..64 */
	uint8_t inside[16];		/* prefixes, bits past len zero */
	uint8_t external[16];
	uint16_t adj_out, adj_in;	/* one's complement adjustments */
};

/* "INSIDE/LEN=EXTERNAL/LEN" (equal lengths, at most 64): 0 or -EINVAL. */
int nptv6_parse(struct nptv6 *n, const char *spec);

/* Is @addr inside @pfx (one of n->inside, n->external)? */
bool nptv6_match(const struct nptv6 *n, const uint8_t *addr,
		 const uint8_t *pfx);

/*
 * Rewrite @addr in place: inside prefix to external (@outbound) or
 * back.  The caller has checked the prefix with nptv6_match().  False
 * (and @addr untouched) if the address cannot be mapped.
 */
bool nptv6_map(const struct nptv6 *n, uint8_t *addr, bool outbound);

#endif /* __NFV_NAT_NPTV6_H */
