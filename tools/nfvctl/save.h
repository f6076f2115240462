/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvctl save (save.c): the running configuration as an nfvctl -batch
 * file.
 */
#ifndef __NFVCTL_SAVE_H
#define __NFVCTL_SAVE_H

#include <stddef.h>
#include <stdio.h>

#include "backend.h"

/*
 * Write the configuration @b (named @backend) holds to @out: ports,
 * chains, flows, as the lines that make them.  0, or -errno with @err
 * set (then nothing was written).
 */
int save_run(struct backend *b, const char *backend, FILE *out, char *err,
	     size_t n);

#endif
