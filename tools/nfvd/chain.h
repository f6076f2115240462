/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Chains: their requests and their attributes (chain.c).
 */
#ifndef __NFVD_CHAIN_H
#define __NFVD_CHAIN_H

#include "control.h"
#include "nfvd.h"

extern const struct nfvd_obj chain_obj;

/*
 * A chain's attributes: for a CHAIN_NEW reply or dump (@reply, with each
 * out hop's reply-only IFINDEX), or for a CHAIN_NEW request (the state
 * file's snapshots; port ids come back as they were).
 */
void chain_put(struct nfvd *d, struct nlmsghdr *nlh, uint16_t id,
	       const struct nfv_chain *c, bool reply);

#endif /* __NFVD_CHAIN_H */
