// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl nf show
 *
 * Request: NF_GET, dump; or do with ID.  Replies: one NF_GET message per
 * NF instance (nf attribute set).  "nf show ID -s": NF_COUNTERS_GET to
 * nfvd (whatever the backend: nfvd keeps them), the counters the NF
 * published about its own work.
 */
#include <errno.h>

#include "nfvctl.h"
#include "nfvd_view.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl nf show [ID [-s[tats]]]\n"
		"ID := 1..%d\n"
		"-s: the counters the NF published about its own work\n",
		NFV_NF_MAX - 1);
}

const char *nf_state_name(uint8_t state)
{
	switch (state) {
	case NFV_NF_STATE_NONE:
		return "none";
	case NFV_NF_STATE_ATTACHING:
		return "attaching";
	case NFV_NF_STATE_UP:
		return "up";
	case NFV_NF_STATE_DEAD:
		return "dead";
	}
	return "unknown";
}

/* Counters, in the order printed: id → key (= text keyword). */
static const struct {
	uint16_t type;
	const char *key;
} counters[] = {
	{ NFV_A_NF_RX,			"rx" },
	{ NFV_A_NF_TX,			"tx" },
	{ NFV_A_NF_NEXT,		"next" },
	{ NFV_A_NF_DROP,		"drop" },
	{ NFV_A_NF_BAD_DESC,		"bad_desc" },
	{ NFV_A_NF_HELD,		"held" },
	{ NFV_A_NF_RING_FULL,		"ring_full" },
	{ NFV_A_NF_NO_REPLICA,		"no_replica" },
	{ NFV_A_NF_OVERRIDE_DENIED,	"override_denied" },
	{ NFV_A_NF_CSUM_FIXED,		"csum_fixed" },
	{ NFV_A_NF_TAP_OVERFLOW,	"tap_overflow" },
	{ NFV_A_NF_LOOP_DROP,		"loop_drop" },
	{ NFV_A_NF_OVERRUN,		"overrun" },
	{ NFV_A_NF_REFUSED,		"refused" },
	{ NFV_A_NF_BUDGET,		"budget" },
	{ NFV_A_NF_BUDGET_HITS,		"budget_hits" },
	{ NFV_A_NF_FLOW_RULES,		"flow_rules" },
	{ NFV_A_NF_FLOW_RULES_REFUSED,	"flow_rules_refused" },
	{ NFV_A_NF_BP_WAITS,		"bp_waits" },
	{ NFV_A_NF_BP_TIMEOUTS,		"bp_timeouts" },
	{ NFV_A_NF_SCHED_SWITCHES,	"sched_switches" },
};

/*
 * nf ID name NAME service SID pid PID state S mode M [readonly]
 *    rx N tx N next N drop N bad_desc N held N [DROP-REASON N]...
 */
int nf_print(const void *attrs, size_t len)
{
	const struct nlattr *tb[NFV_A_NF_MAX + 1];
	uint32_t flags;
	size_t i;
	int err;

	err = attrs_parse(attrs, len, &nfv_nf_nl_set, tb);
	if (err)
		return err;
	flags = tb[NFV_A_NF_FLAGS] ? mnl_attr_get_u32(tb[NFV_A_NF_FLAGS]) : 0;

	print_open_object(NULL);
	if (tb[NFV_A_NF_ID])
		print_uint(PRINT_ANY, "id", "nf %llu",
			   mnl_attr_get_u16(tb[NFV_A_NF_ID]));
	if (tb[NFV_A_NF_NAME])
		print_string(PRINT_ANY, "name", " name %s",
			     mnl_attr_get_str(tb[NFV_A_NF_NAME]));
	if (tb[NFV_A_NF_SERVICE])
		print_uint(PRINT_ANY, "service", " service %llu",
			   mnl_attr_get_u16(tb[NFV_A_NF_SERVICE]));
	if (tb[NFV_A_NF_PID])
		print_uint(PRINT_ANY, "pid", " pid %llu",
			   mnl_attr_get_u32(tb[NFV_A_NF_PID]));
	if (tb[NFV_A_NF_STATE])
		print_string(PRINT_ANY, "state", " state %s",
			     nf_state_name(mnl_attr_get_u8(tb[NFV_A_NF_STATE])));
	print_uint(PRINT_JSON, "flags", NULL, flags);
	print_string(PRINT_ANY, "mode", " mode %s",
		     flags & NFV_NF_F_BUSY_POLL ? "busy-poll" : "wakeup");
	print_bool(PRINT_ANY, "readonly", " readonly",
		   flags & NFV_NF_F_READONLY);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		const struct nlattr *a = tb[counters[i].type];
		char fmt[32];

		if (!a)
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%llu", counters[i].key);
		print_uint(PRINT_ANY, counters[i].key, fmt,
			   nfv_nl_mnl_type(&nfv_nf_nl_set, counters[i].type) ==
			   MNL_TYPE_U64 ?
			   mnl_attr_get_u64(a) : mnl_attr_get_u32(a));
	}
	print_close_object();
	print_nl();
	return 0;
}

/* @data: nfvd's view (the kernel backend) or NULL. */
static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EPROTO;
	return nfvd_view_nf_print(data,
				  mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
				  mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN);
}

/*
 * nf ID name NAME service SID published N refused N
 *     NAME[{LABEL="VALUE"}] VALUE
 */
static int counters_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_NF_COUNTERS_MAX + 1];
	const struct nlattr *a;
	int err;

	(void)data;
	err = genl_parse(nlh, &nfv_nf_counters_nl_set, tb);
	if (err)
		return err;
	print_open_object(NULL);
	if (tb[NFV_A_NF_COUNTERS_ID])
		print_uint(PRINT_ANY, "id", "nf %llu",
			   mnl_attr_get_u16(tb[NFV_A_NF_COUNTERS_ID]));
	if (tb[NFV_A_NF_COUNTERS_NAME])
		print_string(PRINT_ANY, "name", " name %s",
			     mnl_attr_get_str(tb[NFV_A_NF_COUNTERS_NAME]));
	if (tb[NFV_A_NF_COUNTERS_SERVICE])
		print_uint(PRINT_ANY, "service", " service %llu",
			   mnl_attr_get_u16(tb[NFV_A_NF_COUNTERS_SERVICE]));
	if (tb[NFV_A_NF_COUNTERS_PUBLISHED])
		print_uint(PRINT_ANY, "published", " published %llu",
			   mnl_attr_get_u64(tb[NFV_A_NF_COUNTERS_PUBLISHED]));
	if (tb[NFV_A_NF_COUNTERS_REFUSED])
		print_uint(PRINT_ANY, "refused", " refused %llu",
			   mnl_attr_get_u64(tb[NFV_A_NF_COUNTERS_REFUSED]));
	print_nl();
	print_open_array("counters");
	genl_attr_for_each(a, nlh) {
		const struct nlattr *ct[NFV_A_NF_COUNTER_MAX + 1];

		if (mnl_attr_get_type(a) != NFV_A_NF_COUNTERS_COUNTER)
			continue;
		err = nest_parse(a, &nfv_nf_counter_nl_set, ct);
		if (err)
			break;
		if (!ct[NFV_A_NF_COUNTER_NAME] || !ct[NFV_A_NF_COUNTER_VALUE])
			continue;
		print_open_object(NULL);
		print_string(PRINT_ANY, "name", "    %s",
			     mnl_attr_get_str(ct[NFV_A_NF_COUNTER_NAME]));
		if (ct[NFV_A_NF_COUNTER_LABEL_NAME] &&
		    ct[NFV_A_NF_COUNTER_LABEL_VALUE]) {
			print_string(PRINT_ANY, "label_name", "{%s=",
				     mnl_attr_get_str(ct[NFV_A_NF_COUNTER_LABEL_NAME]));
			print_string(PRINT_ANY, "label_value", "\"%s\"}",
				     mnl_attr_get_str(ct[NFV_A_NF_COUNTER_LABEL_VALUE]));
		}
		print_uint(PRINT_ANY, "value", " %llu",
			   mnl_attr_get_u64(ct[NFV_A_NF_COUNTER_VALUE]));
		if (ct[NFV_A_NF_COUNTER_TYPE])
			print_string(PRINT_JSON, "type", NULL,
				     mnl_attr_get_u8(ct[NFV_A_NF_COUNTER_TYPE]) ==
				     NFV_COUNTER_TYPE_GAUGE ? "gauge" : "counter");
		if (ct[NFV_A_NF_COUNTER_HELP])
			print_string(PRINT_JSON, "help", NULL,
				     mnl_attr_get_str(ct[NFV_A_NF_COUNTER_HELP]));
		print_close_object();
		print_nl();
	}
	print_close_array();
	print_close_object();
	return err;
}

int parse_nf(int argc, char **argv, struct nfvctl_req *req)
{
	const char *cmd = argc > 0 ? *argv : "show";
	uint16_t id;
	int err;

	req->usage = usage;
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "show")) {
		req_dump(req, show_cb);
		if (argc == 0) {
			req_start(req, NFV_CMD_NF_GET, NLM_F_DUMP);
			return 0;
		}
		err = get_id(req, "nf id", *argv, NFV_NF_MAX - 1, &id);
		if (err)
			return err;
		if (argc > 1 && (!strcmp(argv[1], "-s") ||
				 !strcmp(argv[1], "-stats"))) {
			if (argc > 2)
				return invarg(req, "unexpected argument \"%s\" after nf show ID -s",
					      argv[2]);
			req->cb = counters_cb;
			req->nfvd = true;	/* nfvd keeps them */
			req_start(req, NFV_CMD_NF_COUNTERS_GET, 0);
			return req_put_u16(req, NFV_A_NF_COUNTERS_ID, id);
		}
		if (argc > 1)
			return invarg(req, "unexpected argument \"%s\" after nf show ID",
				      argv[1]);
		req_start(req, NFV_CMD_NF_GET, 0);
		return req_put_u16(req, NFV_A_NF_ID, id);
	}
	if (!strcmp(cmd, "help"))
		return NFVCTL_HELP;
	return invarg(req, "unknown command \"%s\" for nf: must be show", cmd);
}
