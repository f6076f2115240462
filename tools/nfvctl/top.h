/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvctl top (top.c): per-port and per-NF packet rates, every interval.
 */
#ifndef __NFVCTL_TOP_H
#define __NFVCTL_TOP_H

#include "backend.h"

/* argv after "top"; opens its own backends.  Returns the exit status. */
int top_main(enum backend_kind kind, const char *socket, int argc,
	     char **argv);

#endif
