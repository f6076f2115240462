/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow rules with an idle timeout, removed when unused (flow_idle.c).
 */
#ifndef __NFVD_FLOW_IDLE_H
#define __NFVD_FLOW_IDLE_H

#include "nfvd.h"

/* Rule @e is in the table, or leaving it: on the sweep's list or off. */
void flow_idle_added(struct nfvd *d, struct nfvd_flow *e);
void flow_idle_removed(struct nfvd *d, struct nfvd_flow *e);
/* Remove the rules found idle; the next sweep's time (ns), 0: none due. */
uint64_t flow_idle_tick(struct nfvd *d);

#endif /* __NFVD_FLOW_IDLE_H */
