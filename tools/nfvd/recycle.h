/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames going round between the ledger and the pools' rings (recycle.c).
 */
#ifndef __NFVD_RECYCLE_H
#define __NFVD_RECYCLE_H

#include "nfvd.h"

/* Apply the logs, drain completions, refill fill rings: frames moved. */
int recycle(struct nfvd *d);
/* Whether recycle() has work before anything new happens. */
bool recycle_pending(struct nfvd *d);

#endif /* __NFVD_RECYCLE_H */
