/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow rules nfvd holds: insertion order and a hash on the match
 * (flows.c).
 */
#ifndef __NFVD_FLOWS_H
#define __NFVD_FLOWS_H

#include "nfvd.h"

bool flow_same_match(const struct nfvd_flow *a, const struct nfvd_flow *b);
struct nfvd_flow *flows_find(struct nfvd *d, const struct nfvd_flow *match);
int flows_insert(struct nfvd *d, struct nfvd_flow *e);
void flows_remove(struct nfvd *d, struct nfvd_flow *e);
void flows_fini(struct nfvd *d);

#endif /* __NFVD_FLOWS_H */
