// SPDX-License-Identifier: GPL-2.0
/* nfv-nat data path: outbound and inbound translation, ICMP. */
#include <arpa/inet.h>
#include <string.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>

#include "nat.h"

static int ct_proto_of(uint8_t ipproto)
{
	switch (ipproto) {
	case IPPROTO_TCP:
		return CT_TCP;
	case IPPROTO_UDP:
		return CT_UDP;
	case IPPROTO_ICMP:
		return CT_ICMP;
	}
	return -1;
}

static struct icmphdr *icmp_of(struct nfv_pkt *pkt)
{
	return nfv_pkt_l4(pkt, IPPROTO_ICMP, sizeof(struct icmphdr));
}

static void icmp_set_id(struct icmphdr *ih, uint16_t id)
{
	nfv_csum_replace2(&ih->checksum, ih->un.echo.id, id);
	ih->un.echo.id = id;
}

static uint32_t outbound(struct nat *nat, struct nfv_pkt *pkt,
			 struct iphdr *ip)
{
	struct tcphdr *th = nfv_pkt_tcp(pkt);
	struct udphdr *uh = th ? NULL : nfv_pkt_udp(pkt);
	struct icmphdr *ih = NULL;
	uint16_t *sport, dport;
	struct ct_conn *c;

	if (th) {
		sport = &th->source;
		dport = th->dest;
	} else if (uh) {
		sport = &uh->source;
		dport = uh->dest;
	} else if ((ih = icmp_of(pkt)) && ih->type == ICMP_ECHO) {
		sport = &ih->un.echo.id;
		dport = 0;
	} else {
		/* Other protocols, ICMP errors, later fragments. */
		nat->st.out_unsupported++;
		return NFV_DROP;
	}
	c = ct_out_hint(&nat->ct, (uint8_t)ct_proto_of(ip->protocol),
			ip->saddr, *sport, ip->daddr, dport, nat->now,
			pkt->meta->hash);
	if (!c)
		return NFV_DROP;
	c->last = nat->now;
	c->packets_out++;
	if (th)
		ct_tcp_update(c, ((uint8_t *)th)[13], true);
	nfv_ipv4_set_addr(pkt, &ip->saddr, nat->external);
	if (ih)
		icmp_set_id(ih, c->ext_port);
	else
		nfv_l4_set_port(pkt, sport, c->ext_port);
	nat->st.out++;
	return NFV_NEXT;
}

/*
 * An ICMP error to the external address quotes a datagram we sent: its
 * source is (external, ext port).  Translate the quote and the outer
 * destination; the ICMP checksum covers the quote, so recompute it.
 */
static uint32_t icmp_error_in(struct nat *nat, struct nfv_pkt *pkt,
			      struct iphdr *ip, struct icmphdr *ih)
{
	uint8_t *end = pkt->data + pkt->len;
	struct iphdr *q = (struct iphdr *)(ih + 1);
	uint16_t *qsport, qdport, *qcheck = NULL;
	uint32_t icmp_len;
	struct ct_conn *c;
	uint8_t *ql4;
	int proto;

	if ((uint8_t *)(q + 1) > end || q->version != 4 || q->ihl < 5 ||
	    q->saddr != nat->external)
		goto drop;
	ql4 = (uint8_t *)q + q->ihl * 4;
	proto = ct_proto_of(q->protocol);
	if (proto < 0 || ql4 + 8 > end)
		goto drop;
	if (proto == CT_ICMP) {
		struct icmphdr *qi = (struct icmphdr *)ql4;

		if (qi->type != ICMP_ECHO)
			goto drop;
		qsport = &qi->un.echo.id;
		qdport = 0;
	} else {
		qsport = (uint16_t *)ql4;
		qdport = *(uint16_t *)(ql4 + 2);
		if (proto == CT_UDP && *(uint16_t *)(ql4 + 6))
			qcheck = (uint16_t *)(ql4 + 6);
		else if (proto == CT_TCP && ql4 + 18 <= end)
			qcheck = (uint16_t *)(ql4 + 16);
	}
	c = ct_in(&nat->ct, (uint8_t)proto, *qsport, q->daddr, qdport,
		  nat->now);
	if (!c)
		goto drop;
	/* The quote: source address (IP csum, L4 pseudo header), port. */
	if (qcheck)
		nfv_csum_replace4(qcheck, q->saddr, c->int_addr);
	nfv_csum_replace4(&q->check, q->saddr, c->int_addr);
	q->saddr = c->int_addr;
	if (qcheck && proto != CT_ICMP)
		nfv_csum_replace2(qcheck, *qsport, c->int_port);
	else if (proto == CT_ICMP)
		nfv_csum_replace2(&((struct icmphdr *)ql4)->checksum, *qsport,
				  c->int_port);
	*qsport = c->int_port;
	/* The outer header, then the whole ICMP message's checksum. */
	nfv_ipv4_set_addr(pkt, &ip->daddr, c->int_addr);
	icmp_len = ntohs(ip->tot_len) - ip->ihl * 4u;
	if ((uint8_t *)ih + icmp_len > end)
		goto drop;
	ih->checksum = 0;
	ih->checksum = (uint16_t)~nfv_csum_fold(nfv_csum_partial(ih, icmp_len, 0));
	nat->st.icmp_errors++;
	nat->st.in++;
	return NFV_NEXT;
drop:
	nat->st.in_no_conn++;
	return NFV_DROP;
}

static uint32_t inbound(struct nat *nat, struct nfv_pkt *pkt, struct iphdr *ip)
{
	struct tcphdr *th = nfv_pkt_tcp(pkt);
	struct udphdr *uh = th ? NULL : nfv_pkt_udp(pkt);
	struct icmphdr *ih = NULL;
	uint16_t *dport, sport;
	struct ct_conn *c;

	if (th) {
		dport = &th->dest;
		sport = th->source;
	} else if (uh) {
		dport = &uh->dest;
		sport = uh->source;
	} else if ((ih = icmp_of(pkt))) {
		if (ih->type == ICMP_DEST_UNREACH || ih->type == ICMP_TIME_EXCEEDED ||
		    ih->type == ICMP_PARAMETERPROB)
			return icmp_error_in(nat, pkt, ip, ih);
		if (ih->type != ICMP_ECHOREPLY)
			goto drop;
		dport = &ih->un.echo.id;
		sport = 0;
	} else {
		goto drop;
	}
	c = ct_in(&nat->ct, (uint8_t)ct_proto_of(ip->protocol), *dport,
		  ip->saddr, sport, nat->now);
	if (!c)
		goto drop;
	c->last = nat->now;
	c->packets_in++;
	if (th)
		ct_tcp_update(c, ((uint8_t *)th)[13], false);
	nfv_ipv4_set_addr(pkt, &ip->daddr, c->int_addr);
	if (ih)
		icmp_set_id(ih, c->int_port);
	else
		nfv_l4_set_port(pkt, dport, c->int_port);
	nat->st.in++;
	return NFV_NEXT;
drop:
	nat->st.in_no_conn++;
	return NFV_DROP;
}

/*
 * An ICMPv6 error quotes the packet it is about: a translated address
 * in the quote is translated too (RFC 6296 section 5), which keeps the
 * ICMPv6 checksum valid as the mapping is checksum-neutral.  @outbound:
 * the quote's destination is an inside address; else its source is an
 * external one.
 */
static bool npt_icmp_quote(struct nat *nat, struct nfv_pkt *pkt,
			   bool outbound)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	struct icmp6hdr *ih;
	struct ipv6hdr *q;
	uint8_t *a;

	if (m->l4_proto != IPPROTO_ICMPV6 || !m->l4_off ||
	    pkt->len < m->l4_off + sizeof(*ih) + sizeof(*q))
		return true;
	ih = (struct icmp6hdr *)(pkt->data + m->l4_off);
	if (ih->icmp6_type >= 128)	/* informational: no quote */
		return true;
	q = (struct ipv6hdr *)(ih + 1);
	a = outbound ? q->daddr.s6_addr : q->saddr.s6_addr;
	if (!nptv6_match(&nat->npt, a, outbound ? nat->npt.inside :
						 nat->npt.external))
		return true;
	return nptv6_map(&nat->npt, a, outbound);
}

static uint32_t ipv6(struct nat *nat, struct nfv_pkt *pkt,
		     struct ipv6hdr *ip6)
{
	struct nptv6 *n = &nat->npt;

	if (n->on && pkt->meta->in_port == nat->inside_port &&
	    nptv6_match(n, ip6->saddr.s6_addr, n->inside)) {
		if (!nptv6_map(n, ip6->saddr.s6_addr, true) ||
		    !npt_icmp_quote(nat, pkt, true))
			goto unmappable;
		nat->st.npt_out++;
		return NFV_NEXT;
	}
	if (n->on && pkt->meta->in_port != nat->inside_port &&
	    nptv6_match(n, ip6->daddr.s6_addr, n->external)) {
		if (!nptv6_map(n, ip6->daddr.s6_addr, false) ||
		    !npt_icmp_quote(nat, pkt, false))
			goto unmappable;
		nat->st.npt_in++;
		return NFV_NEXT;
	}
	if (nat->ipv6_drop) {
		nat->st.ipv6_dropped++;
		return NFV_DROP;
	}
	nat->st.ipv6_passed++;
	return NFV_NEXT;
unmappable:
	nat->st.npt_unmappable++;
	return NFV_DROP;
}

uint32_t nat_handle(struct nfv_pkt *pkt, void *ctx)
{
	struct iphdr *ip = nfv_pkt_ipv4(pkt);
	struct nat *nat = ctx;
	struct ipv6hdr *ip6;

	if (!ip) {
		ip6 = nfv_pkt_ipv6(pkt);
		if (ip6)
			return ipv6(nat, pkt, ip6);
		nat->st.passed++;	/* ARP, other non-IP */
		return NFV_NEXT;
	}
	if (!nat->external) {		/* IPv6 only: no NAT44 */
		nat->st.passed++;
		return NFV_NEXT;
	}
	if (pkt->meta->in_port == nat->inside_port)
		return outbound(nat, pkt, ip);
	if (ip->daddr == nat->external)
		return inbound(nat, pkt, ip);
	nat->st.passed++;
	return NFV_NEXT;
}

void nat_json(FILE *f, const struct nat *nat)
{
	const struct ct *ct = &nat->ct;
	char a[INET_ADDRSTRLEN + 2] = "null", in6[INET6_ADDRSTRLEN], ex6[INET6_ADDRSTRLEN];
	char npt[2 * INET6_ADDRSTRLEN + 16] = "null";

	if (nat->external) {
		a[0] = '"';
		inet_ntop(AF_INET, &nat->external, a + 1, INET_ADDRSTRLEN);
		strcat(a, "\"");
	}
	if (nat->npt.on) {
		inet_ntop(AF_INET6, nat->npt.inside, in6, sizeof(in6));
		inet_ntop(AF_INET6, nat->npt.external, ex6, sizeof(ex6));
		snprintf(npt, sizeof(npt), "\"%s/%u=%s/%u\"", in6, nat->npt.len,
			 ex6, nat->npt.len);
	}
	fprintf(f, "{\"external\":%s,\"ports\":\"%u-%u\",\"conns\":%u,"
		"\"tcp\":%u,\"udp\":%u,\"icmp\":%u,\"created\":%llu,"
		"\"expired\":%llu,\"no_port\":%llu,\"table_full\":%llu,"
		"\"out\":%llu,\"in\":%llu,\"in_no_conn\":%llu,"
		"\"out_unsupported\":%llu,\"icmp_errors\":%llu,\"passed\":%llu,"
		"\"nptv6\":%s,\"npt_out\":%llu,\"npt_in\":%llu,"
		"\"npt_unmappable\":%llu,\"ipv6\":\"%s\",\"ipv6_passed\":%llu,"
		"\"ipv6_dropped\":%llu}\n",
		a, ct->pa[0].lo, ct->pa[0].hi, ct->n, ct->n_proto[CT_TCP],
		ct->n_proto[CT_UDP], ct->n_proto[CT_ICMP],
		(unsigned long long)ct->st.created,
		(unsigned long long)ct->st.expired,
		(unsigned long long)ct->st.no_port,
		(unsigned long long)ct->st.full,
		(unsigned long long)nat->st.out, (unsigned long long)nat->st.in,
		(unsigned long long)nat->st.in_no_conn,
		(unsigned long long)nat->st.out_unsupported,
		(unsigned long long)nat->st.icmp_errors,
		(unsigned long long)nat->st.passed, npt,
		(unsigned long long)nat->st.npt_out,
		(unsigned long long)nat->st.npt_in,
		(unsigned long long)nat->st.npt_unmappable,
		nat->ipv6_drop ? "drop" : "pass",
		(unsigned long long)nat->st.ipv6_passed,
		(unsigned long long)nat->st.ipv6_dropped);
}
