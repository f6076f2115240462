// SPDX-License-Identifier: GPL-2.0
/* nfvctl nf show | service show | stats */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "nfvctl.h"

int nf_attrs(const struct nlattr *start, size_t len, const struct nlattr **tb)
{
	const struct nlattr *a;

	memset(tb, 0, sizeof(*tb) * (NFV_A_NF_MAX + 1));
	for (a = start; mnl_attr_ok(a, (int)((const char *)start + len -
					     (const char *)a));
	     a = mnl_attr_next(a))
		if (mnl_attr_get_type(a) <= NFV_A_NF_MAX)
			tb[mnl_attr_get_type(a)] = a;
	return 0;
}

static const char *state_name(uint8_t s)
{
	switch (s) {
	case NFV_NF_STATE_ATTACHING: return "attaching";
	case NFV_NF_STATE_UP: return "up";
	case NFV_NF_STATE_DEAD: return "dead";
	}
	return "unknown";
}

static void u64_attr(const struct nlattr *a, const char *key, const char *fmt)
{
	if (a && mnl_attr_get_payload_len(a) == 8)
		print_u64(PRINT_ANY, key, fmt, mnl_attr_get_u64(a));
}

void print_nf(const struct nlattr *const *tb)
{
	uint32_t flags = tb[NFV_A_NF_FLAGS] ? mnl_attr_get_u32(tb[NFV_A_NF_FLAGS]) : 0;

	print_open_object(NULL);
	if (tb[NFV_A_NF_ID])
		print_u64(PRINT_ANY, "id", "nf %llu", mnl_attr_get_u16(tb[NFV_A_NF_ID]));
	if (tb[NFV_A_NF_NAME])
		print_string(PRINT_ANY, "name", " name %s",
			     mnl_attr_get_str(tb[NFV_A_NF_NAME]));
	if (tb[NFV_A_NF_SERVICE])
		print_u64(PRINT_ANY, "service", " service %llu",
			  mnl_attr_get_u16(tb[NFV_A_NF_SERVICE]));
	if (tb[NFV_A_NF_PID])
		print_u64(PRINT_ANY, "pid", " pid %llu",
			  mnl_attr_get_u32(tb[NFV_A_NF_PID]));
	if (tb[NFV_A_NF_STATE])
		print_string(PRINT_ANY, "state", " state %s",
			     state_name(mnl_attr_get_u8(tb[NFV_A_NF_STATE])));
	print_string(PRINT_ANY, "mode", " mode %s",
		     flags & NFV_NF_F_BUSY_POLL ? "busy-poll" : "wakeup");
	print_bool(PRINT_ANY, "readonly", " readonly",
		   flags & NFV_NF_F_READONLY);
	u64_attr(tb[NFV_A_NF_RX], "rx", " rx %llu");
	u64_attr(tb[NFV_A_NF_TX], "tx", " tx %llu");
	u64_attr(tb[NFV_A_NF_NEXT], "next", " next %llu");
	u64_attr(tb[NFV_A_NF_DROP], "drop", " drop %llu");
	u64_attr(tb[NFV_A_NF_BAD_DESC], "bad_desc", " bad_desc %llu");
	if (tb[NFV_A_NF_HELD])
		print_u64(PRINT_ANY, "held", " held %llu",
			  mnl_attr_get_u32(tb[NFV_A_NF_HELD]));
	u64_attr(tb[NFV_A_NF_RING_FULL], "ring_full", " ring_full %llu");
	u64_attr(tb[NFV_A_NF_NO_REPLICA], "no_replica", " no_replica %llu");
	u64_attr(tb[NFV_A_NF_OVERRIDE_DENIED], "override_denied",
		 " override_denied %llu");
	u64_attr(tb[NFV_A_NF_CSUM_FIXED], "csum_fixed", " csum_fixed %llu");
	u64_attr(tb[NFV_A_NF_TAP_OVERFLOW], "tap_overflow", " tap_overflow %llu");
	print_close_object();
	print_nl();
}

static const struct nlattr *genl_attrs(const struct nlmsghdr *nlh, size_t *len)
{
	*len = mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN;
	return (const struct nlattr *)((const char *)mnl_nlmsg_get_payload(nlh) +
				       GENL_HDRLEN);
}

static int nf_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_NF_MAX + 1];
	size_t len;
	const struct nlattr *start = genl_attrs(nlh, &len);

	nf_attrs(start, len, tb);
	print_nf(tb);
	return 0;
}

static int service_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	print_open_object(NULL);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == NFV_A_SERVICE_ID)
			print_u64(PRINT_ANY, "id", "service %llu",
				  mnl_attr_get_u16(a));
	print_string(PRINT_FP, NULL, "%s", " replicas");
	print_open_array("replicas");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == NFV_A_SERVICE_REPLICA)
			print_u64(PRINT_ANY, NULL, " %llu", mnl_attr_get_u16(a));
	print_close_array();
	print_close_object();
	print_nl();
	return 0;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	uint64_t v[NFV_A_STATS_MAX + 1] = { 0 };
	const char *backend = "?";

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		uint16_t t = mnl_attr_get_type(a);

		if (t == NFV_A_STATS_BACKEND)
			backend = mnl_attr_get_str(a);
		else if (t <= NFV_A_STATS_MAX && mnl_attr_get_payload_len(a) == 4)
			v[t] = mnl_attr_get_u32(a);
		else if (t <= NFV_A_STATS_MAX && mnl_attr_get_payload_len(a) == 8)
			v[t] = mnl_attr_get_u64(a);
	}
	print_open_object(NULL);
	print_string(PRINT_ANY, "backend", "backend %s\n", backend);
	print_open_object("frames");
	print_u64(PRINT_ANY, "total", "frames total %llu",
		  v[NFV_A_STATS_FRAMES_TOTAL]);
	print_u64(PRINT_ANY, "free", " free %llu", v[NFV_A_STATS_FRAMES_FREE]);
	print_u64(PRINT_ANY, "fill", " fill %llu", v[NFV_A_STATS_FRAMES_FILL]);
	print_u64(PRINT_ANY, "inflight", " inflight %llu",
		  v[NFV_A_STATS_FRAMES_INFLIGHT]);
	print_close_object();
	print_u64(PRINT_ANY, "bad_desc", " bad_desc %llu",
		  v[NFV_A_STATS_BAD_DESC]);
	print_u64(PRINT_ANY, "reclaimed", " reclaimed %llu\n",
		  v[NFV_A_STATS_RECLAIMED]);
	print_open_array("ports");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		const struct nlattr *tb[NFV_A_PORT_MAX + 1];

		if (mnl_attr_get_type(a) != NFV_A_STATS_PORT)
			continue;
		port_attrs(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), tb);
		print_port(tb);
	}
	print_close_array();
	print_open_array("nfs");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		const struct nlattr *tb[NFV_A_NF_MAX + 1];

		if (mnl_attr_get_type(a) != NFV_A_STATS_NF)
			continue;
		nf_attrs(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), tb);
		print_nf(tb);
	}
	print_close_array();
	print_close_object();
	return 0;
}

static void stats_done(void)
{
	print_flush();
}

int parse_nf(int argc, char **argv, void *buf, struct cmd *cmd)
{
	if (argc > 0 && strcmp(argv[0], "show") && strcmp(argv[0], "list")) {
		fprintf(stderr, "Usage: nfvctl nf show\n");
		return invarg("nf: unknown command \"%s\"", argv[0]);
	}
	if (argc > 1)
		return invarg("nf show: unexpected argument \"%s\"", argv[1]);
	cmd->nlh = msg_start(buf, NFV_CMD_NF_GET, NLM_F_DUMP);
	cmd->begin = begin_array;
	cmd->cb = nf_cb;
	cmd->done = end_array;
	return 0;
}

int parse_service(int argc, char **argv, void *buf, struct cmd *cmd)
{
	if (argc > 0 && strcmp(argv[0], "show") && strcmp(argv[0], "list")) {
		fprintf(stderr, "Usage: nfvctl service show\n");
		return invarg("service: unknown command \"%s\"", argv[0]);
	}
	if (argc > 1)
		return invarg("service show: unexpected argument \"%s\"", argv[1]);
	cmd->nlh = msg_start(buf, NFV_CMD_SERVICE_GET, NLM_F_DUMP);
	cmd->begin = begin_array;
	cmd->cb = service_cb;
	cmd->done = end_array;
	return 0;
}

int parse_stats(int argc, char **argv, void *buf, struct cmd *cmd)
{
	if (argc > 0 && strcmp(argv[0], "show")) {
		fprintf(stderr, "Usage: nfvctl stats\n");
		return invarg("stats: unexpected argument \"%s\"", argv[0]);
	}
	cmd->nlh = msg_start(buf, NFV_CMD_STATS_GET, 0);
	cmd->cb = stats_cb;
	cmd->done = stats_done;
	return 0;
}
