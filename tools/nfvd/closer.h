/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The closer: dead NFs' AF_XDP sockets closed, and grace periods
 * waited, off the event loop (closer.c).
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
/*
 * An RCU grace period from now, waited on the closer's thread: a ticket
 * for closer_passed(); 0 if it was waited inline (no thread, or its
 * queue full).
 */
uint64_t closer_grace(struct nfvd *d);
/* Whether the grace period of @ticket is over. */
bool closer_passed(struct nfvd *d, uint64_t ticket);
/* Close what is queued, stop the thread. */
void closer_fini(struct nfvd *d);

#endif /* __NFVD_CLOSER_H */
