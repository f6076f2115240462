// SPDX-License-Identifier: GPL-2.0
/*
 * What only nfvd knows, for replies of the kernel backend.
 *
 * nfv.ko keeps the tables and the NFs' lifecycle, but the UMEM and its
 * frames are nfvd's, and so are the NFs' counters (in shared memory with
 * nfvd): the module's STATS_GET has no FRAMES_*, BAD_DESC or RECLAIMED,
 * and its NF_GET no counters.  With -b kernel, "stats" and "nf show" also
 * ask nfvd (its socket: -s, $NFV_SOCKET or the default) for its STATS_GET
 * and complete the module's answer with it: frame figures, and each NF's
 * counters by id.  Without nfvd they print what the module has.
 */
#include <errno.h>
#include <stdlib.h>

#include "nfvctl.h"
#include "backend.h"
#include "nfvd_view.h"

struct nfvd_view {
	struct nlmsghdr *msg;		/* nfvd's STATS_GET reply */
};

static int keep_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nfvd_view *v = data;

	if (v->msg || mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return 0;
	v->msg = malloc(nlh->nlmsg_len);
	if (!v->msg)
		return -ENOMEM;
	memcpy(v->msg, nlh, nlh->nlmsg_len);
	return 0;
}

struct nfvd_view *nfvd_view_fetch(const char *socket)
{
	union {
		char buf[256];
		struct nlmsghdr align;
	} req;
	struct nfvd_view *v = calloc(1, sizeof(*v));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req.buf);
	struct genlmsghdr *g;
	struct backend *b;
	const char *ext;
	char err[256];

	if (!v)
		return NULL;
	b = backend_open(BACKEND_DAEMON, socket, err, sizeof(err));
	if (!b) {
		free(v);
		return NULL;
	}
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;	/* ends the answer */
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = NFV_CMD_STATS_GET;
	g->version = NFV_GENL_VERSION;
	if (backend_send(b, nlh) || backend_recv(b, keep_cb, v, &ext) ||
	    !v->msg) {
		nfvd_view_free(v);
		v = NULL;
	}
	backend_close(b);
	return v;
}

void nfvd_view_free(struct nfvd_view *v)
{
	if (!v)
		return;
	free(v->msg);
	free(v);
}

const struct nlattr *nfvd_view_attr(const struct nfvd_view *v, uint16_t type)
{
	const struct nlattr *a;

	if (!v)
		return NULL;
	mnl_attr_for_each(a, v->msg, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

/* The NF nest of @id in nfvd's reply. */
static const struct nlattr *view_nf(const struct nfvd_view *v, uint16_t id)
{
	const struct nlattr *a, *b;

	mnl_attr_for_each(a, v->msg, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != NFV_A_STATS_NF)
			continue;
		mnl_attr_for_each_nested(b, a)
			if (mnl_attr_get_type(b) == NFV_A_NF_ID &&
			    mnl_attr_get_payload_len(b) >= sizeof(uint16_t) &&
			    mnl_attr_get_u16(b) == id)
				return a;
	}
	return NULL;
}

/* Attributes the module gives about an NF: nfvd's are not added. */
static bool module_has(uint16_t type)
{
	return type == NFV_A_NF_ID || type == NFV_A_NF_SERVICE ||
	       type == NFV_A_NF_NAME || type == NFV_A_NF_PID ||
	       type == NFV_A_NF_FLAGS || type == NFV_A_NF_STATE;
}

int nfvd_view_nf_print(const struct nfvd_view *v, const void *attrs,
		       size_t len)
{
	static char buf[8192];
	const struct nlattr *attr, *nest = NULL, *b;
	size_t n;

	mnl_attr_for_each_payload(attrs, len) {
		if (v && mnl_attr_get_type(attr) == NFV_A_NF_ID &&
		    mnl_attr_get_payload_len(attr) >= sizeof(uint16_t))
			nest = view_nf(v, mnl_attr_get_u16(attr));
	}
	if (!nest || len > sizeof(buf))
		return nf_print(attrs, len);
	memcpy(buf, attrs, len);
	n = NLA_ALIGN(len);
	mnl_attr_for_each_nested(b, nest) {
		size_t blen = NLA_ALIGN(b->nla_len);

		if (module_has(mnl_attr_get_type(b)) || b->nla_len < NLA_HDRLEN)
			continue;
		if (n + blen > sizeof(buf))
			break;
		memcpy(buf + n, b, b->nla_len);
		n += blen;
	}
	return nf_print(buf, n);
}
