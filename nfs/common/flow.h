/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow keys for NFs: the 5-tuple of a frame as the classifier parsed it
 * (offsets from the metadata), in a directional and a canonical form.
 * Header only: every NF directory builds into its own binary.
 *
 * The canonical key orders the two endpoints, so both directions of a
 * flow give the same key (and, with nf_flow_hash(), the same bucket).
 */
#ifndef __NFS_COMMON_FLOW_H
#define __NFS_COMMON_FLOW_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <nfv/ftable.h>
#include <nfv/libnfv.h>

struct nf_flow_key {
	uint8_t src[16];	/* IPv4 in the first 4 bytes */
	uint8_t dst[16];
	uint16_t sport;		/* network byte order, 0 if none */
	uint16_t dport;
	uint8_t proto;
	uint8_t family;		/* 4 or 6 */
	uint16_t pad;
};

static inline bool nf_l4_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_UDPLITE;
}

/* The directional 5-tuple of @pkt; false if it is not IP. */
static inline bool nf_flow_key(struct nfv_pkt *pkt, struct nf_flow_key *k)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	struct ipv6hdr *ip6;
	struct iphdr *ip4;

	memset(k, 0, sizeof(*k));
	if ((ip4 = nfv_pkt_ipv4(pkt))) {
		k->family = 4;
		k->proto = ip4->protocol;
		memcpy(k->src, &ip4->saddr, 4);
		memcpy(k->dst, &ip4->daddr, 4);
	} else if ((ip6 = nfv_pkt_ipv6(pkt))) {
		k->family = 6;
		k->proto = m->l4_proto ? m->l4_proto : ip6->nexthdr;
		memcpy(k->src, &ip6->saddr, 16);
		memcpy(k->dst, &ip6->daddr, 16);
	} else {
		return false;
	}
	/* Fragments past the first have no L4 header (l4_off 0). */
	if (m->l4_off && m->l4_proto == k->proto &&
	    nf_l4_has_ports(k->proto) && pkt->len >= m->l4_off + 4u) {
		memcpy(&k->sport, pkt->data + m->l4_off, 2);
		memcpy(&k->dport, pkt->data + m->l4_off + 2, 2);
	}
	return true;
}

/* The other direction of the same flow. */
static inline void nf_flow_swap(struct nf_flow_key *k)
{
	uint8_t tmp[16];
	uint16_t p;

	memcpy(tmp, k->src, 16);
	memcpy(k->src, k->dst, 16);
	memcpy(k->dst, tmp, 16);
	p = k->sport;
	k->sport = k->dport;
	k->dport = p;
}

/* Order the endpoints; returns true if @k was swapped (reply direction). */
static inline bool nf_flow_canon(struct nf_flow_key *k)
{
	int c = memcmp(k->src, k->dst, 16);

	if (c < 0 || (c == 0 && ntohs(k->sport) <= ntohs(k->dport)))
		return false;
	nf_flow_swap(k);
	return true;
}

static inline bool nf_flow_eq(const struct nf_flow_key *a,
			      const struct nf_flow_key *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* murmur3's finaliser over the key words: cheap and well mixed. */
static inline uint32_t nf_flow_hash(const struct nf_flow_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint32_t h = 0x6e667601, w;
	size_t i;

	for (i = 0; i + 4 <= sizeof(*k); i += 4) {
		memcpy(&w, p + i, 4);
		w *= 0xcc9e2d51;
		w = (w << 15) | (w >> 17);
		h ^= w * 0x1b873593;
		h = ((h << 13) | (h >> 19)) * 5 + 0xe6546b64;
	}
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	return h ^ (h >> 16);
}

/* @k as a flow-table key (decap flags and id zero: callers add them). */
static inline void nf_ftable_key(struct nfv_ftable_key *out,
				 const struct nf_flow_key *k)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->src, k->src, 16);
	memcpy(out->dst, k->dst, 16);
	out->sport = k->sport;
	out->dport = k->dport;
	out->proto = k->proto;
	out->family = k->family;
}

/* The flow-table key back as a flow key. */
static inline void nf_flow_of(struct nf_flow_key *k,
			      const struct nfv_ftable_key *in)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->src, in->src, 16);
	memcpy(k->dst, in->dst, 16);
	k->sport = in->sport;
	k->dport = in->dport;
	k->proto = in->proto;
	k->family = in->family;
}

static inline const char *nf_proto_name(uint8_t proto, char *buf, size_t n)
{
	switch (proto) {
	case IPPROTO_TCP:	return "tcp";
	case IPPROTO_UDP:	return "udp";
	case IPPROTO_ICMP:	return "icmp";
	case IPPROTO_ICMPV6:	return "icmpv6";
	case IPPROTO_SCTP:	return "sctp";
	}
	snprintf(buf, n, "%u", proto);
	return buf;
}

static inline void nf_addr_str(const struct nf_flow_key *k, const uint8_t *a,
			       char *buf)
{
	inet_ntop(k->family == 4 ? AF_INET : AF_INET6, a, buf,
		  INET6_ADDRSTRLEN);
}

/*
 * The key as JSON members (no braces):
 * "proto":"udp","src":"198.18.0.1","sport":5001,"dst":...,"dport":...
 */
static inline void nf_flow_json(FILE *f, const struct nf_flow_key *k)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], p[8];

	nf_addr_str(k, k->src, s);
	nf_addr_str(k, k->dst, d);
	fprintf(f, "\"family\":%u,\"proto\":\"%s\",\"src\":\"%s\",\"sport\":%u,"
		"\"dst\":\"%s\",\"dport\":%u", k->family,
		nf_proto_name(k->proto, p, sizeof(p)), s, ntohs(k->sport), d,
		ntohs(k->dport));
}

#endif /* __NFS_COMMON_FLOW_H */
