/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow rules an NF installs on its own socket (flow_owner.c).
 */
#ifndef __NFVD_FLOW_OWNER_H
#define __NFVD_FLOW_OWNER_H

#include "control.h"
#include "nfvd.h"

/*
 * FLOW_NEW or FLOW_DEL of rule @f from an NF (@e: the rule of the same
 * match, or NULL): 0 admitted (@f owned by the NF), 1 nothing to do (it
 * holds that very rule already), -errno with the request's message.
 */
int flow_owner_admit(struct nfvd_req *req, uint8_t cmd, struct nfvd_flow *f,
		     struct nfvd_flow *e);
/*
 * How a FLOW request ends (@err: its outcome): an NF's is counted, and
 * answered only if it asked (NLM_F_ACK); libnfv never waits for one.
 */
int flow_owner_answer(struct nfvd_req *req, uint8_t cmd, int err);
/* Rule @e is in the table, or out of it: its owner's count follows. */
void flow_owner_added(struct nfvd *d, const struct nfvd_flow *e);
void flow_owner_removed(struct nfvd *d, const struct nfvd_flow *e);
/* NF @nf is dead: its rules go, or stay as nobody's ("keep"). */
void flow_owner_nf_gone(struct nfvd *d, struct nfvd_nf *nf);

#endif /* __NFVD_FLOW_OWNER_H */
