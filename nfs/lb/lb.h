/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-lb: an L4 load balancer for one virtual service ADDR:PORT (IPv4
 * or IPv6, TCP and UDP; the backends are of the VIP's family).  A frame
 * to the VIP goes to the backend Maglev picks for its 5-tuple, with its
 * destination rewritten; a reply from a backend gets the VIP back as its
 * source.  Stateless: both directions are recognised from the headers
 * alone, so replicas and restarts agree.  ICMP errors about either
 * direction are translated too (icmp.c), so path MTU discovery works.
 */
#ifndef __NFV_LB_LB_H
#define __NFV_LB_LB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <nfv/libnfv.h>

#include "maglev.h"

#define LB_NAME_LEN	56	/* "[IPv6]:PORT" */

struct lb_backend {
	uint8_t addr[16];	/* network byte order; IPv4 in the first 4 */
	uint16_t port;		/* network byte order */
	uint8_t family;		/* 4 or 6 */
	char name[LB_NAME_LEN];	/* "ADDR:PORT" or "[ADDR]:PORT" */
	uint64_t packets, bytes;	/* to the backend */
	uint64_t reply_packets, reply_bytes;
};

struct lb {
	uint8_t vip_addr[16];	/* network byte order; IPv4 in the first 4 */
	uint16_t vip_port;
	uint8_t family;		/* the VIP's: 4 or 6 */
	uint8_t proto;		/* 0: TCP and UDP */
	struct lb_backend backends[MAGLEV_MAX];
	unsigned int n_backends;
	struct maglev mg;
	uint64_t other, no_l4;
	uint64_t icmp_to_clients, icmp_to_backends;	/* errors translated */
};

/* The VIP, "ADDR:PORT" or "[ADDR]:PORT"; 0 or -EINVAL. */
int lb_set_vip(struct lb *lb, const char *spec);
/* "ADDR:PORT" or "[ADDR]:PORT" to the backend list; 0 or -errno. */
int lb_add_backend(struct lb *lb, const char *spec);
/*
 * After the VIP and backends are in: build the Maglev table.
 * -EAFNOSUPPORT if a backend is not of the VIP's family.
 */
int lb_init(struct lb *lb);
void lb_free(struct lb *lb);

/* The backend index for a client flow (proto, client, VIP). */
unsigned int lb_pick(const struct lb *lb, uint8_t proto, const uint8_t *saddr,
		     uint16_t sport);

/*
 * An ICMP error quoting a datagram to a backend or a reply from the VIP:
 * translated (quote, outer address, checksums), true.  False: not such
 * an error, untouched.
 */
bool lb_icmp_error(struct lb *lb, struct nfv_pkt *pkt);

/* Per frame: rewrite and NFV_NEXT; frames that are not ours pass as is. */
uint32_t lb_handle(struct nfv_pkt *pkt, void *ctx);

void lb_json(FILE *f, const struct lb *lb);

#endif /* __NFV_LB_LB_H */
