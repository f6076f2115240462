// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl stats
 *
 * Request: STATS_GET, do.  Reply: one STATS_GET message: FRAMES_TOTAL,
 * FRAMES_FREE, FRAMES_FILL, FRAMES_INFLIGHT (u32), BAD_DESC, RECLAIMED
 * (u64), BACKEND (string), PORT and NF nests (multi-attr, the port and nf
 * attribute sets).
 */
#include <errno.h>

#include "nfvctl.h"
#include "nfvd_view.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: nfvctl stats [show]\n");
}

static uint64_t get(const struct nlattr *a)
{
	if (!a)
		return 0;
	return mnl_attr_get_payload_len(a) == 8 ? mnl_attr_get_u64(a) :
						  mnl_attr_get_u32(a);
}

/* The nests of @type, each printed by @print, as the JSON array @key. */
static int print_nests(const struct nlmsghdr *nlh, uint16_t type,
		       const char *key,
		       int (*print)(const void *attrs, size_t len))
{
	const struct nlattr *attr;
	int err;

	print_open_array(key);
	genl_attr_for_each(attr, nlh) {
		if (mnl_attr_get_type(attr) != type)
			continue;
		err = print(mnl_attr_get_payload(attr),
			    mnl_attr_get_payload_len(attr));
		if (err)
			return err;
	}
	print_close_array();
	return 0;
}

/*
 * With the kernel backend (@data: nfvd's view, see nfvd_view.c) the
 * frame figures and the NFs' counters are nfvd's.
 *
 * backend NAME
 * frames total N free N fill N inflight N
 *        kernel N held N transit N tx N tapped N
 * bad_desc N reclaimed N refused N forged_tx N loop_drop N
 * port ... (one line each)
 * nf ... (one line each)
 */
static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	static const uint16_t nfvd_figures[] = {
		NFV_A_STATS_FRAMES_TOTAL, NFV_A_STATS_FRAMES_FREE,
		NFV_A_STATS_FRAMES_FILL, NFV_A_STATS_FRAMES_INFLIGHT,
		NFV_A_STATS_BAD_DESC, NFV_A_STATS_RECLAIMED,
		NFV_A_STATS_FRAMES_KERNEL, NFV_A_STATS_FRAMES_HELD,
		NFV_A_STATS_FRAMES_TRANSIT, NFV_A_STATS_FRAMES_TX,
		NFV_A_STATS_FRAMES_TAPPED, NFV_A_STATS_REFUSED,
		NFV_A_STATS_FORGED_TX, NFV_A_STATS_LOOP_DROP,
	};
	const struct nlattr *tb[NFV_A_STATS_MAX + 1], *attr;
	const struct nfvd_view *view = data;
	size_t i;
	int err;

	err = genl_parse(nlh, &nfv_stats_nl_set, tb);
	if (err)
		return err;
	for (i = 0; i < sizeof(nfvd_figures) / sizeof(nfvd_figures[0]); i++) {
		const struct nlattr *a = nfvd_view_attr(view, nfvd_figures[i]);

		if (!tb[nfvd_figures[i]] && a &&
		    mnl_attr_validate(a, nfv_nl_mnl_type(&nfv_stats_nl_set,
						  nfvd_figures[i])) >= 0)
			tb[nfvd_figures[i]] = a;
	}

	print_open_object(NULL);
	print_string(PRINT_ANY, "backend", "backend %s\n",
		     tb[NFV_A_STATS_BACKEND] ?
		     mnl_attr_get_str(tb[NFV_A_STATS_BACKEND]) : "unknown");
	print_open_object("frames");
	print_uint(PRINT_ANY, "total", "frames total %llu",
		   get(tb[NFV_A_STATS_FRAMES_TOTAL]));
	print_uint(PRINT_ANY, "free", " free %llu",
		   get(tb[NFV_A_STATS_FRAMES_FREE]));
	print_uint(PRINT_ANY, "fill", " fill %llu",
		   get(tb[NFV_A_STATS_FRAMES_FILL]));
	print_uint(PRINT_ANY, "inflight", " inflight %llu\n",
		   get(tb[NFV_A_STATS_FRAMES_INFLIGHT]));
	/* Where the in-flight ones are, by nfvd's ledger (if it says). */
	if (tb[NFV_A_STATS_FRAMES_HELD]) {
		print_uint(PRINT_ANY, "kernel", "       kernel %llu",
			   get(tb[NFV_A_STATS_FRAMES_KERNEL]));
		print_uint(PRINT_ANY, "held", " held %llu",
			   get(tb[NFV_A_STATS_FRAMES_HELD]));
		print_uint(PRINT_ANY, "transit", " transit %llu",
			   get(tb[NFV_A_STATS_FRAMES_TRANSIT]));
		print_uint(PRINT_ANY, "tx", " tx %llu",
			   get(tb[NFV_A_STATS_FRAMES_TX]));
		print_uint(PRINT_ANY, "tapped", " tapped %llu\n",
			   get(tb[NFV_A_STATS_FRAMES_TAPPED]));
	}
	print_close_object();
	print_uint(PRINT_ANY, "bad_desc", "bad_desc %llu",
		   get(tb[NFV_A_STATS_BAD_DESC]));
	print_uint(PRINT_ANY, "reclaimed", " reclaimed %llu",
		   get(tb[NFV_A_STATS_RECLAIMED]));
	if (tb[NFV_A_STATS_REFUSED]) {
		print_uint(PRINT_ANY, "refused", " refused %llu",
			   get(tb[NFV_A_STATS_REFUSED]));
		print_uint(PRINT_ANY, "forged_tx", " forged_tx %llu",
			   get(tb[NFV_A_STATS_FORGED_TX]));
		print_uint(PRINT_ANY, "loop_drop", " loop_drop %llu",
			   get(tb[NFV_A_STATS_LOOP_DROP]));
	}
	print_nl();
	err = print_nests(nlh, NFV_A_STATS_PORT, "ports", port_print);
	if (err)
		return err;
	print_open_array("nfs");
	genl_attr_for_each(attr, nlh) {
		if (mnl_attr_get_type(attr) != NFV_A_STATS_NF)
			continue;
		err = nfvd_view_nf_print(view, mnl_attr_get_payload(attr),
					 mnl_attr_get_payload_len(attr));
		if (err)
			return err;
	}
	print_close_array();
	print_close_object();
	return 0;
}

int parse_stats(int argc, char **argv, struct nfvctl_req *req)
{
	req->usage = usage;
	if (argc > 0 && !strcmp(*argv, "help"))
		return NFVCTL_HELP;
	if (argc > 0 && strcmp(*argv, "show"))
		return invarg(req, "unknown command \"%s\" for stats: must be show or nothing",
			      *argv);
	if (argc > 1)
		return invarg(req, "unexpected argument \"%s\" after stats",
			      argv[1]);
	req->cb = stats_cb;
	req_start(req, NFV_CMD_STATS_GET, 0);
	return 0;
}
