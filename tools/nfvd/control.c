// SPDX-License-Identifier: GPL-2.0
/*
 * The control API on nfvd's unix socket: the generic netlink messages of
 * the "nfv" family (uapi/linux/nfv.h), answered the way the kernel answers
 * them: data messages (NLM_F_MULTI + NLMSG_DONE for dumps), NLMSG_ERROR
 * with an extack message on failure, an ack when NLM_F_ACK is set.
 *
 * Every request is validated completely before anything changes, so a
 * refused request leaves every table as it was.
 *
 * Every message goes out through client_send() (client.c): nfvd never
 * waits for a client to read.  Dumps are answered as the client reads
 * (control_dump_next(), dispatch.c), one message at a time from a cursor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "client.h"
#include "control.h"
#include "nfvd.h"

/* ---- validation ---- */

/*
 * Parse the attributes of @req (after the genl header) or of @nest into
 * @tb, checking each against @set, the table generated from the spec
 * (tools/common/nfv_nl_policy.c): unknown, duplicated, mistyped or
 * out-of-range attributes are refused with a message naming them.
 */
int parse_attrs(struct nfvd_req *req, const struct nlattr *nest,
		const struct nfv_nl_set *set, unsigned int flags,
		const struct nlattr **tb)
{
	struct nfv_nl_err e = { 0 };
	const void *start;
	size_t len;
	int err;

	if (nest) {
		start = mnl_attr_get_payload(nest);
		len = mnl_attr_get_payload_len(nest);
	} else {
		start = (const char *)mnl_nlmsg_get_payload(req->nlh) +
			sizeof(struct genlmsghdr);
		len = req->nlh->nlmsg_len - NLMSG_HDRLEN -
		      sizeof(struct genlmsghdr);
	}
	if (req->c->restore)
		flags &= ~NFV_NL_REQUEST;
	err = nfv_nl_parse(set, start, len, flags, tb, &e);
	if (err && e.attr)
		REQ_ERR_ATTR(req, e.attr, e.msg);
	else if (err)
		REQ_ERR(req, e.msg);
	return err;
}

/* A refusal of the semantic core (nfv_err.h), word for word nfv.ko's. */
int control_core_err(struct nfvd_req *req, const struct nlattr *const *tb,
		     const struct nlattr *nest, int err,
		     const struct nfv_err *e)
{
	const struct nlattr *a = tb && e->attr ? tb[e->attr] : nest;

	if (a)
		REQ_ERR_ATTR(req, a, e->msg);
	else
		REQ_ERR(req, e->msg);
	return err;
}

/* ---- replies ---- */

struct nlmsghdr *control_reply_start(struct nfvd_req *req, void *buf,
				     uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = nfv_msg_start(buf, cmd, 0,
					     req->nlh->nlmsg_seq);

	nlh->nlmsg_flags = flags;
	nlh->nlmsg_type = req->nlh->nlmsg_type;
	nlh->nlmsg_pid = req->nlh->nlmsg_pid;
	return nlh;
}

int control_reply(struct nfvd_req *req, struct nlmsghdr *nlh,
		  const int *fds, int n_fds)
{
	return client_send(req->d, req->c, nlh, fds, n_fds);
}

static void send_error(struct nfvd_req *req, int err)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlh->nlmsg_seq;
	nlh->nlmsg_pid = req->nlh->nlmsg_pid;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	/* Echo the request header only (NLM_F_CAPPED), like the kernel. */
	e->msg = *req->nlh;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	if (err && req->err_msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, req->err_msg);
		if (req->err_off)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, req->err_off);
	}
	client_send(req->d, req->c, nlh, NULL, 0);
}

static void send_done(struct nfvd_req *req)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *zero;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = req->nlh->nlmsg_seq;
	zero = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*zero = 0;
	client_send(req->d, req->c, nlh, NULL, 0);
}

/* The end of a request: its error, NLMSG_DONE of a dump or an ack. */
void control_answer(struct nfvd_req *req, int err)
{
	if (err < 0)
		send_error(req, err);
	else if (is_dump(req))
		send_done(req);
	else if (req->nlh->nlmsg_flags & NLM_F_ACK)
		send_error(req, 0);
}

int control_dump_start(struct nfvd_req *req, uint8_t cmd)
{
	struct nfvd_dump *dp = &req->c->dump;

	memset(dp, 0, sizeof(*dp));
	dp->cmd = cmd;
	dp->req = *req->nlh;
	dp->pos = 1;
	dp->flow = req->d->flows;
	return CONTROL_DUMP;
}
