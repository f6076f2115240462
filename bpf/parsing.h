/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounds-checked header parsing for the classifier.  Every accessor checks
 * the header against data_end before the verifier lets us read it; a frame
 * too short for what its headers announce is a parse error.
 */
#ifndef __NFV_PARSING_H
#define __NFV_PARSING_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifndef IPPROTO_ICMPV6
#define IPPROTO_ICMPV6 58
#endif
#define NEXTHDR_HOP	0
#define NEXTHDR_ROUTING	43
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_DEST	60
#define IPV6_EXT_MAX	4

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

enum parse_result {
	PARSE_OK,	/* IP frame, fields filled in */
	PARSE_NOT_IP,	/* ARP, LLDP, ...: the kernel's */
	PARSE_ERR,	/* truncated or malformed */
};

/* What the classifier needs of a frame; offsets from data. */
struct pkt_info {
	__u32 src[4];
	__u32 dst[4];
	__u16 sport;		/* network order, 0 if none */
	__u16 dport;
	__u16 l3_off;
	__u16 l4_off;		/* 0: no L4 header (fragment, other) */
	__u16 l4_len;		/* from the IP header */
	__u8  proto;
	__u8  family;		/* AF_INET 2, AF_INET6 10 */
	__u8  vlan;
	__u8  csum_partial;
};

#define AF_INET_	2
#define AF_INET6_	10

/* Headers start within the first 2 KiB: bounds the verifier can track. */
#define L4_OFF_MAX	0x7ff

static __always_inline int parse_l4(void *data, void *data_end,
				     struct pkt_info *pi, __u32 off)
{
	if (off > L4_OFF_MAX)
		return PARSE_ERR;
	off &= L4_OFF_MAX;
	if (pi->proto == IPPROTO_TCP) {
		struct tcphdr *th = data + off;

		if ((void *)(th + 1) > data_end)
			return PARSE_ERR;
		if (th->doff < 5 || data + off + th->doff * 4 > data_end)
			return PARSE_ERR;
		pi->sport = th->source;
		pi->dport = th->dest;
	} else if (pi->proto == IPPROTO_UDP) {
		struct udphdr *uh = data + off;

		if ((void *)(uh + 1) > data_end)
			return PARSE_ERR;
		if (bpf_ntohs(uh->len) < sizeof(*uh))
			return PARSE_ERR;
		pi->sport = uh->source;
		pi->dport = uh->dest;
	} else if (pi->proto == IPPROTO_ICMP || pi->proto == IPPROTO_ICMPV6) {
		if (data + off + 4 > data_end)
			return PARSE_ERR;
	} else {
		return PARSE_OK;	/* other protocols: no ports */
	}
	pi->l4_off = off;
	return PARSE_OK;
}

static __always_inline int parse_ipv4(void *data, void *data_end,
				      struct pkt_info *pi, __u32 off)
{
	struct iphdr *ip = data + off;
	__u32 ihl, tot;

	if ((void *)(ip + 1) > data_end)
		return PARSE_ERR;
	if (ip->version != 4 || ip->ihl < 5)
		return PARSE_ERR;
	ihl = ip->ihl * 4;
	tot = bpf_ntohs(ip->tot_len);
	if (data + off + ihl > data_end || tot < ihl ||
	    data + off + tot > data_end)
		return PARSE_ERR;
	pi->family = AF_INET_;
	pi->l3_off = off;
	pi->src[0] = ip->saddr;
	pi->dst[0] = ip->daddr;
	pi->proto = ip->protocol;
	pi->l4_len = tot - ihl;
	/* A non-first fragment has no L4 header. */
	if (ip->frag_off & bpf_htons(0x1fff))
		return PARSE_OK;
	return parse_l4(data, data_end, pi, off + ihl);
}

static __always_inline int parse_ipv6(void *data, void *data_end,
				      struct pkt_info *pi, __u32 off)
{
	struct ipv6hdr *ip6 = data + off;
	__u32 end, plen;
	__u8 nh;
	int i;

	if ((void *)(ip6 + 1) > data_end)
		return PARSE_ERR;
	if (ip6->version != 6)
		return PARSE_ERR;
	plen = bpf_ntohs(ip6->payload_len);
	if (data + off + sizeof(*ip6) + plen > data_end)
		return PARSE_ERR;
	pi->family = AF_INET6_;
	pi->l3_off = off;
	__builtin_memcpy(pi->src, &ip6->saddr, 16);
	__builtin_memcpy(pi->dst, &ip6->daddr, 16);
	nh = ip6->nexthdr;
	end = off + sizeof(*ip6) + plen;
	off += sizeof(*ip6);

#pragma unroll
	for (i = 0; i < IPV6_EXT_MAX; i++) {
		struct { __u8 nh; __u8 len; __u16 frag; } *ext = data + off;

		if (nh != NEXTHDR_HOP && nh != NEXTHDR_ROUTING &&
		    nh != NEXTHDR_FRAGMENT && nh != NEXTHDR_DEST)
			break;
		if ((void *)(ext + 1) > data_end)
			return PARSE_ERR;
		if (nh == NEXTHDR_FRAGMENT) {
			/* Offset != 0: a later fragment, no L4 header. */
			if (ext->frag & bpf_htons(0xfff8)) {
				pi->proto = ext->nh;
				return PARSE_OK;
			}
			off += 8;
		} else {
			off += (ext->len + 1) * 8;
		}
		nh = ext->nh;
		if (off > end)
			return PARSE_ERR;
	}
	if (nh == NEXTHDR_HOP || nh == NEXTHDR_ROUTING ||
	    nh == NEXTHDR_FRAGMENT || nh == NEXTHDR_DEST)
		return PARSE_ERR;	/* more extension headers than we walk */
	pi->proto = nh;
	pi->l4_len = end - off;
	if (off > 0xffff)
		return PARSE_ERR;
	return parse_l4(data, data_end, pi, off);
}

/* Ethernet, at most one VLAN tag, then IPv4 or IPv6. */
static __always_inline int parse_frame(void *data, void *data_end,
				       struct pkt_info *pi)
{
	struct ethhdr *eth = data;
	__u32 off = sizeof(*eth);
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return PARSE_ERR;
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_hdr *vh = data + off;

		if ((void *)(vh + 1) > data_end)
			return PARSE_ERR;
		proto = vh->proto;
		off += sizeof(*vh);
		pi->vlan = 1;
		/* VLAN in VLAN (QinQ) is not supported: say so. */
		if (proto == bpf_htons(ETH_P_8021Q) ||
		    proto == bpf_htons(ETH_P_8021AD))
			return PARSE_ERR;
	}
	if (proto == bpf_htons(ETH_P_IP))
		return parse_ipv4(data, data_end, pi, off);
	if (proto == bpf_htons(ETH_P_IPV6))
		return parse_ipv6(data, data_end, pi, off);
	return PARSE_NOT_IP;
}

#endif /* __NFV_PARSING_H */
