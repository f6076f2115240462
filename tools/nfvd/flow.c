// SPDX-License-Identifier: GPL-2.0
/*
 * Flows: FLOW_NEW, FLOW_DEL and FLOW_GET on nfvd's socket, a flow's match
 * from its attributes and back (replies, dumps, the state file).  nfvd
 * holds them in flows.c; the datapath provider writes them (dpif.h):
 * full 5-tuples in the exact table, the rest as prefix rules.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>

#include "control.h"
#include "dpif.h"
#include "flow.h"
#include "flows.h"
#include "nfvd.h"

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

static int parse_addr(struct nfvd_req *req, const struct nlattr *a,
		      const struct nlattr *plen, uint32_t *addr,
		      uint8_t *out_plen, uint8_t *family)
{
	uint8_t fam = mnl_attr_get_payload_len(a) == 4 ? AF_INET : AF_INET6;
	uint8_t max = fam == AF_INET ? 32 : 128;

	if (*family && *family != fam) {
		REQ_ERR_ATTR(req, a, "address family mismatch");
		return -EINVAL;
	}
	*family = fam;
	memcpy(addr, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
	*out_plen = plen ? mnl_attr_get_u8(plen) : max;
	if (*out_plen > max) {
		REQ_ERR_ATTR(req, plen, "prefix length too long");
		return -ERANGE;
	}
	return 0;
}

static int parse_range(struct nfvd_req *req, const struct nlattr *lo,
		       const struct nlattr *hi, uint16_t *min, uint16_t *max)
{
	*min = lo ? mnl_attr_get_u16(lo) : 0;
	*max = hi ? mnl_attr_get_u16(hi) : *min;
	if (hi && !lo) {
		REQ_ERR_ATTR(req, hi, "port range without a low end");
		return -EINVAL;
	}
	if (*max < *min) {
		REQ_ERR_ATTR(req, hi, "port range is empty");
		return -EINVAL;
	}
	return 0;
}

static int parse_flow(struct nfvd_req *req, const struct nlattr **tb,
		      struct nfvd_flow *f)
{
	int err;

	memset(f, 0, sizeof(*f));
	if (tb[NFV_A_FLOW_IN_IFINDEX]) {
		f->in_ifindex = mnl_attr_get_u32(tb[NFV_A_FLOW_IN_IFINDEX]);
		if (!port_find(req->d, f->in_ifindex, NULL)) {
			REQ_ERR_ATTR(req, tb[NFV_A_FLOW_IN_IFINDEX],
				     "in: device is not a fabric port");
			return -ENODEV;
		}
	}
	if (tb[NFV_A_FLOW_PROTO])
		f->proto = mnl_attr_get_u8(tb[NFV_A_FLOW_PROTO]);
	if (tb[NFV_A_FLOW_FAMILY]) {
		f->family = mnl_attr_get_u8(tb[NFV_A_FLOW_FAMILY]);
		if (f->family != AF_INET && f->family != AF_INET6) {
			REQ_ERR_ATTR(req, tb[NFV_A_FLOW_FAMILY],
				     "family must be AF_INET or AF_INET6");
			return -EAFNOSUPPORT;
		}
	}
	if (tb[NFV_A_FLOW_SRC]) {
		err = parse_addr(req, tb[NFV_A_FLOW_SRC],
				 tb[NFV_A_FLOW_SRC_PLEN], f->src, &f->src_plen,
				 &f->family);
		if (err)
			return err;
	} else if (tb[NFV_A_FLOW_SRC_PLEN]) {
		REQ_ERR_ATTR(req, tb[NFV_A_FLOW_SRC_PLEN],
			     "prefix length without an address");
		return -EINVAL;
	}
	if (tb[NFV_A_FLOW_DST]) {
		err = parse_addr(req, tb[NFV_A_FLOW_DST],
				 tb[NFV_A_FLOW_DST_PLEN], f->dst, &f->dst_plen,
				 &f->family);
		if (err)
			return err;
	} else if (tb[NFV_A_FLOW_DST_PLEN]) {
		REQ_ERR_ATTR(req, tb[NFV_A_FLOW_DST_PLEN],
			     "prefix length without an address");
		return -EINVAL;
	}
	err = parse_range(req, tb[NFV_A_FLOW_SPORT], tb[NFV_A_FLOW_SPORT_MAX],
			  &f->sport, &f->sport_max);
	if (!err)
		err = parse_range(req, tb[NFV_A_FLOW_DPORT],
				  tb[NFV_A_FLOW_DPORT_MAX], &f->dport,
				  &f->dport_max);
	if (err)
		return err;
	if ((f->sport_max || f->dport_max) && f->proto != IPPROTO_TCP &&
	    f->proto != IPPROTO_UDP && f->proto != IPPROTO_SCTP) {
		REQ_ERR(req, "ports need proto tcp, udp or sctp");
		return -EINVAL;
	}
	if (tb[NFV_A_FLOW_CHAIN])
		f->chain = mnl_attr_get_u16(tb[NFV_A_FLOW_CHAIN]);
	/* The exact table takes full 5-tuples; everything else is a rule. */
	f->exact = f->family && f->proto &&
		   f->src_plen == (f->family == AF_INET ? 32 : 128) &&
		   f->dst_plen == f->src_plen &&
		   (f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6 ||
		    (f->sport && f->dport && f->sport == f->sport_max &&
		     f->dport == f->dport_max));
	if ((f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6) &&
	    (f->sport || f->dport))
		f->exact = false;
	return 0;
}

/*
 * A flow's attributes: for a FLOW_NEW reply or dump (@reply, with the
 * reply-only EXACT), or for a FLOW_NEW request (the state file's
 * snapshots, replayed through cmd_flow()).
 */
void flow_put(struct nlmsghdr *nlh, const struct nfvd_flow *f,
	      bool reply)
{
	size_t alen = f->family == AF_INET6 ? 16 : 4;

	if (f->in_ifindex)
		mnl_attr_put_u32(nlh, NFV_A_FLOW_IN_IFINDEX, f->in_ifindex);
	if (f->proto)
		mnl_attr_put_u8(nlh, NFV_A_FLOW_PROTO, f->proto);
	if (f->family)
		mnl_attr_put_u8(nlh, NFV_A_FLOW_FAMILY, f->family);
	if (f->family && f->src_plen) {
		mnl_attr_put(nlh, NFV_A_FLOW_SRC, alen, f->src);
		mnl_attr_put_u8(nlh, NFV_A_FLOW_SRC_PLEN, f->src_plen);
	}
	if (f->family && f->dst_plen) {
		mnl_attr_put(nlh, NFV_A_FLOW_DST, alen, f->dst);
		mnl_attr_put_u8(nlh, NFV_A_FLOW_DST_PLEN, f->dst_plen);
	}
	if (f->sport_max) {
		mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT, f->sport);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT_MAX, f->sport_max);
	}
	if (f->dport_max) {
		mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT, f->dport);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT_MAX, f->dport_max);
	}
	mnl_attr_put_u16(nlh, NFV_A_FLOW_CHAIN, f->chain);
	if (reply && f->exact)
		mnl_attr_put(nlh, NFV_A_FLOW_EXACT, 0, NULL);
}

/* Flow @f is being freed: dumps about to send it move on. */
static void flow_gone(struct nfvd *d, const struct nfvd_flow *f)
{
	struct nfvd_client *c;

	for (c = d->clients; c; c = c->next)
		if (c->dump.cmd == NFV_CMD_FLOW_GET && c->dump.flow == f)
			c->dump.flow = f->next;
}

static int cmd_flow(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	struct nfvd *d = req->d;
	struct nfvd_flow f, *e;
	int err;

	err = parse_attrs(req, NULL, flow_pol, NFV_A_FLOW_MAX, tb);
	if (err)
		return err;
	if (cmd == NFV_CMD_FLOW_GET)
		return control_dump_start(req, NFV_CMD_FLOW_GET);
	if (!is_admin(req))
		return -EPERM;
	err = parse_flow(req, tb, &f);
	if (err)
		return err;
	e = flows_find(d, &f);
	if (cmd == NFV_CMD_FLOW_DEL) {
		if (!e) {
			REQ_ERR(req, "no such flow");
			return -ENOENT;
		}
		flow_gone(d, e);
		flows_remove(d, e);
		if (e->exact) {
			d->dp->flow_write(d, e, false);
			d->n_exact_flows--;
		} else {
			d->dp->rules_write(d);
		}
		free(e);
		return 0;
	}
	if (!f.chain) {
		REQ_ERR(req, "missing chain id");
		return -EINVAL;
	}
	if (e) {
		REQ_ERR(req, "a flow with this match exists");
		return -EEXIST;
	}
	if (f.exact && d->n_exact_flows >= d->cfg.flows) {
		REQ_ERR(req, "flow table full");
		return -ENOSPC;
	}
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = f;
	/* Appended: first match wins among rules of equal specificity. */
	if (flows_insert(d, e)) {
		free(e);
		return -ENOMEM;
	}
	err = e->exact ? d->dp->flow_write(d, e, true) : d->dp->rules_write(d);
	if (err) {
		flow_gone(d, e);
		flows_remove(d, e);
		free(e);
		if (!f.exact)
			d->dp->rules_write(d);
		REQ_ERR(req, err == -ENOSPC ? "too many prefix rules (max 64)"
					    : "cannot write flow table");
		return err;
	}
	if (e->exact)
		d->n_exact_flows++;
	return 0;
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
