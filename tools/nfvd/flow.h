/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flows: their requests and their attributes (flow.c).
 */
#ifndef __NFVD_FLOW_H
#define __NFVD_FLOW_H

#include "control.h"
#include "nfvd.h"

extern const struct nfvd_obj flow_obj;

/*
 * A flow's attributes: for a FLOW_NEW reply or dump (@reply, with the
 * reply-only EXACT), or for a FLOW_NEW request (the state file's
 * snapshots, replayed through cmd_flow()).
 */
void flow_put(struct nlmsghdr *nlh, const struct nfvd_flow *f, bool reply);
/* Its match alone: a FLOW_DEL's or FLOW_GET's request. */
void flow_put_match(struct nlmsghdr *nlh, const struct nfvd_flow *f);

/* Remove rule @e (an idle one, a dead NF's): tables, events, freed. */
void flow_remove(struct nfvd *d, struct nfvd_flow *e);
/* Rule @e is gone from the datapath already: only nfvd's copy goes. */
void flow_forget(struct nfvd *d, struct nfvd_flow *e);

/* A rule from nfv.ko's message (FLOW_GET reply, FLOW_EVENT). */
int flow_from_msg(struct nfvd *d, const struct nlmsghdr *nlh,
		  struct nfvd_flow *f);
/* A FLOW request about a rule nfvd holds. */
bool flow_held(struct nfvd_req *req);

#endif /* __NFVD_FLOW_H */
