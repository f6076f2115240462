/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd --config FILE: an nfvctl -batch file applied at start (config.c).
 */
#ifndef __NFVD_CONFIG_H
#define __NFVD_CONFIG_H

#include "nfvd.h"

/*
 * Apply --config's file if the fabric is empty after the state file's
 * restore (else it is left alone: the state file is the restart
 * mechanism).  0 (applied, or nothing to do), or 1: the file could not
 * be read, or a line failed; the log says which (FILE:LINE), and what the
 * lines before it made was undone.
 */
int config_apply(struct nfvd *d);

#endif
