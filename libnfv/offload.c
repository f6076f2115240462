// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Verdicts: an NF says a flow needs it no more (nfv_flow_offload()), or
 * takes its verdicts back (nfv_offload_revoke()).  nfvd decides what a
 * verdict is worth (tools/nfvd/offload.c): a flow is offloaded only once
 * every NF of its chain has given one.
 *
 * A verdict is sent from the packet loop, so it never waits: one
 * message, no answer, not sent again for the same flow within
 * NFV_OFFLOAD_RESEND_MS (frames of a flow nfvd has just offloaded are
 * still on their way through the chain).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "internal.h"
#include <nfv/pkt.h>

#define NFV_OFFLOAD_CACHE	256		/* power of two */
#define NFV_OFFLOAD_RESEND_MS	1000

struct nfv_offload_said {
	struct nfv_flow_key key;
	uint64_t ms;
};

/* The flow of @pkt as nfvd's OFFLOAD attributes name it. */
static int pkt_flow(struct nfv *nf, struct nfv_pkt *pkt,
		    struct nfv_flow_key *k, uint32_t *ifindex)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	struct ipv6hdr *ip6;
	struct iphdr *ip4;
	struct tcphdr *th;
	struct udphdr *uh;

	memset(k, 0, sizeof(*k));
	if (!m || m->magic != NFV_META_MAGIC || !m->in_port ||
	    m->in_port >= NFV_PORT_MAX)
		return -EINVAL;
	if (m->flags & NFV_META_F_DECAP)
		return -EOPNOTSUPP;	/* the port takes encapsulation off */
	*ifindex = __atomic_load_n(&nf->tables->ports[m->in_port].ifindex,
				   __ATOMIC_ACQUIRE);
	if (!*ifindex)
		return -ENODEV;
	if ((ip4 = nfv_pkt_ipv4(pkt))) {
		k->family = AF_INET;
		memcpy(k->src, &ip4->saddr, 4);
		memcpy(k->dst, &ip4->daddr, 4);
	} else if ((ip6 = nfv_pkt_ipv6(pkt))) {
		k->family = AF_INET6;
		memcpy(k->src, &ip6->saddr, 16);
		memcpy(k->dst, &ip6->daddr, 16);
	} else {
		return -EPROTONOSUPPORT;
	}
	if ((th = nfv_pkt_tcp(pkt))) {
		k->proto = IPPROTO_TCP;
		k->sport = th->source;
		k->dport = th->dest;
	} else if ((uh = nfv_pkt_udp(pkt))) {
		k->proto = IPPROTO_UDP;
		k->sport = uh->source;
		k->dport = uh->dest;
	} else {
		return -EPROTONOSUPPORT;	/* TCP and UDP only */
	}
	k->in_port = m->in_port;
	return 0;
}

/* Said within NFV_OFFLOAD_RESEND_MS: true; else remembered as said. */
static bool said_lately(struct nfv *nf, const struct nfv_flow_key *k,
			uint32_t hash)
{
	struct nfv_offload_said *s;
	uint64_t now = nfv_now_ms();

	if (!nf->offload_said) {
		nf->offload_said = calloc(NFV_OFFLOAD_CACHE, sizeof(*s));
		if (!nf->offload_said)
			return false;
	}
	s = &nf->offload_said[(hash ^ k->in_port) & (NFV_OFFLOAD_CACHE - 1)];
	if (s->ms && now - s->ms < NFV_OFFLOAD_RESEND_MS &&
	    !memcmp(&s->key, k, sizeof(*k)))
		return true;
	s->key = *k;
	s->ms = now;
	return false;
}

int nfv_flow_offload(struct nfv *nf, struct nfv_pkt *pkt, uint32_t flags)
{
	char buf[256];
	struct nlmsghdr *nlh;
	struct nfv_flow_key k;
	uint32_t ifindex;
	size_t alen;
	int err;

	if (!nf || !pkt || (flags & ~NFV_OFFLOAD_F_BOTH))
		return nfv_err(-EINVAL);
	err = pkt_flow(nf, pkt, &k, &ifindex);
	if (err)
		return nfv_err(err);
	if (said_lately(nf, &k, pkt->meta->hash))
		return 0;
	alen = k.family == AF_INET ? 4 : 16;
	nlh = nfv_msg_start(buf, NFV_CMD_OFFLOAD_NEW, 0, ++nf->seq);
	mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IN_IFINDEX, ifindex);
	mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_PROTO, k.proto);
	mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_FAMILY, k.family);
	mnl_attr_put(nlh, NFV_A_OFFLOAD_SRC, alen, k.src);
	mnl_attr_put(nlh, NFV_A_OFFLOAD_DST, alen, k.dst);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_SPORT, ntohs(k.sport));
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_DPORT, ntohs(k.dport));
	if (flags & NFV_OFFLOAD_F_BOTH)
		mnl_attr_put(nlh, NFV_A_OFFLOAD_BOTH, 0, NULL);
	/* No answer comes (none is asked for): never wait for nfvd. */
	if (send(nf->ctl, nlh, nlh->nlmsg_len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		err = -errno;
		/* Not said after all: the next frame tries again. */
		nf->offload_said[(pkt->meta->hash ^ k.in_port) &
				 (NFV_OFFLOAD_CACHE - 1)].ms = 0;
		return nfv_err(err);
	}
	return 0;
}

int nfv_offload_revoke(struct nfv *nf)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	char reply[NFV_MSG_MAX];

	if (!nf)
		return nfv_err(-EINVAL);
	if (nf->offload_said)
		memset(nf->offload_said, 0,
		       NFV_OFFLOAD_CACHE * sizeof(*nf->offload_said));
	nlh = nfv_msg_start(buf, NFV_CMD_OFFLOAD_DEL, NLM_F_ACK, ++nf->seq);
	return nfv_err(nfv_ctl_request(nf, nlh, NULL, NULL, 0, reply,
				       sizeof(reply)));
}
