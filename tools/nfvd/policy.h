/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may attach an NF to which service (policy.c).
 */
#ifndef __NFVD_POLICY_H
#define __NFVD_POLICY_H

#include "nfvd.h"

int policy_init(struct nfvd *d);
int policy_reload(struct nfvd *d);
int policy_check(struct nfvd *d, const struct nfvd_client *c, uint16_t sid,
		 bool readonly, char *why, size_t len);

#endif /* __NFVD_POLICY_H */
