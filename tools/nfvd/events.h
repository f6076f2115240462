/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events to the clients that subscribed (events.c).
 */
#ifndef __NFVD_EVENTS_H
#define __NFVD_EVENTS_H

#include "control.h"
#include "nfvd.h"

extern const struct nfvd_obj events_obj;

/* Port @p was added or changed, or is being removed (@removed). */
void events_port(struct nfvd *d, const struct nfvd_port *p, bool removed);
/* Chain @id was created, replaced or deleted (as the tables say now). */
void events_chain(struct nfvd *d, uint16_t id);
/* NF @nf changed state. */
void events_nf(struct nfvd *d, const struct nfvd_nf *nf);
/* Flow rule @f was added, or is being deleted (@removed). */
void events_flow(struct nfvd *d, const struct nfvd_flow *f, bool removed);

#endif /* __NFVD_EVENTS_H */
