// SPDX-License-Identifier: GPL-2.0
/*
 * nfvd --config FILE: a configuration applied at start.
 *
 * FILE is an nfvctl -batch file of configuration commands (what "nfvctl
 * save" prints: port add, chain add|replace, flow add), parsed by the
 * very code nfvctl parses it with (tools/nfvctl/config_line.c and the
 * object parsers) and handled as root's requests through
 * control_handle(), as if nfvctl had sent them: the same checks, the
 * same journal in the state file.
 *
 * It is applied only to an empty fabric: when the state file restored a
 * configuration (nfvd restarted after a crash, or after a stop), that
 * one stands and FILE is not applied over it.  --reset --config FILE
 * starts from FILE.  A line that fails (does not parse, or is refused)
 * is logged as FILE:LINE: why; what the lines before it made is undone
 * in reverse order and nfvd exits with status 1.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "config.h"
#include "config_line.h"
#include "dispatch.h"
#include "dpif.h"
#include "heartbeat.h"
#include "nfvd.h"
#include "tables.h"

/* A request applied, kept to be undone. */
struct applied {
	struct applied *prev;
	union {
		char buf[NFVCTL_MSG_SIZE];
		struct nlmsghdr nlh;
	} msg;
};

static bool fabric_empty(const struct nfvd *d)
{
	int i;

	for (i = 1; i < NFV_PORT_MAX; i++)
		if (d->ports[i].id)
			return false;
	for (i = 1; i <= NFV_CHAIN_MAX; i++)
		if (d->tables->chains[i].n_hops)
			return false;
	return !d->n_flows;
}

static unsigned int nametoindex(const char *name)
{
	return if_nametoindex(name);
}

static uint8_t cmd_of(const struct nlmsghdr *nlh)
{
	return ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
}

/*
 * Handle @nlh as root's request; -errno and the message in *@msg if
 * refused.  A port whose device still has the classifier of an nfvd
 * that died (its heartbeat not stale yet) is retried until it is, as the
 * state file's replay does.
 */
static int handle(struct nfvd *d, struct nlmsghdr *nlh, const char **msg)
{
	struct nfvd_client c = { .fd = -1, .uid = 0 };
	uint64_t give_up = nfvd_now_ns() +
		((uint64_t)d->cfg.heartbeat_timeout_ms + 3000) * 1000000ULL;

	nlh->nlmsg_type = NLMSG_MIN_TYPE;
	for (;;) {
		c.last_err = 0;
		c.last_msg = NULL;
		control_handle(d, &c, nlh, nlh->nlmsg_len, NULL, 0);
		if (c.last_err != -EBUSY || cmd_of(nlh) != NFV_CMD_PORT_NEW ||
		    nfvd_now_ns() > give_up)
			break;
		heartbeat_tick(d);
		usleep(20000);
	}
	*msg = c.last_msg;
	return c.last_err;
}

/*
 * The request that undoes @nlh, in @buf: PORT_DEL of its device,
 * CHAIN_DEL of its id, FLOW_DEL of its match.
 */
static struct nlmsghdr *undo_of(const struct nlmsghdr *nlh, void *buf)
{
	static const struct {
		uint8_t cmd, del;
		uint16_t keep[2];	/* attributes the DEL carries, 0: all */
	} undo[] = {
		{ NFV_CMD_PORT_NEW, NFV_CMD_PORT_DEL,
		  { NFV_A_PORT_IFINDEX, NFV_A_PORT_NAME } },
		{ NFV_CMD_CHAIN_NEW, NFV_CMD_CHAIN_DEL, { NFV_A_CHAIN_ID } },
		{ NFV_CMD_FLOW_NEW, NFV_CMD_FLOW_DEL, { 0 } },
	};
	const struct nlattr *a;
	struct genlmsghdr *g;
	struct nlmsghdr *del;
	size_t i;

	for (i = 0; i < sizeof(undo) / sizeof(undo[0]); i++)
		if (undo[i].cmd == cmd_of(nlh))
			break;
	if (i == sizeof(undo) / sizeof(undo[0]))
		return NULL;
	del = mnl_nlmsg_put_header(buf);
	del->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(del, sizeof(*g));
	g->cmd = undo[i].del;
	g->version = NFV_GENL_VERSION;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		uint16_t t = mnl_attr_get_type(a);

		if (undo[i].keep[0] ? t != undo[i].keep[0] && t != undo[i].keep[1] :
		    t == NFV_A_FLOW_CHAIN)
			continue;
		mnl_attr_put(del, t, mnl_attr_get_payload_len(a),
			     mnl_attr_get_payload(a));
	}
	return del;
}

/* Undo what @last and the requests before it made, newest first. */
static void undo_all(struct nfvd *d, struct applied *last)
{
	union {
		char buf[NFVCTL_MSG_SIZE];
		struct nlmsghdr align;
	} del;
	const char *msg;
	int err;

	for (; last; last = last->prev) {
		struct nlmsghdr *nlh = undo_of(&last->msg.nlh, del.buf);

		if (!nlh)
			continue;
		err = handle(d, nlh, &msg);
		/* A chain replaced twice is deleted once. */
		if (err && err != -ENOENT)
			pr_warn("nfvd: --config: cannot undo a request (command %u): %s%s%s\n",
				cmd_of(&last->msg.nlh), strerror(-err),
				msg ? ": " : "", msg ?: "");
	}
}

static void free_all(struct applied *last)
{
	while (last) {
		struct applied *prev = last->prev;

		free(last);
		last = prev;
	}
}

int config_apply(struct nfvd *d)
{
	const char *path = d->cfg.config_path, *msg;
	struct applied *last = NULL, *a;
	char *line = NULL, *argv[CONFIG_LINE_ARGS];
	int n = 0, lineno = 0, err = 0;
	size_t size = 0;
	FILE *f;

	if (!path)
		return 0;
	if (strcmp(d->dp->name, "daemon")) {
		pr_warn("nfvd: --config %s not applied: nfv.ko keeps the configuration (apply it with nfvctl -b kernel -batch FILE)\n",
			path);
		return 0;
	}
	if (!fabric_empty(d)) {
		pr_info("nfvd: --config %s not applied: the configuration restored from the state file stands (--reset starts from the file)\n",
			path);
		return 0;
	}
	f = fopen(path, "re");
	if (!f) {
		pr_warn("nfvd: --config: cannot open %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	while (getline(&line, &size, f) >= 0) {
		struct nfvctl_req req = { .nametoindex = nametoindex };
		int argc;

		lineno++;
		/* A long file: the classifier must not think nfvd gone. */
		if (!(lineno & 4095))
			heartbeat_tick(d);
		argc = config_line_split(line, argv, CONFIG_LINE_ARGS);
		if (!argc)
			continue;
		a = calloc(1, sizeof(*a));
		if (!a) {
			err = -ENOMEM;
			pr_warn("nfvd: %s:%d: %s\n", path, lineno,
				strerror(ENOMEM));
			break;
		}
		req.buf = a->msg.buf;
		req.size = sizeof(a->msg.buf);
		if (argc < 0) {
			snprintf(req.err, sizeof(req.err), "too many words");
			err = -E2BIG;
		} else {
			err = config_line_parse(argc, argv, &req);
		}
		if (err) {
			pr_warn("nfvd: %s:%d: %s\n", path, lineno, req.err);
			free(a);
			break;
		}
		req.nlh->nlmsg_seq = (uint32_t)lineno;
		err = handle(d, req.nlh, &msg);
		if (err) {
			pr_warn("nfvd: %s:%d: %s\n", path, lineno,
				msg ?: strerror(-err));
			free(a);
			break;
		}
		a->prev = last;
		last = a;
		n++;
	}
	if (!err && ferror(f)) {
		err = -EIO;
		pr_warn("nfvd: --config: cannot read %s\n", path);
	}
	free(line);
	fclose(f);
	if (err) {
		undo_all(d, last);
		pr_warn("nfvd: --config %s not applied: what its %d lines before line %d made was undone\n",
			path, n, lineno);
	} else {
		pr_info("nfvd: --config %s: %d commands applied\n", path, n);
	}
	free_all(last);
	return err ? 1 : 0;	/* logged above */
}
