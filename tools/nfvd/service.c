// SPDX-License-Identifier: GPL-2.0
/*
 * Services: SERVICE_GET on nfvd's socket, a dump of the services with
 * live replicas as the mirror has them, or one by its id.  NFs join and
 * leave them (nf.c).
 */
#include <libmnl/libmnl.h>

#include "control.h"
#include "nfvd.h"
#include "service.h"

static void put_service(struct nlmsghdr *nlh, uint16_t id,
			const struct nfv_service *s)
{
	int r;

	mnl_attr_put_u16(nlh, NFV_A_SERVICE_ID, id);
	for (r = 0; r < s->n_live && r < NFV_REPLICA_MAX; r++)
		mnl_attr_put_u16(nlh, NFV_A_SERVICE_REPLICA, s->replicas[r]);
}

static int cmd_service(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_SERVICE_MAX + 1];
	const struct nfv_service *s;
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	uint16_t sid;
	int err;

	if (is_dump(req))
		return control_dump_start(req, NFV_CMD_SERVICE_GET);
	err = parse_attrs(req, NULL, &nfv_service_nl_set, NFV_NL_REQUEST, tb);
	if (err)
		return err;
	if (!tb[NFV_A_SERVICE_ID]) {
		REQ_ERR(req, "missing service id");
		return -EINVAL;
	}
	sid = mnl_attr_get_u16(tb[NFV_A_SERVICE_ID]);
	s = &req->d->tables->services[sid];
	if (!s->n_live) {
		REQ_ERR_ATTR(req, tb[NFV_A_SERVICE_ID],
			     "service has no live replica");
		return -ENOENT;
	}
	nlh = control_reply_start(req, buf, NFV_CMD_SERVICE_GET, 0);
	put_service(nlh, sid, s);
	return control_reply(req, nlh, NULL, 0) ?: 1;
}

static struct nlmsghdr *service_dump(struct nfvd_req *req,
				     struct nfvd_dump *dp, void *buf)
{
	struct nfvd *d = req->d;
	struct nlmsghdr *nlh = NULL;

	for (; !nlh && dp->pos <= NFV_SERVICE_MAX; dp->pos++) {
		if (!d->tables->services[dp->pos].n_live)
			continue;
		nlh = control_reply_start(req, buf, dp->cmd, NLM_F_MULTI);
		put_service(nlh, (uint16_t)dp->pos,
			    &d->tables->services[dp->pos]);
	}
	return nlh;
}

const struct nfvd_obj service_obj = {
	.doit = cmd_service,
	.dump = service_dump,
};
