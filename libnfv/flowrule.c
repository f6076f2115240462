// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Flow rules from an NF: FLOW_NEW and FLOW_DEL on the NF's own socket,
 * which nfvd takes within its policy (tools/nfvd/flow.c, nf_rules.c).
 * Sent from the packet loop: one message, no answer asked, never
 * waiting; nfvd counts what it refuses.  A burst of new flows can fill
 * nfvd's socket (a classifier NF sends two rules a flow): what it does
 * not take waits in a queue of NFV_RULE_QUEUE messages, in order, sent
 * by the next call or by the run loop (nfv_rules_flush()); only a full
 * queue refuses (-EAGAIN).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/nfv_match.h>
#include <libmnl/libmnl.h>

#include "internal.h"
#include <nfv/pkt.h>

#define NFV_RULE_QUEUE		1024	/* messages, a power of two */
#define NFV_RULE_MSG_MAX	256	/* an IPv6 exact rule: ~180 bytes */

struct nfv_rule_queue {
	uint32_t head, tail;		/* tail - head queued */
	struct {
		uint16_t len;
		char buf[NFV_RULE_MSG_MAX];
	} m[NFV_RULE_QUEUE];
};

static bool queue_empty(const struct nfv *nf)
{
	return !nf->rule_q || nf->rule_q->head == nf->rule_q->tail;
}

int nfv_rules_flush(struct nfv *nf)
{
	struct nfv_rule_queue *q = nf->rule_q;

	if (!q || nf->ctl < 0)
		return -1;
	while (q->head != q->tail) {
		const typeof(q->m[0]) *e = &q->m[q->head & (NFV_RULE_QUEUE - 1)];

		if (send(nf->ctl, e->buf, e->len,
			 MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		    (errno == EAGAIN || errno == EINTR))
			return 1;	/* nfvd is busy: again in a ms */
		/* Sent, or never will be (nfvd gone: reattach resends
		 * nothing; the NF's frames ask again).
		 */
		q->head++;
	}
	return -1;
}

/* @nlh behind the rules queued, if any: -EAGAIN when the queue is full. */
static int send_or_queue(struct nfv *nf, const struct nlmsghdr *nlh)
{
	struct nfv_rule_queue *q;
	typeof(q->m[0]) *e;

	nfv_rules_flush(nf);
	if (queue_empty(nf)) {
		if (send(nf->ctl, nlh, nlh->nlmsg_len,
			 MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EAGAIN)
			return -errno;
	}
	if (!nf->rule_q) {
		nf->rule_q = calloc(1, sizeof(*nf->rule_q));
		if (!nf->rule_q)
			return -EAGAIN;
	}
	q = nf->rule_q;
	if (q->tail - q->head == NFV_RULE_QUEUE ||
	    nlh->nlmsg_len > NFV_RULE_MSG_MAX)
		return -EAGAIN;
	e = &q->m[q->tail & (NFV_RULE_QUEUE - 1)];
	memcpy(e->buf, nlh, nlh->nlmsg_len);
	e->len = (uint16_t)nlh->nlmsg_len;
	q->tail++;
	return 0;
}

/* @m as FLOW attributes: what `nfvctl flow add` would send for it. */
static void put_match(struct nlmsghdr *nlh, const struct nfv_match *m)
{
	size_t alen = m->family == AF_INET6 ? 16 : 4;

	if (m->in_ifindex)
		mnl_attr_put_u32(nlh, NFV_A_FLOW_IN_IFINDEX, m->in_ifindex);
	if (m->proto)
		mnl_attr_put_u8(nlh, NFV_A_FLOW_PROTO, m->proto);
	if (m->family)
		mnl_attr_put_u8(nlh, NFV_A_FLOW_FAMILY, m->family);
	if (m->family && m->src_plen) {
		mnl_attr_put(nlh, NFV_A_FLOW_SRC, alen, m->src);
		mnl_attr_put_u8(nlh, NFV_A_FLOW_SRC_PLEN, m->src_plen);
	}
	if (m->family && m->dst_plen) {
		mnl_attr_put(nlh, NFV_A_FLOW_DST, alen, m->dst);
		mnl_attr_put_u8(nlh, NFV_A_FLOW_DST_PLEN, m->dst_plen);
	}
	if (m->sport_max) {
		mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT, m->sport);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT_MAX, m->sport_max);
	}
	if (m->dport_max) {
		mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT, m->dport);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT_MAX, m->dport_max);
	}
}

static int send_rule(struct nfv *nf, uint8_t cmd, const struct nfv_match *m,
		     uint16_t chain, uint32_t idle_ms)
{
	char buf[NFV_RULE_MSG_MAX];
	struct nlmsghdr *nlh;

	if (!nf || !m || (m->family != AF_INET && m->family != AF_INET6 &&
			  m->family))
		return nfv_err(-EINVAL);
	if (nf->ctl < 0)
		return nfv_err(-ENOTCONN);
	nlh = nfv_msg_start(buf, cmd, 0, ++nf->seq);
	put_match(nlh, m);
	if (chain)
		mnl_attr_put_u16(nlh, NFV_A_FLOW_CHAIN, chain);
	if (idle_ms)
		mnl_attr_put_u32(nlh, NFV_A_FLOW_IDLE_TIMEOUT, idle_ms);
	/* No answer is asked for: never wait for nfvd. */
	return nfv_err(send_or_queue(nf, nlh));
}

int nfv_flow_add(struct nfv *nf, const struct nfv_match *m, uint16_t chain,
		 uint32_t idle_ms)
{
	if (!chain)
		return nfv_err(-EINVAL);
	return send_rule(nf, NFV_CMD_FLOW_NEW, m, chain, idle_ms);
}

int nfv_flow_del(struct nfv *nf, const struct nfv_match *m)
{
	return send_rule(nf, NFV_CMD_FLOW_DEL, m, 0, 0);
}

int nfv_pkt_match(struct nfv_pkt *pkt, bool reverse, struct nfv_match *m)
{
	const struct nfv_xdp_meta *meta;
	uint16_t sport = 0, dport = 0;
	struct ipv6hdr *ip6;
	struct iphdr *ip4;
	struct tcphdr *th;
	struct udphdr *uh;

	if (!pkt || !m)
		return nfv_err(-EINVAL);
	memset(m, 0, sizeof(*m));
	meta = pkt->meta;
	if (!meta || meta->magic != NFV_META_MAGIC)
		return nfv_err(-EINVAL);
	if (meta->flags & NFV_META_F_DECAP)
		return nfv_err(-EOPNOTSUPP);
	if ((ip4 = nfv_pkt_ipv4(pkt))) {
		m->family = AF_INET;
		m->src_plen = m->dst_plen = 32;
		memcpy(m->src, &ip4->saddr, 4);
		memcpy(m->dst, &ip4->daddr, 4);
	} else if ((ip6 = nfv_pkt_ipv6(pkt))) {
		m->family = AF_INET6;
		m->src_plen = m->dst_plen = 128;
		memcpy(m->src, &ip6->saddr, 16);
		memcpy(m->dst, &ip6->daddr, 16);
	} else {
		return nfv_err(-EPROTONOSUPPORT);
	}
	if ((th = nfv_pkt_tcp(pkt))) {
		m->proto = IPPROTO_TCP;
		sport = ntohs(th->source);
		dport = ntohs(th->dest);
	} else if ((uh = nfv_pkt_udp(pkt))) {
		m->proto = IPPROTO_UDP;
		sport = ntohs(uh->source);
		dport = ntohs(uh->dest);
	} else if (meta->l4_off && meta->l4_proto ==
		   (m->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6)) {
		m->proto = meta->l4_proto;
	} else {
		return nfv_err(-EPROTONOSUPPORT);
	}
	/* An exact rule names both ports; port 0 cannot be matched so. */
	if (m->proto != IPPROTO_ICMP && m->proto != IPPROTO_ICMPV6 &&
	    (!sport || !dport))
		return nfv_err(-EPROTONOSUPPORT);
	m->sport = m->sport_max = sport;
	m->dport = m->dport_max = dport;
	if (reverse) {
		uint32_t a[4];

		memcpy(a, m->src, sizeof(a));
		memcpy(m->src, m->dst, sizeof(a));
		memcpy(m->dst, a, sizeof(a));
		m->sport = m->sport_max = dport;
		m->dport = m->dport_max = sport;
	}
	return 0;
}
