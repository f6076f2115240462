/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * Classification: what the XDP classifier decides for a frame's 5-tuple,
 * once, for the classifier (bpf/nfv_xdp.bpf.c) and for nfvd, which must
 * reach the same decision on its own when an NF asks for a flow to be
 * offloaded (it never trusts the chain or hash an NF reports):
 *
 *   nfv_flow_hash()    the symmetric flow hash that picks a replica
 *                      (service buckets[hash % NFV_BUCKETS]) at every hop;
 *   nfv_rule_match()   whether a prefix rule ("nfv_rules") matches.
 *
 * Plain C on the uapi types: it builds for BPF, in the kernel and in user
 * space.  Addresses and ports are as on the wire (network order).
 */
#ifndef _UAPI_LINUX_NFV_CLASSIFY_H
#define _UAPI_LINUX_NFV_CLASSIFY_H

#include <linux/types.h>
#include <linux/nfv.h>

#ifndef __nfv_inline
#define __nfv_inline static inline __attribute__((always_inline))
#endif

/* A port as on the wire, in host order. */
__nfv_inline __u16 nfv_port_host(__u16 be)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap16(be);
#else
	return be;
#endif
}

__nfv_inline __u32 nfv_rol32(__u32 x, int r)
{
	return (x << r) | (x >> (32 - r));
}

/* One multiply-rotate round over a 32-bit word. */
__nfv_inline __u32 nfv_mix(__u32 h, __u32 k)
{
	k *= 0xcc9e2d51;
	k = nfv_rol32(k, 15);
	k *= 0x1b873593;
	h ^= k;
	h = nfv_rol32(h, 13);
	return h * 5 + 0xe6546b64;
}

__nfv_inline __u32 nfv_avalanche(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	return h ^ (h >> 16);
}

/* All four address words (IPv4 leaves three of them zero) and the port. */
__nfv_inline __u32 nfv_endpoint_hash(const __u32 *addr, __u16 port)
{
	__u32 h = 0x6e667600;	/* "nfv" */
	int i;

#ifdef __clang__
#pragma unroll
#endif
	for (i = 0; i < 4; i++)
		h = nfv_mix(h, addr[i]);
	return nfv_avalanche(nfv_mix(h, port));
}

/**
 * nfv_flow_hash() - the symmetric hash of a flow
 * @src: source address words, as on the wire (IPv4 in [0], rest 0)
 * @dst: destination address words
 * @sport: source port as on the wire; 0 for a frame without ports
 * @dport: destination port as on the wire; 0 without ports
 * @proto: IP protocol
 *
 * Both endpoints are hashed on their own and combined with a commutative
 * operation, so A->B and B->A agree without ordering the endpoints first.
 * Frames without ports (ICMP, fragments, other protocols) hash on the
 * addresses and protocol only.
 *
 * Return: the hash; its value modulo NFV_BUCKETS picks a bucket.
 */
__nfv_inline __u32 nfv_flow_hash(const __u32 *src, const __u32 *dst,
				 __u16 sport, __u16 dport, __u8 proto)
{
	__u32 a = nfv_endpoint_hash(src, sport);
	__u32 b = nfv_endpoint_hash(dst, dport);

	return nfv_avalanche(nfv_mix(a + b, proto));
}

/**
 * struct nfv_tuple - what classification looks at in a frame
 * @src: source address words, as on the wire
 * @dst: destination address words
 * @sport: source port, as on the wire (0 unless @has_ports)
 * @dport: destination port, as on the wire
 * @proto: IP protocol
 * @family: NFV_AF_INET or NFV_AF_INET6
 * @has_ports: TCP or UDP and not a fragment
 * @nsh: the frame came in NSH (a decap nsh port), on path @nsh_path
 * @nsh_path: its service path header, SPI << 8 | SI
 */
struct nfv_tuple {
	__u32 src[4];
	__u32 dst[4];
	__u16 sport;
	__u16 dport;
	__u8  proto;
	__u8  family;
	__u8  has_ports;
	__u8  nsh;
	__u32 nsh_path;
};

__nfv_inline int nfv_port_in(__u16 wire, __u16 lo, __u16 hi)
{
	__u16 p = nfv_port_host(wire);

	return p >= lo && p <= hi;
}

/**
 * nfv_rule_match() - whether a prefix rule matches a frame
 * @r: the rule
 * @t: the frame's tuple
 * @port: its ingress port id
 *
 * Addresses compare under the mask whether or not the writer stored them
 * masked.  A port range (anything but 0-0) never matches a frame without
 * ports.  A rule naming an SPI matches only frames that came in NSH on
 * that path (and SI, if it names one); any other, only frames that did
 * not.
 *
 * Return: 1 if it matches, else 0.
 */
__nfv_inline int nfv_rule_match(const struct nfv_prefix_rule *r,
				const struct nfv_tuple *t, __u32 port)
{
	__u32 miss = 0;
	int i;

	if (r->in_port && r->in_port != port)
		return 0;
	if (!(r->nsh & NFV_RULE_NSH_SPI) != !t->nsh)
		return 0;
	if ((r->nsh & NFV_RULE_NSH_SPI) && r->spi != t->nsh_path >> 8)
		return 0;
	if ((r->nsh & NFV_RULE_NSH_SI) && r->si != (t->nsh_path & 0xff))
		return 0;
	if (r->family && r->family != t->family)
		return 0;
	if (r->proto && r->proto != t->proto)
		return 0;
#ifdef __clang__
#pragma unroll
#endif
	for (i = 0; i < 4; i++) {
		miss |= (t->src[i] ^ r->src[i]) & r->src_mask[i];
		miss |= (t->dst[i] ^ r->dst[i]) & r->dst_mask[i];
	}
	if (miss)
		return 0;
	if (r->sport_lo | r->sport_hi) {
		if (!t->has_ports ||
		    !nfv_port_in(t->sport, r->sport_lo, r->sport_hi))
			return 0;
	}
	if (r->dport_lo | r->dport_hi) {
		if (!t->has_ports ||
		    !nfv_port_in(t->dport, r->dport_lo, r->dport_hi))
			return 0;
	}
	return 1;
}

#endif /* _UAPI_LINUX_NFV_CLASSIFY_H */
