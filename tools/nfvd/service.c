// SPDX-License-Identifier: GPL-2.0
/*
 * Services: SERVICE_GET on nfvd's socket, always a dump of the services
 * with live replicas, as the mirror has them.  NFs join and leave them
 * (nf.c); nobody asks for a service by name.
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
	return control_dump_start(req, NFV_CMD_SERVICE_GET);
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
