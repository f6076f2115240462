/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFV_NETLINK_H
#define _NFV_NETLINK_H

#include "fabric.h"

struct nfv_nf;
struct nfv_err;

int nfv_netlink_init(void);
void nfv_netlink_uninit(void);

int nfv_netlink_err(struct netlink_ext_ack *extack, struct nlattr **tb,
		    const struct nlattr *nest, int err,
		    const struct nfv_err *e);

/*
 * Events on the "events" group, sent only when someone listens.  Port and
 * chain events are sent with fab->lock held (they read the tables); an NF
 * event reads only the NF.
 */
void nfv_netlink_notify_port(struct nfv_fabric *fab, const struct nfv_port *p,
			     bool removed);
void nfv_netlink_notify_chain(struct nfv_fabric *fab, u16 id);
void nfv_netlink_notify_nf(struct nfv_fabric *fab, const struct nfv_nf *nf);

#endif /* _NFV_NETLINK_H */
