// SPDX-License-Identifier: GPL-2.0
/* nfvctl port add | del | show */
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
		"Usage: nfvctl port add DEV [mode native|generic] [default-chain ID]\n"
		"                       [fail open|closed] [csum fix|keep]\n"
		"       nfvctl port del DEV\n"
		"       nfvctl port show [DEV]\n"
		"ID := 1..%d (0: none)\n", NFV_CHAIN_MAX);
}

int port_attrs(const struct nlattr *start, size_t len,
	       const struct nlattr **tb)
{
	const struct nlattr *a;

	memset(tb, 0, sizeof(*tb) * (NFV_A_PORT_MAX + 1));
	for (a = start; mnl_attr_ok(a, (int)((const char *)start + len -
					     (const char *)a));
	     a = mnl_attr_next(a))
		if (mnl_attr_get_type(a) <= NFV_A_PORT_MAX)
			tb[mnl_attr_get_type(a)] = a;
	return 0;
}

void print_port(const struct nlattr *const *tb)
{
	uint32_t flags = tb[NFV_A_PORT_FLAGS] ?
			 mnl_attr_get_u32(tb[NFV_A_PORT_FLAGS]) : 0;
	const struct nlattr *a;
	char name[IF_NAMESIZE];

	print_open_object(NULL);
	if (tb[NFV_A_PORT_NAME])
		print_string(PRINT_ANY, "name", "port %s",
			     mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
	else if (tb[NFV_A_PORT_IFINDEX])
		print_string(PRINT_ANY, "name", "port %s",
			     ifname(mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]),
				    name));
	if (tb[NFV_A_PORT_IFINDEX])
		print_u64(PRINT_JSON, "ifindex", NULL,
			  mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]));
	if (tb[NFV_A_PORT_ID])
		print_u64(PRINT_ANY, "id", " id %llu",
			  mnl_attr_get_u16(tb[NFV_A_PORT_ID]));
	if (tb[NFV_A_PORT_MODE])
		print_string(PRINT_ANY, "mode", " mode %s",
			     mnl_attr_get_u8(tb[NFV_A_PORT_MODE]) ==
			     NFV_PORT_MODE_GENERIC ? "generic" : "native");
	if (tb[NFV_A_PORT_DEFAULT_CHAIN])
		print_u64(PRINT_ANY, "default_chain", " default-chain %llu",
			  mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]));
	print_string(PRINT_ANY, "fail", " fail %s",
		     flags & NFV_PORT_F_FAIL_CLOSED ? "closed" : "open");
	print_string(PRINT_ANY, "csum", " csum %s",
		     flags & NFV_PORT_F_NOCSUM ? "keep" : "fix");
	if (tb[NFV_A_PORT_QUEUES])
		print_u64(PRINT_ANY, "queues", " queues %llu",
			  mnl_attr_get_u32(tb[NFV_A_PORT_QUEUES]));
	if (tb[NFV_A_PORT_STATS]) {
		print_open_object("stats");
		mnl_attr_for_each_nested(a, tb[NFV_A_PORT_STATS]) {
			int i = mnl_attr_get_type(a) - 1;
			char fmt[40];

			if (i < 0 || i >= __NFV_XDP_COUNTER_MAX ||
			    mnl_attr_get_payload_len(a) != 8)
				continue;
			snprintf(fmt, sizeof(fmt), " %s %%llu",
				 xdp_counter_names[i]);
			print_u64(PRINT_ANY, xdp_counter_names[i], fmt,
				  mnl_attr_get_u64(a));
		}
		print_close_object();
	}
	print_close_object();
	print_nl();
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];

	port_attrs((const struct nlattr *)((const char *)mnl_nlmsg_get_payload(nlh) +
					   GENL_HDRLEN),
		   mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN, tb);
	print_port(tb);
	return 0;
}

int parse_port(int argc, char **argv, void *buf, struct cmd *cmd)
{
	const char *verb = argc > 0 ? argv[0] : "show";
	struct nlmsghdr *nlh;
	uint32_t ifindex, v;
	int i;

	if (!strcmp(verb, "help")) {
		usage();
		return -EINVAL;
	}
	if (!strcmp(verb, "add")) {
		uint32_t flags = 0;

		if (argc < 2)
			return invarg("port add: missing device name");
		if (parse_dev("port add", argv[1], &ifindex))
			return -EINVAL;
		nlh = msg_start(buf, NFV_CMD_PORT_NEW, 0);
		mnl_attr_put_u32(nlh, NFV_A_PORT_IFINDEX, ifindex);
		mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, argv[1]);
		for (i = 2; i < argc; i += 2) {
			const char *k = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

			if (!val)
				return invarg("port add: \"%s\" needs a value", k);
			if (!strcmp(k, "mode")) {
				if (!strcmp(val, "native"))
					mnl_attr_put_u8(nlh, NFV_A_PORT_MODE,
							NFV_PORT_MODE_NATIVE);
				else if (!strcmp(val, "generic"))
					mnl_attr_put_u8(nlh, NFV_A_PORT_MODE,
							NFV_PORT_MODE_GENERIC);
				else
					return invarg("port add: invalid mode \"%s\": native or generic", val);
			} else if (!strcmp(k, "default-chain")) {
				if (get_u32(val, 0, NFV_CHAIN_MAX, &v))
					return invarg("port add: invalid chain id \"%s\": must be 0..%d", val, NFV_CHAIN_MAX);
				mnl_attr_put_u16(nlh, NFV_A_PORT_DEFAULT_CHAIN,
						 (uint16_t)v);
			} else if (!strcmp(k, "fail")) {
				if (!strcmp(val, "closed"))
					flags |= NFV_PORT_F_FAIL_CLOSED;
				else if (strcmp(val, "open"))
					return invarg("port add: invalid fail \"%s\": open or closed", val);
			} else if (!strcmp(k, "csum")) {
				if (!strcmp(val, "keep"))
					flags |= NFV_PORT_F_NOCSUM;
				else if (strcmp(val, "fix"))
					return invarg("port add: invalid csum \"%s\": fix or keep", val);
			} else {
				return invarg("port add: unknown keyword \"%s\"", k);
			}
		}
		mnl_attr_put_u32(nlh, NFV_A_PORT_FLAGS, flags);
		cmd->modify = true;
	} else if (!strcmp(verb, "del")) {
		if (argc != 2)
			return invarg(argc < 2 ? "port del: missing device name" :
				      "port del: unexpected argument \"%s\"",
				      argc > 2 ? argv[2] : "");
		/* By name: the device may be gone already. */
		nlh = msg_start(buf, NFV_CMD_PORT_DEL, 0);
		if (strlen(argv[1]) >= IF_NAMESIZE)
			return invarg("port del: device name \"%s\" too long", argv[1]);
		mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, argv[1]);
		cmd->modify = true;
	} else if (!strcmp(verb, "show") || !strcmp(verb, "list")) {
		if (argc > 2)
			return invarg("port show: unexpected argument \"%s\"", argv[2]);
		if (argc == 2) {
			if (strlen(argv[1]) >= IF_NAMESIZE)
				return invarg("port show: device name \"%s\" too long", argv[1]);
			nlh = msg_start(buf, NFV_CMD_PORT_GET, 0);
			mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, argv[1]);
		} else {
			nlh = msg_start(buf, NFV_CMD_PORT_GET, NLM_F_DUMP);
		}
		cmd->begin = begin_array;
		cmd->cb = show_cb;
		cmd->done = end_array;
	} else {
		usage();
		return invarg("port: unknown command \"%s\"", verb);
	}
	cmd->nlh = nlh;
	return 0;
}
