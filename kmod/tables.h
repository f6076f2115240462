/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFV_TABLES_H
#define _NFV_TABLES_H

#include <linux/netlink.h>
#include "fabric.h"

/*
 * The maps of the XDP program (bpf/maps.h), written by the module alone
 * while bound.  Every function is called with fab->lock held and is a
 * no-op returning 0 while no maps are bound: the module's own tables are
 * the truth, the maps follow them.
 */
int nfv_tables_bind(struct nfv_fabric *fab, struct nlattr **attrs,
		    u32 portid, struct netlink_ext_ack *extack);
void nfv_tables_unbind(struct nfv_fabric *fab);
bool nfv_tables_bound(const struct nfv_fabric *fab);
u32 nfv_tables_map_id(const struct bpf_map *map);

int nfv_tables_port(struct nfv_fabric *fab, const struct nfv_port *p);
void nfv_tables_port_clear(struct nfv_fabric *fab, const struct nfv_port *p);
int nfv_tables_chain(struct nfv_fabric *fab, u16 id);
int nfv_tables_service(struct nfv_fabric *fab, u16 sid);
int nfv_tables_flow(struct nfv_fabric *fab, const struct nfv_flow_key *key,
		    const struct nfv_flow_val *val);
int nfv_tables_rules(struct nfv_fabric *fab,
		     const struct nfv_prefix_rule *rules, int n);
bool nfv_tables_port_stats(struct nfv_fabric *fab, u16 port,
			   u64 cnt[__NFV_XDP_COUNTER_MAX]);

#endif /* _NFV_TABLES_H */
