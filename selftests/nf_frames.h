/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames for the NF unit tests: built in a UMEM-like chunk (data at
 * offset 256, struct nfv_xdp_meta right before it, as the classifier
 * leaves them), with valid checksums, and checkers that recompute every
 * checksum from scratch.
 */
#ifndef __NFV_SELFTESTS_NF_FRAMES_H
#define __NFV_SELFTESTS_NF_FRAMES_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include <nfv/libnfv.h>

#define TF_CHUNK	2048
#define TF_HEADROOM	256

struct tframe {
	uint8_t chunk[TF_CHUNK] __attribute__((aligned(64)));
	struct nfv_pkt pkt;
};

static const uint8_t tf_mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };
static const uint8_t tf_mac_b[6] = { 0x02, 0, 0, 0, 0, 0xb };

static inline uint32_t tf_ip(const char *s)
{
	uint32_t a;

	inet_pton(AF_INET, s, &a);
	return a;
}

/* Point pkt at the chunk: data at TF_HEADROOM, metadata in front. */
static inline void tf_reset(struct tframe *f, uint32_t len)
{
	struct nfv_xdp_meta *m;

	f->pkt.data = f->chunk + TF_HEADROOM;
	f->pkt.len = len;
	f->pkt.meta = (struct nfv_xdp_meta *)(f->pkt.data - sizeof(*m));
	f->pkt.addr = 7 * TF_CHUNK + TF_HEADROOM;	/* frame 7 of a UMEM */
	f->pkt.action = NFV_NEXT;
	f->pkt.hop = 0;
	f->pkt.flags = 0;
	m = f->pkt.meta;
	memset(m, 0, sizeof(*m));
	m->magic = NFV_META_MAGIC;
	m->in_port = 2;
	m->chain = 1;
}

/* Ethernet + IPv4 + (TCP|UDP|ICMP echo) + payload, checksums valid. */
static inline struct nfv_pkt *tf_ipv4(struct tframe *f, uint8_t proto,
				      const char *src, uint16_t sport,
				      const char *dst, uint16_t dport,
				      uint32_t payload)
{
	uint32_t l4len = proto == IPPROTO_TCP ? 20 : 8, i;
	struct ethhdr *eth = (struct ethhdr *)(f->chunk + TF_HEADROOM);
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	uint8_t *l4 = (uint8_t *)(ip + 1), *pl = l4 + l4len;
	uint32_t len = 14 + 20 + l4len + payload;

	memset(f->chunk, 0, sizeof(f->chunk));
	tf_reset(f, len);
	memcpy(eth->h_dest, tf_mac_b, 6);
	memcpy(eth->h_source, tf_mac_a, 6);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = proto;
	ip->tot_len = htons((uint16_t)(len - 14));
	ip->id = htons(0x1234);
	ip->saddr = tf_ip(src);
	ip->daddr = tf_ip(dst);
	nfv_ipv4_csum(ip);
	for (i = 0; i < payload; i++)
		pl[i] = (uint8_t)(i * 7 + 3);
	f->pkt.meta->l3_off = 14;
	f->pkt.meta->l4_off = 34;
	f->pkt.meta->l4_proto = proto;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)l4;

		th->source = htons(sport);
		th->dest = htons(dport);
		th->doff = 5;
		th->ack = 1;
		th->seq = htonl(1000);
		th->window = htons(512);
		nfv_l4_csum(&f->pkt);
	} else if (proto == IPPROTO_UDP) {
		struct udphdr *uh = (struct udphdr *)l4;

		uh->source = htons(sport);
		uh->dest = htons(dport);
		uh->len = htons((uint16_t)(8 + payload));
		nfv_l4_csum(&f->pkt);
	} else if (proto == IPPROTO_ICMP) {
		struct icmphdr *ih = (struct icmphdr *)l4;

		ih->type = ICMP_ECHO;
		ih->un.echo.id = htons(sport);
		ih->un.echo.sequence = htons(dport);
		ih->checksum = (uint16_t)~nfv_csum_fold(nfv_csum_partial(l4, 8 + payload, 0));
	}
	return &f->pkt;
}

/*
 * The checksum oracle (RFC 1071, done the slow way): big-endian 16-bit
 * words byte by byte, an odd last byte padded with zero, carries folded
 * at the end.  Independent of libnfv on purpose: the checkers below must
 * not share a bug with the code they check.  Host order, not inverted.
 */
static inline uint32_t tf_sum(const void *buf, uint32_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static inline uint16_t tf_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Every checksum of an IPv4 frame recomputed: true if all are right. */
static inline bool tf_csum_ok(struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	struct iphdr *ip = (struct iphdr *)(pkt->data + m->l3_off);
	uint8_t *l4 = pkt->data + m->l3_off + ip->ihl * 4;
	uint32_t l4len = ntohs(ip->tot_len) - ip->ihl * 4u, sum;

	if (tf_fold(tf_sum(ip, ip->ihl * 4u, 0)) != 0xffff)
		return false;
	if (ip->protocol == IPPROTO_ICMP)
		return tf_fold(tf_sum(l4, l4len, 0)) == 0xffff;
	if (ip->protocol == IPPROTO_UDP && !((struct udphdr *)l4)->check)
		return true;
	sum = tf_sum(&ip->saddr, 8, 0);
	sum += ip->protocol;
	sum += l4len;
	sum = tf_sum(l4, l4len, sum);
	return tf_fold(sum) == 0xffff;
}

/*
 * Ethernet + IPv6 + (TCP|UDP|ICMPv6 echo) + payload, checksums valid,
 * metadata as the classifier leaves it (NFV_META_F_IPV6).
 */
static inline struct nfv_pkt *tf_ipv6(struct tframe *f, uint8_t proto,
				      const char *src, uint16_t sport,
				      const char *dst, uint16_t dport,
				      uint32_t payload)
{
	uint32_t l4len = proto == IPPROTO_TCP ? 20 : 8, i, sum;
	struct ethhdr *eth = (struct ethhdr *)(f->chunk + TF_HEADROOM);
	struct ipv6hdr *ip6 = (struct ipv6hdr *)(eth + 1);
	uint8_t *l4 = (uint8_t *)(ip6 + 1), *pl = l4 + l4len;
	uint32_t len = 14 + 40 + l4len + payload;

	memset(f->chunk, 0, sizeof(f->chunk));
	tf_reset(f, len);
	memcpy(eth->h_dest, tf_mac_b, 6);
	memcpy(eth->h_source, tf_mac_a, 6);
	eth->h_proto = htons(ETH_P_IPV6);
	ip6->version = 6;
	ip6->nexthdr = proto;
	ip6->hop_limit = 64;
	ip6->payload_len = htons((uint16_t)(l4len + payload));
	inet_pton(AF_INET6, src, &ip6->saddr);
	inet_pton(AF_INET6, dst, &ip6->daddr);
	for (i = 0; i < payload; i++)
		pl[i] = (uint8_t)(i * 7 + 3);
	f->pkt.meta->flags |= NFV_META_F_IPV6;
	f->pkt.meta->l3_off = 14;
	f->pkt.meta->l4_off = 54;
	f->pkt.meta->l4_proto = proto;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)l4;

		th->source = htons(sport);
		th->dest = htons(dport);
		th->doff = 5;
		th->ack = 1;
		th->seq = htonl(1000);
		th->window = htons(512);
		nfv_l4_csum(&f->pkt);
	} else if (proto == IPPROTO_UDP) {
		struct udphdr *uh = (struct udphdr *)l4;

		uh->source = htons(sport);
		uh->dest = htons(dport);
		uh->len = htons((uint16_t)(8 + payload));
		nfv_l4_csum(&f->pkt);
	} else if (proto == IPPROTO_ICMPV6) {
		struct icmphdr *ih = (struct icmphdr *)l4;	/* same layout */

		ih->type = 128;		/* echo request */
		ih->un.echo.id = htons(sport);
		ih->un.echo.sequence = htons(dport);
		sum = nfv_csum_partial(&ip6->saddr, 32, 0);
		sum += htons(IPPROTO_ICMPV6);
		sum += htons((uint16_t)(8 + payload));
		ih->checksum = (uint16_t)~nfv_csum_fold(nfv_csum_partial(l4, 8 + payload, sum));
	}
	return &f->pkt;
}

/* The L4 checksum of an IPv6 frame (no extension headers) recomputed. */
static inline bool tf_csum6_ok(struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	struct ipv6hdr *ip6 = (struct ipv6hdr *)(pkt->data + m->l3_off);
	uint8_t *l4 = (uint8_t *)(ip6 + 1);
	uint32_t l4len = ntohs(ip6->payload_len), sum;

	if (ip6->nexthdr == IPPROTO_UDP && !((struct udphdr *)l4)->check)
		return false;		/* mandatory over IPv6 */
	sum = tf_sum(&ip6->saddr, 32, 0);
	sum += ip6->nexthdr;
	sum += l4len;
	sum = tf_sum(l4, l4len, sum);
	return tf_fold(sum) == 0xffff;
}

static inline struct ipv6hdr *tf_ip6(struct nfv_pkt *pkt)
{
	return (struct ipv6hdr *)(pkt->data + pkt->meta->l3_off);
}

static inline bool tf_addr6_is(const struct in6_addr *a, const char *s)
{
	struct in6_addr b;

	inet_pton(AF_INET6, s, &b);
	return !memcmp(a, &b, 16);
}

static inline struct iphdr *tf_ip4(struct nfv_pkt *pkt)
{
	return (struct iphdr *)(pkt->data + pkt->meta->l3_off);
}

/* Source and destination port of a TCP/UDP frame, host order. */
static inline uint16_t tf_sport(struct nfv_pkt *pkt)
{
	uint16_t p;

	memcpy(&p, pkt->data + pkt->meta->l4_off, 2);
	return ntohs(p);
}

static inline uint16_t tf_dport(struct nfv_pkt *pkt)
{
	uint16_t p;

	memcpy(&p, pkt->data + pkt->meta->l4_off + 2, 2);
	return ntohs(p);
}

#endif /* __NFV_SELFTESTS_NF_FRAMES_H */
