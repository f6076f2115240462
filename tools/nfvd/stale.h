/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classifiers left attached by an nfvd that is gone (stale.c).
 */
#ifndef __NFVD_STALE_H
#define __NFVD_STALE_H

#include "nfvd.h"

int stale_prog_get(uint32_t ifindex, uint32_t *mode_flags);
int stale_attach(struct nfvd *d, uint32_t ifindex, uint32_t xdp_flags);

#endif /* __NFVD_STALE_H */
