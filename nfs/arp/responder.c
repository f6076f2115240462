// SPDX-License-Identifier: GPL-2.0
/* nfv-arp: ARP reply built in place, sent back out of the ingress port. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <linux/if_arp.h>

#include "responder.h"

/* RFC 826 for Ethernet and IPv4, as it sits on the wire. */
struct arp_eth_ipv4 {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[6];
	uint8_t spa[4];
	uint8_t tha[6];
	uint8_t tpa[4];
} __attribute__((packed));

int arp_add(struct arp_responder *r, uint32_t addr, const uint8_t *mac)
{
	struct arp_entry *e;
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (r->e[i].addr == addr)
			return -EEXIST;
	if (r->n >= ARP_ADDRS_MAX)
		return -E2BIG;
	e = &r->e[r->n++];
	memset(e, 0, sizeof(*e));
	e->addr = addr;
	if (mac) {
		memcpy(e->mac, mac, 6);
	} else {
		e->mac[0] = 0x02;
		memcpy(e->mac + 2, &addr, 4);
	}
	return 0;
}

static struct arp_entry *lookup(struct arp_responder *r, const uint8_t *pa)
{
	uint32_t a;
	unsigned int i;

	memcpy(&a, pa, 4);
	for (i = 0; i < r->n; i++)
		if (r->e[i].addr == a)
			return &r->e[i];
	return NULL;
}

uint32_t arp_handle(struct nfv_pkt *pkt, void *ctx)
{
	struct arp_responder *r = ctx;
	struct ethhdr *eth = nfv_pkt_eth(pkt);
	uint32_t off = sizeof(*eth);
	struct arp_eth_ipv4 *a;
	struct arp_entry *e;
	uint16_t proto;

	if (!eth)
		goto other;
	proto = eth->h_proto;
	/* One VLAN tag: the reply keeps it. */
	if (proto == htons(ETH_P_8021Q) || proto == htons(ETH_P_8021AD)) {
		if (pkt->len < off + 4)
			goto other;
		memcpy(&proto, pkt->data + off + 2, 2);
		off += 4;
	}
	if (proto != htons(ETH_P_ARP))
		goto other;
	if (pkt->len < off + sizeof(*a)) {
		r->st.malformed++;
		return NFV_NEXT;
	}
	a = (struct arp_eth_ipv4 *)(pkt->data + off);
	if (a->htype != htons(ARPHRD_ETHER) || a->ptype != htons(ETH_P_IP) ||
	    a->hlen != 6 || a->plen != 4) {
		r->st.malformed++;
		return NFV_NEXT;
	}
	if (a->op != htons(ARPOP_REQUEST) ||
	    !memcmp(a->spa, a->tpa, 4)) {
		/* Replies, and announcements (gratuitous ARP). */
		r->st.ignored++;
		return NFV_NEXT;
	}
	r->st.requests++;
	e = lookup(r, a->tpa);
	if (!e) {
		r->st.not_ours++;
		return NFV_NEXT;
	}
	if (!pkt->meta->in_port) {
		r->st.no_port++;
		return NFV_NEXT;
	}
	/* To the asker, from us; the target becomes the sender. */
	nfv_mac_swap(eth);
	memcpy(eth->h_source, e->mac, 6);
	a->op = htons(ARPOP_REPLY);
	memcpy(a->tha, a->sha, 6);
	memcpy(a->tpa, a->spa, 4);
	memcpy(a->sha, e->mac, 6);
	memcpy(a->spa, &e->addr, 4);
	e->replies++;
	r->st.replies++;
	return NFV_OUT(pkt->meta->in_port);
other:
	r->st.other++;
	return NFV_NEXT;
}

void arp_json(FILE *f, const struct arp_responder *r)
{
	char a[INET_ADDRSTRLEN];
	unsigned int i;

	fprintf(f, "{\"addrs\":[");
	for (i = 0; i < r->n; i++) {
		const uint8_t *m = r->e[i].mac;

		inet_ntop(AF_INET, &r->e[i].addr, a, sizeof(a));
		fprintf(f, "%s{\"addr\":\"%s\",\"mac\":\"%02x:%02x:%02x:%02x:%02x:%02x\","
			"\"replies\":%llu}", i ? "," : "", a, m[0], m[1], m[2],
			m[3], m[4], m[5], (unsigned long long)r->e[i].replies);
	}
	fprintf(f, "],\"requests\":%llu,\"replies\":%llu,\"not_ours\":%llu,"
		"\"ignored\":%llu,\"malformed\":%llu,\"no_port\":%llu,\"other\":%llu}\n",
		(unsigned long long)r->st.requests,
		(unsigned long long)r->st.replies,
		(unsigned long long)r->st.not_ours,
		(unsigned long long)r->st.ignored,
		(unsigned long long)r->st.malformed,
		(unsigned long long)r->st.no_port,
		(unsigned long long)r->st.other);
}
