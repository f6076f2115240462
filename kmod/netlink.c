// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "nfv" (uapi/linux/nfv.h, uapi/nfv.yaml): the
 * same requests nfvd answers on its unix socket, answered by the kernel.
 *
 * Policies validate (types, lengths, id ranges; strict: unknown and
 * reply-only attributes are refused), handlers decide (flags masks,
 * lookups, table rules), and every refusal carries an extack message.  A
 * handler checks everything before it changes anything, and the object
 * functions undo their change if writing the maps fails, so a refused
 * request changes nothing.  Mutating commands need CAP_NET_ADMIN.
 *
 * One fill function per object serves do, dump and notification.  Dumps
 * keep a cursor (struct dump_ctx) in cb->ctx and flag a dump that saw the
 * fabric change (fab->gen) with NLM_F_DUMP_INTR.
 */
#include <linux/pid_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include <linux/nfv_chain_rules.h>
#include <linux/nfv_match.h>

#include "chain.h"
#include "compat.h"
#include "fabric.h"
#include "flow.h"
#include "generated/netlink.h"
#include "netlink.h"
#include "nf.h"
#include "port.h"
#include "service.h"
#include "tables.h"

static struct genl_family nfv_family;

/*
 * Policies and the ops table are generated from uapi/nfv.yaml
 * (generated/netlink.c): one policy per command, holding exactly the
 * attributes its request may carry (strict: any other is refused).
 */

/* ---- helpers ---- */

struct dump_ctx {
	u32 next;		/* next id, or next flow index */
};

static struct dump_ctx *dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct dump_ctx) > sizeof(cb->ctx));
	return (struct dump_ctx *)cb->ctx;
}

static struct nfv_fabric *info_fabric(struct genl_info *info)
{
	return nfv_fabric(genl_info_net(info));
}

static struct nfv_fabric *cb_fabric(struct netlink_callback *cb)
{
	return nfv_fabric(sock_net(cb->skb->sk));
}

static void *dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &nfv_family, NLM_F_MULTI,
				cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static u32 get_u32_or(const struct nlattr *a, u32 def)
{
	return a ? nla_get_u32(a) : def;
}

static u16 get_u16_or(const struct nlattr *a, u16 def)
{
	return a ? nla_get_u16(a) : def;
}

/* A required top-level attribute is absent: say which, with a message. */
#define missing(info, type, msg) ({					\
	struct genl_info *__info = (info);				\
	bool __miss = !__info->attrs[type];				\
									\
	if (__miss) {							\
		NL_SET_ERR_MSG(__info->extack, msg);			\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, type);	\
	}								\
	__miss;								\
})

/**
 * nfv_netlink_err() - hand a refusal of the semantic core to @extack
 * @extack: the request's extack, may be NULL
 * @tb: the attributes @e->attr indexes (of @nest, or of the request when
 *	@nest is NULL); NULL to point at @nest alone
 * @nest: the nest being checked, NULL for the request
 * @err: the negative errno the core returned
 * @e: the core's message and attributes (uapi/linux/nfv_err.h)
 *
 * The message is the core's own constant, word for word what nfvd says.
 *
 * Return: @err.
 */
int nfv_netlink_err(struct netlink_ext_ack *extack, struct nlattr **tb,
		    const struct nlattr *nest, int err,
		    const struct nfv_err *e)
{
	if (!extack)
		return err;
	extack->_msg = e->msg;
	NL_SET_BAD_ATTR(extack, tb && e->attr ? tb[e->attr] : nest);
	if (e->miss)
		NL_SET_ERR_ATTR_MISS(extack, nest, e->miss);
	return err;
}

/*
 * A GET request's one reply: allocate before locking, then @one looks the
 * object up and fills it with fab->lock held (or refuses, with extack).
 */
typedef int (*get_one_t)(struct sk_buff *msg, struct nfv_fabric *fab,
			 struct genl_info *info);

static int get_reply(struct genl_info *info, u8 cmd, size_t size,
		     get_one_t one)
{
	struct nfv_fabric *fab = info_fabric(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nfv_family, 0, cmd);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	mutex_lock(&fab->lock);
	err = one(msg, fab, info);
	mutex_unlock(&fab->lock);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/*
 * A dump over ids first..last: @fill returns -ENOENT for an id without an
 * object, -EMSGSIZE when the message is full (the cursor stays on it).
 */
typedef int (*dump_one_t)(struct sk_buff *skb, struct nfv_fabric *fab, u32 id);

static int dump_ids(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd,
		    u32 last, dump_one_t fill)
{
	struct nfv_fabric *fab = cb_fabric(cb);
	struct dump_ctx *ctx = dump_ctx(cb);
	u32 id;

	mutex_lock(&fab->lock);
	cb->seq = fab->gen;
	for (id = max_t(u32, ctx->next, 1); id <= last; id++) {
		void *hdr = dump_put(skb, cb, cmd);
		int err;

		if (!hdr)
			break;
		err = fill(skb, fab, id);
		if (err)
			genlmsg_cancel(skb, hdr);
		else
			genlmsg_end(skb, hdr);
		if (err && err != -ENOENT)
			break;
	}
	ctx->next = id;
	mutex_unlock(&fab->lock);
	return skb->len;
}

/* ---- ports ---- */

static size_t port_msg_size(void)
{
	return nla_total_size(sizeof(u32))		/* IFINDEX */
	     + nla_total_size(IFNAMSIZ)			/* NAME */
	     + nla_total_size(sizeof(u16))		/* ID */
	     + nla_total_size(sizeof(u8))		/* MODE */
	     + nla_total_size(sizeof(u16))		/* DEFAULT_CHAIN */
	     + nla_total_size(sizeof(u32))		/* FLAGS */
	     + nla_total_size(sizeof(u32))		/* QUEUES */
	     + nla_total_size(sizeof(u8))		/* DECAP */
	     + nla_total_size(sizeof(u16))		/* VXLAN_PORT */
	     + nla_total_size(sizeof(u32))		/* VNI */
	     + nla_total_size(0)			/* REMOVED */
	     + nla_total_size(0)			/* STATS nest */
	     + __NFV_XDP_COUNTER_MAX * nla_total_size_64bit(sizeof(u64));
}

/* Called with fab->lock held. */
static int port_fill(struct sk_buff *skb, struct nfv_fabric *fab,
		     const struct nfv_port *p, bool stats, bool removed)
{
	u64 cnt[__NFV_XDP_COUNTER_MAX];
	struct nlattr *nest;
	int i;

	if (nla_put_u32(skb, NFV_A_PORT_IFINDEX, p->ifindex) ||
	    nla_put_string(skb, NFV_A_PORT_NAME, p->name) ||
	    nla_put_u16(skb, NFV_A_PORT_ID, p->id) ||
	    nla_put_u8(skb, NFV_A_PORT_MODE, p->mode) ||
	    nla_put_u16(skb, NFV_A_PORT_DEFAULT_CHAIN, p->default_chain) ||
	    nla_put_u32(skb, NFV_A_PORT_FLAGS, p->flags) ||
	    nla_put_u32(skb, NFV_A_PORT_QUEUES, p->queues) ||
	    nla_put_u8(skb, NFV_A_PORT_DECAP, p->decap))
		return -EMSGSIZE;
	if (p->decap == NFV_PORT_DECAP_VXLAN &&
	    nla_put_u16(skb, NFV_A_PORT_VXLAN_PORT, p->vxlan_port))
		return -EMSGSIZE;
	if (p->has_vni && nla_put_u32(skb, NFV_A_PORT_VNI, p->vni))
		return -EMSGSIZE;
	if (removed && nla_put_flag(skb, NFV_A_PORT_REMOVED))
		return -EMSGSIZE;
	if (!stats || !nfv_tables_port_stats(fab, p->id, cnt))
		return 0;
	nest = nla_nest_start(skb, NFV_A_PORT_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < __NFV_XDP_COUNTER_MAX; i++)
		if (nla_put_u64_64bit(skb, NFV_XDP_CNT_ATTR(i), cnt[i],
				      NFV_XDP_CNT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Called with fab->lock held: the port named by NAME, else IFINDEX. */
static struct nfv_port *port_lookup(struct nfv_fabric *fab, struct nlattr **tb,
				    struct netlink_ext_ack *extack)
{
	struct nfv_port *p;
	char name[IFNAMSIZ];

	if (tb[NFV_A_PORT_NAME]) {
		nla_strscpy(name, tb[NFV_A_PORT_NAME], sizeof(name));
		p = nfv_port_find(fab, 0, name);
		if (!p)
			NL_SET_ERR_MSG_ATTR(extack, tb[NFV_A_PORT_NAME],
					    "no such port");
	} else if (tb[NFV_A_PORT_IFINDEX]) {
		p = nfv_port_find(fab, nla_get_u32(tb[NFV_A_PORT_IFINDEX]),
				  NULL);
		if (!p)
			NL_SET_ERR_MSG_ATTR(extack, tb[NFV_A_PORT_IFINDEX],
					    "no such port");
	} else {
		NL_SET_ERR_MSG(extack, "missing port ifindex or name");
		NL_SET_ERR_ATTR_MISS(extack, NULL, NFV_A_PORT_IFINDEX);
		return ERR_PTR(-EINVAL);
	}
	return p ?: ERR_PTR(-ENODEV);
}

/* DECAP, VXLAN_PORT and VNI of PORT_NEW; the policy checked the ranges. */
static int port_decap_parse(struct nlattr **tb, struct nfv_port_req *req,
			    struct netlink_ext_ack *extack)
{
	req->decap = tb[NFV_A_PORT_DECAP] ? nla_get_u8(tb[NFV_A_PORT_DECAP]) :
					    NFV_PORT_DECAP_NONE;
	if (req->decap != NFV_PORT_DECAP_VXLAN) {
		struct nlattr *a = tb[NFV_A_PORT_VXLAN_PORT] ?:
				   tb[NFV_A_PORT_VNI];

		if (a) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "vxlan port and vni need decap vxlan");
			return -EINVAL;
		}
		return 0;
	}
	req->vxlan_port = get_u16_or(tb[NFV_A_PORT_VXLAN_PORT],
				     NFV_VXLAN_PORT_DEFAULT);
	req->has_vni = !!tb[NFV_A_PORT_VNI];
	req->vni = get_u32_or(tb[NFV_A_PORT_VNI], 0);
	return 0;
}

int nfv_nl_port_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfv_fabric *fab = info_fabric(info);
	struct nlattr **tb = info->attrs;
	struct nfv_port_req req = {};
	char name[IFNAMSIZ];
	struct nfv_port *p;
	int err;

	if (!tb[NFV_A_PORT_IFINDEX] && !tb[NFV_A_PORT_NAME]) {
		NL_SET_ERR_MSG(info->extack, "missing port ifindex or name");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, NFV_A_PORT_IFINDEX);
		return -EINVAL;
	}
	req.flags = get_u32_or(tb[NFV_A_PORT_FLAGS], 0);
	if (req.flags & ~(u32)__NFV_PORT_F_ALL) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NFV_A_PORT_FLAGS],
				    "unknown port flags");
		return -EOPNOTSUPP;
	}
	req.flags &= ~(u32)NFV_PORT_F_GENERIC;	/* the mode says it */
	err = port_decap_parse(tb, &req, info->extack);
	if (err)
		return err;
	req.ifindex = get_u32_or(tb[NFV_A_PORT_IFINDEX], 0);
	if (tb[NFV_A_PORT_NAME]) {
		nla_strscpy(name, tb[NFV_A_PORT_NAME], sizeof(name));
		req.name = name;
	}
	req.mode = tb[NFV_A_PORT_MODE] ? nla_get_u8(tb[NFV_A_PORT_MODE]) : 0;
	req.default_chain = get_u16_or(tb[NFV_A_PORT_DEFAULT_CHAIN], 0);

	rtnl_lock();
	mutex_lock(&fab->lock);
	p = nfv_port_add(fab, &req, info->extack);
	mutex_unlock(&fab->lock);
	rtnl_unlock();
	return PTR_ERR_OR_ZERO(p);
}

int nfv_nl_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfv_fabric *fab = info_fabric(info);
	struct nfv_port *p;
	int err;

	mutex_lock(&fab->lock);
	p = port_lookup(fab, info->attrs, info->extack);
	err = IS_ERR(p) ? PTR_ERR(p) : nfv_port_del(fab, p);
	mutex_unlock(&fab->lock);
	return err;
}

static int port_get_one(struct sk_buff *msg, struct nfv_fabric *fab,
			struct genl_info *info)
{
	struct nfv_port *p = port_lookup(fab, info->attrs, info->extack);

	return IS_ERR(p) ? PTR_ERR(p) : port_fill(msg, fab, p, true, false);
}

int nfv_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return get_reply(info, NFV_CMD_PORT_GET, port_msg_size(),
			 port_get_one);
}

static int port_dump_one(struct sk_buff *skb, struct nfv_fabric *fab, u32 id)
{
	if (!fab->ports[id].id)
		return -ENOENT;
	return port_fill(skb, fab, &fab->ports[id], true, false);
}

int nfv_nl_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump_ids(skb, cb, NFV_CMD_PORT_GET, NFV_PORT_MAX - 1,
			port_dump_one);
}

/* ---- chains ---- */

static size_t chain_msg_size(void)
{
	return nla_total_size(sizeof(u16))		/* ID */
	     + nla_total_size(sizeof(u32))		/* FLAGS */
	     + NFV_HOPS_MAX * (nla_total_size(0)	/* HOP nest */
			       + nla_total_size(sizeof(u8))	/* TYPE */
			       + nla_total_size(sizeof(u16))	/* SERVICE */
			       + nla_total_size(sizeof(u16))	/* PORT */
			       + nla_total_size(sizeof(u32))	/* IFINDEX */
			       + nla_total_size(sizeof(u32)));	/* SPI */
}

/* Called with fab->lock held.  A chain without hops is a deleted one. */
static int chain_fill(struct sk_buff *skb, struct nfv_fabric *fab, u16 id,
		      const struct nfv_chain *c)
{
	int i;

	if (nla_put_u16(skb, NFV_A_CHAIN_ID, id) ||
	    nla_put_u32(skb, NFV_A_CHAIN_FLAGS, c->flags))
		return -EMSGSIZE;
	for (i = 0; i < c->n_hops && i < NFV_HOPS_MAX; i++) {
		const struct nfv_hop *h = &c->hops[i];
		struct nlattr *nest = nla_nest_start(skb, NFV_A_CHAIN_HOP);

		if (!nest || nla_put_u8(skb, NFV_A_HOP_TYPE, h->type))
			return -EMSGSIZE;
		if ((h->type == NFV_HOP_SERVICE || h->type == NFV_HOP_TAP) &&
		    nla_put_u16(skb, NFV_A_HOP_SERVICE, h->arg))
			return -EMSGSIZE;
		if ((h->type == NFV_HOP_OUT || h->type == NFV_HOP_NSH) &&
		    (nla_put_u16(skb, NFV_A_HOP_PORT, h->arg) ||
		     nla_put_u32(skb, NFV_A_HOP_IFINDEX,
				 h->arg < NFV_PORT_MAX ?
				 fab->ports[h->arg].ifindex : 0)))
			return -EMSGSIZE;
		if (h->type == NFV_HOP_NSH &&
		    nla_put_u32(skb, NFV_A_HOP_SPI, c->nsh_spi))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/*
 * Called with fab->lock held: one HOP nest into @c's next hop (not
 * counted yet).  Its attributes are taken apart and the out device
 * resolved here; nfv_hop_from_attrs() decides.  An nsh hop's SPI goes to
 * @c.
 */
static int parse_hop(struct nfv_fabric *fab, const struct nlattr *nest,
		     struct nfv_chain *c, struct netlink_ext_ack *extack)
{
	struct nfv_hop *h = &c->hops[c->n_hops];
	struct nlattr *tb[NFV_A_HOP_MAX + 1];
	struct nfv_hop_attrs a = {};
	struct nfv_port *p = NULL;
	struct nfv_err e;
	int err, i;

	err = nla_parse_nested(tb, NFV_A_HOP_MAX, nest, nfv_hop_nl_policy, extack);
	if (err)
		return err;
	for (i = 1; i <= NFV_A_HOP_MAX; i++)
		if (tb[i])
			a.given |= NFV_GIVEN(i);
	if (tb[NFV_A_HOP_TYPE])
		a.type = nla_get_u8(tb[NFV_A_HOP_TYPE]);
	if (tb[NFV_A_HOP_SERVICE])
		a.service = nla_get_u16(tb[NFV_A_HOP_SERVICE]);
	if (tb[NFV_A_HOP_IFINDEX])
		p = nfv_port_find(fab, nla_get_u32(tb[NFV_A_HOP_IFINDEX]),
				  NULL);
	else if (tb[NFV_A_HOP_PORT])
		p = &fab->ports[nla_get_u16(tb[NFV_A_HOP_PORT])];
	a.port = p ? p->id : 0;
	if (tb[NFV_A_HOP_SPI])
		a.spi = nla_get_u32(tb[NFV_A_HOP_SPI]);
	err = nfv_hop_from_attrs(&a, h, &e);
	if (err)
		return nfv_netlink_err(extack, tb, nest, err, &e);
	if (h->type == NFV_HOP_NSH)
		c->nsh_spi = a.spi;
	return 0;
}

int nfv_nl_chain_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfv_fabric *fab = info_fabric(info);
	struct nlattr **tb = info->attrs;
	struct nfv_chain c = {};
	struct nfv_err e;
	struct nlattr *a;
	u32 flags;
	int rem, err = 0;
	u16 id;

	if (missing(info, NFV_A_CHAIN_ID, "missing chain id"))
		return -EINVAL;
	id = nla_get_u16(tb[NFV_A_CHAIN_ID]);
	flags = get_u32_or(tb[NFV_A_CHAIN_FLAGS], 0);
	err = nfv_chain_flags_check(flags, &e);
	if (err)
		return nfv_netlink_err(info->extack, tb, NULL, err, &e);
	c.flags = flags;

	mutex_lock(&fab->lock);
	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != NFV_A_CHAIN_HOP)
			continue;
		err = nfv_chain_hop_room(c.n_hops, &e);
		if (err) {
			nfv_netlink_err(info->extack, NULL, a, err, &e);
			break;
		}
		err = parse_hop(fab, a, &c, info->extack);
		if (err)
			break;
		c.n_hops++;
	}
	if (!err)
		err = nfv_chain_set(fab, id, &c,
				    info->nlhdr->nlmsg_flags & NLM_F_REPLACE,
				    info->extack);
	if (err == -EEXIST)
		NL_SET_BAD_ATTR(info->extack, tb[NFV_A_CHAIN_ID]);
	mutex_unlock(&fab->lock);
	return err;
}

int nfv_nl_chain_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfv_fabric *fab = info_fabric(info);
	int err;

	if (missing(info, NFV_A_CHAIN_ID, "missing chain id"))
		return -EINVAL;
	mutex_lock(&fab->lock);
	err = nfv_chain_del(fab, nla_get_u16(info->attrs[NFV_A_CHAIN_ID]),
			    info->extack);
	if (err == -ENOENT)
		NL_SET_BAD_ATTR(info->extack, info->attrs[NFV_A_CHAIN_ID]);
	mutex_unlock(&fab->lock);
	return err;
}

static int chain_get_one(struct sk_buff *msg, struct nfv_fabric *fab,
			 struct genl_info *info)
{
	u16 id = nla_get_u16(info->attrs[NFV_A_CHAIN_ID]);
	const struct nfv_chain *c = nfv_chain_get(fab, id);

	if (!c) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NFV_A_CHAIN_ID],
				    "no such chain");
		return -ENOENT;
	}
	return chain_fill(msg, fab, id, c);
}

int nfv_nl_chain_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (missing(info, NFV_A_CHAIN_ID, "missing chain id"))
		return -EINVAL;
	return get_reply(info, NFV_CMD_CHAIN_GET, chain_msg_size(),
			 chain_get_one);
}

static int chain_dump_one(struct sk_buff *skb, struct nfv_fabric *fab, u32 id)
{
	const struct nfv_chain *c = nfv_chain_get(fab, id);

	return c ? chain_fill(skb, fab, id, c) : -ENOENT;
}

int nfv_nl_chain_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump_ids(skb, cb, NFV_CMD_CHAIN_GET, NFV_CHAIN_MAX,
			chain_dump_one);
}

/* ---- flows ---- */

static size_t flow_msg_size(void)
{
	return nla_total_size(sizeof(u32))		/* IN_IFINDEX */
	     + nla_total_size(sizeof(u8))		/* PROTO */
	     + nla_total_size(sizeof(u8))		/* FAMILY */
	     + nla_total_size(16)			/* SRC */
	     + nla_total_size(sizeof(u8))		/* SRC_PLEN */
	     + nla_total_size(16)			/* DST */
	     + nla_total_size(sizeof(u8))		/* DST_PLEN */
	     + 4 * nla_total_size(sizeof(u16))		/* [SD]PORT[_MAX] */
	     + nla_total_size(sizeof(u16))		/* CHAIN */
	     + nla_total_size(0)			/* EXACT */
	     + nla_total_size(sizeof(u16))		/* OWNER */
	     + nla_total_size(sizeof(u32))		/* IDLE_TIMEOUT */
	     + nla_total_size(sizeof(u32))		/* SPI */
	     + nla_total_size(sizeof(u8))		/* SI */
	     + nla_total_size(0);			/* REMOVED */
}

static int flow_fill(struct sk_buff *skb, const struct nfv_flow *f)
{
	const struct nfv_match *m = &f->m;
	int alen = m->family == AF_INET6 ? 16 : 4;

	if ((m->in_ifindex &&
	     nla_put_u32(skb, NFV_A_FLOW_IN_IFINDEX, m->in_ifindex)) ||
	    (m->proto && nla_put_u8(skb, NFV_A_FLOW_PROTO, m->proto)) ||
	    (m->family && nla_put_u8(skb, NFV_A_FLOW_FAMILY, m->family)))
		return -EMSGSIZE;
	if (m->family && m->src_plen &&
	    (nla_put(skb, NFV_A_FLOW_SRC, alen, m->src) ||
	     nla_put_u8(skb, NFV_A_FLOW_SRC_PLEN, m->src_plen)))
		return -EMSGSIZE;
	if (m->family && m->dst_plen &&
	    (nla_put(skb, NFV_A_FLOW_DST, alen, m->dst) ||
	     nla_put_u8(skb, NFV_A_FLOW_DST_PLEN, m->dst_plen)))
		return -EMSGSIZE;
	if (nfv_match_has_sport(m) &&
	    (nla_put_u16(skb, NFV_A_FLOW_SPORT, m->sport) ||
	     nla_put_u16(skb, NFV_A_FLOW_SPORT_MAX, m->sport_max)))
		return -EMSGSIZE;
	if (nfv_match_has_dport(m) &&
	    (nla_put_u16(skb, NFV_A_FLOW_DPORT, m->dport) ||
	     nla_put_u16(skb, NFV_A_FLOW_DPORT_MAX, m->dport_max)))
		return -EMSGSIZE;
	if (nla_put_u16(skb, NFV_A_FLOW_CHAIN, f->chain) ||
	    (f->exact && nla_put_flag(skb, NFV_A_FLOW_EXACT)) ||
	    (f->owner && nla_put_u16(skb, NFV_A_FLOW_OWNER, f->owner)) ||
	    (f->idle_ms &&
	     nla_put_u32(skb, NFV_A_FLOW_IDLE_TIMEOUT, f->idle_ms)))
		return -EMSGSIZE;
	if ((m->nsh & NFV_RULE_NSH_SPI &&
	     nla_put_u32(skb, NFV_A_FLOW_SPI, m->spi)) ||
	    (m->nsh & NFV_RULE_NSH_SI && nla_put_u8(skb, NFV_A_FLOW_SI, m->si)))
		return -EMSGSIZE;
	return 0;
}

static void notify_flow(struct nfv_fabric *fab, const struct nfv_flow *f,
			bool removed);

/*
 * Called with fab->lock held (IN_IFINDEX must name a port): the match of
 * a FLOW request.  Its attributes are taken apart here;
 * nfv_match_from_attrs() checks them and builds the match.
 */
static int parse_flow(struct nfv_fabric *fab, struct nlattr **tb,
		      struct nfv_match *m, struct netlink_ext_ack *extack)
{
	struct nfv_match_attrs a = {};
	struct nfv_err e;
	int err, i;

	for (i = 1; i <= NFV_A_FLOW_MAX; i++)
		if (tb[i])
			a.given |= NFV_GIVEN(i);
	if (tb[NFV_A_FLOW_IN_IFINDEX]) {
		a.in_ifindex = nla_get_u32(tb[NFV_A_FLOW_IN_IFINDEX]);
		a.in_is_port = !!nfv_port_find(fab, a.in_ifindex, NULL);
	}
	if (tb[NFV_A_FLOW_PROTO])
		a.proto = nla_get_u8(tb[NFV_A_FLOW_PROTO]);
	if (tb[NFV_A_FLOW_FAMILY])
		a.family = nla_get_u8(tb[NFV_A_FLOW_FAMILY]);
	if (tb[NFV_A_FLOW_SRC]) {
		a.src = nla_data(tb[NFV_A_FLOW_SRC]);
		a.src_len = nla_len(tb[NFV_A_FLOW_SRC]);
	}
	if (tb[NFV_A_FLOW_DST]) {
		a.dst = nla_data(tb[NFV_A_FLOW_DST]);
		a.dst_len = nla_len(tb[NFV_A_FLOW_DST]);
	}
	if (tb[NFV_A_FLOW_SRC_PLEN])
		a.src_plen = nla_get_u8(tb[NFV_A_FLOW_SRC_PLEN]);
	if (tb[NFV_A_FLOW_DST_PLEN])
		a.dst_plen = nla_get_u8(tb[NFV_A_FLOW_DST_PLEN]);
	a.sport = get_u16_or(tb[NFV_A_FLOW_SPORT], 0);
	a.sport_max = get_u16_or(tb[NFV_A_FLOW_SPORT_MAX], 0);
	a.dport = get_u16_or(tb[NFV_A_FLOW_DPORT], 0);
	a.dport_max = get_u16_or(tb[NFV_A_FLOW_DPORT_MAX], 0);
	a.spi = get_u32_or(tb[NFV_A_FLOW_SPI], 0);
	a.si = tb[NFV_A_FLOW_SI] ? nla_get_u8(tb[NFV_A_FLOW_SI]) : 0;
	err = nfv_match_from_attrs(&a, m, &e);
	if (err)
		return nfv_netlink_err(extack, tb, NULL, err, &e);
	return 0;
}

/*
 * An NF's rule (OWNER) and an idle timeout are nfvd's to write: it
 * polices the first (its policy, the NF's cap and death) and sweeps the
 * second (it reads the classifier's marks).  So only the socket that
 * bound the maps, nfvd's, may name them; anyone else would get a rule
 * nobody polices or sweeps.
 */
static bool from_nfvd(struct nfv_fabric *fab, struct genl_info *info)
{
	return nfv_tables_bound(fab) && fab->maps_portid == info->snd_portid;
}

static int flow_from_nfvd(struct nfv_fabric *fab, struct genl_info *info)
{
	struct nlattr *owner = info->attrs[NFV_A_FLOW_OWNER];
	struct nlattr *idle = info->attrs[NFV_A_FLOW_IDLE_TIMEOUT];
	bool nfvd = from_nfvd(fab, info);

	if (nfvd)
		return 0;
	if (owner) {
		NL_SET_ERR_MSG_ATTR(info->extack, owner,
				    "owner: nfvd names an NF's rule, never a request");
		return -EINVAL;
	}
	if (idle && nla_get_u32(idle)) {
		NL_SET_ERR_MSG_ATTR(info->extack, idle,
				    "idle timeouts are swept by nfvd: add the rule through nfvd's socket");
		return -EOPNOTSUPP;
	}
	return 0;
}

int nfv_nl_flow_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfv_fabric *fab = info_fabric(info);
	struct nfv_flow rule = {
		.chain = get_u16_or(info->attrs[NFV_A_FLOW_CHAIN], 0),
		.owner = get_u16_or(info->attrs[NFV_A_FLOW_OWNER], 0),
		.idle_ms = get_u32_or(info->attrs[NFV_A_FLOW_IDLE_TIMEOUT], 0),
	};
	int err;

	mutex_lock(&fab->lock);
	err = flow_from_nfvd(fab, info);
	if (!err)
		err = parse_flow(fab, info->attrs, &rule.m, info->extack);
	/* nfvd's NLM_F_REPLACE: a rule's owner and timeout, in place. */
	if (!err && (info->nlhdr->nlmsg_flags & NLM_F_REPLACE) &&
	    from_nfvd(fab, info))
		err = nfv_flow_replace(fab, &rule, info->extack);
	else if (!err)
		err = nfv_flow_add(fab, &rule, info->extack);
	if (!err) {
		notify_flow(fab, nfv_flow_find(fab, &rule.m), false);
		nfv_fabric_changed(fab);
	}
	mutex_unlock(&fab->lock);
	return err;
}

int nfv_nl_flow_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfv_fabric *fab = info_fabric(info);
	const struct nfv_flow *f;
	struct nfv_flow gone = {};
	struct nfv_match m;
	int err;

	mutex_lock(&fab->lock);
	err = parse_flow(fab, info->attrs, &m, info->extack);
	if (!err) {
		f = nfv_flow_find(fab, &m);
		if (f)
			gone = *f;	/* the event says what it was */
		err = nfv_flow_del(fab, &m, info->extack);
	}
	if (!err) {
		notify_flow(fab, &gone, true);
		nfv_fabric_changed(fab);
	}
	mutex_unlock(&fab->lock);
	return err;
}

static int flow_get_one(struct sk_buff *msg, struct nfv_fabric *fab,
			struct genl_info *info)
{
	struct nfv_match m;
	struct nfv_flow *f;
	int err;

	err = parse_flow(fab, info->attrs, &m, info->extack);
	if (err)
		return err;
	f = nfv_flow_find(fab, &m);
	if (!f) {
		NL_SET_ERR_MSG(info->extack, "no such flow");
		return -ENOENT;
	}
	return flow_fill(msg, f);
}

int nfv_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return get_reply(info, NFV_CMD_FLOW_GET, flow_msg_size(),
			 flow_get_one);
}

int nfv_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfv_fabric *fab = cb_fabric(cb);
	struct dump_ctx *ctx = dump_ctx(cb);
	unsigned long index = ctx->next;
	struct nfv_flow *f;

	mutex_lock(&fab->lock);
	cb->seq = fab->gen;
	while ((f = nfv_flow_next(fab, &index))) {
		void *hdr = dump_put(skb, cb, NFV_CMD_FLOW_GET);

		if (!hdr)
			break;
		if (flow_fill(skb, f)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		index++;	/* indices stay below INT_MAX: no wrap */
	}
	ctx->next = index;
	mutex_unlock(&fab->lock);
	return skb->len;
}

/* ---- NFs ---- */

static size_t nf_msg_size(void)
{
	return nla_total_size(sizeof(u16))		/* ID */
	     + nla_total_size(sizeof(u16))		/* SERVICE */
	     + nla_total_size(NFV_NAME_LEN)		/* NAME */
	     + nla_total_size(sizeof(u32))		/* PID */
	     + nla_total_size(sizeof(u32))		/* FLAGS */
	     + nla_total_size(sizeof(u8));		/* STATE */
}

static int nf_fill(struct sk_buff *skb, const struct nfv_nf *nf,
		   struct pid_namespace *ns)
{
	if (nla_put_u16(skb, NFV_A_NF_ID, nf->id) ||
	    nla_put_u16(skb, NFV_A_NF_SERVICE, nf->service) ||
	    nla_put_string(skb, NFV_A_NF_NAME, nf->name) ||
	    nla_put_u32(skb, NFV_A_NF_PID, pid_nr_ns(nf->pid, ns)) ||
	    nla_put_u32(skb, NFV_A_NF_FLAGS, nf->flags) ||
	    nla_put_u8(skb, NFV_A_NF_STATE, nf->state))
		return -EMSGSIZE;
	return 0;
}

static int nf_get_one(struct sk_buff *msg, struct nfv_fabric *fab,
		      struct genl_info *info)
{
	struct nfv_nf *nf = fab->nfs[nla_get_u16(info->attrs[NFV_A_NF_ID])];

	if (!nf) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NFV_A_NF_ID],
				    "no such NF");
		return -ENOENT;
	}
	return nf_fill(msg, nf, task_active_pid_ns(current));
}

int nfv_nl_nf_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (missing(info, NFV_A_NF_ID, "missing NF id"))
		return -EINVAL;
	return get_reply(info, NFV_CMD_NF_GET, nf_msg_size(), nf_get_one);
}

static int nf_dump_one(struct sk_buff *skb, struct nfv_fabric *fab, u32 id)
{
	if (!fab->nfs[id])
		return -ENOENT;
	return nf_fill(skb, fab->nfs[id], task_active_pid_ns(current));
}

int nfv_nl_nf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump_ids(skb, cb, NFV_CMD_NF_GET, NFV_NF_MAX - 1, nf_dump_one);
}

/* ---- services ---- */

static size_t service_msg_size(void)
{
	return nla_total_size(sizeof(u16))		/* ID */
	     + NFV_REPLICA_MAX * nla_total_size(sizeof(u16)); /* REPLICA */
}

static int service_fill(struct sk_buff *skb, u16 sid,
			const struct nfv_service *s)
{
	int r;

	if (nla_put_u16(skb, NFV_A_SERVICE_ID, sid))
		return -EMSGSIZE;
	for (r = 0; r < s->n_live && r < NFV_REPLICA_MAX; r++)
		if (nla_put_u16(skb, NFV_A_SERVICE_REPLICA, s->replicas[r]))
			return -EMSGSIZE;
	return 0;
}

static int service_get_one(struct sk_buff *msg, struct nfv_fabric *fab,
			   struct genl_info *info)
{
	u16 sid = nla_get_u16(info->attrs[NFV_A_SERVICE_ID]);
	const struct nfv_service *s = nfv_service_get(fab, sid);

	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[NFV_A_SERVICE_ID],
				    "service has no live replica");
		return -ENOENT;
	}
	return service_fill(msg, sid, s);
}

int nfv_nl_service_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (missing(info, NFV_A_SERVICE_ID, "missing service id"))
		return -EINVAL;
	return get_reply(info, NFV_CMD_SERVICE_GET, service_msg_size(),
			 service_get_one);
}

static int service_dump_one(struct sk_buff *skb, struct nfv_fabric *fab,
			    u32 sid)
{
	const struct nfv_service *s = nfv_service_get(fab, sid);

	return s ? service_fill(skb, sid, s) : -ENOENT;
}

int nfv_nl_service_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump_ids(skb, cb, NFV_CMD_SERVICE_GET, NFV_SERVICE_MAX,
			service_dump_one);
}

/* ---- stats ---- */

/*
 * What the module knows: its ports with the XDP counters (when the stats
 * map is bound) and its NFs.  Frame accounting is nfvd's (it owns the
 * UMEM): the FRAMES_* attributes are absent.
 */
static int stats_get_one(struct sk_buff *msg, struct nfv_fabric *fab,
			 struct genl_info *info)
{
	struct nlattr *nest;
	int i;

	if (nla_put_string(msg, NFV_A_STATS_BACKEND, "kernel"))
		return -EMSGSIZE;
	for (i = 1; i < NFV_PORT_MAX; i++) {
		if (!fab->ports[i].id)
			continue;
		nest = nla_nest_start(msg, NFV_A_STATS_PORT);
		if (!nest || port_fill(msg, fab, &fab->ports[i], true, false))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	for (i = 1; i < NFV_NF_MAX; i++) {
		if (!fab->nfs[i])
			continue;
		nest = nla_nest_start(msg, NFV_A_STATS_NF);
		if (!nest ||
		    nf_fill(msg, fab->nfs[i], task_active_pid_ns(current)))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

int nfv_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	/* No request attribute, so no policy refuses them: do it here. */
	if (genlmsg_len(info->genlhdr) > 0) {
		NL_SET_ERR_MSG(info->extack, "STATS_GET takes no attribute");
		return -EINVAL;
	}
	return get_reply(info, NFV_CMD_STATS_GET,
			 nla_total_size(sizeof("kernel")) +
			 NFV_PORT_MAX * nla_total_size(port_msg_size()) +
			 NFV_NF_MAX * nla_total_size(nf_msg_size()),
			 stats_get_one);
}

/* ---- maps ---- */

int nfv_nl_maps_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfv_fabric *fab = info_fabric(info);
	int err;

	mutex_lock(&fab->lock);
	err = nfv_tables_bind(fab, info->attrs, info->snd_portid,
			      info->extack);
	mutex_unlock(&fab->lock);
	return err;
}

static int maps_get_one(struct sk_buff *msg, struct nfv_fabric *fab,
			struct genl_info *info)
{
	const struct nfv_maps *m = &fab->maps;

	if (!nfv_tables_bound(fab)) {
		NL_SET_ERR_MSG(info->extack, "no maps bound");
		return -ENOENT;
	}
	if (nla_put_u32(msg, NFV_A_MAPS_PORTS, nfv_tables_map_id(m->ports)) ||
	    nla_put_u32(msg, NFV_A_MAPS_CHAINS, nfv_tables_map_id(m->chains)) ||
	    nla_put_u32(msg, NFV_A_MAPS_SERVICES,
			nfv_tables_map_id(m->services)) ||
	    nla_put_u32(msg, NFV_A_MAPS_FLOWS, nfv_tables_map_id(m->flows)) ||
	    nla_put_u32(msg, NFV_A_MAPS_RULES, nfv_tables_map_id(m->rules)) ||
	    (m->devmap && nla_put_u32(msg, NFV_A_MAPS_DEVMAP,
				      nfv_tables_map_id(m->devmap))) ||
	    (m->stats && nla_put_u32(msg, NFV_A_MAPS_STATS,
				     nfv_tables_map_id(m->stats))))
		return -EMSGSIZE;
	return 0;
}

int nfv_nl_maps_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return get_reply(info, NFV_CMD_MAPS_GET,
			 NFV_A_MAPS_MAX * nla_total_size(sizeof(u32)),
			 maps_get_one);
}

/* The binder of the maps (nfvd) closed its socket: stop writing them. */
static int netlink_release_event(struct notifier_block *nb,
				 unsigned long state, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nfv_fabric *fab;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	fab = nfv_fabric(n->net);
	mutex_lock(&fab->lock);
	if (fab->alive && nfv_tables_bound(fab) &&
	    fab->maps_portid == n->portid) {
		nfv_tables_unbind(fab);
		nfv_fabric_changed(fab);
	}
	mutex_unlock(&fab->lock);
	return NOTIFY_DONE;
}

static struct notifier_block netlink_release_nb = {
	.notifier_call = netlink_release_event,
};

/* ---- notifications ---- */

static struct sk_buff *event_new(struct nfv_fabric *fab, size_t size, u8 cmd,
				 void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&nfv_family, fab->net, NFV_NLGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &nfv_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void event_send(struct nfv_fabric *fab, struct sk_buff *skb, void *hdr,
		       int err)
{
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&nfv_family, fab->net, skb, 0,
				NFV_NLGRP_EVENTS, GFP_KERNEL);
}

void nfv_netlink_notify_port(struct nfv_fabric *fab, const struct nfv_port *p,
			     bool removed)
{
	struct sk_buff *skb;
	void *hdr;

	lockdep_assert_held(&fab->lock);
	skb = event_new(fab, port_msg_size(), NFV_CMD_PORT_EVENT, &hdr);
	if (skb)
		event_send(fab, skb, hdr, port_fill(skb, fab, p, false,
						    removed));
}

void nfv_netlink_notify_chain(struct nfv_fabric *fab, u16 id)
{
	struct sk_buff *skb;
	void *hdr;

	lockdep_assert_held(&fab->lock);
	skb = event_new(fab, chain_msg_size(), NFV_CMD_CHAIN_EVENT, &hdr);
	if (skb)
		event_send(fab, skb, hdr,
			   chain_fill(skb, fab, id, &fab->chains[id]));
}

/* A FLOW_EVENT: rule @f was added, or deleted (@removed). */
static void notify_flow(struct nfv_fabric *fab, const struct nfv_flow *f,
			bool removed)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	lockdep_assert_held(&fab->lock);
	if (WARN_ON_ONCE(!f))
		return;
	skb = event_new(fab, flow_msg_size(), NFV_CMD_FLOW_EVENT, &hdr);
	if (!skb)
		return;
	err = flow_fill(skb, f);
	if (!err && removed && nla_put_flag(skb, NFV_A_FLOW_REMOVED))
		err = -EMSGSIZE;
	event_send(fab, skb, hdr, err);
}

void nfv_netlink_notify_nf(struct nfv_fabric *fab, const struct nfv_nf *nf)
{
	struct sk_buff *skb;
	void *hdr;

	skb = event_new(fab, nf_msg_size(), NFV_CMD_NF_EVENT, &hdr);
	if (skb)
		event_send(fab, skb, hdr, nf_fill(skb, nf, &init_pid_ns));
}

/* ---- family ---- */

/* nfvd's commands, in the spec's op table: refused as unknown ones are. */
int nfv_nl_nf_attach_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int nfv_nl_nf_ready_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int nfv_nl_nf_socket_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

/* Offloaded flows are nfvd's: it holds the NFs' verdicts. */
int nfv_nl_offload_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int nfv_nl_offload_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int nfv_nl_offload_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

/* An NF's own counters are published to nfvd, which serves them. */
int nfv_nl_nf_counters_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int nfv_nl_nf_counters_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

/* nfvd's way of joining "events"; here: NETLINK_ADD_MEMBERSHIP. */
int nfv_nl_events_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

static const struct genl_multicast_group nfv_mcgrps[] = {
	[NFV_NLGRP_EVENTS] = { .name = NFV_MCGRP_EVENTS },
};

#ifndef NFV_HAVE_GENL_SPLIT_OPS
/*
 * 6.1 knows one genl_ops per command: fold the do and dump entries of
 * nfv_nl_ops[] into one.  The do entry's policy then also validates the
 * dump's request, as 6.1 has no other.
 */
static struct genl_ops nfv_ops[ARRAY_SIZE(nfv_nl_ops)];

static unsigned int nfv_fold_split_ops(void)
{
	const u8 perm = GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM;
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(nfv_nl_ops); i++) {
		const struct genl_split_ops *so = &nfv_nl_ops[i];
		struct genl_ops *op = NULL;

		for (j = 0; j < n && !op; j++)
			if (nfv_ops[j].cmd == so->cmd)
				op = &nfv_ops[j];
		if (!op) {
			op = &nfv_ops[n++];
			op->cmd = so->cmd;
		}
		if (so->flags & GENL_CMD_CAP_DO) {
			op->doit = so->doit;
			op->policy = so->policy;
			op->maxattr = so->maxattr;
		} else {
			op->start = so->start;
			op->dumpit = so->dumpit;
			op->done = so->done;
		}
		op->flags |= so->flags & perm;
		op->validate |= so->validate;
	}
	return n;
}
#endif

/*
 * The contract's NEW commands carry rtnetlink-style NLM_F_CREATE,
 * NLM_F_EXCL and NLM_F_REPLACE (nfvctl sends them to either backend), which
 * genl's strict header check refuses: it applies from MAPS_SET on only.
 * Attribute validation is strict for every command all the same.
 */
static struct genl_family nfv_family __ro_after_init = {
	.name = NFV_GENL_NAME,
	.resv_start_op = NFV_CMD_MAPS_SET,
	.version = NFV_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
#ifdef NFV_HAVE_GENL_SPLIT_OPS
	.split_ops = nfv_nl_ops,
	.n_split_ops = ARRAY_SIZE(nfv_nl_ops),
#else
	.ops = nfv_ops,		/* n_ops: nfv_fold_split_ops() */
#endif
	.mcgrps = nfv_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nfv_mcgrps),
};

int __init nfv_netlink_init(void)
{
	int err;

#ifndef NFV_HAVE_GENL_SPLIT_OPS
	nfv_family.n_ops = nfv_fold_split_ops();
#endif
	err = netlink_register_notifier(&netlink_release_nb);
	if (err)
		return err;
	err = genl_register_family(&nfv_family);
	if (err)
		netlink_unregister_notifier(&netlink_release_nb);
	return err;
}

void nfv_netlink_uninit(void)
{
	genl_unregister_family(&nfv_family);
	netlink_unregister_notifier(&netlink_release_nb);
}
