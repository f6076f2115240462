/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFV_FLOW_H
#define _NFV_FLOW_H

#include <linux/netlink.h>
#include "fabric.h"

/*
 * What identifies a flow rule, as given by the user: compared and hashed
 * whole, so unused fields must be zero.  Addresses in network order,
 * ports in host order.
 */
struct nfv_flow_match {
	__be32 src[4];
	__be32 dst[4];
	u32 in_ifindex;			/* 0: any */
	u16 sport, sport_max;		/* 0-0: any */
	u16 dport, dport_max;
	u8 src_plen, dst_plen;		/* 0: any */
	u8 proto;			/* 0: any */
	u8 family;			/* 0: any; AF_INET, AF_INET6 */
};

/*
 * A rule.  Fully specified 5-tuples live in the exact table (the
 * "nfv_flows" map, keyed by @key); all others are prefix rules, rewritten
 * as a whole into "nfv_rules" on every change.
 */
struct nfv_flow {
	struct hlist_node node;		/* fab->flows.hash */
	u32 index;			/* fab->flows.order */
	bool exact;
	u16 chain;
	struct nfv_flow_key key;	/* exact only */
	struct nfv_flow_match m;
};

int nfv_flow_init(void);
void nfv_flow_uninit(void);
int nfv_flows_create(struct nfv_fabric *fab);
void nfv_flows_destroy(struct nfv_fabric *fab);

bool nfv_flow_match_is_exact(const struct nfv_flow_match *m);
struct nfv_flow *nfv_flow_find(struct nfv_fabric *fab,
			       const struct nfv_flow_match *m);
struct nfv_flow *nfv_flow_next(struct nfv_fabric *fab, unsigned long *index);
int nfv_flow_add(struct nfv_fabric *fab, const struct nfv_flow_match *m,
		 u16 chain, struct netlink_ext_ack *extack);
int nfv_flow_del(struct nfv_fabric *fab, const struct nfv_flow_match *m,
		 struct netlink_ext_ack *extack);

int nfv_flows_rules(struct nfv_fabric *fab, struct nfv_prefix_rule *rules);
int nfv_flows_sync(struct nfv_fabric *fab);

#endif /* _NFV_FLOW_H */
