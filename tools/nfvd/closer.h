/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The closer: dead NFs' AF_XDP sockets closed off the event loop
 * (closer.c).
 */
#ifndef __NFVD_CLOSER_H
#define __NFVD_CLOSER_H

#include "nfvd.h"

/* Start the thread; without it (it failed) every close is done inline. */
void closer_init(struct nfvd *d);
/* Close @fd soon, on the closer's thread (inline if its queue is full). */
void closer_close(struct nfvd *d, int fd);
/* Fds queued or being closed: the kernel still has those sockets. */
bool closer_busy(struct nfvd *d);
/* Close what is queued, stop the thread. */
void closer_fini(struct nfvd *d);

#endif /* __NFVD_CLOSER_H */
