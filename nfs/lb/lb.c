// SPDX-License-Identifier: GPL-2.0
/* nfv-lb data path: Maglev pick, destination/source rewrite. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "../common/flow.h"
#include "../common/nf.h"
#include "lb.h"

int lb_add_backend(struct lb *lb, const char *spec)
{
	struct lb_backend *b;
	char a[INET_ADDRSTRLEN];
	unsigned int i;

	if (lb->n_backends >= MAGLEV_MAX)
		return -E2BIG;
	b = &lb->backends[lb->n_backends];
	memset(b, 0, sizeof(*b));
	if (nf_parse_addr_port(spec, &b->addr, &b->port))
		return -EINVAL;
	inet_ntop(AF_INET, &b->addr, a, sizeof(a));
	snprintf(b->name, sizeof(b->name), "%s:%u", a, ntohs(b->port));
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

	for (i = 0; i < lb->n_backends; i++)
		names[i] = lb->backends[i].name;
	return maglev_build(&lb->mg, names, lb->n_backends, MAGLEV_M);
}

void lb_free(struct lb *lb)
{
	maglev_free(&lb->mg);
}

unsigned int lb_pick(const struct lb *lb, uint8_t proto, uint32_t saddr,
		     uint16_t sport)
{
	struct nf_flow_key k = { .family = 4, .proto = proto,
				 .sport = sport, .dport = lb->vip_port };

	memcpy(k.src, &saddr, 4);
	memcpy(k.dst, &lb->vip_addr, 4);
	return maglev_lookup(&lb->mg, nf_flow_hash(&k));
}

static struct lb_backend *backend_of(struct lb *lb, uint32_t addr,
				     uint16_t port)
{
	unsigned int i;

	for (i = 0; i < lb->n_backends; i++)
		if (lb->backends[i].addr == addr &&
		    lb->backends[i].port == port)
			return &lb->backends[i];
	return NULL;
}

uint32_t lb_handle(struct nfv_pkt *pkt, void *ctx)
{
	struct iphdr *ip = nfv_pkt_ipv4(pkt);
	struct lb *lb = ctx;
	struct lb_backend *b;
	struct tcphdr *th;
	struct udphdr *uh;
	uint16_t *sport, *dport;

	if (!ip || (lb->proto && ip->protocol != lb->proto)) {
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

	if (ip->daddr == lb->vip_addr && *dport == lb->vip_port) {
		b = &lb->backends[lb_pick(lb, ip->protocol, ip->saddr, *sport)];
		nfv_ipv4_set_addr(pkt, &ip->daddr, b->addr);
		nfv_l4_set_port(pkt, dport, b->port);
		b->packets++;
		b->bytes += pkt->len;
		return NFV_NEXT;
	}
	b = backend_of(lb, ip->saddr, *sport);
	if (b) {
		nfv_ipv4_set_addr(pkt, &ip->saddr, lb->vip_addr);
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
	char a[INET_ADDRSTRLEN];
	unsigned int i;

	inet_ntop(AF_INET, &lb->vip_addr, a, sizeof(a));
	fprintf(f, "{\"vip\":\"%s:%u\",\"backends\":[", a, ntohs(lb->vip_port));
	for (i = 0; i < lb->n_backends; i++) {
		const struct lb_backend *b = &lb->backends[i];

		fprintf(f, "%s{\"backend\":\"%s\",\"packets\":%llu,\"bytes\":%llu,"
			"\"reply_packets\":%llu,\"reply_bytes\":%llu}",
			i ? "," : "", b->name, (unsigned long long)b->packets,
			(unsigned long long)b->bytes,
			(unsigned long long)b->reply_packets,
			(unsigned long long)b->reply_bytes);
	}
	fprintf(f, "],\"other\":%llu,\"no_l4\":%llu}\n",
		(unsigned long long)lb->other, (unsigned long long)lb->no_l4);
}
