// SPDX-License-Identifier: GPL-2.0
/*
 * Flow rules from NFs (OpenNetVM's flow director API for NFs): an NF
 * sends FLOW_NEW or FLOW_DEL on its own socket (libnfv's nfv_flow_add()),
 * and nfvd takes it only within the NF's policy line ("flows chains N-M
 * [max N] [keep]", policy.c; default: no NF may).  The rule is then the
 * NF's: listed with its owner, counted against its cap, removed by it
 * alone (an administrator may remove any), and removed at its death
 * unless the policy keeps it.  Not in the state file: an NF's rules go
 * with nfvd, and an NF that steers flows installs them again as their
 * frames come back to it.
 *
 * The requests come from the NF's packet loop, which never reads an
 * answer: none is sent unless asked for; refusals are counted
 * (`nfvctl nf show`: flow_rules_refused) and logged at debug level.
 */
#include <stdio.h>

#include "dpif.h"
#include "events.h"
#include "flow.h"
#include "flow_owner.h"
#include "flows.h"
#include "nfvd.h"
#include "policy.h"

int flow_owner_admit(struct nfvd_req *req, uint8_t cmd, struct nfvd_flow *f,
		     struct nfvd_flow *e)
{
	static char why[160];
	struct nfvd *d = req->d;
	struct nfvd_nf *nf = &d->nfs[req->c->nf];
	struct nfvd_flow_grant g;
	int err;

	if (nf->state != NFV_NF_STATE_UP) {
		REQ_ERR(req, "the NF is not up");
		return -EPERM;
	}
	err = policy_flows(d, req->c, nf->service,
			   cmd == NFV_CMD_FLOW_NEW ? f->chain : 0, &g, why,
			   sizeof(why));
	if (err) {
		REQ_ERR(req, why);
		return err;
	}
	if (cmd == NFV_CMD_FLOW_DEL) {
		/* On nfv.ko nfvd holds only some rules: the module knows. */
		if ((e && e->owner != nf->id) ||
		    (!e && d->dp->flow_exists && d->dp->flow_exists(d, f) == 1)) {
			REQ_ERR(req, "the rule is not this NF's");
			return -EPERM;
		}
		return 0;
	}
	if (e && e->owner == nf->id && e->chain == f->chain &&
	    e->idle_ms == f->idle_ms)
		return 1;	/* said again: its frames came back meanwhile */
	if (e)
		return 0;	/* nfv_flow_admit() says it exists */
	if (nf->n_flows >= g.max) {
		snprintf(why, sizeof(why),
			 "the NF holds %u flow rules, its most (policy max)",
			 nf->n_flows);
		REQ_ERR(req, why);
		return -ENOSPC;
	}
	f->owner = nf->id;
	nf->flows_keep = g.keep;
	return 0;
}

int flow_owner_answer(struct nfvd_req *req, uint8_t cmd, int err)
{
	struct nfvd_nf *nf;

	if (!req->c->nf || cmd == NFV_CMD_FLOW_GET)
		return err;
	nf = &req->d->nfs[req->c->nf];
	if (err < 0) {
		nf->flows_refused++;
		pr_debug("nfvd: nf %u: flow rule refused: %s\n", nf->id,
			 req->err_msg ?: strerror(-err));
	}
	if (err > 0)
		err = 0;
	return req->nlh->nlmsg_flags & NLM_F_ACK ? err : 1;
}

void flow_owner_added(struct nfvd *d, const struct nfvd_flow *e)
{
	if (e->owner)
		d->nfs[e->owner].n_flows++;
}

void flow_owner_removed(struct nfvd *d, const struct nfvd_flow *e)
{
	if (e->owner && d->nfs[e->owner].n_flows)
		d->nfs[e->owner].n_flows--;
}

void flow_owner_nf_gone(struct nfvd *d, struct nfvd_nf *nf)
{
	struct nfvd_flow *e, *next;

	for (e = d->flows; e && nf->n_flows; e = next) {
		next = e->next;
		if (e->owner != nf->id)
			continue;
		if (nf->flows_keep) {
			if (d->dp->flow_disown)
				d->dp->flow_disown(d, e);
			e->owner = 0;
			nf->n_flows--;
			events_flow(d, e, false);
		} else {
			flow_remove(d, e);
		}
	}
	nf->n_flows = 0;
}
