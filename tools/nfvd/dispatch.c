// SPDX-License-Identifier: GPL-2.0
/*
 * The dispatcher: a request's generic netlink header names its command,
 * the command its object's room (port.c, chain.c, flow.c, service.c,
 * nf.c, nfstats.c, stats.c), which answers it.  Requests about the tables go to the
 * datapath provider first when it answers them itself (dpif.h: nfv.ko).
 * An accepted change of the configuration is journaled before its ack.
 */
#include <unistd.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "chain.h"
#include "client.h"
#include "control.h"
#include "dispatch.h"
#include "dpif.h"
#include "events.h"
#include "flow.h"
#include "nf.h"
#include "nfstats.h"
#include "nfv_nl.h"
#include "nfvd.h"
#include "offload.h"
#include "port.h"
#include "service.h"
#include "state.h"
#include "stats.h"

static const struct nfvd_cmd {
	const struct nfvd_obj *obj;
	bool journal;			/* a change kept in the state file */
} cmds[NFV_CMD_MAX + 1] = {
	[NFV_CMD_PORT_NEW]	= { &port_obj, true },
	[NFV_CMD_PORT_DEL]	= { &port_obj, true },
	[NFV_CMD_PORT_GET]	= { &port_obj },
	[NFV_CMD_CHAIN_NEW]	= { &chain_obj, true },
	[NFV_CMD_CHAIN_DEL]	= { &chain_obj, true },
	[NFV_CMD_CHAIN_GET]	= { &chain_obj },
	[NFV_CMD_FLOW_NEW]	= { &flow_obj, true },
	[NFV_CMD_FLOW_DEL]	= { &flow_obj, true },
	[NFV_CMD_FLOW_GET]	= { &flow_obj },
	[NFV_CMD_NF_ATTACH]	= { &nf_obj },
	[NFV_CMD_NF_GET]	= { &nf_obj },
	[NFV_CMD_NF_READY]	= { &nf_obj },
	[NFV_CMD_SERVICE_GET]	= { &service_obj },
	[NFV_CMD_STATS_GET]	= { &stats_obj },
	[NFV_CMD_OFFLOAD_NEW]	= { &offload_obj },
	[NFV_CMD_OFFLOAD_DEL]	= { &offload_obj },
	[NFV_CMD_OFFLOAD_GET]	= { &offload_obj },
	[NFV_CMD_EVENTS_SUBSCRIBE] = { &events_obj },
	[NFV_CMD_NF_COUNTERS_SET] = { &nfstats_obj },
	[NFV_CMD_NF_COUNTERS_GET] = { &nfstats_obj },
};

static const struct nfvd_cmd *cmd_of(uint8_t cmd)
{
	return cmd <= NFV_CMD_MAX && cmds[cmd].obj ? &cmds[cmd] : NULL;
}

/*
 * The next message of @c's dump, from its cursor; after the last object,
 * the request's end (NLMSG_DONE, or an ack for a FLOW_GET or SERVICE_GET
 * without NLM_F_DUMP, which dump all the same).  Objects added or removed
 * meanwhile may or may not be seen, as with the kernel's dumps.
 */
int control_dump_next(struct nfvd *d, struct nfvd_client *c)
{
	struct nfvd_dump *dp = &c->dump;
	struct nfvd_req req = { .d = d, .c = c, .nlh = &dp->req };
	const struct nfvd_cmd *cmd = cmd_of(dp->cmd);
	struct nlmsghdr *nlh = NULL;
	char buf[NFV_MSG_MAX];
	int err = 0;

	if (dp->relay) {
		err = d->dp->dump_next(&req);
		if (err > 0)
			return err;
		goto end;
	}
	if (cmd && cmd->obj->dump)
		nlh = cmd->obj->dump(&req, dp, buf);
	if (nlh)
		return client_send(d, c, nlh, NULL, 0) ?: 1;
end:
	dp->cmd = 0;
	control_answer(&req, err);
	return 0;
}

/*
 * Handle one request: its object's doit (struct nfvd_obj) says how it
 * ends, and the request is answered accordingly.
 */
int control_handle(struct nfvd *d, struct nfvd_client *c, const void *buf,
		   size_t len, const int *fds, int n_fds)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *g;
	struct nfvd_req req = { .d = d, .c = c, .nlh = nlh };
	const struct nfvd_cmd *cmd;
	int err, i;

	for (i = 0; i < n_fds; i++)
		close(fds[i]);		/* nobody sends us fds */
	if (len < NLMSG_HDRLEN || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*g)))
		return -EBADMSG;	/* not even a header: hang up */
	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) ||
	    nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return 0;
	g = mnl_nlmsg_get_payload(nlh);
	/* Checked once for every room that walks the request itself. */
	if (!nfv_nl_fills(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			  nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN))) {
		REQ_ERR(&req, "bytes leftover after parsing attributes");
		err = -EINVAL;
		cmd = cmd_of(g->cmd);
		if (cmd && cmd->obj->refused)
			err = cmd->obj->refused(&req, g->cmd, err);
		goto answer;
	}

	/* The datapath may answer requests about its tables (nfv.ko). */
	err = d->dp->relay ? d->dp->relay(&req, g->cmd) : NFVD_DP_LOCAL;
	if (err != NFVD_DP_LOCAL)
		goto answer;
	cmd = cmd_of(g->cmd);
	if (cmd) {
		err = cmd->obj->doit(&req, g->cmd);
	} else {
		REQ_ERR(&req, "unknown command");
		err = -EOPNOTSUPP;
	}
	c->last_err = err < 0 ? err : 0;
	c->last_msg = req.err_msg;
	/*
	 * Written before the ack: an acknowledged change survives a kill.
	 * An NF's requests (its flow rules) are its own: not kept.
	 */
	if (err >= 0 && !c->restore && cmd && cmd->journal && !c->nf)
		state_journal(d, nlh);
answer:
	/* Flows offloaded on the old configuration are checked again. */
	if (err >= 0 && cmd_of(g->cmd) && cmd_of(g->cmd)->journal)
		offload_config_changed(d);
	if (c->fd < 0) {
		c->dump.cmd = 0;
		return 0;	/* replayed: nobody to answer */
	}
	if (err != CONTROL_DUMP)
		control_answer(&req, err);
	return 0;
}
