// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: nfvctl's grammar, nfvctl_parse() (tools/nfvctl),
 * which turns OBJECT COMMAND ARGS into one generic netlink request with
 * no I/O.
 *
 * Input: the words of a command line, separated by NUL, space, tab or
 * newline; each word gets a heap buffer of exactly its size (ASan sees a
 * read past it).  DEV names resolve through a fake resolver: names of up to 4
 * characters get an ifindex derived from the name, longer ones are
 * unknown devices.
 *
 * The parser must return one of:
 *   NFVCTL_HELP  with a usage function (called, into /dev/null);
 *   -EINVAL      with a one-line message in req.err (non-empty,
 *                NUL-terminated, no newline);
 *   0            with one well-formed request in req.buf: mnl_nlmsg_ok()
 *                within the buffer, NLM_F_REQUEST, a genl header with a
 *                command nfvctl sends and NFV_GENL_VERSION, an ack or a
 *                dump asked for, and attributes that fill the message
 *                exactly, each of a type its command's attribute set
 *                has, hop nests walked the same way.
 * Anything else aborts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfvctl.h"

#define MAX_WORDS	64

static FILE *devnull;

static unsigned int fake_nametoindex(const char *name)
{
	unsigned int h = 5381;

	if (strlen(name) > 4)
		return 0;
	while (*name)
		h = h * 33 + (unsigned char)*name++;
	return 1 + h % 4096;
}

/* Largest attribute type of each command's set; 0: nfvctl never sends it. */
static uint16_t max_attr(uint8_t cmd)
{
	switch (cmd) {
	case NFV_CMD_PORT_NEW:
	case NFV_CMD_PORT_DEL:
	case NFV_CMD_PORT_GET:
		return NFV_A_PORT_MAX;
	case NFV_CMD_CHAIN_NEW:
	case NFV_CMD_CHAIN_DEL:
	case NFV_CMD_CHAIN_GET:
		return NFV_A_CHAIN_MAX;
	case NFV_CMD_FLOW_NEW:
	case NFV_CMD_FLOW_DEL:
	case NFV_CMD_FLOW_GET:
		return NFV_A_FLOW_MAX;
	case NFV_CMD_NF_GET:
		return NFV_A_NF_MAX;
	case NFV_CMD_SERVICE_GET:
		return NFV_A_SERVICE_MAX;
	case NFV_CMD_STATS_GET:
	case NFV_CMD_EVENTS_SUBSCRIBE:	/* no attribute: none will be found */
		return NFV_A_STATS_MAX;
	case NFV_CMD_OFFLOAD_DEL:
	case NFV_CMD_OFFLOAD_GET:
		return NFV_A_OFFLOAD_MAX;
	case NFV_CMD_NF_COUNTERS_GET:	/* nf show ID -s */
		return NFV_A_NF_COUNTERS_MAX;
	default:
		return 0;
	}
}

static bool is_chain_cmd(uint8_t cmd)
{
	return cmd == NFV_CMD_CHAIN_NEW || cmd == NFV_CMD_CHAIN_DEL ||
	       cmd == NFV_CMD_CHAIN_GET;
}

/* Attributes in [start, start + len): all of types 1..max, no leftovers. */
static void check_attrs(const void *start, size_t len, uint16_t max,
			bool chain, int *hops)
{
	const struct nlattr *attr;
	size_t used = 0;

	mnl_attr_for_each_payload(start, len) {
		uint16_t type = mnl_attr_get_type(attr);

		if (!type || type > max || attr->nla_len < MNL_ATTR_HDRLEN)
			abort();
		used = (size_t)((const char *)attr - (const char *)start) +
		       MNL_ALIGN(attr->nla_len);
		if (chain && type == NFV_A_CHAIN_HOP) {
			check_attrs(mnl_attr_get_payload(attr),
				    mnl_attr_get_payload_len(attr),
				    NFV_A_HOP_MAX, false, NULL);
			++*hops;
		}
	}
	if (used != len)
		abort();
}

static void check_request(const struct nfvctl_req *req)
{
	const struct nlmsghdr *nlh = req->nlh;
	const struct genlmsghdr *g;
	uint16_t max;
	int hops = 0;

	if ((void *)nlh != req->buf || !mnl_nlmsg_ok(nlh, (int)req->size))
		abort();
	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		abort();
	/* Every request wants an answer: an ack, or a dump's NLMSG_DONE. */
	if (!(nlh->nlmsg_flags & NLM_F_ACK) &&
	    (nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		abort();
	g = mnl_nlmsg_get_payload(nlh);
	max = max_attr(g->cmd);
	if (!max || g->version != NFV_GENL_VERSION)
		abort();
	check_attrs(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
		    mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN, max,
		    is_chain_cmd(g->cmd), &hops);
	if (hops > NFV_HOPS_MAX)
		abort();
	if (g->cmd == NFV_CMD_CHAIN_NEW && !hops)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS + 1];
	struct nfvctl_req req;
	void *buf;
	size_t i = 0;
	int argc = 0, ret;

	while (i < size && argc < MAX_WORDS) {
		size_t start, n;

		while (i < size && memchr(" \t\n", data[i], 4))
			i++;	/* the 4th separator is the NUL */
		start = i;
		while (i < size && !memchr(" \t\n", data[i], 4))
			i++;
		n = i - start;
		if (!n)
			break;
		argv[argc] = malloc(n + 1);
		memcpy(argv[argc], data + start, n);
		argv[argc++][n] = 0;
	}
	argv[argc] = NULL;

	buf = calloc(1, NFVCTL_MSG_SIZE);
	memset(&req, 0, sizeof(req));
	req.buf = buf;
	req.size = NFVCTL_MSG_SIZE;
	req.nametoindex = fake_nametoindex;
	ret = nfvctl_parse(argc, argv, &req);
	switch (ret) {
	case NFVCTL_HELP:
		if (!req.usage)
			abort();
		req.usage(devnull);
		break;
	case -EINVAL:
		if (!req.err[0] || !memchr(req.err, 0, sizeof(req.err)) ||
		    strchr(req.err, '\n'))
			abort();
		break;
	case 0:
		check_request(&req);
		break;
	default:
		abort();
	}

	free(buf);
	while (argc > 0)
		free(argv[--argc]);
	return 0;
}
