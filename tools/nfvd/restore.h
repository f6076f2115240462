/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state file read back at start (restore.c).
 */
#ifndef __NFVD_RESTORE_H
#define __NFVD_RESTORE_H

#include "nfvd.h"

/* Replay the state file, then a snapshot of it replaces it: 0 or -errno. */
int state_restore(struct nfvd *d);

#endif /* __NFVD_RESTORE_H */
