/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connections to the control socket (client.c, STYLE.md rule 25).
 */
#ifndef __NFVD_CLIENT_H
#define __NFVD_CLIENT_H

#include "nfvd.h"

int client_init(struct nfvd *d);
void client_accept(struct nfvd *d);
/* Epoll said @events about @c: read a request, or send what is due. */
void client_event(struct nfvd *d, struct nfvd_client *c, uint32_t events);
/*
 * The one way to send to a client: at once if its socket takes it, else a
 * copy (fds dup'ed) is queued and sent as the client reads.  0 (sent or
 * queued; also for the state file's replay, which has no socket), or
 * -errno: the client cannot be sent to (it is dropped, from the loop).
 */
int client_send(struct nfvd *d, struct nfvd_client *c,
		const struct nlmsghdr *nlh, const int *fds, int n_fds);
/* Close the clients marked dead: from the loop, after its events. */
void client_reap(struct nfvd *d);
/*
 * From the loop, outside its events: drop NFs late with READY, resume
 * accepting.  The next time it is due again (ns), 0: none.
 */
uint64_t client_tick(struct nfvd *d);
/* An NF was attached on @c (NF_ATTACH answered): READY is due. */
void client_nf_attached(struct nfvd *d, struct nfvd_client *c);
/* -EUSERS (message in @why) if @c's uid has its most NFs attached. */
int client_nf_cap(struct nfvd *d, const struct nfvd_client *c, char *why,
		  size_t len);
/* Flow @f is being freed: dumps about to send it move on. */
void client_flow_gone(struct nfvd *d, const struct nfvd_flow *f);

#endif /* __NFVD_CLIENT_H */
