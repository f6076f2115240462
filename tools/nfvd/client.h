/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client of the control socket: what is sent to it, its NFs
 * (client.c).  Its connection is server.c's.
 */
#ifndef __NFVD_CLIENT_H
#define __NFVD_CLIENT_H

#include "nfvd.h"

#define NF_READY_TIMEOUT_MS	2000
#define NS_PER_MS		1000000ULL

/* One log line a second at most; the next says how many were not. */
struct ratelimit {
	uint64_t last_ns;
	uint32_t missed;
};

/* NULL: not now; else the end of the line to log ("" or the count). */
const char *ratelimit(struct ratelimit *rl);

/*
 * The one way to send to a client: at once if its socket takes it, else a
 * copy (fds dup'ed) is queued and sent as the client reads; queued too
 * while @c is corked (until its requests' records are written).  0 (sent or
 * queued; also for the state file's replay, which has no socket), or
 * -errno: the client cannot be sent to (it is dropped, from the loop).
 */
int client_send(struct nfvd *d, struct nfvd_client *c,
		const struct nlmsghdr *nlh, const int *fds, int n_fds);
/* Drop @c: marked dead, closed from the loop after its events. */
void client_kill(struct nfvd *d, struct nfvd_client *c);
/* EPOLLIN when idle; EPOLLOUT while messages or a dump are due. */
void client_arm(struct nfvd *d, struct nfvd_client *c);
int client_flush(struct nfvd *d, struct nfvd_client *c);
void client_free(struct nfvd_client *c);
uint32_t clients_of_uid(struct nfvd *d, uint32_t uid, bool nfs);
/* An NF was attached on @c (NF_ATTACH answered): READY is due. */
void client_nf_attached(struct nfvd *d, struct nfvd_client *c);
/* -EUSERS (message in @why) if @c's uid has its most NFs attached. */
int client_nf_cap(struct nfvd *d, const struct nfvd_client *c, char *why,
		  size_t len);

#endif /* __NFVD_CLIENT_H */
