// SPDX-License-Identifier: GPL-2.0
/* nfvctl chain add | del | show */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "nfvctl.h"

static void usage(void)
{
	fprintf(stderr,
		"Usage: nfvctl chain add ID HOP... [override allow|deny]\n"
		"       nfvctl chain del ID\n"
		"       nfvctl chain show [ID]\n"
		"HOP := service SID | out DEV | drop | tap service SID\n"
		"ID := 1..%d   SID := 1..%d   at most %d hops\n",
		NFV_CHAIN_MAX, NFV_SERVICE_MAX, NFV_HOPS_MAX);
}

static int get_chain_id(const char *what, const char *s, uint16_t *id)
{
	uint32_t v;

	if (!s)
		return invarg("%s: missing chain id", what);
	if (get_u32(s, 1, NFV_CHAIN_MAX, &v))
		return invarg("%s: invalid chain id \"%s\": must be 1..%d", what,
			      s, NFV_CHAIN_MAX);
	*id = (uint16_t)v;
	return 0;
}

static int get_sid(const char *s, uint16_t *sid)
{
	uint32_t v;

	if (!s)
		return invarg("chain add: service: missing service id");
	if (get_u32(s, 1, NFV_SERVICE_MAX, &v))
		return invarg("chain add: invalid service id \"%s\": must be 1..%d",
			      s, NFV_SERVICE_MAX);
	*sid = (uint16_t)v;
	return 0;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *b;
	uint32_t flags = 0;
	char name[IF_NAMESIZE];

	print_open_object(NULL);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == NFV_A_CHAIN_ID)
			print_u64(PRINT_ANY, "id", "chain %llu",
				  mnl_attr_get_u16(a));
		if (mnl_attr_get_type(a) == NFV_A_CHAIN_FLAGS)
			flags = mnl_attr_get_u32(a);
	}
	print_open_array("hops");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		uint8_t type = 0;
		uint16_t sid = 0, port = 0;
		uint32_t ifindex = 0;

		if (mnl_attr_get_type(a) != NFV_A_CHAIN_HOP)
			continue;
		mnl_attr_for_each_nested(b, a) {
			switch (mnl_attr_get_type(b)) {
			case NFV_A_HOP_TYPE: type = mnl_attr_get_u8(b); break;
			case NFV_A_HOP_SERVICE: sid = mnl_attr_get_u16(b); break;
			case NFV_A_HOP_IFINDEX: ifindex = mnl_attr_get_u32(b); break;
			case NFV_A_HOP_PORT: port = mnl_attr_get_u16(b); break;
			}
		}
		print_open_object(NULL);
		switch (type) {
		case NFV_HOP_SERVICE:
			print_string(PRINT_ANY, "type", " %s", "service");
			print_u64(PRINT_ANY, "service", " %llu", sid);
			break;
		case NFV_HOP_TAP:
			print_string(PRINT_ANY, "type", " %s service", "tap");
			print_u64(PRINT_ANY, "service", " %llu", sid);
			break;
		case NFV_HOP_OUT:
			print_string(PRINT_ANY, "type", " %s", "out");
			print_string(PRINT_ANY, "port", " %s",
				     ifindex ? ifname(ifindex, name) : "?");
			print_u64(PRINT_JSON, "port_id", NULL, port);
			break;
		default:
			print_string(PRINT_ANY, "type", " %s", "drop");
			break;
		}
		print_close_object();
	}
	print_close_array();
	print_string(PRINT_JSON, "override", NULL,
		     flags & NFV_CHAIN_F_NO_OVERRIDE ? "deny" : "allow");
	if (flags & NFV_CHAIN_F_NO_OVERRIDE)
		print_string(PRINT_FP, NULL, " override %s", "deny");
	print_close_object();
	print_nl();
	return 0;
}

int parse_chain(int argc, char **argv, void *buf, struct cmd *cmd)
{
	const char *verb = argc > 0 ? argv[0] : "show";
	struct nlmsghdr *nlh;
	uint16_t id, sid = 0;
	int i, hops = 0;

	if (!strcmp(verb, "add")) {
		uint32_t flags = 0;

		if (get_chain_id("chain add", argc > 1 ? argv[1] : NULL, &id))
			return -EINVAL;
		nlh = msg_start(buf, NFV_CMD_CHAIN_NEW, NLM_F_CREATE | NLM_F_EXCL);
		mnl_attr_put_u16(nlh, NFV_A_CHAIN_ID, id);
		for (i = 2; i < argc; i++) {
			const char *k = argv[i];
			struct nlattr *n;
			uint8_t type;

			if (!strcmp(k, "override")) {
				if (i + 1 >= argc)
					return invarg("chain add: override needs allow or deny");
				if (!strcmp(argv[i + 1], "deny"))
					flags |= NFV_CHAIN_F_NO_OVERRIDE;
				else if (strcmp(argv[i + 1], "allow"))
					return invarg("chain add: invalid override \"%s\": allow or deny",
						      argv[i + 1]);
				i++;
				continue;
			}
			if (!strcmp(k, "service")) {
				type = NFV_HOP_SERVICE;
			} else if (!strcmp(k, "tap")) {
				type = NFV_HOP_TAP;
				if (i + 1 >= argc || strcmp(argv[i + 1], "service"))
					return invarg("chain add: tap needs \"service SID\"");
				i++;
			} else if (!strcmp(k, "out")) {
				type = NFV_HOP_OUT;
			} else if (!strcmp(k, "drop")) {
				type = NFV_HOP_DROP;
			} else {
				usage();
				return invarg("chain add: unknown hop \"%s\"", k);
			}
			if (++hops > NFV_HOPS_MAX)
				return invarg("chain add: too many hops: at most %d",
					      NFV_HOPS_MAX);
			n = mnl_attr_nest_start(nlh, NFV_A_CHAIN_HOP);
			mnl_attr_put_u8(nlh, NFV_A_HOP_TYPE, type);
			if (type == NFV_HOP_SERVICE || type == NFV_HOP_TAP) {
				if (get_sid(i + 1 < argc ? argv[i + 1] : NULL, &sid))
					return -EINVAL;
				mnl_attr_put_u16(nlh, NFV_A_HOP_SERVICE, sid);
				i++;
			} else if (type == NFV_HOP_OUT) {
				uint32_t ifindex;

				if (parse_dev("chain add: out",
					      i + 1 < argc ? argv[i + 1] : NULL,
					      &ifindex))
					return -EINVAL;
				mnl_attr_put_u32(nlh, NFV_A_HOP_IFINDEX, ifindex);
				i++;
			}
			mnl_attr_nest_end(nlh, n);
		}
		if (!hops)
			return invarg("chain add: chain %u has no hops", id);
		if (flags)
			mnl_attr_put_u32(nlh, NFV_A_CHAIN_FLAGS, flags);
		cmd->modify = true;
	} else if (!strcmp(verb, "del")) {
		if (get_chain_id("chain del", argc > 1 ? argv[1] : NULL, &id))
			return -EINVAL;
		if (argc > 2)
			return invarg("chain del: unexpected argument \"%s\"", argv[2]);
		nlh = msg_start(buf, NFV_CMD_CHAIN_DEL, 0);
		mnl_attr_put_u16(nlh, NFV_A_CHAIN_ID, id);
		cmd->modify = true;
	} else if (!strcmp(verb, "show") || !strcmp(verb, "list")) {
		if (argc > 2)
			return invarg("chain show: unexpected argument \"%s\"", argv[2]);
		if (argc == 2) {
			if (get_chain_id("chain show", argv[1], &id))
				return -EINVAL;
			nlh = msg_start(buf, NFV_CMD_CHAIN_GET, 0);
			mnl_attr_put_u16(nlh, NFV_A_CHAIN_ID, id);
		} else {
			nlh = msg_start(buf, NFV_CMD_CHAIN_GET, NLM_F_DUMP);
		}
		cmd->begin = begin_array;
		cmd->cb = chain_cb;
		cmd->done = end_array;
	} else {
		usage();
		return invarg("chain: unknown command \"%s\"", verb);
	}
	cmd->nlh = nlh;
	return 0;
}
