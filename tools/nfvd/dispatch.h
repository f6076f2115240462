/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dispatcher of nfvd's control socket (dispatch.c).
 */
#ifndef __NFVD_DISPATCH_H
#define __NFVD_DISPATCH_H

#include "nfvd.h"

/*
 * Handle one request of client @c (the state file's replay has no
 * socket): 0, or -errno to hang the client up.
 */
int control_handle(struct nfvd *d, struct nfvd_client *c, const void *buf,
		   size_t len, const int *fds, int n_fds);
/* Send the next message of @c's dump: 1, 0 once it is done, or -errno. */
int control_dump_next(struct nfvd *d, struct nfvd_client *c);

#endif /* __NFVD_DISPATCH_H */
