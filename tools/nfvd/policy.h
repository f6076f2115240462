/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may attach an NF to which service (policy.c).
 */
#ifndef __NFVD_POLICY_H
#define __NFVD_POLICY_H

#include "nfvd.h"

int policy_init(struct nfvd *d);
int policy_reload(struct nfvd *d);
int policy_check(struct nfvd *d, const struct nfvd_client *c, uint16_t sid,
		 bool readonly, char *why, size_t len);

/* What the policy lets an NF do with flow rules ("flows chains ..."). */
struct nfvd_flow_grant {
	uint32_t max;			/* rules an NF may hold */
	bool keep;			/* left at its death */
};

/*
 * May @c's NF, attached as service @sid, install a flow rule for @chain
 * (0: any of its chains, e.g. to delete its own)?  0 and @g, or -EPERM
 * with a message in @why.
 */
int policy_flows(struct nfvd *d, const struct nfvd_client *c, uint16_t sid,
		 uint16_t chain, struct nfvd_flow_grant *g, char *why,
		 size_t len);

#endif /* __NFVD_POLICY_H */
