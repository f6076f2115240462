// SPDX-License-Identifier: GPL-2.0
/* nfv-lb data path: Maglev pick, destination/source rewrite (IPv4, IPv6). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "../common/flow.h"
#include "../common/ipv6.h"
#include "../common/nf.h"
#include "lb.h"

int lb_set_vip(struct lb *lb, const char *spec)
{
	return nf_parse_endpoint(spec, lb->vip_addr, &lb->family,
				 &lb->vip_port) ? -EINVAL : 0;
}

int lb_add_backend(struct lb *lb, const char *spec)
{
	struct lb_backend *b;
	unsigned int i;

	if (lb->n_backends >= MAGLEV_MAX)
		return -E2BIG;
	b = &lb->backends[lb->n_backends];
	memset(b, 0, sizeof(*b));
	if (nf_parse_endpoint(spec, b->addr, &b->family, &b->port))
		return -EINVAL;
	/* IPv4 names are as they always were: the Maglev table keeps. */
	nf_endpoint_str(b->addr, b->family, b->port, b->name, sizeof(b->name));
	for (i = 0; i < lb->n_backends; i++)
		if (!strcmp(lb->backends[i].name, b->name))
			return -EEXIST;
	lb->n_backends++;
	return 0;
}

int lb_init(struct lb *lb)
{
	const char *names[MAGLEV_MAX];
	unsigned int i;

	for (i = 0; i < lb->n_backends; i++) {
		if (lb->backends[i].family != lb->family)
			return -EAFNOSUPPORT;
		names[i] = lb->backends[i].name;
	}
	return maglev_build(&lb->mg, names, lb->n_backends, MAGLEV_M);
}

void lb_free(struct lb *lb)
{
	maglev_free(&lb->mg);
}

static unsigned int alen(const struct lb *lb)
{
	return lb->family == 6 ? 16 : 4;
}

unsigned int lb_pick(const struct lb *lb, uint8_t proto, const uint8_t *saddr,
		     uint16_t sport)
{
	struct nf_flow_key k = { .family = lb->family, .proto = proto,
				 .sport = sport, .dport = lb->vip_port };

	memcpy(k.src, saddr, alen(lb));
	memcpy(k.dst, lb->vip_addr, alen(lb));
	return maglev_lookup(&lb->mg, nf_flow_hash(&k));
}

static struct lb_backend *backend_of(struct lb *lb, const uint8_t *addr,
				     uint16_t port)
{
	unsigned int i;

	for (i = 0; i < lb->n_backends; i++)
		if (lb->backends[i].port == port &&
		    !memcmp(lb->backends[i].addr, addr, alen(lb)))
			return &lb->backends[i];
	return NULL;
}

static void set_addr(struct lb *lb, struct nfv_pkt *pkt, uint8_t *addr,
		     const uint8_t *to)
{
	uint32_t a4;

	if (lb->family == 6) {
		nf_ipv6_set_addr(pkt, addr, to);
		return;
	}
	memcpy(&a4, to, 4);
	nfv_ipv4_set_addr(pkt, (uint32_t *)addr, a4);
}

uint32_t lb_handle(struct nfv_pkt *pkt, void *ctx)
{
	struct lb *lb = ctx;
	uint8_t *saddr, *daddr, proto;
	struct lb_backend *b;
	struct ipv6hdr *ip6;
	struct iphdr *ip;
	struct tcphdr *th;
	struct udphdr *uh;
	uint16_t *sport, *dport;

	if (lb->family == 6 && (ip6 = nfv_pkt_ipv6(pkt))) {
		/* The classifier walked the extension headers. */
		proto = pkt->meta->l4_proto;
		saddr = ip6->saddr.s6_addr;
		daddr = ip6->daddr.s6_addr;
	} else if (lb->family == 4 && (ip = nfv_pkt_ipv4(pkt))) {
		proto = ip->protocol;
		saddr = (uint8_t *)&ip->saddr;
		daddr = (uint8_t *)&ip->daddr;
	} else {
		/* The other family, non-IP. */
		lb->other++;
		return NFV_NEXT;
	}
	if (lb_icmp_error(lb, pkt))
		return NFV_NEXT;
	if (lb->proto && proto != lb->proto) {
		lb->other++;
		return NFV_NEXT;
	}
	if ((th = nfv_pkt_tcp(pkt))) {
		sport = &th->source;
		dport = &th->dest;
	} else if ((uh = nfv_pkt_udp(pkt))) {
		sport = &uh->source;
		dport = &uh->dest;
	} else {
		/* ICMP, other protocols, fragments past the first. */
		lb->no_l4++;
		return NFV_NEXT;
	}

	if (*dport == lb->vip_port && !memcmp(daddr, lb->vip_addr, alen(lb))) {
		b = &lb->backends[lb_pick(lb, proto, saddr, *sport)];
		set_addr(lb, pkt, daddr, b->addr);
		nfv_l4_set_port(pkt, dport, b->port);
		b->packets++;
		b->bytes += pkt->len;
		return NFV_NEXT;
	}
	b = backend_of(lb, saddr, *sport);
	if (b) {
		set_addr(lb, pkt, saddr, lb->vip_addr);
		nfv_l4_set_port(pkt, sport, lb->vip_port);
		b->reply_packets++;
		b->reply_bytes += pkt->len;
		return NFV_NEXT;
	}
	lb->other++;
	return NFV_NEXT;
}

void lb_json(FILE *f, const struct lb *lb)
{
	char vip[LB_NAME_LEN];
	unsigned int i;

	nf_endpoint_str(lb->vip_addr, lb->family, lb->vip_port, vip, sizeof(vip));
	fprintf(f, "{\"vip\":\"%s\",\"backends\":[", vip);
	for (i = 0; i < lb->n_backends; i++) {
		const struct lb_backend *b = &lb->backends[i];

		fprintf(f, "%s{\"backend\":\"%s\",\"packets\":%llu,\"bytes\":%llu,"
			"\"reply_packets\":%llu,\"reply_bytes\":%llu}",
			i ? "," : "", b->name, (unsigned long long)b->packets,
			(unsigned long long)b->bytes,
			(unsigned long long)b->reply_packets,
			(unsigned long long)b->reply_bytes);
	}
	fprintf(f, "],\"other\":%llu,\"no_l4\":%llu,\"icmp_to_clients\":%llu,"
		"\"icmp_to_backends\":%llu}\n",
		(unsigned long long)lb->other, (unsigned long long)lb->no_l4,
		(unsigned long long)lb->icmp_to_clients,
		(unsigned long long)lb->icmp_to_backends);
}
