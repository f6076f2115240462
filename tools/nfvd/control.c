// SPDX-License-Identifier: GPL-2.0
/*
 * The control API on nfvd's unix socket: the generic netlink messages of
 * the "nfv" family (uapi/linux/nfv.h), answered the way the kernel answers
 * them: data messages (NLM_F_MULTI + NLMSG_DONE for dumps), NLMSG_ERROR
 * with an extack message on failure, an ack when NLM_F_ACK is set.
 *
 * Every request is validated completely before anything changes, so a
 * refused request leaves every table as it was.
 *
 * Every message goes out through client_send() (client.c): nfvd never
 * waits for a client to read.  Dumps are answered as the client reads
 * (control_dump_next()), one message at a time from a cursor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <linux/nfv_chain_rules.h>
#include <linux/nfv_match.h>

#include "nfvd.h"

/* ---- validation ---- */

struct pol {
	enum mnl_attr_data_type type;	/* MNL_TYPE_UNSPEC: not allowed */
	uint32_t min, max;		/* integers: range; strings: max len */
};

/*
 * Parse the attributes of @req (after the genl header) or of @nest into
 * @tb, checking each against @pol: unknown, duplicated, mistyped or
 * out-of-range attributes are refused with a message naming them.
 */
static int parse_attrs(struct nfvd_req *req, const struct nlattr *nest,
		       const struct pol *pol, int max, const struct nlattr **tb)
{
	const struct nlattr *a;
	const void *start;
	size_t len;

	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	if (nest) {
		start = mnl_attr_get_payload(nest);
		len = mnl_attr_get_payload_len(nest);
	} else {
		start = (const char *)mnl_nlmsg_get_payload(req->nlh) +
			sizeof(struct genlmsghdr);
		len = req->nlh->nlmsg_len - NLMSG_HDRLEN -
		      sizeof(struct genlmsghdr);
	}
	for (a = start; mnl_attr_ok(a, (int)((const char *)start + len -
					     (const char *)a));
	     a = mnl_attr_next(a)) {
		uint16_t t = mnl_attr_get_type(a);
		const struct pol *p;
		uint64_t v = 0;

		if (t > max || pol[t].type == MNL_TYPE_UNSPEC) {
			REQ_ERR_ATTR(req, a, "unknown attribute");
			return -EINVAL;
		}
		p = &pol[t];
		if (tb[t] && p->type != MNL_TYPE_NESTED) {
			REQ_ERR_ATTR(req, a, "duplicate attribute");
			return -EINVAL;
		}
		if (mnl_attr_validate(a, p->type) < 0) {
			REQ_ERR_ATTR(req, a, "attribute has the wrong type");
			return -EINVAL;
		}
		switch (p->type) {
		case MNL_TYPE_U8:
			v = mnl_attr_get_u8(a);
			break;
		case MNL_TYPE_U16:
			v = mnl_attr_get_u16(a);
			break;
		case MNL_TYPE_U32:
			v = mnl_attr_get_u32(a);
			break;
		case MNL_TYPE_NUL_STRING:
			if (mnl_attr_get_payload_len(a) > p->max) {
				REQ_ERR_ATTR(req, a, "string too long");
				return -EINVAL;
			}
			break;
		case MNL_TYPE_BINARY:
			if (mnl_attr_get_payload_len(a) != 4 &&
			    mnl_attr_get_payload_len(a) != 16) {
				REQ_ERR_ATTR(req, a,
					     "address must be 4 or 16 bytes");
				return -EINVAL;
			}
			break;
		default:
			break;
		}
		if ((p->type == MNL_TYPE_U8 || p->type == MNL_TYPE_U16 ||
		     p->type == MNL_TYPE_U32) && p->max &&
		    (v < p->min || v > p->max)) {
			REQ_ERR_ATTR(req, a, "value out of range");
			return -ERANGE;
		}
		if (!tb[t])
			tb[t] = a;
	}
	if ((const char *)a != (const char *)start + len &&
	    (const char *)start + len - (const char *)a >= 4) {
		REQ_ERR(req, "truncated attribute");
		return -EINVAL;
	}
	return 0;
}

static bool is_admin(struct nfvd_req *req)
{
	if (req->c->uid == 0)
		return true;
	REQ_ERR(req, "operation requires root");
	return false;
}

/* ---- replies ---- */

struct nlmsghdr *control_reply_start(struct nfvd_req *req, void *buf,
				     uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = nfv_msg_start(buf, cmd, 0,
					     req->nlh->nlmsg_seq);

	nlh->nlmsg_flags = flags;
	nlh->nlmsg_type = req->nlh->nlmsg_type;
	nlh->nlmsg_pid = req->nlh->nlmsg_pid;
	return nlh;
}

int control_reply(struct nfvd_req *req, struct nlmsghdr *nlh,
		  const int *fds, int n_fds)
{
	return client_send(req->d, req->c, nlh, fds, n_fds);
}

static void send_error(struct nfvd_req *req, int err)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlh->nlmsg_seq;
	nlh->nlmsg_pid = req->nlh->nlmsg_pid;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	/* Echo the request header only (NLM_F_CAPPED), like the kernel. */
	e->msg = *req->nlh;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	if (err && req->err_msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, req->err_msg);
		if (req->err_off)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, req->err_off);
	}
	client_send(req->d, req->c, nlh, NULL, 0);
}

static void send_done(struct nfvd_req *req)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *zero;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = req->nlh->nlmsg_seq;
	zero = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*zero = 0;
	client_send(req->d, req->c, nlh, NULL, 0);
}

void control_notify(struct nfvd *d, uint8_t cmd, uint16_t id)
{
	pr_debug("nfvd: event cmd %u id %u\n", cmd, id);
}

/*
 * Replies for GET: a dump gets one message per object with NLM_F_MULTI
 * and NLMSG_DONE; a DO gets its one message.
 */
static bool is_dump(struct nfvd_req *req)
{
	return (req->nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/* The end of a request: its error, NLMSG_DONE of a dump or an ack. */
static void answer(struct nfvd_req *req, int err)
{
	if (err < 0)
		send_error(req, err);
	else if (is_dump(req))
		send_done(req);
	else if (req->nlh->nlmsg_flags & NLM_F_ACK)
		send_error(req, 0);
}

static int dump_start(struct nfvd_req *req, uint8_t cmd)
{
	struct nfvd_dump *dp = &req->c->dump;

	memset(dp, 0, sizeof(*dp));
	dp->cmd = cmd;
	dp->req = *req->nlh;
	dp->pos = 1;
	dp->flow = req->d->flows;
	return CONTROL_DUMP;
}

/* ---- ports ---- */

static const struct pol port_pol[NFV_A_PORT_MAX + 1] = {
	[NFV_A_PORT_IFINDEX] = { MNL_TYPE_U32, 1, INT32_MAX },
	[NFV_A_PORT_NAME] = { MNL_TYPE_NUL_STRING, 0, IF_NAMESIZE },
	/* Only from the state file: ports get their ids back. */
	[NFV_A_PORT_ID] = { MNL_TYPE_U16, 1, NFV_PORT_MAX - 1 },
	[NFV_A_PORT_MODE] = { MNL_TYPE_U8, 0, __NFV_PORT_MODE_MAX - 1 },
	[NFV_A_PORT_DEFAULT_CHAIN] = { MNL_TYPE_U16, 0, NFV_CHAIN_MAX },
	[NFV_A_PORT_FLAGS] = { MNL_TYPE_U32 },
	[NFV_A_PORT_DECAP] = { MNL_TYPE_U8, 0, __NFV_PORT_DECAP_MAX - 1 },
	[NFV_A_PORT_VXLAN_PORT] = { MNL_TYPE_U16, 1, UINT16_MAX },
	[NFV_A_PORT_VNI] = { MNL_TYPE_U32, 0, NFV_VNI_MAX },
};

static void put_port(struct nfvd *d, struct nlmsghdr *nlh,
		     const struct nfvd_port *p, bool stats)
{
	mnl_attr_put_u32(nlh, NFV_A_PORT_IFINDEX, p->ifindex);
	mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, p->name);
	mnl_attr_put_u16(nlh, NFV_A_PORT_ID, p->id);
	mnl_attr_put_u8(nlh, NFV_A_PORT_MODE, p->mode);
	mnl_attr_put_u16(nlh, NFV_A_PORT_DEFAULT_CHAIN, p->default_chain);
	mnl_attr_put_u32(nlh, NFV_A_PORT_FLAGS, p->flags);
	mnl_attr_put_u32(nlh, NFV_A_PORT_QUEUES, p->n_queues);
	mnl_attr_put_u8(nlh, NFV_A_PORT_DECAP, p->decap.kind);
	if (p->decap.kind == NFV_PORT_DECAP_VXLAN)
		mnl_attr_put_u16(nlh, NFV_A_PORT_VXLAN_PORT,
				 p->decap.vxlan_port);
	if (p->decap.has_vni)
		mnl_attr_put_u32(nlh, NFV_A_PORT_VNI, p->decap.vni);
	if (stats) {
		uint64_t cnt[__NFV_XDP_COUNTER_MAX];
		struct nlattr *n;
		int i;

		if (tables_port_stats(d, p->id, cnt))
			return;
		n = mnl_attr_nest_start(nlh, NFV_A_PORT_STATS);
		for (i = 0; i < __NFV_XDP_COUNTER_MAX; i++)
			mnl_attr_put_u64(nlh, (uint16_t)(i + 1), cnt[i]);
		mnl_attr_nest_end(nlh, n);
	}
}

static struct nfvd_port *lookup_port(struct nfvd_req *req,
				     const struct nlattr **tb)
{
	struct nfvd_port *p;

	if (tb[NFV_A_PORT_NAME])
		p = port_find(req->d, 0, mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
	else if (tb[NFV_A_PORT_IFINDEX])
		p = port_find(req->d, mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]),
			      NULL);
	else {
		REQ_ERR(req, "missing port ifindex or name");
		return NULL;
	}
	if (!p)
		REQ_ERR(req, "no such port");
	return p;
}

/* DECAP, VXLAN_PORT and VNI of PORT_NEW; the range checks are done. */
static int parse_decap(struct nfvd_req *req, const struct nlattr **tb,
		       struct nfvd_decap *dc)
{
	memset(dc, 0, sizeof(*dc));
	if (tb[NFV_A_PORT_DECAP])
		dc->kind = mnl_attr_get_u8(tb[NFV_A_PORT_DECAP]);
	if (dc->kind != NFV_PORT_DECAP_VXLAN) {
		const struct nlattr *a = tb[NFV_A_PORT_VXLAN_PORT] ?:
					 tb[NFV_A_PORT_VNI];

		if (a) {
			REQ_ERR_ATTR(req, a,
				     "vxlan port and vni need decap vxlan");
			return -EINVAL;
		}
		return 0;
	}
	dc->vxlan_port = tb[NFV_A_PORT_VXLAN_PORT] ?
			 mnl_attr_get_u16(tb[NFV_A_PORT_VXLAN_PORT]) :
			 NFV_VXLAN_PORT_DEFAULT;
	if (tb[NFV_A_PORT_VNI]) {
		dc->has_vni = true;
		dc->vni = mnl_attr_get_u32(tb[NFV_A_PORT_VNI]);
	}
	return 0;
}

static int cmd_port(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	struct nfvd *d = req->d;
	char buf[NFV_MSG_MAX];
	struct nfvd_port *p;
	int err;

	err = parse_attrs(req, NULL, port_pol, NFV_A_PORT_MAX, tb);
	if (err)
		return err;
	if (tb[NFV_A_PORT_ID] && !req->c->restore) {
		REQ_ERR_ATTR(req, tb[NFV_A_PORT_ID], "unknown attribute");
		return -EINVAL;
	}
	switch (cmd) {
	case NFV_CMD_PORT_NEW: {
		uint32_t flags = tb[NFV_A_PORT_FLAGS] ?
				 mnl_attr_get_u32(tb[NFV_A_PORT_FLAGS]) : 0;
		struct nfvd_decap decap;

		if (!is_admin(req))
			return -EPERM;
		if (!tb[NFV_A_PORT_IFINDEX] && !tb[NFV_A_PORT_NAME]) {
			REQ_ERR(req, "missing port ifindex or name");
			return -EINVAL;
		}
		if (flags & ~(uint32_t)__NFV_PORT_F_ALL) {
			REQ_ERR_ATTR(req, tb[NFV_A_PORT_FLAGS],
				     "unknown port flags");
			return -EOPNOTSUPP;
		}
		err = parse_decap(req, tb, &decap);
		if (err)
			return err;
		return port_add(d, req,
				tb[NFV_A_PORT_IFINDEX] ?
				mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]) : 0,
				tb[NFV_A_PORT_NAME] ?
				mnl_attr_get_str(tb[NFV_A_PORT_NAME]) : NULL,
				tb[NFV_A_PORT_MODE] ?
				mnl_attr_get_u8(tb[NFV_A_PORT_MODE]) : 0,
				tb[NFV_A_PORT_DEFAULT_CHAIN] ?
				mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]) : 0,
				flags & ~(uint32_t)NFV_PORT_F_GENERIC,
				tb[NFV_A_PORT_ID] ?
				mnl_attr_get_u16(tb[NFV_A_PORT_ID]) : 0,
				&decap);
	}
	case NFV_CMD_PORT_DEL:
		if (!is_admin(req))
			return -EPERM;
		p = lookup_port(req, tb);
		if (!p)
			return -ENODEV;
		return port_del(d, p);
	default:
		break;
	}
	/* GET */
	if (!is_dump(req)) {
		struct nlmsghdr *nlh;

		p = lookup_port(req, tb);
		if (!p)
			return -ENODEV;
		nlh = control_reply_start(req, buf, NFV_CMD_PORT_GET, 0);
		put_port(d, nlh, p, true);
		return control_reply(req, nlh, NULL, 0) ?: 1;
	}
	return dump_start(req, NFV_CMD_PORT_GET);
}

/* ---- chains ---- */

static const struct pol chain_pol[NFV_A_CHAIN_MAX + 1] = {
	[NFV_A_CHAIN_ID] = { MNL_TYPE_U16, 1, NFV_CHAIN_MAX },
	[NFV_A_CHAIN_HOP] = { MNL_TYPE_NESTED },
	[NFV_A_CHAIN_FLAGS] = { MNL_TYPE_U32 },
};

static const struct pol hop_pol[NFV_A_HOP_MAX + 1] = {
	[NFV_A_HOP_TYPE] = { MNL_TYPE_U8, NFV_HOP_SERVICE, NFV_HOP_TAP },
	[NFV_A_HOP_SERVICE] = { MNL_TYPE_U16, 1, NFV_SERVICE_MAX },
	[NFV_A_HOP_IFINDEX] = { MNL_TYPE_U32, 1, INT32_MAX },
	[NFV_A_HOP_PORT] = { MNL_TYPE_U16, 1, NFV_PORT_MAX - 1 },
};

/* A refusal of the semantic core (nfv_err.h), word for word nfv.ko's. */
static int core_err(struct nfvd_req *req, const struct nlattr *const *tb,
		    const struct nlattr *nest, int err, const struct nfv_err *e)
{
	const struct nlattr *a = tb && e->attr ? tb[e->attr] : nest;

	if (a)
		REQ_ERR_ATTR(req, a, e->msg);
	else
		REQ_ERR(req, e->msg);
	return err;
}

/* One HOP nest taken apart, its out device resolved; the core decides. */
static int parse_hop(struct nfvd_req *req, const struct nlattr *nest,
		     struct nfv_hop *h)
{
	const struct nlattr *tb[NFV_A_HOP_MAX + 1];
	struct nfv_hop_attrs a = { 0 };
	struct nfvd_port *p = NULL;
	struct nfv_err e;
	int err, i;

	err = parse_attrs(req, nest, hop_pol, NFV_A_HOP_MAX, tb);
	if (err)
		return err;
	for (i = 1; i <= NFV_A_HOP_MAX; i++)
		if (tb[i])
			a.given |= NFV_GIVEN(i);
	if (tb[NFV_A_HOP_TYPE])
		a.type = mnl_attr_get_u8(tb[NFV_A_HOP_TYPE]);
	if (tb[NFV_A_HOP_SERVICE])
		a.service = mnl_attr_get_u16(tb[NFV_A_HOP_SERVICE]);
	if (tb[NFV_A_HOP_IFINDEX])
		p = port_find(req->d, mnl_attr_get_u32(tb[NFV_A_HOP_IFINDEX]),
			      NULL);
	else if (tb[NFV_A_HOP_PORT])
		p = &req->d->ports[mnl_attr_get_u16(tb[NFV_A_HOP_PORT])];
	a.port = p ? p->id : 0;
	err = nfv_hop_from_attrs(&a, h, &e);
	return err ? core_err(req, tb, nest, err, &e) : 0;
}

/*
 * A chain's attributes: for a CHAIN_NEW reply or dump (@reply, with each
 * out hop's reply-only IFINDEX), or for a CHAIN_NEW request (the state
 * file's snapshots; port ids come back as they were).
 */
void control_put_chain(struct nfvd *d, struct nlmsghdr *nlh, uint16_t id,
		       const struct nfv_chain *c, bool reply)
{
	int i;

	mnl_attr_put_u16(nlh, NFV_A_CHAIN_ID, id);
	mnl_attr_put_u32(nlh, NFV_A_CHAIN_FLAGS, c->flags);
	for (i = 0; i < c->n_hops && i < NFV_HOPS_MAX; i++) {
		struct nlattr *n = mnl_attr_nest_start(nlh, NFV_A_CHAIN_HOP);
		const struct nfv_hop *h = &c->hops[i];

		mnl_attr_put_u8(nlh, NFV_A_HOP_TYPE, h->type);
		if (h->type == NFV_HOP_SERVICE || h->type == NFV_HOP_TAP)
			mnl_attr_put_u16(nlh, NFV_A_HOP_SERVICE, h->arg);
		if (h->type == NFV_HOP_OUT)
			mnl_attr_put_u16(nlh, NFV_A_HOP_PORT, h->arg);
		if (h->type == NFV_HOP_OUT && reply)
			mnl_attr_put_u32(nlh, NFV_A_HOP_IFINDEX,
					 d->ports[h->arg].ifindex);
		mnl_attr_nest_end(nlh, n);
	}
}

static int cmd_chain(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_CHAIN_MAX + 1];
	struct nfvd *d = req->d;
	const struct nlattr *a;
	char buf[NFV_MSG_MAX];
	struct nfv_chain c;
	struct nfv_err e;
	uint16_t id = 0;
	int err;

	err = parse_attrs(req, NULL, chain_pol, NFV_A_CHAIN_MAX, tb);
	if (err)
		return err;
	if (tb[NFV_A_CHAIN_ID])
		id = mnl_attr_get_u16(tb[NFV_A_CHAIN_ID]);
	if (cmd != NFV_CMD_CHAIN_GET || !is_dump(req)) {
		if (!id) {
			REQ_ERR(req, "missing chain id");
			return -EINVAL;
		}
	}
	switch (cmd) {
	case NFV_CMD_CHAIN_NEW:
		if (!is_admin(req))
			return -EPERM;
		memset(&c, 0, sizeof(c));
		if (tb[NFV_A_CHAIN_FLAGS]) {
			uint32_t f = mnl_attr_get_u32(tb[NFV_A_CHAIN_FLAGS]);

			err = nfv_chain_flags_check(f, &e);
			if (err)
				return core_err(req, tb, NULL, err, &e);
			c.flags = (uint16_t)f;
		}
		mnl_attr_for_each(a, req->nlh, sizeof(struct genlmsghdr)) {
			if (mnl_attr_get_type(a) != NFV_A_CHAIN_HOP)
				continue;
			err = nfv_chain_hop_room(c.n_hops, &e);
			if (err)
				return core_err(req, NULL, a, err, &e);
			err = parse_hop(req, a, &c.hops[c.n_hops]);
			if (err)
				return err;
			c.n_hops++;
		}
		err = nfv_chain_admit(&c, d->tables->chains[id].n_hops,
				      req->nlh->nlmsg_flags & NLM_F_REPLACE,
				      &e);
		if (err)
			return core_err(req, tb, NULL, err, &e);
		err = tables_chain_write(d, id, &c);
		if (err) {
			REQ_ERR(req, "cannot write chain table");
			return err;
		}
		control_notify(d, NFV_CMD_CHAIN_EVENT, id);
		return 0;
	case NFV_CMD_CHAIN_DEL:
		if (!is_admin(req))
			return -EPERM;
		err = nfv_chain_del_check(d->tables->chains[id].n_hops, &e);
		if (err)
			return core_err(req, tb, NULL, err, &e);
		memset(&c, 0, sizeof(c));
		err = tables_chain_write(d, id, &c);
		if (!err)
			control_notify(d, NFV_CMD_CHAIN_EVENT, id);
		return err;
	default:
		break;
	}
	if (!is_dump(req)) {
		struct nlmsghdr *nlh;

		if (!d->tables->chains[id].n_hops) {
			REQ_ERR_ATTR(req, tb[NFV_A_CHAIN_ID], "no such chain");
			return -ENOENT;
		}
		nlh = control_reply_start(req, buf, NFV_CMD_CHAIN_GET, 0);
		control_put_chain(d, nlh, id, &d->tables->chains[id], true);
		return control_reply(req, nlh, NULL, 0) ?: 1;
	}
	return dump_start(req, NFV_CMD_CHAIN_GET);
}

/* ---- flows ---- */

static const struct pol flow_pol[NFV_A_FLOW_MAX + 1] = {
	[NFV_A_FLOW_IN_IFINDEX] = { MNL_TYPE_U32, 1, INT32_MAX },
	[NFV_A_FLOW_PROTO] = { MNL_TYPE_U8 },
	[NFV_A_FLOW_FAMILY] = { MNL_TYPE_U8 },
	[NFV_A_FLOW_SRC] = { MNL_TYPE_BINARY },
	[NFV_A_FLOW_SRC_PLEN] = { MNL_TYPE_U8, 0, 128 },
	[NFV_A_FLOW_DST] = { MNL_TYPE_BINARY },
	[NFV_A_FLOW_DST_PLEN] = { MNL_TYPE_U8, 0, 128 },
	[NFV_A_FLOW_SPORT] = { MNL_TYPE_U16 },
	[NFV_A_FLOW_SPORT_MAX] = { MNL_TYPE_U16 },
	[NFV_A_FLOW_DPORT] = { MNL_TYPE_U16 },
	[NFV_A_FLOW_DPORT_MAX] = { MNL_TYPE_U16 },
	[NFV_A_FLOW_CHAIN] = { MNL_TYPE_U16, 1, NFV_CHAIN_MAX },
};

/*
 * A FLOW request's match (and CHAIN): its attributes taken apart, the
 * IN_IFINDEX port looked up; nfv_match_from_attrs() checks and builds.
 */
static int parse_flow(struct nfvd_req *req, const struct nlattr **tb,
		      struct nfvd_flow *f)
{
	struct nfv_match_attrs a = { 0 };
	struct nfv_err e;
	int err, i;

	memset(f, 0, sizeof(*f));
	for (i = 1; i <= NFV_A_FLOW_MAX; i++)
		if (tb[i])
			a.given |= NFV_GIVEN(i);
	if (tb[NFV_A_FLOW_IN_IFINDEX]) {
		a.in_ifindex = mnl_attr_get_u32(tb[NFV_A_FLOW_IN_IFINDEX]);
		a.in_is_port = port_find(req->d, a.in_ifindex, NULL);
	}
	if (tb[NFV_A_FLOW_PROTO])
		a.proto = mnl_attr_get_u8(tb[NFV_A_FLOW_PROTO]);
	if (tb[NFV_A_FLOW_FAMILY])
		a.family = mnl_attr_get_u8(tb[NFV_A_FLOW_FAMILY]);
	if (tb[NFV_A_FLOW_SRC]) {
		a.src = mnl_attr_get_payload(tb[NFV_A_FLOW_SRC]);
		a.src_len = mnl_attr_get_payload_len(tb[NFV_A_FLOW_SRC]);
	}
	if (tb[NFV_A_FLOW_DST]) {
		a.dst = mnl_attr_get_payload(tb[NFV_A_FLOW_DST]);
		a.dst_len = mnl_attr_get_payload_len(tb[NFV_A_FLOW_DST]);
	}
	if (tb[NFV_A_FLOW_SRC_PLEN])
		a.src_plen = mnl_attr_get_u8(tb[NFV_A_FLOW_SRC_PLEN]);
	if (tb[NFV_A_FLOW_DST_PLEN])
		a.dst_plen = mnl_attr_get_u8(tb[NFV_A_FLOW_DST_PLEN]);
	if (tb[NFV_A_FLOW_SPORT])
		a.sport = mnl_attr_get_u16(tb[NFV_A_FLOW_SPORT]);
	if (tb[NFV_A_FLOW_SPORT_MAX])
		a.sport_max = mnl_attr_get_u16(tb[NFV_A_FLOW_SPORT_MAX]);
	if (tb[NFV_A_FLOW_DPORT])
		a.dport = mnl_attr_get_u16(tb[NFV_A_FLOW_DPORT]);
	if (tb[NFV_A_FLOW_DPORT_MAX])
		a.dport_max = mnl_attr_get_u16(tb[NFV_A_FLOW_DPORT_MAX]);
	err = nfv_match_from_attrs(&a, &f->m, &e);
	if (err)
		return core_err(req, tb, NULL, err, &e);
	if (tb[NFV_A_FLOW_CHAIN])
		f->chain = mnl_attr_get_u16(tb[NFV_A_FLOW_CHAIN]);
	f->exact = nfv_match_is_exact(&f->m);
	return 0;
}

/*
 * A flow's attributes: for a FLOW_NEW reply or dump (@reply, with the
 * reply-only EXACT), or for a FLOW_NEW request (the state file's
 * snapshots, replayed through cmd_flow()).
 */
void control_put_flow(struct nlmsghdr *nlh, const struct nfvd_flow *f,
		      bool reply)
{
	size_t alen = f->m.family == AF_INET6 ? 16 : 4;

	if (f->m.in_ifindex)
		mnl_attr_put_u32(nlh, NFV_A_FLOW_IN_IFINDEX, f->m.in_ifindex);
	if (f->m.proto)
		mnl_attr_put_u8(nlh, NFV_A_FLOW_PROTO, f->m.proto);
	if (f->m.family)
		mnl_attr_put_u8(nlh, NFV_A_FLOW_FAMILY, f->m.family);
	if (f->m.family && f->m.src_plen) {
		mnl_attr_put(nlh, NFV_A_FLOW_SRC, alen, f->m.src);
		mnl_attr_put_u8(nlh, NFV_A_FLOW_SRC_PLEN, f->m.src_plen);
	}
	if (f->m.family && f->m.dst_plen) {
		mnl_attr_put(nlh, NFV_A_FLOW_DST, alen, f->m.dst);
		mnl_attr_put_u8(nlh, NFV_A_FLOW_DST_PLEN, f->m.dst_plen);
	}
	if (nfv_match_has_sport(&f->m)) {
		mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT, f->m.sport);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT_MAX, f->m.sport_max);
	}
	if (nfv_match_has_dport(&f->m)) {
		mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT, f->m.dport);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT_MAX, f->m.dport_max);
	}
	mnl_attr_put_u16(nlh, NFV_A_FLOW_CHAIN, f->chain);
	if (reply && f->exact)
		mnl_attr_put(nlh, NFV_A_FLOW_EXACT, 0, NULL);
}

static int cmd_flow(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	struct nfvd *d = req->d;
	struct nfv_flow_room room = {
		.n_exact = d->n_exact_flows,
		.max_exact = d->cfg.flows,
		.n_rules = d->n_flows - d->n_exact_flows,
	};
	struct nfvd_flow f, *e;
	struct nfv_err ce;
	int err;

	err = parse_attrs(req, NULL, flow_pol, NFV_A_FLOW_MAX, tb);
	if (err)
		return err;
	if (cmd == NFV_CMD_FLOW_GET)
		return dump_start(req, NFV_CMD_FLOW_GET);
	if (!is_admin(req))
		return -EPERM;
	err = parse_flow(req, tb, &f);
	if (err)
		return err;
	e = flows_find(d, &f);
	if (cmd == NFV_CMD_FLOW_DEL) {
		err = nfv_flow_del_check(e, &ce);
		if (err)
			return core_err(req, tb, NULL, err, &ce);
		client_flow_gone(d, e);
		flows_remove(d, e);
		if (e->exact) {
			tables_flow_write(d, e, false);
			d->n_exact_flows--;
		} else {
			tables_rules_write(d);
		}
		free(e);
		return 0;
	}
	err = nfv_flow_admit(&f.m, f.chain, e, &room, &ce);
	if (err)
		return core_err(req, tb, NULL, err, &ce);
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = f;
	/* Appended: first match wins among rules of equal specificity. */
	if (flows_insert(d, e)) {
		free(e);
		return -ENOMEM;
	}
	err = e->exact ? tables_flow_write(d, e, true) : tables_rules_write(d);
	if (err) {
		client_flow_gone(d, e);
		flows_remove(d, e);
		free(e);
		if (!f.exact)
			tables_rules_write(d);
		REQ_ERR(req, "cannot write flow table");
		return err;
	}
	if (e->exact)
		d->n_exact_flows++;
	return 0;
}

/* ---- NFs, services, stats ---- */

static const struct pol nf_pol[NFV_A_NF_MAX + 1] = {
	[NFV_A_NF_ID] = { MNL_TYPE_U16, 1, NFV_NF_MAX - 1 },
	[NFV_A_NF_SERVICE] = { MNL_TYPE_U16, 1, NFV_SERVICE_MAX },
	[NFV_A_NF_NAME] = { MNL_TYPE_NUL_STRING, 0, NFV_NAME_LEN },
	[NFV_A_NF_FLAGS] = { MNL_TYPE_U32 },
	[NFV_A_NF_BATCH] = { MNL_TYPE_U32, 0, NFV_BATCH_MAX },
	[NFV_A_NF_DOORBELL] = { MNL_TYPE_U32 },
	[NFV_A_NF_SOCK] = { MNL_TYPE_NESTED },
};

static void put_nf(struct nfvd *d, struct nlmsghdr *nlh, struct nfvd_nf *nf)
{
	/* The NF's own word on itself (it may lie), then nfvd's. */
	const struct nfv_nf_counters *c = nf_counters(d, nf);

	mnl_attr_put_u16(nlh, NFV_A_NF_ID, nf->id);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, nf->service);
	mnl_attr_put_strz(nlh, NFV_A_NF_NAME, nf->name);
	mnl_attr_put_u32(nlh, NFV_A_NF_PID, (uint32_t)nf->pid);
	mnl_attr_put_u32(nlh, NFV_A_NF_FLAGS, nf->flags);
	mnl_attr_put_u8(nlh, NFV_A_NF_STATE, nf->state);
	mnl_attr_put_u64(nlh, NFV_A_NF_RX, c->rx);
	mnl_attr_put_u64(nlh, NFV_A_NF_TX, c->tx);
	mnl_attr_put_u64(nlh, NFV_A_NF_DROP, c->drop);
	mnl_attr_put_u64(nlh, NFV_A_NF_NEXT, c->next);
	mnl_attr_put_u64(nlh, NFV_A_NF_BAD_DESC, c->bad_desc);
	mnl_attr_put_u32(nlh, NFV_A_NF_HELD, ledger_held(d, nf->id));
	mnl_attr_put_u64(nlh, NFV_A_NF_RING_FULL, c->ring_full);
	mnl_attr_put_u64(nlh, NFV_A_NF_NO_REPLICA, c->no_replica);
	mnl_attr_put_u64(nlh, NFV_A_NF_OVERRIDE_DENIED, c->override_denied);
	mnl_attr_put_u64(nlh, NFV_A_NF_CSUM_FIXED, c->csum_fixed);
	mnl_attr_put_u64(nlh, NFV_A_NF_TAP_OVERFLOW, c->tap_overflow);
	mnl_attr_put_u64(nlh, NFV_A_NF_LOOP_DROP, c->loop_drop);
	mnl_attr_put_u64(nlh, NFV_A_NF_OVERRUN, c->overrun);
	mnl_attr_put_u64(nlh, NFV_A_NF_REFUSED, nf->refused);
	mnl_attr_put_u32(nlh, NFV_A_NF_BUDGET, ledger_budget(d));
	mnl_attr_put_u64(nlh, NFV_A_NF_BUDGET_HITS, nf->budget_hits);
}

static int cmd_nf(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_NF_MAX + 1];
	struct nfvd *d = req->d;
	char buf[NFV_MSG_MAX];
	int err;

	if (cmd == NFV_CMD_NF_ATTACH)
		return nf_attach(req);
	err = parse_attrs(req, NULL, nf_pol, NFV_A_NF_MAX, tb);
	if (err)
		return err;
	if (cmd == NFV_CMD_NF_READY)
		return nf_ready(req);
	if (tb[NFV_A_NF_DOORBELL])
		return nf_doorbell(req);
	if (!is_dump(req)) {
		struct nlmsghdr *nlh;
		uint16_t id = tb[NFV_A_NF_ID] ?
			      mnl_attr_get_u16(tb[NFV_A_NF_ID]) : 0;

		if (!id || !d->nfs[id].id) {
			REQ_ERR(req, "no such NF");
			return -ENOENT;
		}
		nlh = control_reply_start(req, buf, NFV_CMD_NF_GET, 0);
		put_nf(d, nlh, &d->nfs[id]);
		return control_reply(req, nlh, NULL, 0) ?: 1;
	}
	return dump_start(req, NFV_CMD_NF_GET);
}

static void put_service(struct nlmsghdr *nlh, uint16_t id,
			const struct nfv_service *s)
{
	int r;

	mnl_attr_put_u16(nlh, NFV_A_SERVICE_ID, id);
	for (r = 0; r < s->n_live && r < NFV_REPLICA_MAX; r++)
		mnl_attr_put_u16(nlh, NFV_A_SERVICE_REPLICA, s->replicas[r]);
}

static int cmd_service(struct nfvd_req *req)
{
	return dump_start(req, NFV_CMD_SERVICE_GET);
}

static int cmd_stats(struct nfvd_req *req)
{
	struct nfvd *d = req->d;
	static char buf[65536];
	uint32_t n_in[__LF_MAX];
	struct nlmsghdr *nlh;
	struct nlattr *n;
	uint64_t bad = 0;
	int i;

	/* Counted, not kept: the free list must agree (a test checks). */
	ledger_counts(d, n_in);
	for (i = 1; i < NFV_NF_MAX; i++)
		if (d->nfs[i].id)
			bad += nf_counters(d, &d->nfs[i])->bad_desc;
	nlh = control_reply_start(req, buf, NFV_CMD_STATS_GET, 0);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TOTAL, d->cfg.frames);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_FREE, d->n_free);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_FILL, n_in[LF_FILL]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_INFLIGHT,
			 d->cfg.frames - n_in[LF_FREE] - n_in[LF_FILL]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_KERNEL, n_in[LF_KERNEL]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_HELD, n_in[LF_HELD]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TRANSIT, n_in[LF_TRANSIT]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TX, n_in[LF_TX]);
	mnl_attr_put_u32(nlh, NFV_A_STATS_FRAMES_TAPPED, n_in[LF_TAPPED]);
	mnl_attr_put_u64(nlh, NFV_A_STATS_BAD_DESC, bad + d->refused);
	mnl_attr_put_u64(nlh, NFV_A_STATS_RECLAIMED, d->reclaimed);
	mnl_attr_put_u64(nlh, NFV_A_STATS_REFUSED, d->refused);
	mnl_attr_put_u64(nlh, NFV_A_STATS_FORGED_TX, d->forged_tx);
	mnl_attr_put_u64(nlh, NFV_A_STATS_LOOP_DROP, d->loop_drop);
	mnl_attr_put_strz(nlh, NFV_A_STATS_BACKEND,
			  d->kern ? "kernel" : "daemon");
	for (i = 1; i < NFV_PORT_MAX; i++) {
		if (!d->ports[i].id)
			continue;
		n = mnl_attr_nest_start(nlh, NFV_A_STATS_PORT);
		put_port(d, nlh, &d->ports[i], true);
		mnl_attr_nest_end(nlh, n);
	}
	for (i = 1; i < NFV_NF_MAX; i++) {
		if (!d->nfs[i].id)
			continue;
		if (nlh->nlmsg_len + 512 > sizeof(buf))
			break;
		n = mnl_attr_nest_start(nlh, NFV_A_STATS_NF);
		put_nf(d, nlh, &d->nfs[i]);
		mnl_attr_nest_end(nlh, n);
	}
	return control_reply(req, nlh, NULL, 0) ?: 1;
}

/*
 * The next message of @c's dump, from its cursor; after the last object,
 * the request's end (NLMSG_DONE, or an ack for a FLOW_GET or SERVICE_GET
 * without NLM_F_DUMP, which dump all the same).  Objects added or removed
 * meanwhile may or may not be seen, as with the kernel's dumps.
 */
int control_dump_next(struct nfvd *d, struct nfvd_client *c)
{
	struct nfvd_dump *dp = &c->dump;
	struct nfvd_req req = { .d = d, .c = c, .nlh = &dp->req };
	struct nlmsghdr *nlh = NULL;
	char buf[NFV_MSG_MAX];
	int err = 0;

	if (dp->relay) {
		err = kbackend_dump_next(&req);
		if (err > 0)
			return err;
		goto end;
	}
	switch (dp->cmd) {
	case NFV_CMD_PORT_GET:
		for (; !nlh && dp->pos < NFV_PORT_MAX; dp->pos++) {
			if (!d->ports[dp->pos].id)
				continue;
			nlh = control_reply_start(&req, buf, dp->cmd,
						  NLM_F_MULTI);
			put_port(d, nlh, &d->ports[dp->pos], true);
		}
		break;
	case NFV_CMD_CHAIN_GET:
		for (; !nlh && dp->pos <= NFV_CHAIN_MAX; dp->pos++) {
			if (!d->tables->chains[dp->pos].n_hops)
				continue;
			nlh = control_reply_start(&req, buf, dp->cmd,
						  NLM_F_MULTI);
			control_put_chain(d, nlh, (uint16_t)dp->pos,
					  &d->tables->chains[dp->pos], true);
		}
		break;
	case NFV_CMD_FLOW_GET:
		if (dp->flow) {
			nlh = control_reply_start(&req, buf, dp->cmd,
						  NLM_F_MULTI);
			control_put_flow(nlh, dp->flow, true);
			dp->flow = dp->flow->next;
		}
		break;
	case NFV_CMD_NF_GET:
		for (; !nlh && dp->pos < NFV_NF_MAX; dp->pos++) {
			if (!d->nfs[dp->pos].id)
				continue;
			nlh = control_reply_start(&req, buf, dp->cmd,
						  NLM_F_MULTI);
			put_nf(d, nlh, &d->nfs[dp->pos]);
		}
		break;
	case NFV_CMD_SERVICE_GET:
		for (; !nlh && dp->pos <= NFV_SERVICE_MAX; dp->pos++) {
			if (!d->tables->services[dp->pos].n_live)
				continue;
			nlh = control_reply_start(&req, buf, dp->cmd,
						  NLM_F_MULTI);
			put_service(nlh, (uint16_t)dp->pos,
				    &d->tables->services[dp->pos]);
		}
		break;
	default:
		break;
	}
	if (nlh)
		return client_send(d, c, nlh, NULL, 0) ?: 1;
end:
	dp->cmd = 0;
	answer(&req, err);
	return 0;
}

/*
 * Handle one request.  Handlers return 0 (done: ack if asked), 1 (they
 * replied themselves; for dumps we still close with NLMSG_DONE),
 * CONTROL_DUMP (a dump started: control_dump_next() goes on with it) or a
 * negative errno (error reply with the extack message).
 */
int control_handle(struct nfvd *d, struct nfvd_client *c, const void *buf,
		   size_t len, const int *fds, int n_fds)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *g;
	struct nfvd_req req = { .d = d, .c = c, .nlh = nlh };
	static char why[128];
	int err, i;

	for (i = 0; i < n_fds; i++)
		close(fds[i]);		/* nobody sends us fds */
	if (len < NLMSG_HDRLEN || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*g)))
		return -EBADMSG;	/* not even a header: hang up */
	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) ||
	    nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return 0;
	g = mnl_nlmsg_get_payload(nlh);

	/* nfv.ko writes the tables: their requests are the module's. */
	err = d->kern ? kbackend_control(&req, g->cmd) : KBACKEND_LOCAL;
	if (err != KBACKEND_LOCAL)
		goto answer;
	switch (g->cmd) {
	case NFV_CMD_PORT_NEW:
	case NFV_CMD_PORT_DEL:
	case NFV_CMD_PORT_GET:
		err = cmd_port(&req, g->cmd);
		break;
	case NFV_CMD_CHAIN_NEW:
	case NFV_CMD_CHAIN_DEL:
	case NFV_CMD_CHAIN_GET:
		err = cmd_chain(&req, g->cmd);
		break;
	case NFV_CMD_FLOW_NEW:
	case NFV_CMD_FLOW_DEL:
	case NFV_CMD_FLOW_GET:
		err = cmd_flow(&req, g->cmd);
		break;
	case NFV_CMD_NF_ATTACH:
		err = client_nf_cap(d, c, why, sizeof(why));
		if (err) {
			REQ_ERR(&req, why);
			break;
		}
		err = cmd_nf(&req, g->cmd);
		if (err >= 0 && c->nf)
			client_nf_attached(d, c);	/* READY is due */
		break;
	case NFV_CMD_NF_GET:
	case NFV_CMD_NF_READY:
		err = cmd_nf(&req, g->cmd);
		if (!err && g->cmd == NFV_CMD_NF_READY)
			c->attach_ns = 0;
		break;
	case NFV_CMD_SERVICE_GET:
		err = cmd_service(&req);
		break;
	case NFV_CMD_STATS_GET:
		err = cmd_stats(&req);
		break;
	default:
		REQ_ERR(&req, "unknown command");
		err = -EOPNOTSUPP;
		break;
	}
	c->last_err = err < 0 ? err : 0;
	c->last_msg = req.err_msg;
	/* Written before the ack: an acknowledged change survives a kill. */
	if (err >= 0 && !c->restore && !d->kern && (g->cmd == NFV_CMD_PORT_NEW ||
	    g->cmd == NFV_CMD_PORT_DEL || g->cmd == NFV_CMD_CHAIN_NEW ||
	    g->cmd == NFV_CMD_CHAIN_DEL || g->cmd == NFV_CMD_FLOW_NEW ||
	    g->cmd == NFV_CMD_FLOW_DEL))
		state_journal(d, nlh);
answer:
	if (c->fd < 0) {
		c->dump.cmd = 0;
		return 0;	/* replayed: nobody to answer */
	}
	if (err != CONTROL_DUMP)
		answer(&req, err);
	return 0;
}
