/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Control messages on nfvd's unix socket (SOCK_SEQPACKET): generic
 * netlink messages, byte for byte what the kernel family speaks
 * (uapi/linux/nfv.h), one record per message, plus SCM_RIGHTS for the
 * fds an NF is given.  proto/PROTOCOL.md has the attach exchange.
 *
 * The codec is libnfv's (libnfv/msg.c); nfvd and the tests that speak
 * the protocol link it from libnfv.a.
 */
#ifndef __NFV_MSG_H
#define __NFV_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/nfv.h>

/* The most fds one message carries: an attach reply. */
#define NFV_MAX_FDS		(__NFV_FD_MAX + NFV_PORT_MAX * (NFV_QUEUE_MAX + 1))
/* The longest message either side sends or accepts. */
#define NFV_MSG_MAX		8192
/* The largest batch an NF may announce (NFV_A_NF_BATCH). */
#define NFV_BATCH_MAX		256

/*
 * Send a generic netlink message (already built in @buf) with optional
 * fds; receive one message and its fds.  Returns bytes or -errno.
 */
int nfv_msg_send(int sock, const void *buf, size_t len, const int *fds,
		 int n_fds);
int nfv_msg_recv(int sock, void *buf, size_t size, int *fds, int *n_fds,
		 int max_fds, int flags);
/* Start a genl request of @cmd in @buf (NFV_MSG_MAX bytes). */
struct nlmsghdr *nfv_msg_start(void *buf, uint8_t cmd, uint16_t flags,
			       uint32_t seq);
/* Parse an NLMSG_ERROR: 0 for an ack, -errno else; *ext = extack msg. */
int nfv_msg_error(const struct nlmsghdr *nlh, const char **ext);

#endif /* __NFV_MSG_H */
