/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The XDP program's tables (BPF maps) and their read-only mirror for
 * NFs (tables.c).
 */
#ifndef __NFVD_TABLES_H
#define __NFVD_TABLES_H

#include "nfvd.h"

int tables_init(struct nfvd *d);
void tables_fini(struct nfvd *d);
/* The mirror changed: NFs look again. */
void tables_bump(struct nfvd *d);
/* The mirror of a port (the datapath provider wrote its maps). */
int tables_port_write(struct nfvd *d, struct nfvd_port *p);
void tables_port_clear(struct nfvd *d, struct nfvd_port *p);
int tables_service_add(struct nfvd *d, uint16_t sid, uint16_t nf);
void tables_service_del(struct nfvd *d, uint16_t sid, uint16_t nf);
void tables_nf_write(struct nfvd *d, struct nfvd_nf *nf);
/* Restore a service's replicas and buckets as they were. */
int tables_service_set(struct nfvd *d, uint16_t sid,
		       const struct nfv_service *s);
int tables_xsk_set(struct nfvd *d, uint16_t nf, uint16_t port, uint16_t queue,
		   int fd);
void tables_xsk_clear(struct nfvd *d, uint16_t nf, uint16_t port,
		      uint16_t queue);
int tables_port_stats(struct nfvd *d, uint16_t port,
		      uint64_t cnt[__NFV_XDP_COUNTER_MAX]);

#endif /* __NFVD_TABLES_H */
