/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NFs: their lifecycle, sockets, segments, and their requests (nf.c).
 */
#ifndef __NFVD_NF_H
#define __NFVD_NF_H

#include "control.h"
#include "nfvd.h"

void nf_slot_init(struct nfvd_nf *nf);
int nf_attach(struct nfvd_req *req);
int nf_ready(struct nfvd_req *req);
int nf_doorbell(struct nfvd_req *req);
void nf_client_gone(struct nfvd *d, struct nfvd_client *c);
/* The NF is gone (its connection or its /dev/nfv file): out of every
 * table now, frames reclaimed after the grace period.  Once.
 */
void nf_gone(struct nfvd *d, struct nfvd_nf *nf);
/* Give every live NF a socket on a new port. */
void nf_port_added(struct nfvd *d, struct nfvd_port *p);
void nf_port_removed(struct nfvd *d, struct nfvd_port *p);
/* Reclaim frames of dead NFs whose grace period is over. */
void nf_reap(struct nfvd *d);
uint64_t nf_next_reap_ns(struct nfvd *d);
/* The chains changed: reach, tx sockets for newly reached ports. */
void nf_chains_changed(struct nfvd *d);
/* Its counters: from its segment while it has one, else the last seen. */
const struct nfv_nf_counters *nf_counters(struct nfvd *d,
					  struct nfvd_nf *nf);
/* Free the slot of an NF that never attached (a reserved id). */
void nf_forget(struct nfvd *d, struct nfvd_nf *nf);
/* NFs that did not come back in time after a restart leave their services. */
void nf_reserve_tick(struct nfvd *d);

extern const struct nfvd_obj nf_obj;
/* An NF's attributes: its own counters (it may lie), then nfvd's. */
void nf_put(struct nfvd *d, struct nlmsghdr *nlh, struct nfvd_nf *nf);

#endif /* __NFVD_NF_H */
