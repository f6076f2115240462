/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd's control socket: accepting, reading requests, answering as the
 * clients read, closing them (server.c, STYLE.md rule 25).
 */
#ifndef __NFVD_SERVER_H
#define __NFVD_SERVER_H

#include "nfvd.h"

int server_init(struct nfvd *d);
void server_accept(struct nfvd *d);
/* Epoll said @events about @c: read a request, or send what is due. */
void server_event(struct nfvd *d, struct nfvd_client *c, uint32_t events);
/* Close the clients marked dead: from the loop, after its events. */
void server_reap(struct nfvd *d);
/*
 * From the loop, outside its events: drop NFs late with READY, resume
 * accepting.  The next time it is due again (ns), 0: none.
 */
uint64_t server_tick(struct nfvd *d);

#endif /* __NFVD_SERVER_H */
