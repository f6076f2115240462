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
/*
 * A quiet pool's fill ring (the kernel takes nothing from it): its frames
 * back, its entries voided; the frames freed.  @all: the pool is closing.
 */
uint32_t recycle_void(struct nfvd *d, struct nfvd_pool *p, bool all);
/* The pool serves again, still quiet: frames in its voided entries. */
void recycle_unvoid(struct nfvd *d, struct nfvd_pool *p);
/* Drain the logs and pool @p's completion ring. */
void recycle_pool_comp(struct nfvd *d, struct nfvd_pool *p);

#endif /* __NFVD_RECYCLE_H */
