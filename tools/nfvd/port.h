/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fabric ports: their lifecycle and their requests (port.c).
 */
#ifndef __NFVD_PORT_H
#define __NFVD_PORT_H

#include "control.h"
#include "nfvd.h"

/*
 * The pool of (@ifindex, @queue) for a port: the one it had (RELEASED or
 * IDLE) or a new one; NULL with *err set.  Before the port's classifier
 * is attached.
 */
struct nfvd_pool *port_pool_get(struct nfvd *d, uint32_t ifindex,
				uint16_t queue, int *err);
/*
 * Its port is gone (classifier detached, NFs' sockets out of the XSKMAP):
 * its fill ring comes back after a grace period.  NULL: nothing.
 */
void port_pool_put(struct nfvd *d, struct nfvd_pool *p);
/* The loop's: pools whose grace is over, pools whose device went. */
void port_pools_tick(struct nfvd *d);
int port_add(struct nfvd *d, struct nfvd_req *req, uint32_t ifindex,
	     const char *name, uint8_t mode, uint16_t default_chain,
	     uint32_t flags, uint16_t want_id,
	     const struct nfvd_decap *decap);
int port_del(struct nfvd *d, struct nfvd_port *p);

extern const struct nfvd_obj port_obj;
/* A port's attributes, with its classifier's counters if @stats. */
void port_put(struct nfvd *d, struct nlmsghdr *nlh,
	      const struct nfvd_port *p, bool stats);

#endif /* __NFVD_PORT_H */
