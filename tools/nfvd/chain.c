// SPDX-License-Identifier: GPL-2.0
/*
 * Chains: CHAIN_NEW, CHAIN_DEL and CHAIN_GET on nfvd's socket, and a
 * chain as attributes (replies, dumps, the state file's snapshots).  The
 * datapath provider writes them (dpif.h); NFs read them in the mirror.
 */
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <linux/nfv_chain_rules.h>

#include "chain.h"
#include "control.h"
#include "dpif.h"
#include "events.h"
#include "nfvd.h"

/*
 * One HOP nest taken apart, its out device resolved; the core decides.
 * The hop goes at @c's end (not counted yet); an nsh hop's SPI, to @c.
 */
static int parse_hop(struct nfvd_req *req, const struct nlattr *nest,
		     struct nfv_chain *c)
{
	struct nfv_hop *h = &c->hops[c->n_hops];
	const struct nlattr *tb[NFV_A_HOP_MAX + 1];
	struct nfv_hop_attrs a = { 0 };
	struct nfvd_port *p = NULL;
	struct nfv_err e;
	int err, i;

	err = parse_attrs(req, nest, &nfv_hop_nl_set, NFV_NL_REQUEST, tb);
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
	if (tb[NFV_A_HOP_SPI])
		a.spi = mnl_attr_get_u32(tb[NFV_A_HOP_SPI]);
	err = nfv_hop_from_attrs(&a, h, &e);
	if (err)
		return control_core_err(req, tb, nest, err, &e);
	if (h->type == NFV_HOP_NSH)
		c->nsh_spi = a.spi;
	return 0;
}

/*
 * A chain's attributes: for a CHAIN_NEW reply or dump (@reply, with each
 * out hop's reply-only IFINDEX), or for a CHAIN_NEW request (the state
 * file's snapshots; port ids come back as they were).
 */
void chain_put(struct nfvd *d, struct nlmsghdr *nlh, uint16_t id,
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
		if (h->type == NFV_HOP_OUT || h->type == NFV_HOP_NSH)
			mnl_attr_put_u16(nlh, NFV_A_HOP_PORT, h->arg);
		if ((h->type == NFV_HOP_OUT || h->type == NFV_HOP_NSH) &&
		    reply && h->arg < NFV_PORT_MAX)
			mnl_attr_put_u32(nlh, NFV_A_HOP_IFINDEX,
					 d->ports[h->arg].ifindex);
		if (h->type == NFV_HOP_NSH)
			mnl_attr_put_u32(nlh, NFV_A_HOP_SPI, c->nsh_spi);
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

	err = parse_attrs(req, NULL, &nfv_chain_nl_set, NFV_NL_REQUEST, tb);
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
				return control_core_err(req, tb, NULL, err, &e);
			c.flags = (uint16_t)f;
		}
		mnl_attr_for_each(a, req->nlh, sizeof(struct genlmsghdr)) {
			if (mnl_attr_get_type(a) != NFV_A_CHAIN_HOP)
				continue;
			err = nfv_chain_hop_room(c.n_hops, &e);
			if (err)
				return control_core_err(req, NULL, a, err, &e);
			err = parse_hop(req, a, &c);
			if (err)
				return err;
			c.n_hops++;
		}
		err = nfv_chain_admit(&c, d->tables->chains[id].n_hops,
				      req->nlh->nlmsg_flags & NLM_F_REPLACE,
				      &e);
		if (err)
			return control_core_err(req, tb, NULL, err, &e);
		err = d->dp->chain_write(d, id, &c);
		if (err) {
			REQ_ERR(req, "cannot write chain table");
			return err;
		}
		events_chain(d, id);
		return 0;
	case NFV_CMD_CHAIN_DEL:
		if (!is_admin(req))
			return -EPERM;
		err = nfv_chain_del_check(d->tables->chains[id].n_hops, &e);
		if (err)
			return control_core_err(req, tb, NULL, err, &e);
		memset(&c, 0, sizeof(c));
		err = d->dp->chain_write(d, id, &c);
		if (!err)
			events_chain(d, id);
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
		chain_put(d, nlh, id, &d->tables->chains[id], true);
		return control_reply(req, nlh, NULL, 0) ?: 1;
	}
	return control_dump_start(req, NFV_CMD_CHAIN_GET);
}

static struct nlmsghdr *chain_dump(struct nfvd_req *req, struct nfvd_dump *dp,
				   void *buf)
{
	struct nfvd *d = req->d;
	struct nlmsghdr *nlh = NULL;

	for (; !nlh && dp->pos <= NFV_CHAIN_MAX; dp->pos++) {
		if (!d->tables->chains[dp->pos].n_hops)
			continue;
		nlh = control_reply_start(req, buf, dp->cmd, NLM_F_MULTI);
		chain_put(d, nlh, (uint16_t)dp->pos,
			  &d->tables->chains[dp->pos], true);
	}
	return nlh;
}

const struct nfvd_obj chain_obj = {
	.doit = cmd_chain,
	.dump = chain_dump,
};
