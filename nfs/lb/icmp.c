// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-lb and ICMP errors (ICMPv4 types 3, 4, 11, 12; ICMPv6 types below
 * 128).  An error quotes the head of the datagram that caused it, with
 * the addresses that datagram had where the error was raised: the ones
 * nfv-lb wrote.  They are translated back, so that each end recognises
 * its own datagram and path MTU discovery works through the balancer:
 *
 *  - toward the client, an error about a datagram nfv-lb sent to a
 *    backend (port unreachable from the backend, fragmentation needed
 *    from a router in front of it): the quoted destination backend:port
 *    becomes VIP:port, and an error the backend raised itself comes from
 *    the VIP;
 *  - toward a backend, an error about a reply nfv-lb sent to a client
 *    (fragmentation needed / packet too big from a router on the
 *    client's side, addressed to the VIP): the quoted source VIP:port
 *    becomes the backend Maglev picks for that client, and so does the
 *    outer destination.
 *
 * Checksums: the quote's IPv4 header checksum and its TCP/UDP checksum
 * when the quote holds it (incrementally: the quote is usually cut
 * short), then the whole ICMP message's, computed again.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>

#include "../common/nf.h"
#include "lb.h"

struct quote {
	uint8_t *saddr, *daddr;		/* in the quoted IP header */
	uint16_t *sport, *dport;	/* in the quoted TCP/UDP header */
	uint16_t *ip_check;		/* an IPv4 quote's header checksum */
	uint16_t *l4_check;		/* NULL: cut off, or UDP without */
	uint8_t proto;
};

static bool is_error(uint8_t family, uint8_t type)
{
	if (family == 6)
		return type < 128;
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB;
}

/* The quoted datagram behind the 8-byte ICMP header at @icmp. */
static bool parse_quote(const struct lb *lb, uint8_t *icmp, const uint8_t *end,
			struct quote *q)
{
	uint8_t *l3 = icmp + 8, *l4;

	memset(q, 0, sizeof(*q));
	if (lb->family == 4) {
		struct iphdr *ip = (struct iphdr *)l3;

		if (l3 + sizeof(*ip) > end || ip->version != 4 || ip->ihl < 5 ||
		    (ntohs(ip->frag_off) & 0x1fff))
			return false;
		q->proto = ip->protocol;
		q->saddr = (uint8_t *)&ip->saddr;
		q->daddr = (uint8_t *)&ip->daddr;
		q->ip_check = &ip->check;
		l4 = l3 + ip->ihl * 4u;
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)l3;

		/* A quote with extension headers is left alone. */
		if (l3 + sizeof(*ip6) > end || ip6->version != 6)
			return false;
		q->proto = ip6->nexthdr;
		q->saddr = ip6->saddr.s6_addr;
		q->daddr = ip6->daddr.s6_addr;
		l4 = l3 + sizeof(*ip6);
	}
	if ((q->proto != IPPROTO_TCP && q->proto != IPPROTO_UDP) ||
	    (lb->proto && q->proto != lb->proto) || l4 + 4 > end)
		return false;
	q->sport = (uint16_t *)l4;
	q->dport = (uint16_t *)(l4 + 2);
	if (q->proto == IPPROTO_UDP && l4 + 8 <= end && *(uint16_t *)(l4 + 6))
		q->l4_check = (uint16_t *)(l4 + 6);
	else if (q->proto == IPPROTO_TCP && l4 + 18 <= end)
		q->l4_check = (uint16_t *)(l4 + 16);
	return true;
}

/* One endpoint of the quote (@addr, @port point into it) to @to:@to_port. */
static void quote_set(const struct lb *lb, struct quote *q, uint8_t *addr,
		      uint16_t *port, const uint8_t *to, uint16_t to_port)
{
	unsigned int i, n = lb->family == 6 ? 4 : 1;
	uint32_t from_w, to_w;

	for (i = 0; i < n; i++) {
		memcpy(&from_w, addr + 4 * i, 4);
		memcpy(&to_w, to + 4 * i, 4);
		if (q->ip_check)
			nfv_csum_replace4(q->ip_check, from_w, to_w);
		if (q->l4_check)
			nfv_csum_replace4(q->l4_check, from_w, to_w);
	}
	memcpy(addr, to, n * 4);
	if (q->l4_check)
		nfv_csum_replace2(q->l4_check, *port, to_port);
	*port = to_port;
	if (q->l4_check && !*q->l4_check && q->proto == IPPROTO_UDP)
		*q->l4_check = 0xffff;
}

/* An outer address (@addr points into the IP header) to @to. */
static void outer_set(const struct lb *lb, struct nfv_pkt *pkt, uint8_t *addr,
		      const uint8_t *to)
{
	uint32_t a4;

	if (lb->family == 6) {
		memcpy(addr, to, 16);	/* the ICMPv6 checksum is redone */
		return;
	}
	memcpy(&a4, to, 4);
	nfv_ipv4_set_addr(pkt, (uint32_t *)addr, a4);
}

/* The ICMP message's checksum over @len bytes, computed again. */
static void icmp_csum(const struct lb *lb, struct nfv_pkt *pkt, uint8_t *icmp,
		      uint32_t len)
{
	uint16_t *check = (uint16_t *)(icmp + 2);
	uint32_t sum = 0;

	*check = 0;
	if (lb->family == 6) {
		struct ipv6hdr *ip6 = nfv_pkt_ipv6(pkt);

		sum = nfv_csum_partial(&ip6->saddr, 32, 0);
		sum += htons(IPPROTO_ICMPV6);
		sum += htons((uint16_t)len);
	}
	*check = (uint16_t)~nfv_csum_fold(nfv_csum_partial(icmp, len, sum));
}

bool lb_icmp_error(struct lb *lb, struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	uint8_t *end = pkt->data + pkt->len, *icmp, *osrc, *odst;
	unsigned int alen = lb->family == 6 ? 16 : 4, i;
	struct lb_backend *b = NULL;
	struct quote q;
	uint32_t len;

	if (!m->l4_off || m->l4_off + 8u > pkt->len ||
	    m->l4_proto != (lb->family == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
		return false;
	icmp = pkt->data + m->l4_off;
	if (!is_error(lb->family, icmp[0]) || !parse_quote(lb, icmp, end, &q))
		return false;
	if (lb->family == 6) {
		struct ipv6hdr *ip6 = nfv_pkt_ipv6(pkt);

		osrc = ip6->saddr.s6_addr;
		odst = ip6->daddr.s6_addr;
		len = ntohs(ip6->payload_len) -
		      (m->l4_off - m->l3_off - (uint32_t)sizeof(*ip6));
	} else {
		struct iphdr *ip = nfv_pkt_ipv4(pkt);

		osrc = (uint8_t *)&ip->saddr;
		odst = (uint8_t *)&ip->daddr;
		len = ntohs(ip->tot_len) - ip->ihl * 4u;
	}
	/* The checksum covers the whole message: all of it must be here. */
	if (len < 8 || icmp + len > end)
		return false;

	for (i = 0; i < lb->n_backends && !b; i++)
		if (lb->backends[i].port == *q.dport &&
		    !memcmp(lb->backends[i].addr, q.daddr, alen))
			b = &lb->backends[i];
	if (b) {
		/* Toward the client: it sent to the VIP. */
		if (!memcmp(osrc, b->addr, alen))
			outer_set(lb, pkt, osrc, lb->vip_addr);
		quote_set(lb, &q, q.daddr, q.dport, lb->vip_addr,
			  lb->vip_port);
		lb->icmp_to_clients++;
	} else if (*q.sport == lb->vip_port &&
		   !memcmp(q.saddr, lb->vip_addr, alen)) {
		/* Toward the backend that answers this client. */
		b = &lb->backends[lb_pick(lb, q.proto, q.daddr, *q.dport)];
		if (!memcmp(odst, lb->vip_addr, alen))
			outer_set(lb, pkt, odst, b->addr);
		quote_set(lb, &q, q.saddr, q.sport, b->addr, b->port);
		lb->icmp_to_backends++;
	} else {
		return false;
	}
	icmp_csum(lb, pkt, icmp, len);
	return true;
}
