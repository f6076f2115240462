/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-arp responder: answers ARP requests for IPv4 addresses the fabric
 * owns, in place: the request becomes the reply and goes back out of the
 * port it came in on.  Everything else follows the chain untouched.
 */
#ifndef __NFV_ARP_RESPONDER_H
#define __NFV_ARP_RESPONDER_H

#include <stdint.h>
#include <stdio.h>

#include <nfv/libnfv.h>

#define ARP_ADDRS_MAX	256

struct arp_entry {
	uint32_t addr;		/* network order */
	uint8_t mac[6];
	uint64_t replies;
};

struct arp_stats {
	uint64_t requests;	/* ARP requests seen */
	uint64_t replies;	/* answered */
	uint64_t not_ours;	/* requests for other addresses */
	uint64_t ignored;	/* gratuitous, replies, other ops */
	uint64_t malformed;	/* ARP we cannot read */
	uint64_t no_port;	/* no ingress port to answer on */
	uint64_t other;		/* not ARP */
};

struct arp_responder {
	struct arp_entry e[ARP_ADDRS_MAX];
	unsigned int n;
	struct arp_stats st;
};

/*
 * Own @addr with @mac, or, when @mac is NULL, with the locally
 * administered 02:00:A:B:C:D of A.B.C.D.  0 or -errno.
 */
int arp_add(struct arp_responder *r, uint32_t addr, const uint8_t *mac);
uint32_t arp_handle(struct nfv_pkt *pkt, void *ctx);
void arp_json(FILE *f, const struct arp_responder *r);

#endif /* __NFV_ARP_RESPONDER_H */
