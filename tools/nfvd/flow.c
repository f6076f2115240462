// SPDX-License-Identifier: GPL-2.0
/*
 * Flows: FLOW_NEW, FLOW_DEL and FLOW_GET on nfvd's socket, a flow's match
 * from its attributes and back (replies, dumps, the state file).  nfvd
 * holds them in flows.c; the datapath provider writes them (dpif.h):
 * full 5-tuples in the exact table, the rest as prefix rules.  An NF's
 * own rules (FLOW_NEW on its socket) are admitted by flow_owner.c; rules
 * with an idle timeout are swept by flow_idle.c.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/nfv_match.h>

#include "control.h"
#include "dpif.h"
#include "events.h"
#include "flow.h"
#include "flow_idle.h"
#include "flow_owner.h"
#include "flows.h"
#include "nfvd.h"

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
	if (tb[NFV_A_FLOW_SPI])
		a.spi = mnl_attr_get_u32(tb[NFV_A_FLOW_SPI]);
	if (tb[NFV_A_FLOW_SI])
		a.si = mnl_attr_get_u8(tb[NFV_A_FLOW_SI]);
	err = nfv_match_from_attrs(&a, &f->m, &e);
	if (err)
		return control_core_err(req, tb, NULL, err, &e);
	if (tb[NFV_A_FLOW_CHAIN])
		f->chain = mnl_attr_get_u16(tb[NFV_A_FLOW_CHAIN]);
	f->exact = nfv_match_is_exact(&f->m);
	if (tb[NFV_A_FLOW_IDLE_TIMEOUT])
		f->idle_ms = mnl_attr_get_u32(tb[NFV_A_FLOW_IDLE_TIMEOUT]);
	err = nfv_flow_idle_check(&f->m, f->idle_ms, &e);
	if (err)
		return control_core_err(req, tb, NULL, err, &e);
	return 0;
}

/* A flow's match: all of a FLOW_DEL or FLOW_GET request. */
void flow_put_match(struct nlmsghdr *nlh, const struct nfvd_flow *f)
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
	if (f->m.nsh & NFV_RULE_NSH_SPI)
		mnl_attr_put_u32(nlh, NFV_A_FLOW_SPI, f->m.spi);
	if (f->m.nsh & NFV_RULE_NSH_SI)
		mnl_attr_put_u8(nlh, NFV_A_FLOW_SI, f->m.si);
}

/*
 * A flow's attributes: for a FLOW_NEW reply or dump (@reply, with the
 * reply-only EXACT), or for a FLOW_NEW request (the state file's
 * snapshots, replayed through cmd_flow()).
 */
void flow_put(struct nlmsghdr *nlh, const struct nfvd_flow *f,
	      bool reply)
{
	flow_put_match(nlh, f);
	mnl_attr_put_u16(nlh, NFV_A_FLOW_CHAIN, f->chain);
	if (f->idle_ms)
		mnl_attr_put_u32(nlh, NFV_A_FLOW_IDLE_TIMEOUT, f->idle_ms);
	if (reply && f->exact)
		mnl_attr_put(nlh, NFV_A_FLOW_EXACT, 0, NULL);
	if (reply && f->owner)
		mnl_attr_put_u16(nlh, NFV_A_FLOW_OWNER, f->owner);
}

/* Flow @f is being freed: dumps about to send it move on. */
static void flow_gone(struct nfvd *d, const struct nfvd_flow *f)
{
	struct nfvd_client *c;

	for (c = d->clients; c; c = c->next)
		if (c->dump.cmd == NFV_CMD_FLOW_GET && c->dump.flow == f)
			c->dump.flow = f->next;
}

/*
 * Write @e to the datapath: an exact rule alone; a prefix rule as the
 * whole array again (from d->flows), unless the provider takes them one
 * by one (nfv.ko keeps its own: no rules_write).
 */
static int dp_flow_write(struct nfvd *d, const struct nfvd_flow *e, bool add)
{
	d->dp_why = NULL;
	if (e->exact || !d->dp->rules_write)
		return d->dp->flow_write(d, e, add);
	return d->dp->rules_write(d);
}

/* Rule @e leaves nfvd's list (the datapath has it no more): freed. */
void flow_forget(struct nfvd *d, struct nfvd_flow *e)
{
	flow_gone(d, e);
	flows_remove(d, e);
	flow_owner_removed(d, e);
	flow_idle_removed(d, e);
	if (e->exact)
		d->n_exact_flows--;
	free(e);
}

void flow_remove(struct nfvd *d, struct nfvd_flow *e)
{
	struct nfvd_flow gone = *e;

	events_flow(d, e, true);
	flow_forget(d, e);
	if (dp_flow_write(d, &gone, false))
		pr_warn("nfvd: a rule of chain %u gone from nfvd but not from the datapath: %s\n",
			gone.chain, d->dp_why ?: "write failed");
}

/* @f admitted: kept, written, announced. */
static int flow_add(struct nfvd_req *req, const struct nfvd_flow *f)
{
	struct nfvd *d = req->d;
	struct nfvd_flow *e;
	int err;

	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = *f;
	/* Appended: first match wins among rules of equal specificity. */
	if (flows_insert(d, e)) {
		free(e);
		return -ENOMEM;
	}
	err = dp_flow_write(d, e, true);
	if (err) {
		flow_gone(d, e);
		flows_remove(d, e);
		free(e);
		if (!f->exact && d->dp->rules_write)
			d->dp->rules_write(d);
		REQ_ERR(req, d->dp_why ?: "cannot write flow table");
		return err;
	}
	if (e->exact)
		d->n_exact_flows++;
	flow_owner_added(d, e);
	flow_idle_added(d, e);
	events_flow(d, e, false);
	return 0;
}

/*
 * A rule as nfv.ko describes it (a FLOW_GET reply, a FLOW_EVENT): its
 * match, chain, owner and idle timeout in @f.  0, or -errno when the
 * message does not hold a valid rule.
 */
int flow_from_msg(struct nfvd *d, const struct nlmsghdr *nlh,
		  struct nfvd_flow *f)
{
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	struct nfvd_client c = { .fd = -1 };
	struct nfvd_req req = { .d = d, .c = &c, .nlh = nlh };
	struct nfv_nl_err e = { 0 };
	size_t hdr = NLMSG_HDRLEN + sizeof(struct genlmsghdr);
	int err;

	if (nlh->nlmsg_len < hdr)
		return -EBADMSG;
	err = nfv_nl_parse(&nfv_flow_nl_set,
			   (const char *)nlh + hdr, nlh->nlmsg_len - hdr,
			   NFV_NL_LENIENT, tb, &e);
	if (!err)
		err = parse_flow(&req, tb, f);
	if (err)
		return err;
	if (tb[NFV_A_FLOW_OWNER])
		f->owner = mnl_attr_get_u16(tb[NFV_A_FLOW_OWNER]);
	return 0;
}

/*
 * Whether a FLOW request names a rule nfvd holds (an NF's, one with an
 * idle timeout): on nfv.ko, nfvd answers those itself (dp-kernel.c).
 */
bool flow_held(struct nfvd_req *req)
{
	struct nfvd_flow f;

	return !flow_from_msg(req->d, req->nlh, &f) && flows_find(req->d, &f);
}

static int flow_get(struct nfvd_req *req, const struct nlattr **tb)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	struct nfvd_flow f, *e;
	int err;

	err = parse_flow(req, tb, &f);
	if (err)
		return err;
	e = flows_find(req->d, &f);
	if (!e) {
		REQ_ERR(req, "no such flow");
		return -ENOENT;
	}
	nlh = control_reply_start(req, buf, NFV_CMD_FLOW_GET, 0);
	flow_put(nlh, e, true);
	return control_reply(req, nlh, NULL, 0) ?: 1;
}

static int flow_change(struct nfvd_req *req, uint8_t cmd,
		       const struct nlattr **tb)
{
	struct nfvd *d = req->d;
	struct nfv_flow_room room = {
		.n_exact = d->n_exact_flows,
		.max_exact = d->cfg.flows,
		.n_rules = d->n_flows - d->n_exact_flows,
	};
	struct nfvd_flow f, *e;
	struct nfv_err ce;
	int err;

	if (!req->c->nf && !is_admin(req))
		return -EPERM;
	err = parse_flow(req, tb, &f);
	if (err)
		return err;
	e = flows_find(d, &f);
	/* An NF's request: within its policy, on its own rules only. */
	if (req->c->nf) {
		err = flow_owner_admit(req, cmd, &f, e);
		if (err)
			return err;
	}
	if (cmd == NFV_CMD_FLOW_DEL) {
		err = nfv_flow_del_check(e, &ce);
		if (err)
			return control_core_err(req, tb, NULL, err, &ce);
		flow_remove(d, e);
		return 0;
	}
	err = nfv_flow_admit(&f.m, f.chain, e, &room, &ce);
	if (err)
		return control_core_err(req, tb, NULL, err, &ce);
	return flow_add(req, &f);
}

static int cmd_flow(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	int err;

	err = parse_attrs(req, NULL, &nfv_flow_nl_set, NFV_NL_REQUEST, tb);
	if (!err && tb[NFV_A_FLOW_OWNER]) {
		/* nfvd's to give (to nfv.ko), never a client's to name. */
		REQ_ERR_ATTR(req, tb[NFV_A_FLOW_OWNER],
			     "owner: the NF that sent the rule, never a request's");
		err = -EINVAL;
	}
	if (err)
		return flow_owner_answer(req, cmd, err);
	if (cmd == NFV_CMD_FLOW_GET && is_dump(req))
		return control_dump_start(req, NFV_CMD_FLOW_GET);
	if (cmd == NFV_CMD_FLOW_GET)
		return flow_get(req, tb);
	return flow_owner_answer(req, cmd, flow_change(req, cmd, tb));
}

static struct nlmsghdr *flow_dump(struct nfvd_req *req, struct nfvd_dump *dp,
				  void *buf)
{
	struct nlmsghdr *nlh;

	if (!dp->flow)
		return NULL;
	nlh = control_reply_start(req, buf, dp->cmd, NLM_F_MULTI);
	flow_put(nlh, dp->flow, true);
	dp->flow = dp->flow->next;
	return nlh;
}

const struct nfvd_obj flow_obj = {
	.doit = cmd_flow,
	.dump = flow_dump,
};
