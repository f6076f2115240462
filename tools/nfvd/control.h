/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control protocol of nfvd's socket: a request being answered, its
 * attributes checked against a policy, its replies, errors and the end of
 * a dump, as the kernel answers generic netlink (control.c).  The rooms
 * of the objects (port.c, chain.c, flow.c, service.c, nf.c, stats.c)
 * answer their requests with these; dispatch.c hands requests out.
 */
#ifndef __NFVD_CONTROL_H
#define __NFVD_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/nfv_err.h>

#include "nfv_nl.h"
#include "nfvd.h"

/* A request being answered: extack-like error reporting. */
struct nfvd_req {
	struct nfvd *d;
	struct nfvd_client *c;
	const struct nlmsghdr *nlh;
	const char *err_msg;
	uint32_t err_off;		/* offending attribute, 0: none */
};

#define REQ_ERR(req, msg) ((req)->err_msg = (msg))
#define REQ_ERR_ATTR(req, attr, msg) do {				\
	(req)->err_msg = (msg);						\
	(req)->err_off = (uint32_t)((const char *)(attr) -		\
				    (const char *)(req)->nlh);		\
} while (0)

/* A handler started a dump on the request's client: control_dump_next()
 * (dispatch.c) goes on with it as the client reads.
 */
#define CONTROL_DUMP	3

/*
 * An object of the control API: its requests and its dump.  @doit
 * returns 0 (done: ack if asked), 1 (it replied itself), CONTROL_DUMP or
 * a negative errno (error reply with the extack message).  @dump puts the
 * next object from @dp's cursor into a message in @buf; NULL: no more.
 */
struct nfvd_obj {
	int (*doit)(struct nfvd_req *req, uint8_t cmd);
	struct nlmsghdr *(*dump)(struct nfvd_req *req, struct nfvd_dump *dp,
				 void *buf);
	/* Optional: told of a request refused with @err before @doit saw
	 * it (malformed), for the room's own accounting; returns what
	 * @doit would (@err, or 1: no answer).
	 */
	int (*refused)(struct nfvd_req *req, uint8_t cmd, int err);
};

/*
 * @flags: NFV_NL_REQUEST (tools/common/nfv_nl.h) for what some request of
 * the spec carries; dropped for the state file's replay (restore.c),
 * which carries what replies do (a port's id).
 */
int parse_attrs(struct nfvd_req *req, const struct nlattr *nest,
		const struct nfv_nl_set *set, unsigned int flags,
		const struct nlattr **tb);
int control_core_err(struct nfvd_req *req, const struct nlattr *const *tb,
		     const struct nlattr *nest, int err,
		     const struct nfv_err *e);

static inline bool is_admin(struct nfvd_req *req)
{
	if (req->c->uid == 0)
		return true;
	REQ_ERR(req, "operation requires root");
	return false;
}

/*
 * Replies for GET: a dump gets one message per object with NLM_F_MULTI
 * and NLMSG_DONE; a DO gets its one message.
 */
static inline bool is_dump(struct nfvd_req *req)
{
	return (req->nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

struct nlmsghdr *control_reply_start(struct nfvd_req *req, void *buf,
				     uint8_t cmd, uint16_t flags);
int control_reply(struct nfvd_req *req, struct nlmsghdr *nlh,
		  const int *fds, int n_fds);
/* The end of a request: its error, NLMSG_DONE of a dump or an ack. */
void control_answer(struct nfvd_req *req, int err);
/* A dump of @cmd starts on the request's client: CONTROL_DUMP. */
int control_dump_start(struct nfvd_req *req, uint8_t cmd);

#endif /* __NFVD_CONTROL_H */
