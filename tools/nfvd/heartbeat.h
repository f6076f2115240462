/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd's heartbeat in the classifier's map (heartbeat.c).
 */
#ifndef __NFVD_HEARTBEAT_H
#define __NFVD_HEARTBEAT_H

#include "nfvd.h"

int heartbeat_init(struct nfvd *d);
void heartbeat_tick(struct nfvd *d);

#endif /* __NFVD_HEARTBEAT_H */
