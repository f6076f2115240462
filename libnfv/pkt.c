// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Checksum helpers, and completion of partial checksums from veth peers. */
#include <netinet/in.h>

#include "internal.h"

uint32_t nfv_csum_partial(const void *buf, uint32_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t acc = sum;

	/* Sum 16-bit big-endian words as they sit in memory. */
	while (len >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		acc += (w & 0xffffffffu) + (w >> 32);
		p += 8;
		len -= 8;
	}
	while (len >= 2) {
		uint16_t w;

		memcpy(&w, p, 2);
		acc += w;
		p += 2;
		len -= 2;
	}
	if (len) {
		uint16_t w = 0;

		memcpy(&w, p, 1);
		acc += w;
	}
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

void nfv_ipv4_csum(struct iphdr *ip)
{
	ip->check = 0;
	ip->check = (uint16_t)~nfv_csum_fold(nfv_csum_partial(ip, ip->ihl * 4,
							      0));
}

static uint16_t *l4_check_field(struct nfv_pkt *pkt)
{
	struct tcphdr *th = nfv_pkt_tcp(pkt);
	struct udphdr *uh;

	if (th)
		return &th->check;
	uh = nfv_pkt_udp(pkt);
	/* An IPv4 UDP checksum of 0 means "none": keep it that way. */
	if (uh && (uh->check || (pkt->meta->flags & NFV_META_F_IPV6)))
		return &uh->check;
	return NULL;
}

void nfv_ipv4_set_addr(struct nfv_pkt *pkt, uint32_t *addr, uint32_t to)
{
	struct iphdr *ip = nfv_pkt_ipv4(pkt);
	uint16_t *l4 = l4_check_field(pkt);
	uint32_t from = *addr;

	if (!ip)
		return;
	*addr = to;
	nfv_csum_replace4(&ip->check, from, to);
	if (l4) {
		nfv_csum_replace4(l4, from, to);
		/* UDP: a computed 0 is sent as 0xffff (RFC 768). */
		if (!*l4 && pkt->meta->l4_proto == IPPROTO_UDP)
			*l4 = 0xffff;
	}
}

void nfv_l4_set_port(struct nfv_pkt *pkt, uint16_t *port, uint16_t to)
{
	uint16_t *l4 = l4_check_field(pkt);
	uint16_t from = *port;

	*port = to;
	if (l4) {
		nfv_csum_replace2(l4, from, to);
		if (!*l4 && pkt->meta->l4_proto == IPPROTO_UDP)
			*l4 = 0xffff;
	}
}

int nfv_l4_csum(struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	uint32_t sum, l4_len;
	uint16_t *check;

	if (!m->l4_off || m->l4_off >= pkt->len)
		return -1;
	if (m->l4_proto == IPPROTO_TCP) {
		struct tcphdr *th = nfv_pkt_tcp(pkt);

		if (!th)
			return -1;
		check = &th->check;
	} else if (m->l4_proto == IPPROTO_UDP) {
		struct udphdr *uh = nfv_pkt_udp(pkt);

		if (!uh)
			return -1;
		check = &uh->check;
	} else {
		return -1;
	}

	if (m->flags & NFV_META_F_IPV6) {
		struct ipv6hdr *ip6 = nfv_pkt_ipv6(pkt);

		if (!ip6)
			return -1;
		l4_len = ntohs(ip6->payload_len) -
			 (m->l4_off - m->l3_off - sizeof(*ip6));
		sum = nfv_csum_partial(&ip6->saddr, 32, 0);
	} else {
		struct iphdr *ip = nfv_pkt_ipv4(pkt);

		if (!ip)
			return -1;
		l4_len = ntohs(ip->tot_len) - ip->ihl * 4;
		sum = nfv_csum_partial(&ip->saddr, 8, 0);
	}
	if (l4_len > pkt->len - m->l4_off)
		return -1;
	sum += htons(m->l4_proto);
	sum += htons((uint16_t)l4_len);
	*check = 0;
	sum = nfv_csum_partial(pkt->data + m->l4_off, l4_len, sum);
	*check = (uint16_t)~nfv_csum_fold(sum);
	if (!*check && m->l4_proto == IPPROTO_UDP)
		*check = 0xffff;
	return 0;
}

/*
 * The classifier saw a checksum field holding only the pseudo-header sum:
 * the sender relied on CHECKSUM_PARTIAL, which XDP cannot carry.  Finish
 * the job the sender's NIC would have done, once, before the first NF.
 */
void nfv_complete_csum(struct nfv *nf, struct nfv_pkt *pkt)
{
	if (!nfv_l4_csum(pkt))
		nf->cnt->csum_fixed++;
	pkt->meta->flags &= ~NFV_META_F_CSUM_PARTIAL;
}
