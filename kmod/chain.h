/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFV_CHAIN_H
#define _NFV_CHAIN_H

#include <linux/netlink.h>
#include "fabric.h"

int nfv_chain_set(struct nfv_fabric *fab, u16 id, const struct nfv_chain *c,
		  bool replace, struct netlink_ext_ack *extack);
int nfv_chain_del(struct nfv_fabric *fab, u16 id,
		  struct netlink_ext_ack *extack);
const struct nfv_chain *nfv_chain_get(struct nfv_fabric *fab, u16 id);

#endif /* _NFV_CHAIN_H */
