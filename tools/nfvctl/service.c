// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl service show
 *
 * Request: SERVICE_GET, dump.  Replies: one SERVICE_GET message per
 * service with live replicas: ID and REPLICA (multi-attr, in order).
 */
#include <errno.h>

#include "nfvctl.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: nfvctl service show\n");
}

/* service SID replicas NF... */
static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_SERVICE_MAX + 1];
	int err;

	err = genl_parse(nlh, &nfv_service_nl_set, tb);
	if (err)
		return err;

	print_open_object(NULL);
	if (tb[NFV_A_SERVICE_ID])
		print_uint(PRINT_ANY, "id", "service %llu",
			   mnl_attr_get_u16(tb[NFV_A_SERVICE_ID]));
	print_u16_list(nlh, NFV_A_SERVICE_REPLICA, "replicas");
	print_close_object();
	print_nl();
	return 0;
}

int parse_service(int argc, char **argv, struct nfvctl_req *req)
{
	const char *cmd = argc > 0 ? *argv : "show";

	req->usage = usage;
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "show")) {
		if (argc > 0)
			return invarg(req, "unexpected argument \"%s\" after service show",
				      *argv);
		req_dump(req, show_cb);
		req_start(req, NFV_CMD_SERVICE_GET, NLM_F_DUMP);
		return 0;
	}
	if (!strcmp(cmd, "help"))
		return NFVCTL_HELP;
	return invarg(req, "unknown command \"%s\" for service: must be show",
		      cmd);
}
