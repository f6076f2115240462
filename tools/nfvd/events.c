// SPDX-License-Identifier: GPL-2.0
/*
 * Events: EVENTS_SUBSCRIBE makes a client of nfvd's socket a member of
 * "events", as the module's multicast group of that name: from then on
 * it gets an NF_EVENT, PORT_EVENT or CHAIN_EVENT message, with the
 * attributes the module's events carry (uapi/nfv.yaml), each time an NF
 * comes up or goes, a port is added or removed, a chain is created,
 * replaced or deleted, a flow rule is added or deleted (FLOW_EVENT).  Events have sequence number 0 and are never
 * answered.  A subscriber that does not read is dropped like any client
 * whose messages pile up (client.c): events never make nfvd wait.
 */
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "chain.h"
#include "client.h"
#include "control.h"
#include "events.h"
#include "flow.h"
#include "nf.h"
#include "nfvd.h"
#include "port.h"

static int cmd_subscribe(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *a;

	(void)cmd;
	mnl_attr_for_each(a, req->nlh, sizeof(struct genlmsghdr)) {
		REQ_ERR_ATTR(req, a, "EVENTS_SUBSCRIBE takes no attribute");
		return -EINVAL;
	}
	req->c->subscribed = true;
	return 0;
}

const struct nfvd_obj events_obj = {
	.doit = cmd_subscribe,
};

static struct nlmsghdr *event_start(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = nfv_msg_start(buf, cmd, 0, 0);

	nlh->nlmsg_flags = 0;		/* not a request, nothing to answer */
	return nlh;
}

static void broadcast(struct nfvd *d, const struct nlmsghdr *nlh)
{
	struct nfvd_client *c;

	for (c = d->clients; c; c = c->next)
		if (c->subscribed && !c->dead && c->fd >= 0)
			client_send(d, c, nlh, NULL, 0);
}

static bool anybody(const struct nfvd *d)
{
	const struct nfvd_client *c;

	for (c = d->clients; c; c = c->next)
		if (c->subscribed && !c->dead)
			return true;
	return false;
}

void events_port(struct nfvd *d, const struct nfvd_port *p, bool removed)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;

	if (!anybody(d))
		return;
	nlh = event_start(buf, NFV_CMD_PORT_EVENT);
	port_put(d, nlh, p, false);
	if (removed)
		mnl_attr_put(nlh, NFV_A_PORT_REMOVED, 0, NULL);
	broadcast(d, nlh);
}

void events_chain(struct nfvd *d, uint16_t id)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;

	if (!anybody(d) || !id || id > NFV_CHAIN_MAX)
		return;
	nlh = event_start(buf, NFV_CMD_CHAIN_EVENT);
	/* A deleted chain: its id, no hops. */
	chain_put(d, nlh, id, &d->tables->chains[id], true);
	broadcast(d, nlh);
}

void events_nf(struct nfvd *d, const struct nfvd_nf *nf)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;

	if (!anybody(d))
		return;
	nlh = event_start(buf, NFV_CMD_NF_EVENT);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, nf->id);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, nf->service);
	mnl_attr_put_strz(nlh, NFV_A_NF_NAME, nf->name);
	mnl_attr_put_u32(nlh, NFV_A_NF_PID, (uint32_t)nf->pid);
	mnl_attr_put_u32(nlh, NFV_A_NF_FLAGS, nf->flags);
	mnl_attr_put_u8(nlh, NFV_A_NF_STATE, nf->state);
	broadcast(d, nlh);
}

void events_flow(struct nfvd *d, const struct nfvd_flow *f, bool removed)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;

	if (!anybody(d))
		return;
	nlh = event_start(buf, NFV_CMD_FLOW_EVENT);
	flow_put(nlh, f, true);
	if (removed)
		mnl_attr_put(nlh, NFV_A_FLOW_REMOVED, 0, NULL);
	broadcast(d, nlh);
}
