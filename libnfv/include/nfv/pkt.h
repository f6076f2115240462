/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Packet helpers for NFs: header access through the classifier's offsets,
 * MAC swap, and RFC 1624 incremental checksum updates.
 *
 * The classifier has already bounds-checked the headers it reports in the
 * metadata (l3_off, l4_off): a helper returns NULL when a header is absent
 * or the NF shortened the frame below it.
 */
#ifndef __NFV_PKT_H
#define __NFV_PKT_H

#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

struct nfv_pkt;

static inline struct ethhdr *nfv_pkt_eth(struct nfv_pkt *pkt)
{
	return pkt->len >= sizeof(struct ethhdr) ? (struct ethhdr *)pkt->data
						 : NULL;
}

static inline struct iphdr *nfv_pkt_ipv4(struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;

	if (!m->l3_off || (m->flags & NFV_META_F_IPV6) ||
	    pkt->len < m->l3_off + sizeof(struct iphdr))
		return NULL;
	return (struct iphdr *)(pkt->data + m->l3_off);
}

static inline struct ipv6hdr *nfv_pkt_ipv6(struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;

	if (!m->l3_off || !(m->flags & NFV_META_F_IPV6) ||
	    pkt->len < m->l3_off + sizeof(struct ipv6hdr))
		return NULL;
	return (struct ipv6hdr *)(pkt->data + m->l3_off);
}

static inline void *nfv_pkt_l4(struct nfv_pkt *pkt, uint8_t proto,
			       uint32_t min_len)
{
	const struct nfv_xdp_meta *m = pkt->meta;

	if (!m->l4_off || m->l4_proto != proto ||
	    pkt->len < m->l4_off + min_len)
		return NULL;
	return pkt->data + m->l4_off;
}

static inline struct tcphdr *nfv_pkt_tcp(struct nfv_pkt *pkt)
{
	return (struct tcphdr *)nfv_pkt_l4(pkt, 6, sizeof(struct tcphdr));
}

static inline struct udphdr *nfv_pkt_udp(struct nfv_pkt *pkt)
{
	return (struct udphdr *)nfv_pkt_l4(pkt, 17, sizeof(struct udphdr));
}

static inline void nfv_mac_swap(struct ethhdr *eth)
{
	uint8_t tmp[ETH_ALEN];

	memcpy(tmp, eth->h_source, ETH_ALEN);
	memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	memcpy(eth->h_dest, tmp, ETH_ALEN);
}

/* ---- Checksums (all values in network byte order) ---- */

static inline uint16_t nfv_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* One's complement sum of @len bytes, added to @sum (not folded). */
uint32_t nfv_csum_partial(const void *buf, uint32_t len, uint32_t sum);

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
static inline void nfv_csum_replace2(uint16_t *check, uint16_t from,
				     uint16_t to)
{
	uint32_t sum = (uint16_t)~*check;

	sum += (uint16_t)~from;
	sum += to;
	*check = (uint16_t)~nfv_csum_fold(sum);
}

static inline void nfv_csum_replace4(uint16_t *check, uint32_t from,
				     uint32_t to)
{
	nfv_csum_replace2(check, (uint16_t)(from >> 16), (uint16_t)(to >> 16));
	nfv_csum_replace2(check, (uint16_t)from, (uint16_t)to);
}

/*
 * Rewrite an IPv4 address in place, fixing the IP header checksum and the
 * TCP/UDP checksum that covers it through the pseudo header.
 */
void nfv_ipv4_set_addr(struct nfv_pkt *pkt, uint32_t *addr, uint32_t to);
/* Rewrite a TCP/UDP port in place, fixing the L4 checksum. */
void nfv_l4_set_port(struct nfv_pkt *pkt, uint16_t *port, uint16_t to);
/* Recompute the IPv4 header checksum. */
void nfv_ipv4_csum(struct iphdr *ip);
/* Recompute the full TCP/UDP checksum of @pkt (IPv4 or IPv6): 0 or -1. */
int nfv_l4_csum(struct nfv_pkt *pkt);

#endif /* __NFV_PKT_H */
