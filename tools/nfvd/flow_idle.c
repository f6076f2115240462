// SPDX-License-Identifier: GPL-2.0
/*
 * Idle timeouts of exact flow rules (FLOW_NEW with IDLE_TIMEOUT, an NF's
 * nfv_flow_add() with idle_ms).  The classifier reads no clock: it marks
 * an entry it matched (nfv_flow_val.used, once until cleared), and nfvd
 * looks at a rule's mark once per timeout, when it is due: marked, it is
 * cleared and the rule lives on; unmarked, no frame matched for a whole
 * timeout and the rule is removed.  A rule so goes between one and two
 * timeouts after its last frame, at one map lookup per rule and timeout.
 */
#include "dpif.h"
#include "flow.h"
#include "flow_idle.h"
#include "nfvd.h"

/* How often the list is walked for rules due (memory only). */
#define FLOW_IDLE_SWEEP_MS	250

static uint64_t now_ms(void)
{
	return nfvd_now_ns() / 1000000;
}

void flow_idle_added(struct nfvd *d, struct nfvd_flow *e)
{
	if (!e->idle_ms || !d->dp->flow_used)
		return;
	e->seen_ms = now_ms();
	e->iprev = NULL;
	e->inext = d->idle_flows;
	if (e->inext)
		e->inext->iprev = e;
	d->idle_flows = e;
}

void flow_idle_removed(struct nfvd *d, struct nfvd_flow *e)
{
	if (!e->idle_ms || !d->dp->flow_used)
		return;
	if (e->iprev)
		e->iprev->inext = e->inext;
	else if (d->idle_flows == e)
		d->idle_flows = e->inext;
	if (e->inext)
		e->inext->iprev = e->iprev;
	e->inext = e->iprev = NULL;
}

static void sweep(struct nfvd *d, uint64_t now)
{
	struct nfvd_flow *e, *next;
	int used;

	for (e = d->idle_flows; e; e = next) {
		next = e->inext;
		if (now - e->seen_ms < e->idle_ms)
			continue;
		used = d->dp->flow_used(d, e);
		if (used) {
			/* Marked, or unreadable (kept: never remove blind). */
			e->seen_ms = now;
			continue;
		}
		pr_debug("nfvd: flow rule of chain %u idle for %u ms: removed\n",
			 e->chain, e->idle_ms);
		d->flows_expired++;
		flow_remove(d, e);
	}
}

uint64_t flow_idle_tick(struct nfvd *d)
{
	uint64_t now;

	if (!d->idle_flows)
		return 0;
	now = nfvd_now_ns();
	if (now >= d->idle_sweep_ns) {
		sweep(d, now / 1000000);
		d->idle_sweep_ns = now + FLOW_IDLE_SWEEP_MS * 1000000ULL;
	}
	return d->idle_flows ? d->idle_sweep_ns : 0;
}
