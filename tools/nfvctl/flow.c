// SPDX-License-Identifier: GPL-2.0
/* nfvctl flow add | del | show */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "nfvctl.h"

static void usage(void)
{
	fprintf(stderr,
		"Usage: nfvctl flow add MATCH chain ID\n"
		"       nfvctl flow del MATCH\n"
		"       nfvctl flow show\n"
		"MATCH := [in DEV] [proto tcp|udp|icmp|icmpv6|sctp|N] [src PFX] [dst PFX]\n"
		"         [sport N[-M]] [dport N[-M]]\n"
		"PFX := ADDR[/LEN] (IPv4 or IPv6)   N := 0..65535   ID := 1..%d\n",
		NFV_CHAIN_MAX);
}

static int parse_proto(const char *s, uint8_t *p)
{
	uint32_t v;

	if (!s)
		return invarg("flow: proto needs a value");
	if (!strcmp(s, "tcp"))
		*p = 6;
	else if (!strcmp(s, "udp"))
		*p = 17;
	else if (!strcmp(s, "icmp"))
		*p = 1;
	else if (!strcmp(s, "icmpv6"))
		*p = 58;
	else if (!strcmp(s, "sctp"))
		*p = 132;
	else if (!get_u32(s, 0, 255, &v))
		*p = (uint8_t)v;
	else
		return invarg("flow: invalid proto \"%s\": tcp, udp, icmp, icmpv6, sctp or 0..255", s);
	return 0;
}

/* ADDR[/LEN] -> address bytes (host bits cleared), family, length. */
static int parse_prefix(const char *what, const char *s, uint8_t *addr,
			int *family, uint8_t *plen)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	char *slash;
	uint32_t len, max;
	uint32_t i;

	if (!s)
		return invarg("flow: %s needs a prefix", what);
	if (strlen(s) >= sizeof(tmp))
		return invarg("flow: invalid %s \"%s\"", what, s);
	strcpy(tmp, s);
	slash = strchr(tmp, '/');
	if (slash)
		*slash++ = 0;
	if (inet_pton(AF_INET, tmp, addr) == 1) {
		*family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, tmp, addr) == 1) {
		*family = AF_INET6;
		max = 128;
	} else {
		return invarg("flow: invalid %s address \"%s\"", what, tmp);
	}
	len = max;
	if (slash && get_u32(slash, 0, max, &len))
		return invarg("flow: invalid %s prefix length \"%s\": must be 0..%u",
			      what, slash, max);
	for (i = 0; i < max / 8; i++) {
		int bits = (int)len - (int)i * 8;

		if (bits <= 0)
			addr[i] = 0;
		else if (bits < 8)
			addr[i] &= (uint8_t)(0xff << (8 - bits));
	}
	*plen = (uint8_t)len;
	return 0;
}

static int parse_ports(const char *what, const char *s, uint16_t *lo,
		       uint16_t *hi)
{
	char tmp[16], *dash;
	uint32_t a, b;

	if (!s || strlen(s) >= sizeof(tmp))
		return invarg("flow: %s needs N or N-M", what);
	strcpy(tmp, s);
	dash = strchr(tmp, '-');
	if (dash)
		*dash++ = 0;
	if (get_u32(tmp, 1, 65535, &a) || (dash && get_u32(dash, 1, 65535, &b)))
		return invarg("flow: invalid %s \"%s\": N or N-M with 1..65535",
			      what, s);
	if (!dash)
		b = a;
	if (b < a)
		return invarg("flow: invalid %s \"%s\": empty range", what, s);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static int parse_match(int argc, char **argv, struct nlmsghdr *nlh,
		       bool need_chain, bool allow_chain)
{
	int i, family = 0, fam = 0;
	bool have[8] = { false };
	uint8_t addr[16], plen = 0, proto = 0;
	uint16_t lo = 0, hi = 0;
	uint32_t v;
	bool chain = false;

	for (i = 0; i < argc; i += 2) {
		const char *k = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int slot;

		if (!strcmp(k, "in"))
			slot = 0;
		else if (!strcmp(k, "proto"))
			slot = 1;
		else if (!strcmp(k, "src"))
			slot = 2;
		else if (!strcmp(k, "dst"))
			slot = 3;
		else if (!strcmp(k, "sport"))
			slot = 4;
		else if (!strcmp(k, "dport"))
			slot = 5;
		else if (!strcmp(k, "chain"))
			slot = 6;
		else {
			usage();
			return invarg("flow: unknown keyword \"%s\"", k);
		}
		if (have[slot])
			return invarg("flow: \"%s\" given twice", k);
		have[slot] = true;
		if (!val)
			return invarg("flow: \"%s\" needs a value", k);
		switch (slot) {
		case 0:
			if (parse_dev("flow: in", val, &v))
				return -EINVAL;
			mnl_attr_put_u32(nlh, NFV_A_FLOW_IN_IFINDEX, v);
			break;
		case 1:
			if (parse_proto(val, &proto))
				return -EINVAL;
			mnl_attr_put_u8(nlh, NFV_A_FLOW_PROTO, proto);
			break;
		case 2:
		case 3:
			if (parse_prefix(slot == 2 ? "src" : "dst", val, addr,
					 &fam, &plen))
				return -EINVAL;
			if (family && fam != family)
				return invarg("flow: src and dst of different families");
			family = fam;
			mnl_attr_put(nlh, slot == 2 ? NFV_A_FLOW_SRC : NFV_A_FLOW_DST,
				     fam == AF_INET ? 4 : 16, addr);
			mnl_attr_put_u8(nlh, slot == 2 ? NFV_A_FLOW_SRC_PLEN :
					NFV_A_FLOW_DST_PLEN, plen);
			break;
		case 4:
		case 5:
			if (parse_ports(slot == 4 ? "sport" : "dport", val, &lo, &hi))
				return -EINVAL;
			mnl_attr_put_u16(nlh, slot == 4 ? NFV_A_FLOW_SPORT :
					 NFV_A_FLOW_DPORT, lo);
			mnl_attr_put_u16(nlh, slot == 4 ? NFV_A_FLOW_SPORT_MAX :
					 NFV_A_FLOW_DPORT_MAX, hi);
			break;
		case 6:
			if (!allow_chain)
				return invarg("flow: unexpected \"chain\"");
			if (get_u32(val, 1, NFV_CHAIN_MAX, &v))
				return invarg("flow: invalid chain id \"%s\": must be 1..%d",
					      val, NFV_CHAIN_MAX);
			if (need_chain)
				mnl_attr_put_u16(nlh, NFV_A_FLOW_CHAIN, (uint16_t)v);
			chain = true;
			break;
		}
	}
	if (need_chain && !chain)
		return invarg("flow add: missing \"chain ID\"");
	if ((have[4] || have[5]) && !have[1])
		return invarg("flow: ports need \"proto tcp|udp|sctp\"");
	if (family)
		mnl_attr_put_u8(nlh, NFV_A_FLOW_FAMILY, (uint8_t)family);
	return 0;
}

static void print_prefix(const char *key, const struct nlattr *a,
			 const struct nlattr *plen)
{
	char s[INET6_ADDRSTRLEN + 8], fmt[16];
	int fam = mnl_attr_get_payload_len(a) == 4 ? AF_INET : AF_INET6;
	size_t l;

	inet_ntop(fam, mnl_attr_get_payload(a), s, INET6_ADDRSTRLEN);
	l = strlen(s);
	snprintf(s + l, sizeof(s) - l, "/%u",
		 plen ? mnl_attr_get_u8(plen) : (fam == AF_INET ? 32 : 128));
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	print_string(PRINT_ANY, key, fmt, s);
}

static void print_range(const char *key, const struct nlattr *lo,
			const struct nlattr *hi)
{
	uint16_t a = mnl_attr_get_u16(lo), b = hi ? mnl_attr_get_u16(hi) : a;
	char s[16], fmt[16];

	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	if (a == b) {
		snprintf(fmt, sizeof(fmt), " %s %%llu", key);
		print_u64(PRINT_ANY, key, fmt, a);
		return;
	}
	snprintf(s, sizeof(s), "%u-%u", a, b);
	print_string(PRINT_ANY, key, fmt, s);
}

static int flow_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1] = { NULL };
	const struct nlattr *a;
	char buf[IF_NAMESIZE];

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) <= NFV_A_FLOW_MAX)
			tb[mnl_attr_get_type(a)] = a;
	print_open_object(NULL);
	print_string(PRINT_FP, NULL, "%s", "flow");
	if (tb[NFV_A_FLOW_IN_IFINDEX])
		print_string(PRINT_ANY, "in", " in %s",
			     ifname(mnl_attr_get_u32(tb[NFV_A_FLOW_IN_IFINDEX]), buf));
	if (tb[NFV_A_FLOW_PROTO])
		print_string(PRINT_ANY, "proto", " proto %s",
			     proto_name(mnl_attr_get_u8(tb[NFV_A_FLOW_PROTO]), buf));
	if (tb[NFV_A_FLOW_SRC])
		print_prefix("src", tb[NFV_A_FLOW_SRC], tb[NFV_A_FLOW_SRC_PLEN]);
	if (tb[NFV_A_FLOW_DST])
		print_prefix("dst", tb[NFV_A_FLOW_DST], tb[NFV_A_FLOW_DST_PLEN]);
	if (tb[NFV_A_FLOW_SPORT])
		print_range("sport", tb[NFV_A_FLOW_SPORT], tb[NFV_A_FLOW_SPORT_MAX]);
	if (tb[NFV_A_FLOW_DPORT])
		print_range("dport", tb[NFV_A_FLOW_DPORT], tb[NFV_A_FLOW_DPORT_MAX]);
	if (tb[NFV_A_FLOW_CHAIN])
		print_u64(PRINT_ANY, "chain", " chain %llu",
			  mnl_attr_get_u16(tb[NFV_A_FLOW_CHAIN]));
	print_bool(PRINT_ANY, "exact", " exact", tb[NFV_A_FLOW_EXACT] != NULL);
	print_close_object();
	print_nl();
	return 0;
}

int parse_flow(int argc, char **argv, void *buf, struct cmd *cmd)
{
	const char *verb = argc > 0 ? argv[0] : "show";
	struct nlmsghdr *nlh;

	if (!strcmp(verb, "add")) {
		nlh = msg_start(buf, NFV_CMD_FLOW_NEW, NLM_F_CREATE | NLM_F_EXCL);
		if (parse_match(argc - 1, argv + 1, nlh, true, true))
			return -EINVAL;
		cmd->modify = true;
	} else if (!strcmp(verb, "del")) {
		nlh = msg_start(buf, NFV_CMD_FLOW_DEL, 0);
		if (parse_match(argc - 1, argv + 1, nlh, false, true))
			return -EINVAL;
		cmd->modify = true;
	} else if (!strcmp(verb, "show") || !strcmp(verb, "list")) {
		if (argc > 1)
			return invarg("flow show: unexpected argument \"%s\"", argv[1]);
		nlh = msg_start(buf, NFV_CMD_FLOW_GET, NLM_F_DUMP);
		cmd->begin = begin_array;
		cmd->cb = flow_cb;
		cmd->done = end_array;
	} else {
		usage();
		return invarg("flow: unknown command \"%s\"", verb);
	}
	cmd->nlh = nlh;
	return 0;
}
