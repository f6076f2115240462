/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state file: the configuration and the NFs that were up, kept
 * across restarts (state.c).
 */
#ifndef __NFVD_STATE_H
#define __NFVD_STATE_H

#include "nfvd.h"

int state_restore(struct nfvd *d);
void state_journal(struct nfvd *d, const struct nlmsghdr *req);
void state_nf_changed(struct nfvd *d, const struct nfvd_nf *nf, bool up);
struct nfvd_nf *state_claim(struct nfvd *d, int pid, uint16_t service,
			    const char *name);
void state_tick(struct nfvd *d);
void state_fini(struct nfvd *d);

#endif /* __NFVD_STATE_H */
