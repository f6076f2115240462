// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for building requests (argument checks with one-line errors,
 * bounds-checked attributes) and for reading replies (validated
 * attribute tables, names).
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>

#include "nfvctl.h"

/* ---- building requests ---- */

/* Record the first problem; returns -EINVAL for "return invarg(...)". */
int invarg(struct nfvctl_req *req, const char *fmt, ...)
{
	va_list ap;

	if (req->err[0])
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(req->err, sizeof(req->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal number in [min, max]: no sign, no blanks, no trailing junk. */
int get_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

int get_id(struct nfvctl_req *req, const char *what, const char *s,
	   uint32_t max, uint16_t *id)
{
	uint32_t v;

	if (!s)
		return invarg(req, "missing %s", what);
	if (get_u32(s, 1, max, &v))
		return invarg(req, "invalid %s \"%s\": must be 1..%u", what, s,
			      max);
	*id = (uint16_t)v;
	return 0;
}

int check_dev_name(struct nfvctl_req *req, const char *name)
{
	if (!name || !*name)
		return invarg(req, "missing device name");
	if (strlen(name) >= IF_NAMESIZE)
		return invarg(req, "invalid device name \"%s\": longer than %d characters",
			      name, IF_NAMESIZE - 1);
	if (strchr(name, '/') || strpbrk(name, " \t\n"))
		return invarg(req, "invalid device name \"%s\"", name);
	return 0;
}

int get_dev(struct nfvctl_req *req, const char *name, uint32_t *ifindex)
{
	int err = check_dev_name(req, name);

	if (err)
		return err;
	*ifindex = req->nametoindex ? req->nametoindex(name) : 0;
	if (!*ifindex)
		return invarg(req, "unknown device \"%s\"", name);
	return 0;
}

struct nlmsghdr *req_start(struct nfvctl_req *req, uint8_t cmd,
			   uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req->buf);
	struct genlmsghdr *g;

	/*
	 * A dump ends with NLMSG_DONE; anything else asks for an ack.  (The
	 * GET and NEW flag bits overlap: NLM_F_EXCL is NLM_F_MATCH.)
	 */
	if ((flags & NLM_F_DUMP) != NLM_F_DUMP)
		flags |= NLM_F_ACK;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NFV_GENL_VERSION;
	req->nlh = nlh;
	return nlh;
}

int req_put(struct nfvctl_req *req, uint16_t type, size_t len,
	    const void *data)
{
	if (!mnl_attr_put_check(req->nlh, req->size, type, len, data))
		return invarg(req, "too many arguments");
	return 0;
}

int req_put_u8(struct nfvctl_req *req, uint16_t type, uint8_t v)
{
	return req_put(req, type, sizeof(v), &v);
}

int req_put_u16(struct nfvctl_req *req, uint16_t type, uint16_t v)
{
	return req_put(req, type, sizeof(v), &v);
}

int req_put_u32(struct nfvctl_req *req, uint16_t type, uint32_t v)
{
	return req_put(req, type, sizeof(v), &v);
}

int req_put_strz(struct nfvctl_req *req, uint16_t type, const char *s)
{
	return req_put(req, type, strlen(s) + 1, s);
}

struct nlattr *req_nest_start(struct nfvctl_req *req, uint16_t type)
{
	struct nlattr *n = mnl_attr_nest_start_check(req->nlh, req->size,
						     type);

	if (!n)
		invarg(req, "too many arguments");
	return n;
}

void req_nest_end(struct nfvctl_req *req, struct nlattr *nest)
{
	mnl_attr_nest_end(req->nlh, nest);
}

void req_dump(struct nfvctl_req *req, reply_cb_t cb)
{
	req->cb = cb;
	req->array = true;
}

/* ---- reading replies ---- */

int attrs_parse(const void *start, size_t len, const struct nfv_nl_set *set,
		const struct nlattr **tb)
{
	struct nfv_nl_err e;
	unsigned int t;
	int err;

	err = nfv_nl_parse(set, start, len, NFV_NL_LENIENT, tb, &e);
	if (err)
		return -EPROTO;
	for (t = 0; t <= set->maxattr; t++)
		if (tb[t] && set->policy[t].type == NLA_BINARY &&
		    mnl_attr_get_payload_len(tb[t]) != 4 &&
		    mnl_attr_get_payload_len(tb[t]) != 16)
			return -EPROTO;	/* only addresses are binary */
	return 0;
}

int genl_parse(const struct nlmsghdr *nlh, const struct nfv_nl_set *set,
	       const struct nlattr **tb)
{
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EPROTO;
	return attrs_parse(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			   mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN,
			   set, tb);
}

int nest_parse(const struct nlattr *nest, const struct nfv_nl_set *set,
	       const struct nlattr **tb)
{
	return attrs_parse(mnl_attr_get_payload(nest),
			   mnl_attr_get_payload_len(nest), set, tb);
}

/* The netdev's name in nfvctl's netns, or "if<N>" if it has none here. */
const char *ifname(uint32_t ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

const char *proto_name(uint8_t proto, char *buf, size_t size)
{
	switch (proto) {
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	case IPPROTO_SCTP:
		return "sctp";
	}
	snprintf(buf, size, "%u", proto);
	return buf;
}

void print_u16_list(const struct nlmsghdr *nlh, uint16_t type,
		    const char *key)
{
	const struct nlattr *attr;

	print_string(PRINT_FP, NULL, " %s", key);
	print_open_array(key);
	genl_attr_for_each(attr, nlh)
		if (mnl_attr_get_type(attr) == type)
			print_uint(PRINT_ANY, NULL, " %llu",
				   mnl_attr_get_u16(attr));
	print_close_array();
}
