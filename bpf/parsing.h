/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounds-checked header parsing for the nfv classifier.
 *
 * Two kinds of checks, kept apart on purpose:
 *  - pointer checks (hdr + 1 > data_end) before every read, which is what
 *    the verifier wants to see;
 *  - length checks on scalars (offsets and lengths from the headers
 *    against the frame length), which is what makes a frame well formed.
 * A frame that is shorter than its headers say, or whose headers are
 * inconsistent, is PARSE_ERR.  Offsets are kept below L4_OFF_MAX so that
 * the verifier can bound every variable packet offset.
 */
#ifndef __NFV_BPF_PARSING_H
#define __NFV_BPF_PARSING_H

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

/* <linux/socket.h> is not usable with -target bpf; these are ABI. */
#define NFV_AF_INET		2
#define NFV_AF_INET6		10

#ifndef IPPROTO_ICMPV6
#define IPPROTO_ICMPV6		58
#endif

/* IPv6 extension headers the parser walks (RFC 8200, 4.1). */
#define NFV_NEXTHDR_HOP		0
#define NFV_NEXTHDR_ROUTING	43
#define NFV_NEXTHDR_FRAGMENT	44
#define NFV_NEXTHDR_NONE	59
#define NFV_NEXTHDR_DEST	60
#define NFV_IPV6_EXT_MAX	4

/* IPv4 frag_off bits, host order (the kernel's are not in uapi). */
#define NFV_IP_MF		0x2000
#define NFV_IP_OFFSET		0x1fff
/* IPv6 fragment header frag_off bits, host order. */
#define NFV_IP6_OFFSET		0xfff8
#define NFV_IP6_MF		0x0001

/*
 * Every header the classifier reads starts in the first 2 KiB of the
 * frame.  Longer IPv6 extension chains are legal but are not ours to
 * steer: they count as PARSE_ERR and go to the kernel.
 */
#define L4_OFF_MAX		0x7ff

struct nfv_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* Both the hop-by-hop/routing/dest-opts and the fragment header. */
struct nfv_ipv6_ext {
	__u8   nexthdr;
	__u8   hdrlen;		/* 8-octet units past the first 8 */
	__be16 frag_off;	/* fragment header only */
	__be32 rest;
};

enum parse_result {
	PARSE_OK,		/* IPv4 or IPv6, struct pkt_info filled in */
	PARSE_NOT_IP,		/* ARP, LLDP, ...: the kernel's business */
	PARSE_ERR,		/* truncated or malformed */
};

/* What the classifier needs to know about a frame; offsets from data. */
struct pkt_info {
	__u32 src[4];		/* as on the wire; IPv4 in [0] */
	__u32 dst[4];
	__be16 sport;		/* 0 unless has_ports */
	__be16 dport;
	__u16 l3_off;
	__u16 l4_off;		/* 0: no L4 header in this frame */
	__u16 l4_len;		/* L4 header + payload, per IP header */
	__u16 l4_check;		/* TCP/UDP checksum field as found */
	__u8  proto;		/* upper-layer protocol, fragments too */
	__u8  family;		/* NFV_AF_INET or NFV_AF_INET6 */
	__u8  vlan;		/* one 802.1Q/802.1AD tag was skipped */
	__u8  frag;		/* part of a fragmented datagram */
	__u8  has_ports;	/* TCP/UDP, not a fragment */
	__u8  tcp_flags;	/* TCP: the header's flags byte (FIN, ...) */
	__u8  nsh;		/* set by the caller: it came in NSH, */
	__u32 nsh_path;		/* on this path (SPI << 8 | SI) */
	/*
	 * Set by the caller: 0, or where the frame ends if before data_end
	 * (a decapsulated inner frame, the outer frame's padding after it).
	 */
	__u16 frame_max;
};

/* The length of the frame the headers must fit in. */
static __always_inline __u32 frame_len(void *data, void *data_end,
				       const struct pkt_info *pi)
{
	__u32 frame = data_end - data;

	return pi->frame_max && pi->frame_max < frame ? pi->frame_max : frame;
}

static __always_inline int is_vlan(__be16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) ||
	       proto == bpf_htons(ETH_P_8021AD);
}

static __always_inline int is_ipv6_ext(__u8 nh)
{
	return nh == NFV_NEXTHDR_HOP || nh == NFV_NEXTHDR_ROUTING ||
	       nh == NFV_NEXTHDR_FRAGMENT || nh == NFV_NEXTHDR_DEST;
}

/*
 * The L4 header at @off; pi->proto and pi->l4_len are set.  Headers we
 * know must be complete within the IP payload.  Ports are recorded only
 * for unfragmented datagrams: fragments of one datagram must classify
 * and hash alike, and only the first one carries ports.
 */
static __always_inline int parse_l4(void *data, void *data_end,
				    struct pkt_info *pi, __u32 off)
{
	__u32 len = pi->l4_len;

	if (off > L4_OFF_MAX)
		return PARSE_ERR;

	switch (pi->proto) {
	case IPPROTO_TCP: {
		struct tcphdr *th = data + off;
		__u32 doff;

		if (len < sizeof(*th) || (void *)(th + 1) > data_end)
			return PARSE_ERR;
		doff = th->doff * 4;
		if (doff < sizeof(*th) || doff > len)
			return PARSE_ERR;
		pi->sport = th->source;
		pi->dport = th->dest;
		pi->l4_check = th->check;
		pi->tcp_flags = ((__u8 *)th)[13];
		break;
	}
	case IPPROTO_UDP: {
		struct udphdr *uh = data + off;
		__u32 ulen;

		if (len < sizeof(*uh) || (void *)(uh + 1) > data_end)
			return PARSE_ERR;
		/* A first fragment carries only part of the datagram. */
		ulen = bpf_ntohs(uh->len);
		if (!pi->frag && (ulen < sizeof(*uh) || ulen > len))
			return PARSE_ERR;
		pi->sport = uh->source;
		pi->dport = uh->dest;
		pi->l4_check = uh->check;
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* Type, code, checksum and the 4 bytes every message has. */
		if (len < 8 || data + off + 8 > data_end)
			return PARSE_ERR;
		break;
	case 0:		/* IPv4 "HOPOPT": l4_proto 0 means none */
	case NFV_NEXTHDR_NONE:
		return PARSE_OK;
	default:
		/* Not parsed (SCTP, GRE, ESP, ...): where it starts. */
		if (!len)
			return PARSE_OK;
		break;
	}
	pi->l4_off = off;
	if (!pi->frag &&
	    (pi->proto == IPPROTO_TCP || pi->proto == IPPROTO_UDP))
		pi->has_ports = 1;
	else
		pi->sport = pi->dport = 0;
	return PARSE_OK;
}

static __always_inline int parse_ipv4(void *data, void *data_end,
				      struct pkt_info *pi, __u32 off)
{
	struct iphdr *ip = data + off;
	__u32 frame = frame_len(data, data_end, pi);
	__u32 hlen, tot;
	__u16 frag;

	if ((void *)(ip + 1) > data_end)
		return PARSE_ERR;
	if (ip->version != 4 || ip->ihl < 5)
		return PARSE_ERR;
	hlen = ip->ihl * 4;		/* options are skipped, not read */
	tot = bpf_ntohs(ip->tot_len);
	/* Longer frames are fine (Ethernet padding); shorter are not. */
	if (tot < hlen || off + tot > frame)
		return PARSE_ERR;

	pi->family = NFV_AF_INET;
	pi->l3_off = off;
	pi->src[0] = ip->saddr;
	pi->dst[0] = ip->daddr;
	pi->proto = ip->protocol;
	pi->l4_len = tot - hlen;

	frag = bpf_ntohs(ip->frag_off);
	if (frag & (NFV_IP_MF | NFV_IP_OFFSET))
		pi->frag = 1;
	if (frag & NFV_IP_OFFSET)
		return PARSE_OK;	/* not the first fragment: no L4 */
	return parse_l4(data, data_end, pi, off + hlen);
}

static __always_inline int parse_ipv6(void *data, void *data_end,
				      struct pkt_info *pi, __u32 off)
{
	struct ipv6hdr *ip6 = data + off;
	__u32 frame = frame_len(data, data_end, pi);
	__u32 end;
	__u8 nh;
	int i;

	if ((void *)(ip6 + 1) > data_end)
		return PARSE_ERR;
	if (ip6->version != 6)
		return PARSE_ERR;
	end = off + sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
	if (end > frame)
		return PARSE_ERR;

	pi->family = NFV_AF_INET6;
	pi->l3_off = off;
	__builtin_memcpy(pi->src, &ip6->saddr, sizeof(pi->src));
	__builtin_memcpy(pi->dst, &ip6->daddr, sizeof(pi->dst));
	nh = ip6->nexthdr;
	off += sizeof(*ip6);

#pragma unroll
	for (i = 0; i < NFV_IPV6_EXT_MAX; i++) {
		struct nfv_ipv6_ext *eh;
		__u16 fo;

		if (!is_ipv6_ext(nh))
			break;
		if (off > L4_OFF_MAX || off + sizeof(*eh) > end)
			return PARSE_ERR;
		eh = data + off;
		if ((void *)(eh + 1) > data_end)
			return PARSE_ERR;
		if (nh != NFV_NEXTHDR_FRAGMENT) {
			nh = eh->nexthdr;
			off += (eh->hdrlen + 1) * 8;
			continue;
		}
		nh = eh->nexthdr;
		off += sizeof(*eh);
		fo = bpf_ntohs(eh->frag_off);
		/* Offset 0 and no MF: an atomic fragment, a whole datagram. */
		if (fo & (NFV_IP6_OFFSET | NFV_IP6_MF))
			pi->frag = 1;
		if (fo & NFV_IP6_OFFSET) {
			/* Not the first fragment: no L4 header here. */
			pi->proto = nh;
			pi->l4_len = end - off;
			return PARSE_OK;
		}
	}
	if (is_ipv6_ext(nh))
		return PARSE_ERR;	/* more extension headers than walked */
	if (off > end)
		return PARSE_ERR;	/* the last one overran the payload */
	pi->proto = nh;
	pi->l4_len = end - off;
	return parse_l4(data, data_end, pi, off);
}

/* Ethernet, at most one VLAN tag, then IPv4 or IPv6. */
static __always_inline int parse_frame(void *data, void *data_end,
				       struct pkt_info *pi)
{
	struct ethhdr *eth = data;
	__u32 off = sizeof(*eth);
	__be16 proto;

	if ((void *)(eth + 1) > data_end)
		return PARSE_ERR;
	proto = eth->h_proto;
	if (is_vlan(proto)) {
		struct nfv_vlan_hdr *vh = data + off;

		if ((void *)(vh + 1) > data_end)
			return PARSE_ERR;
		proto = vh->proto;
		off += sizeof(*vh);
		pi->vlan = 1;
		/*
		 * QinQ is not supported: no offsets past a second tag.  It
		 * is not ours to steer, and the kernel knows what to do.
		 */
		if (is_vlan(proto))
			return PARSE_ERR;
	}
	if (proto == bpf_htons(ETH_P_IP))
		return parse_ipv4(data, data_end, pi, off);
	if (proto == bpf_htons(ETH_P_IPV6))
		return parse_ipv6(data, data_end, pi, off);
	return PARSE_NOT_IP;
}

#endif /* __NFV_BPF_PARSING_H */
