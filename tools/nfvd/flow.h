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

/* Remove rule @e (an idle one, a dead NF's): tables, events, freed. */
void flow_remove(struct nfvd *d, struct nfvd_flow *e);

#endif /* __NFVD_FLOW_H */
