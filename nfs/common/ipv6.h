/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv6 header rewriting for NFs: an address replaced in place with the
 * TCP/UDP checksum that covers it (through the pseudo header) updated
 * incrementally (RFC 1624).  IPv6 has no header checksum of its own.
 * Header only: every NF directory builds into its own binary.
 */
#ifndef __NFS_COMMON_IPV6_H
#define __NFS_COMMON_IPV6_H

#include <stdint.h>
#include <string.h>

#include <nfv/libnfv.h>

/* The TCP/UDP checksum field of @pkt, or NULL (other protocols, fragments). */
static inline uint16_t *nf_l4_check(struct nfv_pkt *pkt)
{
	struct tcphdr *th = nfv_pkt_tcp(pkt);
	struct udphdr *uh;

	if (th)
		return &th->check;
	uh = nfv_pkt_udp(pkt);
	return uh ? &uh->check : NULL;
}

/*
 * Rewrite the 16-byte address at @addr (the source or destination of
 * @pkt's IPv6 header) to @to, fixing the L4 checksum.  A UDP checksum
 * that computes to 0 is sent as 0xffff (RFC 8200 8.1: 0 is not allowed).
 */
static inline void nf_ipv6_set_addr(struct nfv_pkt *pkt, uint8_t *addr,
				    const uint8_t *to)
{
	uint16_t *check = nf_l4_check(pkt);
	uint32_t from[4], new[4];
	int i;

	memcpy(from, addr, 16);
	memcpy(new, to, 16);
	memcpy(addr, to, 16);
	if (!check)
		return;
	for (i = 0; i < 4; i++)
		nfv_csum_replace4(check, from[i], new[i]);
	if (!*check && pkt->meta->l4_proto == IPPROTO_UDP)
		*check = 0xffff;
}

#endif /* __NFS_COMMON_IPV6_H */
