/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFV_PORT_H
#define _NFV_PORT_H

#include <linux/netlink.h>
#include "fabric.h"

/* What PORT_NEW asks for; the netdev is named by @ifindex or @name. */
struct nfv_port_req {
	int ifindex;
	const char *name;		/* wins over @ifindex, as in nfvd */
	u8 mode;
	u16 default_chain;
	u32 flags;
	u8 decap;			/* enum nfv_port_decap */
	bool has_vni;
	u16 vxlan_port;			/* host order, vxlan only */
	u32 vni;
};

int nfv_port_init(void);
void nfv_port_uninit(void);

struct nfv_port *nfv_port_find(struct nfv_fabric *fab, int ifindex,
			       const char *name);
u16 nfv_port_id(struct nfv_fabric *fab, int ifindex);
struct nfv_port *nfv_port_add(struct nfv_fabric *fab,
			      const struct nfv_port_req *req,
			      struct netlink_ext_ack *extack);
int nfv_port_del(struct nfv_fabric *fab, struct nfv_port *p);

#endif /* _NFV_PORT_H */
