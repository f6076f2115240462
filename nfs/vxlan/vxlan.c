// SPDX-License-Identifier: GPL-2.0
/* nfv-vxlan data path: push/pull the outer headers, reparse the inner. */
#include <arpa/inet.h>
#include <string.h>

#include "../common/headroom.h"
#include "vxlan.h"

struct vxlanhdr {
	uint8_t flags;
	uint8_t reserved1[3];
	uint32_t vni_reserved;		/* VNI << 8, network order */
};

#define IPV6_EXT_MAX	4

static bool is_vlan(uint16_t proto)
{
	return proto == htons(ETH_P_8021Q) || proto == htons(ETH_P_8021AD);
}

static bool is_ipv6_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60;
}

/*
 * The classifier's view of a frame, for a frame it never parsed: one
 * VLAN tag, IPv4 or IPv6 (a few extension headers), the L4 offset of
 * unfragmented TCP, UDP, ICMP, ICMPv6 (or of the first fragment).
 */
void vxlan_parse_meta(struct nfv_pkt *pkt)
{
	struct nfv_xdp_meta *m = pkt->meta;
	uint32_t off = 14, end = pkt->len;
	uint16_t proto;
	uint8_t nh;

	m->l3_off = m->l4_off = 0;
	m->l4_proto = 0;
	m->flags &= ~(NFV_META_F_IPV6 | NFV_META_F_VLAN | NFV_META_F_CSUM_PARTIAL);
	if (end < 14)
		return;
	memcpy(&proto, pkt->data + 12, 2);
	if (is_vlan(proto)) {
		if (end < 18)
			return;
		memcpy(&proto, pkt->data + 16, 2);
		off = 18;
		m->flags |= NFV_META_F_VLAN;
	}
	if (proto == htons(ETH_P_IP)) {
		struct iphdr *ip = (struct iphdr *)(pkt->data + off);
		uint32_t hl;

		if (off + sizeof(*ip) > end || ip->version != 4 || ip->ihl < 5)
			return;
		hl = ip->ihl * 4u;
		if (off + ntohs(ip->tot_len) > end || ntohs(ip->tot_len) < hl)
			return;
		m->l3_off = (uint16_t)off;
		if (ntohs(ip->frag_off) & 0x1fff)
			return;			/* not the first fragment */
		nh = ip->protocol;
		end = off + ntohs(ip->tot_len);
		off += hl;
	} else if (proto == htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(pkt->data + off);
		int i;

		if (off + sizeof(*ip6) > end || ip6->version != 6 ||
		    off + sizeof(*ip6) + ntohs(ip6->payload_len) > end)
			return;
		m->l3_off = (uint16_t)off;
		m->flags |= NFV_META_F_IPV6;
		end = off + sizeof(*ip6) + ntohs(ip6->payload_len);
		nh = ip6->nexthdr;
		off += sizeof(*ip6);
		for (i = 0; i < IPV6_EXT_MAX && is_ipv6_ext(nh); i++) {
			const uint8_t *e = pkt->data + off;

			if (off + 8 > end)
				return;
			if (nh == 44) {
				if (((e[2] << 8 | e[3]) & 0xfff8))
					return;	/* not the first fragment */
				nh = e[0];
				off += 8;
			} else {
				nh = e[0];
				off += (e[1] + 1) * 8u;
			}
		}
		if (is_ipv6_ext(nh) || off > end)
			return;
	} else {
		return;
	}
	if ((nh == IPPROTO_TCP && off + 20 <= end) ||
	    (nh == IPPROTO_UDP && off + 8 <= end) ||
	    ((nh == IPPROTO_ICMP || nh == IPPROTO_ICMPV6) && off + 8 <= end)) {
		m->l4_off = (uint16_t)off;
		m->l4_proto = nh;
	}
}

int vxlan_encap(struct vxlan *vx, struct nfv_pkt *pkt)
{
	struct ethhdr inner_eth, *eth;
	struct vxlanhdr *vh;
	struct udphdr *uh;
	struct iphdr *ip;
	uint32_t inner_len = pkt->len;
	uint8_t *p;

	memcpy(&inner_eth, pkt->data, sizeof(inner_eth));
	p = nf_pkt_push(pkt, VXLAN_ENCAP_LEN);
	if (!p) {
		vx->st.no_headroom++;
		return -1;
	}
	eth = (struct ethhdr *)p;
	memcpy(eth->h_dest, vx->dst_mac_set ? vx->dst_mac : inner_eth.h_dest, 6);
	memcpy(eth->h_source, vx->src_mac_set ? vx->src_mac : inner_eth.h_source, 6);
	eth->h_proto = htons(ETH_P_IP);

	ip = (struct iphdr *)(eth + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons((uint16_t)(inner_len + 20 + 8 + 8));
	ip->id = htons(vx->ip_id++);
	ip->saddr = vx->local;
	ip->daddr = vx->remote;
	nfv_ipv4_csum(ip);

	uh = (struct udphdr *)(ip + 1);
	/* Entropy from the inner flow, in the dynamic range (RFC 7348 5). */
	uh->source = htons((uint16_t)(49152 + pkt->meta->hash % 16384));
	uh->dest = vx->port;
	uh->len = htons((uint16_t)(inner_len + 8 + 8));
	uh->check = 0;

	vh = (struct vxlanhdr *)(uh + 1);
	memset(vh, 0, sizeof(*vh));
	vh->flags = VXLAN_F_VNI;
	vh->vni_reserved = htonl(vx->vni << 8);

	pkt->meta->l3_off = 14;
	pkt->meta->l4_off = 14 + 20;
	pkt->meta->l4_proto = IPPROTO_UDP;
	pkt->meta->flags &= ~(NFV_META_F_IPV6 | NFV_META_F_VLAN |
			      NFV_META_F_CSUM_PARTIAL);
	vx->st.encap++;
	return 0;
}

/* The folded pseudo-header sum a partial checksum holds (not inverted). */
static uint16_t pseudo_sum(struct nfv_pkt *pkt, uint32_t l4_len)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	uint32_t sum;

	if (m->flags & NFV_META_F_IPV6)
		sum = nfv_csum_partial(pkt->data + m->l3_off + 8, 32, 0);
	else
		sum = nfv_csum_partial(pkt->data + m->l3_off + 12, 8, 0);
	sum += htons(m->l4_proto);
	sum += htons((uint16_t)l4_len);
	return nfv_csum_fold(sum);
}

static bool l4_csum_ok(struct nfv_pkt *pkt, uint32_t l4_len)
{
	uint32_t sum = pseudo_sum(pkt, l4_len);

	sum = nfv_csum_partial(pkt->data + pkt->meta->l4_off, l4_len, sum);
	return nfv_csum_fold(sum) == 0xffff;
}

static uint32_t l4_len_of(struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;

	if (m->flags & NFV_META_F_IPV6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(pkt->data + m->l3_off);

		return m->l3_off + 40u + ntohs(ip6->payload_len) - m->l4_off;
	}
	return m->l3_off + (uint32_t)ntohs(((struct iphdr *)(pkt->data +
				m->l3_off))->tot_len) - m->l4_off;
}

/*
 * An inner TCP/UDP checksum that holds only the pseudo-header sum was
 * left for offload by the encapsulating host: finish it, as libnfv does
 * for frames from stock veths.
 */
static void complete_inner_csum(struct vxlan *vx, struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	uint16_t check;
	uint32_t l4_len;

	if (!m->l4_off || (m->l4_proto != IPPROTO_TCP &&
			   m->l4_proto != IPPROTO_UDP))
		return;
	l4_len = l4_len_of(pkt);
	if (m->l4_off + l4_len > pkt->len)
		return;
	memcpy(&check, pkt->data + m->l4_off + (m->l4_proto == IPPROTO_TCP ? 16 : 6), 2);
	if (!check && m->l4_proto == IPPROTO_UDP && !(m->flags & NFV_META_F_IPV6))
		return;
	if (check == pseudo_sum(pkt, l4_len) && !l4_csum_ok(pkt, l4_len) &&
	    !nfv_l4_csum(pkt))
		vx->st.csum_fixed++;
}

int vxlan_decap(struct vxlan *vx, struct nfv_pkt *pkt)
{
	const struct nfv_xdp_meta *m = pkt->meta;
	struct nfv_xdp_meta inner_meta;
	struct nfv_pkt inner;
	struct vxlanhdr *vh;
	struct udphdr *uh;
	uint32_t outer, udp_len;

	/* The classifier parsed the outer headers for us. */
	if (!m->l4_off || m->l4_proto != IPPROTO_UDP) {
		vx->st.not_vxlan++;
		return 1;
	}
	uh = (struct udphdr *)(pkt->data + m->l4_off);
	if (uh->dest != vx->port) {
		vx->st.not_vxlan++;
		return 1;
	}
	outer = m->l4_off + 8u + 8u;
	udp_len = ntohs(uh->len);
	if (pkt->len < outer + 14 || udp_len < 8 + 8 + 14 ||
	    m->l4_off + udp_len > pkt->len) {
		vx->st.malformed++;
		return -1;
	}
	vh = (struct vxlanhdr *)(uh + 1);
	if (!(vh->flags & VXLAN_F_VNI)) {
		vx->st.malformed++;
		return -1;
	}
	if (vx->vni_set && ntohl(vh->vni_reserved) >> 8 != vx->vni) {
		vx->st.bad_vni++;
		return -1;
	}
	/* Ethernet padding after the UDP datagram goes too. */
	pkt->len = m->l4_off + udp_len;
	/*
	 * The inner frame first: a sender with local checksum offload
	 * (RFC 7348 senders on Linux) computes the outer UDP checksum as if
	 * the partial inner one were complete, so complete it before the
	 * outer one can verify.
	 */
	inner = *pkt;
	inner.data += outer;
	inner.len -= outer;
	inner_meta = *pkt->meta;
	inner.meta = &inner_meta;
	vxlan_parse_meta(&inner);
	complete_inner_csum(vx, &inner);
	if (uh->check && !l4_csum_ok(pkt, udp_len)) {
		vx->st.bad_csum++;
		return -1;
	}
	if (nf_pkt_pull(pkt, outer)) {
		vx->st.malformed++;
		return -1;
	}
	pkt->meta->l3_off = inner_meta.l3_off;
	pkt->meta->l4_off = inner_meta.l4_off;
	pkt->meta->l4_proto = inner_meta.l4_proto;
	pkt->meta->flags = inner_meta.flags;
	vx->st.decap++;
	return 0;
}

uint32_t vxlan_handle(struct nfv_pkt *pkt, void *ctx)
{
	struct vxlan *vx = ctx;

	if (pkt->flags & NFV_PKT_F_TAP) {
		vx->st.tap++;		/* a read-only reference: look only */
		return NFV_NEXT;
	}
	if (!vx->decap)
		return vxlan_encap(vx, pkt) ? NFV_DROP : NFV_NEXT;
	return vxlan_decap(vx, pkt) < 0 ? NFV_DROP : NFV_NEXT;
}

void vxlan_json(FILE *f, const struct vxlan *vx)
{
	fprintf(f, "{\"mode\":\"%s\",\"encap\":%llu,\"decap\":%llu,"
		"\"no_headroom\":%llu,\"not_vxlan\":%llu,\"bad_vni\":%llu,"
		"\"bad_csum\":%llu,\"malformed\":%llu,\"csum_fixed\":%llu,"
		"\"tap\":%llu}\n", vx->decap ? "decap" : "encap",
		(unsigned long long)vx->st.encap, (unsigned long long)vx->st.decap,
		(unsigned long long)vx->st.no_headroom,
		(unsigned long long)vx->st.not_vxlan,
		(unsigned long long)vx->st.bad_vni,
		(unsigned long long)vx->st.bad_csum,
		(unsigned long long)vx->st.malformed,
		(unsigned long long)vx->st.csum_fixed,
		(unsigned long long)vx->st.tap);
}
