/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Route netlink sockets, each bound to the network namespace it was
 * opened in (nfv-cni has one for the fabric's namespace, one for the
 * container's).
 */
#ifndef __NFV_RTNL_H
#define __NFV_RTNL_H

#include <libmnl/libmnl.h>

/* libmnl's MNL_SOCKET_DUMP_SIZE (1.0.5; Debian 12 has 1.0.4): a dump
 * message the kernel sends never exceeds it. */
#define RTNL_BUF_SIZE	32768

struct rtnl {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	char buf[RTNL_BUF_SIZE];
};

/* A socket in the caller's current network namespace; 0 or -errno. */
int rtnl_open(struct rtnl *r);
void rtnl_close(struct rtnl *r);

/* A request header in @r->buf, NLM_F_REQUEST | NLM_F_ACK | @flags. */
struct nlmsghdr *rtnl_msg(struct rtnl *r, int type, int flags);

/*
 * Send @nlh and read the answer to its end: each data message to @cb
 * (may be NULL), then the ack or NLMSG_DONE.  0 or -errno (the kernel's).
 */
int rtnl_talk(struct rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

#endif
