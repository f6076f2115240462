// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl chain add | replace | del | show
 *
 * Requests (chain attribute set):
 *   add      CHAIN_NEW (NLM_F_CREATE|NLM_F_EXCL)     ID, HOP..., [FLAGS]
 *   replace  CHAIN_NEW (NLM_F_CREATE|NLM_F_REPLACE)  ID, HOP..., [FLAGS]
 *   del      CHAIN_DEL  ID
 *   show     CHAIN_GET  dump; or do with ID
 * Each HOP is a nest, in chain order: TYPE, and SERVICE (service, tap) or
 * IFINDEX (out; nsh with SPI).  Replies: one CHAIN_GET message per chain,
 * hops carrying PORT and IFINDEX for out and nsh.
 */
#include <errno.h>
#include <net/if.h>

#include "nfvctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl chain add ID HOP... [override allow|deny]\n"
		"       nfvctl chain replace ID HOP... [override allow|deny]\n"
		"       nfvctl chain del ID\n"
		"       nfvctl chain show [ID]\n"
		"HOP := service SID | out DEV | drop | tap service SID | nsh DEV SPI\n"
		"ID := 1..%d   SID := 1..%d   SPI := 0..%d   1..%d hops,\n"
		"nothing after out, drop or nsh, a tap or nsh is never first\n"
		"nsh DEV SPI: the frame leaves DEV in NSH (RFC 8300), path SPI\n"
		"override deny: NFs may not send frames off the chain\n",
		NFV_CHAIN_MAX, NFV_SERVICE_MAX, NFV_SPI_MAX, NFV_HOPS_MAX);
}

/* { "type": ..., "service": N | "port": NAME or id } */
static int print_hop(const struct nlattr *nest)
{
	const struct nlattr *tb[NFV_A_HOP_MAX + 1];
	char name[IF_NAMESIZE], text[IF_NAMESIZE + 8];
	uint32_t ifindex;
	uint8_t type;
	int err;

	err = nest_parse(nest, &nfv_hop_nl_set, tb);
	if (err)
		return err;
	type = tb[NFV_A_HOP_TYPE] ? mnl_attr_get_u8(tb[NFV_A_HOP_TYPE]) : 0;
	ifindex = tb[NFV_A_HOP_IFINDEX] ?
		  mnl_attr_get_u32(tb[NFV_A_HOP_IFINDEX]) : 0;

	print_open_object(NULL);
	switch (type) {
	case NFV_HOP_SERVICE:
	case NFV_HOP_TAP:
		print_string(PRINT_ANY, "type",
			     type == NFV_HOP_TAP ? " %s service" : " %s",
			     type == NFV_HOP_TAP ? "tap" : "service");
		if (tb[NFV_A_HOP_SERVICE])
			print_uint(PRINT_ANY, "service", " %llu",
				   mnl_attr_get_u16(tb[NFV_A_HOP_SERVICE]));
		break;
	case NFV_HOP_OUT:
	case NFV_HOP_NSH:
		print_string(PRINT_ANY, "type", " %s",
			     type == NFV_HOP_NSH ? "nsh" : "out");
		if (ifindex && if_indextoname(ifindex, name)) {
			print_string(PRINT_ANY, "port", " %s", name);
		} else if (tb[NFV_A_HOP_PORT]) {
			uint16_t id = mnl_attr_get_u16(tb[NFV_A_HOP_PORT]);

			print_uint(PRINT_JSON, "port", NULL, id);
			snprintf(text, sizeof(text), "port%u", id);
			print_string(PRINT_FP, NULL, " %s", text);
		} else {
			print_null(PRINT_JSON, "port", NULL);
			print_string(PRINT_FP, NULL, " %s",
				     ifindex ? ifname(ifindex, name) : "?");
		}
		if (tb[NFV_A_HOP_PORT])
			print_uint(PRINT_JSON, "port_id", NULL,
				   mnl_attr_get_u16(tb[NFV_A_HOP_PORT]));
		if (ifindex)
			print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
		if (type == NFV_HOP_NSH && tb[NFV_A_HOP_SPI])
			print_uint(PRINT_ANY, "spi", " %llu",
				   mnl_attr_get_u32(tb[NFV_A_HOP_SPI]));
		break;
	case NFV_HOP_DROP:
		print_string(PRINT_ANY, "type", " %s", "drop");
		break;
	default:
		print_uint(PRINT_ANY, "type", " hop-type-%llu", type);
		break;
	}
	print_close_object();
	return 0;
}

int chain_print_hops(const struct nlmsghdr *nlh,
		     const struct nlattr *const *tb)
{
	const struct nlattr *attr;
	uint32_t flags;
	int err;

	flags = tb[NFV_A_CHAIN_FLAGS] ? mnl_attr_get_u32(tb[NFV_A_CHAIN_FLAGS]) : 0;
	print_open_array("hops");
	genl_attr_for_each(attr, nlh) {
		if (mnl_attr_get_type(attr) != NFV_A_CHAIN_HOP)
			continue;
		err = print_hop(attr);
		if (err)
			return err;
	}
	print_close_array();
	print_string(PRINT_ANY, "override", " override %s",
		     flags & NFV_CHAIN_F_NO_OVERRIDE ? "deny" : "allow");
	return 0;
}

/* chain ID HOP... override allow|deny */
static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_CHAIN_MAX + 1];
	int err;

	err = genl_parse(nlh, &nfv_chain_nl_set, tb);
	if (err)
		return err;
	print_open_object(NULL);
	if (tb[NFV_A_CHAIN_ID])
		print_uint(PRINT_ANY, "id", "chain %llu",
			   mnl_attr_get_u16(tb[NFV_A_CHAIN_ID]));
	err = chain_print_hops(nlh, tb);
	if (err)
		return err;
	print_close_object();
	print_nl();
	return 0;
}

/* One HOP at argv[0]; consumes its arguments.  Returns args used or error. */
static int put_hop(int argc, char **argv, struct nfvctl_req *req, int n)
{
	struct nlattr *nest;
	uint32_t ifindex = 0, spi = 0;
	uint16_t sid = 0;
	uint8_t type;
	int used = 2, err;

	if (!strcmp(*argv, "service")) {
		type = NFV_HOP_SERVICE;
	} else if (!strcmp(*argv, "tap")) {
		type = NFV_HOP_TAP;
		if (argc < 2 || strcmp(argv[1], "service"))
			return invarg(req, "tap needs \"service SID\"");
		argc--;
		argv++;
		used = 3;
	} else if (!strcmp(*argv, "out")) {
		type = NFV_HOP_OUT;
	} else if (!strcmp(*argv, "drop")) {
		type = NFV_HOP_DROP;
		used = 1;
	} else if (!strcmp(*argv, "nsh")) {
		type = NFV_HOP_NSH;
		used = 3;
	} else {
		return invarg(req, "unknown keyword \"%s\" in chain add: a hop is service SID, out DEV, drop, tap service SID or nsh DEV SPI",
			      *argv);
	}
	if (n == NFV_HOPS_MAX)
		return invarg(req, "too many hops: a chain has at most %d",
			      NFV_HOPS_MAX);
	if (type == NFV_HOP_TAP && n == 0)
		return invarg(req, "a chain cannot start with a tap");
	if (type == NFV_HOP_NSH && n == 0)
		return invarg(req, "a chain cannot start with an nsh hop (an NF hands frames to it)");

	if (type == NFV_HOP_SERVICE || type == NFV_HOP_TAP) {
		err = get_id(req, "service id", argc > 1 ? argv[1] : NULL,
			     NFV_SERVICE_MAX, &sid);
		if (err)
			return err;
	} else if (type == NFV_HOP_OUT || type == NFV_HOP_NSH) {
		err = get_dev(req, argc > 1 ? argv[1] : NULL, &ifindex);
		if (err)
			return err;
	}
	if (type == NFV_HOP_NSH) {
		if (argc < 3)
			return invarg(req, "missing spi: nsh DEV SPI");
		if (get_u32(argv[2], 0, NFV_SPI_MAX, &spi))
			return invarg(req, "invalid spi \"%s\": must be 0..%u",
				      argv[2], NFV_SPI_MAX);
	}

	nest = req_nest_start(req, NFV_A_CHAIN_HOP);
	if (!nest)
		return -EINVAL;
	err = req_put_u8(req, NFV_A_HOP_TYPE, type) ?:
	      (sid ? req_put_u16(req, NFV_A_HOP_SERVICE, sid) : 0) ?:
	      (ifindex ? req_put_u32(req, NFV_A_HOP_IFINDEX, ifindex) : 0) ?:
	      (type == NFV_HOP_NSH ? req_put_u32(req, NFV_A_HOP_SPI, spi) : 0);
	if (err)
		return err;
	req_nest_end(req, nest);
	return used;
}

/* add|replace ID HOP... [override allow|deny] */
static int chain_add(int argc, char **argv, struct nfvctl_req *req,
		     bool replace)
{
	const char *last = NULL;	/* out, drop or nsh: the chain ends */
	bool override_seen = false;
	uint32_t flags = 0;
	int hops = 0, err;
	uint16_t id;

	err = get_id(req, "chain id", argc > 0 ? *argv : NULL, NFV_CHAIN_MAX,
		     &id);
	if (err)
		return err;
	req_start(req, NFV_CMD_CHAIN_NEW, NLM_F_CREATE |
		  (replace ? NLM_F_REPLACE : NLM_F_EXCL));
	err = req_put_u16(req, NFV_A_CHAIN_ID, id);
	if (err)
		return err;
	for (argc--, argv++; argc > 0; argc--, argv++) {
		int used;

		if (!strcmp(*argv, "override")) {
			DUPARG(req, override_seen);
			NEXT_ARG(req);
			if (!strcmp(*argv, "deny"))
				flags |= NFV_CHAIN_F_NO_OVERRIDE;
			else if (strcmp(*argv, "allow"))
				return invarg(req, "invalid override \"%s\": must be allow or deny",
					      *argv);
			continue;
		}
		if (last && (!strcmp(*argv, "service") ||
			     !strcmp(*argv, "tap") || !strcmp(*argv, "out") ||
			     !strcmp(*argv, "drop") || !strcmp(*argv, "nsh")))
			return invarg(req, "hop \"%s\" after %s is never reached",
				      *argv, last);
		used = put_hop(argc, argv, req, hops);
		if (used < 0)
			return used;
		if (!strcmp(*argv, "out") || !strcmp(*argv, "drop") ||
		    !strcmp(*argv, "nsh"))
			last = *argv;
		hops++;
		argc -= used - 1;
		argv += used - 1;
	}
	if (!hops)
		return invarg(req, "chain %u has no hops: HOP := service SID | out DEV | drop",
			      id);
	return flags ? req_put_u32(req, NFV_A_CHAIN_FLAGS, flags) : 0;
}

int parse_chain(int argc, char **argv, struct nfvctl_req *req)
{
	const char *cmd = argc > 0 ? *argv : "show";
	uint16_t id;
	int err;

	req->usage = usage;
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "add") || !strcmp(cmd, "replace"))
		return chain_add(argc, argv, req, !strcmp(cmd, "replace"));
	if (!strcmp(cmd, "del")) {
		err = get_id(req, "chain id", argc > 0 ? *argv : NULL,
			     NFV_CHAIN_MAX, &id);
		if (err)
			return err;
		if (argc > 1)
			return invarg(req, "unexpected argument \"%s\" after chain del ID",
				      argv[1]);
		req_start(req, NFV_CMD_CHAIN_DEL, 0);
		return req_put_u16(req, NFV_A_CHAIN_ID, id);
	}
	if (!strcmp(cmd, "show")) {
		req_dump(req, show_cb);
		if (argc == 0) {
			req_start(req, NFV_CMD_CHAIN_GET, NLM_F_DUMP);
			return 0;
		}
		err = get_id(req, "chain id", *argv, NFV_CHAIN_MAX, &id);
		if (err)
			return err;
		if (argc > 1)
			return invarg(req, "unexpected argument \"%s\" after chain show ID",
				      argv[1]);
		req_start(req, NFV_CMD_CHAIN_GET, 0);
		return req_put_u16(req, NFV_A_CHAIN_ID, id);
	}
	if (!strcmp(cmd, "help"))
		return NFVCTL_HELP;
	return invarg(req, "unknown command \"%s\" for chain: must be add, replace, del or show",
		      cmd);
}
