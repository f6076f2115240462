// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl monitor: the fabric's events as they happen, one line (-j: one
 * JSON object a line) each, until interrupted, from either backend: the
 * module's "events" multicast group (kernel), or nfvd's
 * (EVENTS_SUBSCRIBE; daemon).
 *
 *   nf ID STATE service SID name NAME pid PID
 *   port DEV id N default-chain ID|none  |  port DEV id N removed
 *   chain ID HOP... override allow|deny  |  chain ID deleted
 *   flow added|deleted MATCH chain ID [exact]
 *
 * The parse side builds EVENTS_SUBSCRIBE; nfvctl.c runs it with
 * backend_subscribe() and backend_events() (req->monitor).
 */
#include <errno.h>
#include <net/if.h>

#include "nfvctl.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: nfvctl monitor\n"
		   "Prints NF, port, chain and flow events until interrupted.\n");
}

static int print_nf(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFV_A_NF_MAX + 1];
	int err = genl_parse(nlh, &nfv_nf_nl_set, tb);

	if (err)
		return err;
	print_open_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "nf");
	if (tb[NFV_A_NF_ID])
		print_uint(PRINT_ANY, "id", "nf %llu",
			   mnl_attr_get_u16(tb[NFV_A_NF_ID]));
	if (tb[NFV_A_NF_STATE])
		print_string(PRINT_ANY, "state", " %s",
			     nf_state_name(mnl_attr_get_u8(tb[NFV_A_NF_STATE])));
	if (tb[NFV_A_NF_SERVICE])
		print_uint(PRINT_ANY, "service", " service %llu",
			   mnl_attr_get_u16(tb[NFV_A_NF_SERVICE]));
	if (tb[NFV_A_NF_NAME])
		print_string(PRINT_ANY, "name", " name %s",
			     mnl_attr_get_str(tb[NFV_A_NF_NAME]));
	if (tb[NFV_A_NF_PID])
		print_uint(PRINT_ANY, "pid", " pid %llu",
			   mnl_attr_get_u32(tb[NFV_A_NF_PID]));
	print_close_object();
	return 0;
}

static int print_port(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	char name[IF_NAMESIZE];
	uint16_t chain;
	int err = genl_parse(nlh, &nfv_port_nl_set, tb);

	if (err)
		return err;
	print_open_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "port");
	if (tb[NFV_A_PORT_NAME])
		print_string(PRINT_ANY, "name", "port %s",
			     mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
	else if (tb[NFV_A_PORT_IFINDEX])
		print_string(PRINT_ANY, "name", "port %s",
			     ifname(mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]),
				    name));
	if (tb[NFV_A_PORT_ID])
		print_uint(PRINT_ANY, "id", " id %llu",
			   mnl_attr_get_u16(tb[NFV_A_PORT_ID]));
	if (tb[NFV_A_PORT_REMOVED]) {
		print_bool(PRINT_ANY, "removed", " removed", true);
	} else {
		print_bool(PRINT_JSON, "removed", NULL, false);
		chain = tb[NFV_A_PORT_DEFAULT_CHAIN] ?
			mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]) : 0;
		print_uint(PRINT_JSON, "default_chain", NULL, chain);
		if (chain)
			print_uint(PRINT_FP, NULL, " default-chain %llu", chain);
		else
			print_string(PRINT_FP, NULL, " default-chain %s", "none");
	}
	print_close_object();
	return 0;
}

static int print_chain(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFV_A_CHAIN_MAX + 1];
	int err = genl_parse(nlh, &nfv_chain_nl_set, tb);

	if (err)
		return err;
	print_open_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "chain");
	if (tb[NFV_A_CHAIN_ID])
		print_uint(PRINT_ANY, "id", "chain %llu",
			   mnl_attr_get_u16(tb[NFV_A_CHAIN_ID]));
	/* A deleted chain comes without hops. */
	print_bool(PRINT_ANY, "deleted", " deleted", !tb[NFV_A_CHAIN_HOP]);
	if (tb[NFV_A_CHAIN_HOP]) {
		err = chain_print_hops(nlh, tb);
		if (err)
			return err;
	}
	print_close_object();
	return 0;
}

static int print_flow(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	bool removed;
	int err = genl_parse(nlh, &nfv_flow_nl_set, tb);

	if (err)
		return err;
	removed = tb[NFV_A_FLOW_REMOVED];
	print_open_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "flow");
	print_string(PRINT_FP, NULL, "flow %s", removed ? "deleted" : "added");
	print_bool(PRINT_JSON, "deleted", NULL, removed);
	flow_print_match(tb);
	print_close_object();
	return 0;
}

/* One event message: printed as one line (one JSON document). */
int monitor_print(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g;
	int err;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EPROTO;
	g = mnl_nlmsg_get_payload(nlh);
	switch (g->cmd) {
	case NFV_CMD_NF_EVENT:
		err = print_nf(nlh);
		break;
	case NFV_CMD_PORT_EVENT:
		err = print_port(nlh);
		break;
	case NFV_CMD_CHAIN_EVENT:
		err = print_chain(nlh);
		break;
	case NFV_CMD_FLOW_EVENT:
		err = print_flow(nlh);
		break;
	default:
		return 0;	/* a newer server's event: not ours to print */
	}
	if (err)
		return err;
	print_nl();
	print_end();
	return 0;
}

int parse_monitor(int argc, char **argv, struct nfvctl_req *req)
{
	req->usage = usage;
	if (argc > 0 && !strcmp(*argv, "help"))
		return NFVCTL_HELP;
	if (argc > 0)
		return invarg(req, "unexpected argument \"%s\" after monitor",
			      *argv);
	req_start(req, NFV_CMD_EVENTS_SUBSCRIBE, 0);
	req->cb = monitor_print;
	req->monitor = true;
	return 0;
}
