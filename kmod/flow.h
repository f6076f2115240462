/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFV_FLOW_H
#define _NFV_FLOW_H

#include <linux/netlink.h>
#include <linux/nfv_match.h>

#include "fabric.h"

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
	u16 owner;			/* the NF's (from nfvd), 0: an admin's */
	u32 idle_ms;			/* swept by nfvd; 0: none */
	struct nfv_flow_key key;	/* exact only */
	struct nfv_match m;
};

int nfv_flow_init(void);
void nfv_flow_uninit(void);
int nfv_flows_create(struct nfv_fabric *fab);
void nfv_flows_destroy(struct nfv_fabric *fab);

struct nfv_flow *nfv_flow_find(struct nfv_fabric *fab,
			       const struct nfv_match *m);
struct nfv_flow *nfv_flow_next(struct nfv_fabric *fab, unsigned long *index);
int nfv_flow_add(struct nfv_fabric *fab, const struct nfv_flow *rule,
		 struct netlink_ext_ack *extack);
int nfv_flow_replace(struct nfv_fabric *fab, const struct nfv_flow *rule,
		     struct netlink_ext_ack *extack);
int nfv_flow_del(struct nfv_fabric *fab, const struct nfv_match *m,
		 struct netlink_ext_ack *extack);

int nfv_flows_write_rules(struct nfv_fabric *fab);
int nfv_flows_sync(struct nfv_fabric *fab);

#endif /* _NFV_FLOW_H */
