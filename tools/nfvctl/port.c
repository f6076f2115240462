// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl port add | del | show
 *
 * Requests (port attribute set):
 *   add   PORT_NEW   IFINDEX, NAME, [MODE], [DEFAULT_CHAIN], FLAGS,
 *                    [DECAP], [VXLAN_PORT], [VNI]
 *   del   PORT_DEL   NAME, and IFINDEX if DEV still exists here
 *   show  PORT_GET   dump; or do with NAME (+ IFINDEX if DEV exists)
 * Replies: one PORT_GET message per port.
 */
#include <errno.h>
#include <net/if.h>

#include "nfvctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl port add DEV [mode native|generic] [default-chain ID]\n"
		"                       [fail open|closed] [csum fix|keep] [steer-arp]\n"
		"                       [decap none|vlan|vxlan [port N] [vni N]|nsh]\n"
		"       nfvctl port del DEV\n"
		"       nfvctl port show [DEV]\n"
		"DEV := netdev name in nfvctl's network namespace\n"
		"ID := 1..%d | none   (chain taken by traffic no flow matches)\n"
		"fail closed: drop the port's traffic while nfvd is down\n"
		"csum keep: leave partial checksums of local senders as they are\n"
		"decap: classify and deliver the inner frame of VLAN-tagged or\n"
		"       VXLAN traffic (vxlan port N: UDP port, default %d;\n"
		"       vni N: only this VNI, 0..%d), or of NSH (RFC 8300), which\n"
		"       only rules naming its path classify (flow add in DEV spi N)\n",
		NFV_CHAIN_MAX, NFV_VXLAN_PORT_DEFAULT, NFV_VNI_MAX);
}

/* The words of "decap", by enum nfv_port_decap (save.c writes them too). */
const char *const port_decap_names[__NFV_PORT_DECAP_MAX] = {
	[NFV_PORT_DECAP_NONE]	= "none",
	[NFV_PORT_DECAP_VLAN]	= "vlan",
	[NFV_PORT_DECAP_VXLAN]	= "vxlan",
	[NFV_PORT_DECAP_NSH]	= "nsh",
};

static int print_counters(const struct nlattr *nest)
{
	const struct nlattr *attr;

	print_open_object("stats");
	mnl_attr_for_each_nested(attr, nest) {
		const struct nfv_nl_set *set = &nfv_xdp_counters_nl_set;
		uint16_t t = mnl_attr_get_type(attr);
		char key[32], fmt[48], *c;

		/* The spec's counters (not PAD nor a newer server's). */
		if (nfv_nl_mnl_type(set, t) != MNL_TYPE_U64)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return -EPROTO;
		/* key: the spec's name, "flow-hit" as "flow_hit" */
		snprintf(key, sizeof(key), "%s", nfv_nl_name(set, t));
		for (c = key; *c; c++)
			if (*c == '-')
				*c = '_';
		snprintf(fmt, sizeof(fmt), " %s %%llu", key);
		print_uint(PRINT_ANY, key, fmt, mnl_attr_get_u64(attr));
	}
	print_close_object();
	return 0;
}

/* decap: text only when there is one, JSON always (from new servers). */
static void print_decap(const struct nlattr *const *tb)
{
	uint8_t kind = mnl_attr_get_u8(tb[NFV_A_PORT_DECAP]);
	const char *name = kind < __NFV_PORT_DECAP_MAX ? port_decap_names[kind] :
			   "unknown";

	print_string(PRINT_JSON, "decap", NULL, name);
	if (kind != NFV_PORT_DECAP_NONE)
		print_string(PRINT_FP, NULL, " decap %s", name);
	if (tb[NFV_A_PORT_VXLAN_PORT])
		print_uint(PRINT_ANY, "vxlan_port", " port %llu",
			   mnl_attr_get_u16(tb[NFV_A_PORT_VXLAN_PORT]));
	if (tb[NFV_A_PORT_VNI])
		print_uint(PRINT_ANY, "vni", " vni %llu",
			   mnl_attr_get_u32(tb[NFV_A_PORT_VNI]));
}

/*
 * port NAME id N mode native|generic default-chain ID|none queues N
 *      fail open|closed csum fix|keep [steer-arp]
 *      [decap vlan|vxlan [port N] [vni N]] [COUNTER N]...
 */
int port_print(const void *attrs, size_t len)
{
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	char name[IF_NAMESIZE];
	uint32_t flags;
	uint16_t chain;
	int err;

	err = attrs_parse(attrs, len, &nfv_port_nl_set, tb);
	if (err)
		return err;
	flags = tb[NFV_A_PORT_FLAGS] ? mnl_attr_get_u32(tb[NFV_A_PORT_FLAGS]) : 0;

	print_open_object(NULL);
	if (tb[NFV_A_PORT_NAME])
		print_string(PRINT_ANY, "name", "port %s",
			     mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
	else if (tb[NFV_A_PORT_IFINDEX])
		print_string(PRINT_ANY, "name", "port %s",
			     ifname(mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]),
				    name));
	else
		print_string(PRINT_FP, NULL, "port %s", "?");
	if (tb[NFV_A_PORT_IFINDEX])
		print_uint(PRINT_JSON, "ifindex", NULL,
			   mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]));
	if (tb[NFV_A_PORT_ID])
		print_uint(PRINT_ANY, "id", " id %llu",
			   mnl_attr_get_u16(tb[NFV_A_PORT_ID]));
	if (tb[NFV_A_PORT_MODE])
		print_string(PRINT_ANY, "mode", " mode %s",
			     mnl_attr_get_u8(tb[NFV_A_PORT_MODE]) ==
			     NFV_PORT_MODE_GENERIC ? "generic" : "native");
	if (tb[NFV_A_PORT_DEFAULT_CHAIN]) {
		chain = mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]);
		print_uint(PRINT_JSON, "default_chain", NULL, chain);
		if (chain)
			print_uint(PRINT_FP, NULL, " default-chain %llu", chain);
		else
			print_string(PRINT_FP, NULL, " default-chain %s", "none");
	}
	if (tb[NFV_A_PORT_QUEUES])
		print_uint(PRINT_ANY, "queues", " queues %llu",
			   mnl_attr_get_u32(tb[NFV_A_PORT_QUEUES]));
	print_uint(PRINT_JSON, "flags", NULL, flags);
	print_string(PRINT_ANY, "fail", " fail %s",
		     flags & NFV_PORT_F_FAIL_CLOSED ? "closed" : "open");
	print_string(PRINT_ANY, "csum", " csum %s",
		     flags & NFV_PORT_F_NOCSUM ? "keep" : "fix");
	print_bool(PRINT_ANY, "steer_arp", " steer-arp",
		   flags & NFV_PORT_F_STEER_ARP);
	if (tb[NFV_A_PORT_DECAP])
		print_decap(tb);
	if (tb[NFV_A_PORT_STATS]) {
		err = print_counters(tb[NFV_A_PORT_STATS]);
		if (err)
			return err;
	}
	print_close_object();
	print_nl();
	return 0;
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EPROTO;
	return port_print(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			  mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN);
}

/*
 * port add DEV [mode M] [default-chain ID] [fail F] [csum C] [steer-arp]
 *              [decap none|vlan|vxlan] [port N] [vni N]
 * port and vni belong to decap vxlan, wherever they stand.
 */
static int port_add(int argc, char **argv, struct nfvctl_req *req)
{
	bool mode_seen = false, chain_seen = false, fail_seen = false;
	bool csum_seen = false, decap_seen = false, vport_seen = false;
	bool vni_seen = false;
	uint8_t mode = NFV_PORT_MODE_NATIVE, decap = NFV_PORT_DECAP_NONE;
	uint32_t vport = 0, vni = 0;
	uint16_t chain = 0;
	uint32_t ifindex, flags = 0, v;
	const char *dev;
	int err;

	if (argc < 1)
		return invarg(req, "missing device name");
	dev = *argv;
	err = get_dev(req, dev, &ifindex);
	if (err)
		return err;
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "mode")) {
			DUPARG(req, mode_seen);
			NEXT_ARG(req);
			if (!strcmp(*argv, "native"))
				mode = NFV_PORT_MODE_NATIVE;
			else if (!strcmp(*argv, "generic"))
				mode = NFV_PORT_MODE_GENERIC;
			else
				return invarg(req, "invalid mode \"%s\": must be native or generic",
					      *argv);
		} else if (!strcmp(*argv, "default-chain")) {
			DUPARG(req, chain_seen);
			NEXT_ARG(req);
			if (!strcmp(*argv, "none"))
				v = 0;
			else if (get_u32(*argv, 1, NFV_CHAIN_MAX, &v))
				return invarg(req, "invalid chain id \"%s\": must be 1..%d or none",
					      *argv, NFV_CHAIN_MAX);
			chain = (uint16_t)v;
		} else if (!strcmp(*argv, "fail")) {
			DUPARG(req, fail_seen);
			NEXT_ARG(req);
			if (!strcmp(*argv, "closed"))
				flags |= NFV_PORT_F_FAIL_CLOSED;
			else if (strcmp(*argv, "open"))
				return invarg(req, "invalid fail mode \"%s\": must be open or closed",
					      *argv);
		} else if (!strcmp(*argv, "csum")) {
			DUPARG(req, csum_seen);
			NEXT_ARG(req);
			if (!strcmp(*argv, "keep"))
				flags |= NFV_PORT_F_NOCSUM;
			else if (strcmp(*argv, "fix"))
				return invarg(req, "invalid csum mode \"%s\": must be fix or keep",
					      *argv);
		} else if (!strcmp(*argv, "steer-arp")) {
			flags |= NFV_PORT_F_STEER_ARP;
		} else if (!strcmp(*argv, "decap")) {
			DUPARG(req, decap_seen);
			NEXT_ARG(req);
			for (v = 0; v < __NFV_PORT_DECAP_MAX; v++)
				if (!strcmp(*argv, port_decap_names[v]))
					break;
			if (v == __NFV_PORT_DECAP_MAX)
				return invarg(req, "invalid decap \"%s\": must be none, vlan, vxlan or nsh",
					      *argv);
			decap = (uint8_t)v;
		} else if (!strcmp(*argv, "port")) {
			DUPARG(req, vport_seen);
			NEXT_ARG(req);
			if (get_u32(*argv, 1, UINT16_MAX, &vport))
				return invarg(req, "invalid vxlan port \"%s\": must be 1..65535",
					      *argv);
		} else if (!strcmp(*argv, "vni")) {
			DUPARG(req, vni_seen);
			NEXT_ARG(req);
			if (get_u32(*argv, 0, NFV_VNI_MAX, &vni))
				return invarg(req, "invalid vni \"%s\": must be 0..%d",
					      *argv, NFV_VNI_MAX);
		} else {
			return invarg(req, "unknown keyword \"%s\" in port add",
				      *argv);
		}
	}

	if ((vport_seen || vni_seen) && decap != NFV_PORT_DECAP_VXLAN)
		return invarg(req, "\"%s\" needs decap vxlan",
			      vport_seen ? "port" : "vni");

	req_start(req, NFV_CMD_PORT_NEW, NLM_F_CREATE | NLM_F_EXCL);
	return req_put_u32(req, NFV_A_PORT_IFINDEX, ifindex) ?:
	       req_put_strz(req, NFV_A_PORT_NAME, dev) ?:
	       req_put_u8(req, NFV_A_PORT_MODE, mode) ?:
	       (chain_seen ?
		req_put_u16(req, NFV_A_PORT_DEFAULT_CHAIN, chain) : 0) ?:
	       req_put_u32(req, NFV_A_PORT_FLAGS, flags) ?:
	       (decap_seen ? req_put_u8(req, NFV_A_PORT_DECAP, decap) : 0) ?:
	       (vport_seen ?
		req_put_u16(req, NFV_A_PORT_VXLAN_PORT, (uint16_t)vport) : 0) ?:
	       (vni_seen ? req_put_u32(req, NFV_A_PORT_VNI, vni) : 0);
}

/*
 * The lookup keys of an existing port: the name always (the netdev may be
 * gone while the port lingers), the ifindex too while the netdev exists.
 */
static int port_key(struct nfvctl_req *req, const char *dev)
{
	uint32_t ifindex;
	int err;

	err = check_dev_name(req, dev);
	if (err)
		return err;
	ifindex = req->nametoindex ? req->nametoindex(dev) : 0;
	return (ifindex ? req_put_u32(req, NFV_A_PORT_IFINDEX, ifindex) : 0) ?:
	       req_put_strz(req, NFV_A_PORT_NAME, dev);
}

int parse_port(int argc, char **argv, struct nfvctl_req *req)
{
	const char *cmd = argc > 0 ? *argv : "show";

	req->usage = usage;
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "add"))
		return port_add(argc, argv, req);
	if (!strcmp(cmd, "del")) {
		if (argc < 1)
			return invarg(req, "missing device name");
		if (argc > 1)
			return invarg(req, "unexpected argument \"%s\" after port del DEV",
				      argv[1]);
		req_start(req, NFV_CMD_PORT_DEL, 0);
		return port_key(req, *argv);
	}
	if (!strcmp(cmd, "show")) {
		if (argc > 1)
			return invarg(req, "unexpected argument \"%s\" after port show DEV",
				      argv[1]);
		req_dump(req, show_cb);
		if (argc == 0) {
			req_start(req, NFV_CMD_PORT_GET, NLM_F_DUMP);
			return 0;
		}
		req_start(req, NFV_CMD_PORT_GET, 0);
		return port_key(req, *argv);
	}
	if (!strcmp(cmd, "help"))
		return NFVCTL_HELP;
	return invarg(req, "unknown command \"%s\" for port: must be add, del or show",
		      cmd);
}
