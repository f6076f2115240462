/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transport of nfvctl's requests: the same generic netlink messages
 * of the "nfv" family go to the kernel module or to nfvd, whichever
 * backend was opened.  Nothing above this interface knows which one
 * answers (Open vSwitch's dpif provider idea, in small).
 *
 *   kernel  NETLINK_GENERIC socket, family id resolved with
 *           CTRL_CMD_GETFAMILY "nfv", NETLINK_EXT_ACK on
 *   daemon  SOCK_SEQPACKET unix socket of nfvd (-s, $NFV_SOCKET or
 *           /run/nfv/nfvd.sock); nlmsg_type NLMSG_MIN_TYPE
 *
 * Both answer a request with data messages (NLM_F_MULTI and NLMSG_DONE
 * for a dump) and an NLMSG_ERROR (error 0: ack) carrying the extack
 * message NLMSGERR_ATTR_MSG on failure.
 */
#ifndef __NFVCTL_BACKEND_H
#define __NFVCTL_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

enum backend_kind {
	BACKEND_AUTO,		/* kernel if the family resolves, else daemon */
	BACKEND_KERNEL,
	BACKEND_DAEMON,
};

struct backend;

/*
 * A whole message fits in @len bytes.  (libmnl's mnl_nlmsg_ok() compares
 * nlmsg_len as an int: a length above 2 GiB passes it.)
 */
static inline bool backend_msg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)len;
}

/* Called for each data message answering the request; 0 or -errno. */
typedef int (*backend_cb_t)(const struct nlmsghdr *nlh, void *data);

/*
 * Open a backend.  @path is nfvd's socket (daemon, auto).  On failure
 * returns NULL with a one-line reason in @err.
 */
struct backend *backend_open(enum backend_kind kind, const char *path,
			     char *err, size_t err_size);
void backend_close(struct backend *b);
/* "kernel" or "daemon". */
const char *backend_name(const struct backend *b);

/*
 * Send @nlh (built by nfvctl_parse(); its type, seq and pid are set
 * here: each request sent gets the next sequence number).  Returns 0 or
 * -errno.
 */
int backend_send(struct backend *b, struct nlmsghdr *nlh);
/* The same, or -EAGAIN (nothing sent) where the send would wait. */
int backend_try_send(struct backend *b, struct nlmsghdr *nlh);

/*
 * Receive the answer to the last request, feeding each data message to
 * @cb, until NLMSG_DONE or NLMSG_ERROR.  Returns 0, -errno from the
 * server (*@ext: its extack message or NULL, valid until the next call)
 * or -errno from @cb or the transport.
 */
int backend_recv(struct backend *b, backend_cb_t cb, void *data,
		 const char **ext);

/*
 * Pipelining: requests that are answered by an ack alone may be sent one
 * after another before their answers are read; both backends answer in
 * the order of the requests.  This reads the next answer, whichever
 * request it is for: its sequence number in *@seq, its result in
 * *@result (0, or the server's -errno with its extack message in *@ext,
 * valid until the next call).  Data messages are skipped.  Returns 1, 0
 * when @nowait and no answer has arrived, or -errno from the transport.
 * (The kernel handles a request inside backend_send(): its answer is
 * always there by the time this is called.)
 */
int backend_recv_ack(struct backend *b, bool nowait, uint32_t *seq,
		     int *result, const char **ext);

/*
 * Dump every object of @cmd (a GET with NLM_F_DUMP, no attribute): send
 * the request, then backend_recv() it into @cb.
 */
int backend_dump(struct backend *b, uint8_t cmd, backend_cb_t cb, void *data,
		 const char **ext);

/*
 * Events: join the module's "events" multicast group (kernel) or ask
 * nfvd for its events on this connection (EVENTS_SUBSCRIBE; daemon).
 * 0, or -errno (*@ext: the server's message or NULL).
 */
int backend_subscribe(struct backend *b, const char **ext);
/*
 * Feed every event message that arrives to @cb, until @cb returns
 * non-zero (returned) or the transport fails (-errno).
 */
int backend_events(struct backend *b, backend_cb_t cb, void *data);

#endif
