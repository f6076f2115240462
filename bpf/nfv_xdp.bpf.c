// SPDX-License-Identifier: GPL-2.0
/*
 * nfv_xdp: the fabric classifier, attached to every fabric port.
 *
 *   ip link set dev X xdp obj build/bpf/nfv_xdp.bpf.o sec xdp
 *
 * For each frame: find the port (by ingress ifindex), parse, classify
 * (exact flow with this in_port, exact flow with in_port 0, prefix rules
 * in order, the port's default chain) and act on the chain's first hop:
 * SERVICE picks a replica by a symmetric flow hash and redirects to that
 * NF's AF_XDP socket for this (port, rx queue) with struct nfv_xdp_meta in
 * front of the frame; OUT redirects to another port; DROP drops.
 *
 * A decap port (decap.h) first removes its encapsulation, a VLAN tag or
 * VXLAN's outer headers, so that all of the above sees the inner frame;
 * a frame that then goes to the kernel gets the encapsulation back.
 *
 * Counters (nfv_xdp_stats, per CPU, indexed by port id, 0 = not a port):
 * RX for every frame plus exactly one outcome:
 *
 *   PASS        to the kernel: not a port, not IP, or not classified
 *   PARSE_ERR   to the kernel: malformed or unsupported headers
 *   REDIRECT    to an NF socket, metadata written
 *   HOP_OUT     to another port (devmap)
 *   HOP_DROP    first hop is DROP
 *   NO_CHAIN    chain id has no hops, or its first hop is not valid
 *   NO_REPLICA  the service has no live replica for the bucket
 *   NO_SOCKET   the replica has no socket on this (port, queue)
 *   META_ERR    no room for the metadata
 *   FAIL_CLOSED nfvd is gone (stale heartbeat) and the port fails closed
 *   DECAP_ERR   to the kernel untouched: a decap port's encapsulation is
 *               there but truncated or malformed (VLAN tag cut short;
 *               VXLAN header or inner Ethernet header missing, I flag
 *               clear)
 *
 * While nfvd is gone a port does nothing but its fail policy: a frame is
 * dropped (FAIL_CLOSED) or goes to the kernel (PASS).  Classified frames,
 * those that reach the chain lookup, count one of FLOW_HIT, RULE_HIT or
 * DEFAULT_HIT as well, and frames whose encapsulation was removed count
 * DECAP, whatever their outcome.  So, per port:
 *
 *   RX == sum of outcomes
 *   FLOW_HIT + RULE_HIT + DEFAULT_HIT ==
 *	sum of outcomes - PASS - PARSE_ERR - DECAP_ERR
 *   DECAP <= RX - DECAP_ERR
 *
 * Frames with broken headers are passed, not dropped: the kernel drops
 * them anyway and says why in its own counters (InHdrErrors, InTruncated-
 * Pkts, ...), and headers we merely do not support (QinQ, long IPv6
 * extension chains) may be fine for the stack.  Only what the fabric
 * owns is dropped here.
 *
 * The tables are written by nfvd (or nfv.ko); this program only reads
 * them.  It uses no helper newer than 5.15 and no kfunc: it must load on
 * Debian's 6.1 as well.
 */
#include "parsing.h"
#include "decap.h"
#include "maps.h"

char LICENSE[] SEC("license") = "GPL";

static __always_inline void count(struct nfv_xdp_stats *st, int counter)
{
	st->cnt[counter]++;
}

static __always_inline int outcome(struct nfv_xdp_stats *st, int counter,
				   int action)
{
	count(st, counter);
	return action;
}

/*
 * nfvd's last heartbeat is older than its timeout: its UMEM, fill rings
 * and NF sockets may be gone with it, so the fabric no longer steers.
 * A program nobody beats for (ns == 0) is never "gone".
 */
static __always_inline int nfvd_gone(void)
{
	struct nfv_heartbeat *hb;
	__u32 key = 0;
	__u64 beat;

	hb = bpf_map_lookup_elem(&nfv_heartbeat, &key);
	if (!hb)
		return 0;
	beat = hb->ns;
	/* Signed: a beat taken a hair "after" now is fresh, not ancient. */
	return beat && (__s64)(bpf_ktime_get_ns() - beat) >
		       (__s64)hb->timeout_ns;
}

/* To the kernel: as the frame came, encapsulation included. */
static __always_inline int to_kernel(struct xdp_md *ctx,
				     struct nfv_xdp_stats *st,
				     const struct decap_state *ds, int counter)
{
	decap_undo(ctx, ds);
	return outcome(st, counter, XDP_PASS);
}

static __always_inline __u32 rol32(__u32 x, int r)
{
	return (x << r) | (x >> (32 - r));
}

/* One multiply-rotate round over a 32-bit word. */
static __always_inline __u32 mix(__u32 h, __u32 k)
{
	k *= 0xcc9e2d51;
	k = rol32(k, 15);
	k *= 0x1b873593;
	h ^= k;
	h = rol32(h, 13);
	return h * 5 + 0xe6546b64;
}

static __always_inline __u32 avalanche(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	return h ^ (h >> 16);
}

/* All four address words (IPv4 leaves three of them zero) and the port. */
static __always_inline __u32 endpoint_hash(const __u32 *addr, __u16 port)
{
	__u32 h = 0x6e667600;	/* "nfv" */
	int i;

#pragma unroll
	for (i = 0; i < 4; i++)
		h = mix(h, addr[i]);
	return avalanche(mix(h, port));
}

/*
 * Symmetric flow hash: both endpoints are hashed on their own and then
 * combined with a commutative operation, so A->B and B->A agree without
 * ordering the endpoints first.  Frames without ports (ICMP, fragments,
 * other protocols) hash on the addresses and protocol only.
 */
static __always_inline __u32 flow_hash(const struct pkt_info *pi)
{
	__u32 a = endpoint_hash(pi->src, pi->sport);
	__u32 b = endpoint_hash(pi->dst, pi->dport);

	return avalanche(mix(a + b, pi->proto));
}

/*
 * A sender that uses TX checksum offload (every stock veth) leaves in the
 * TCP/UDP checksum only the folded pseudo-header sum, not inverted, and
 * relies on CHECKSUM_PARTIAL, which XDP loses.  Spot that value so that
 * libnfv completes the checksum before any NF sees the frame.  A full
 * checksum equal to it by chance (1 in 65536) is harmless: completing
 * recomputes from scratch.
 */
static __always_inline int csum_is_partial(const struct pkt_info *pi)
{
	__u32 sum = 0;
	int i;

	if (!pi->l4_off || pi->frag)
		return 0;
	if (pi->proto != IPPROTO_TCP && pi->proto != IPPROTO_UDP)
		return 0;
	/* UDP over IPv4 may go without a checksum at all. */
	if (pi->proto == IPPROTO_UDP && pi->family == NFV_AF_INET &&
	    !pi->l4_check)
		return 0;
#pragma unroll
	for (i = 0; i < 4; i++) {
		sum += (pi->src[i] & 0xffff) + (pi->src[i] >> 16);
		sum += (pi->dst[i] & 0xffff) + (pi->dst[i] >> 16);
	}
	sum += bpf_htons(pi->proto);
	sum += bpf_htons(pi->l4_len);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return pi->l4_check == sum;
}

static __always_inline __u16 lookup_flow(const struct pkt_info *pi,
					 __u16 port)
{
	struct nfv_flow_key k = {};
	struct nfv_flow_val *v;

	__builtin_memcpy(k.src, pi->src, sizeof(k.src));
	__builtin_memcpy(k.dst, pi->dst, sizeof(k.dst));
	k.sport = pi->sport;
	k.dport = pi->dport;
	k.proto = pi->proto;
	k.family = pi->family;
	k.in_port = port;
	v = bpf_map_lookup_elem(&nfv_flows, &k);
	if (v && v->chain)
		return v->chain;
	k.in_port = 0;
	v = bpf_map_lookup_elem(&nfv_flows, &k);
	return v ? v->chain : 0;
}

static __always_inline int port_in(__be16 port, __u16 lo, __u16 hi)
{
	__u16 p = bpf_ntohs(port);

	return p >= lo && p <= hi;
}

/*
 * Addresses compare under the mask whether or not the writer stored them
 * masked.  A port range (anything but 0-0) never matches a frame without
 * ports.
 */
static __always_inline int rule_match(const struct nfv_prefix_rule *r,
				      const struct pkt_info *pi, __u32 port)
{
	__u32 miss = 0;
	int i;

	if (r->in_port && r->in_port != port)
		return 0;
	if (r->family && r->family != pi->family)
		return 0;
	if (r->proto && r->proto != pi->proto)
		return 0;
#pragma unroll
	for (i = 0; i < 4; i++) {
		miss |= (pi->src[i] ^ r->src[i]) & r->src_mask[i];
		miss |= (pi->dst[i] ^ r->dst[i]) & r->dst_mask[i];
	}
	if (miss)
		return 0;
	if (r->sport_lo | r->sport_hi) {
		if (!pi->has_ports ||
		    !port_in(pi->sport, r->sport_lo, r->sport_hi))
			return 0;
	}
	if (r->dport_lo | r->dport_hi) {
		if (!pi->has_ports ||
		    !port_in(pi->dport, r->dport_lo, r->dport_hi))
			return 0;
	}
	return 1;
}

/*
 * A plain bounded loop, not bpf_loop() (5.17+).  A global function, so
 * that the verifier walks the 64 iterations once, whatever the state of
 * the caller.
 */
__noinline int nfv_match_rules(const struct pkt_info *pi, __u32 port)
{
	struct nfv_prefix_rule *r;
	__u32 i, key;

	if (!pi)
		return 0;
	for (i = 0; i < NFV_PREFIX_RULES_MAX; i++) {
		key = i;
		r = bpf_map_lookup_elem(&nfv_rules, &key);
		if (!r || !r->chain)
			break;
		if (rule_match(r, pi, port))
			return r->chain;
	}
	return 0;
}

/*
 * A global function: the verifier checks it once, on its own, and the
 * caller sees *pi as plain data afterwards.  Inlined, every parse path
 * (family, VLAN, extension headers, fragments) would carry its own
 * constants into the prefix-rule loop and multiply the states to explore
 * past the verifier's limit.
 */
__noinline int nfv_parse(struct xdp_md *ctx, struct pkt_info *pi)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (!pi)
		return PARSE_ERR;
	return parse_frame(data, data_end, pi);
}

SEC("xdp")
int nfv_xdp(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;
	__u32 queue = ctx->rx_queue_index;
	struct decap_state ds = {};
	struct pkt_info pi = {};
	struct nfv_port_cfg *port;
	struct nfv_xdp_stats *st;
	struct nfv_xdp_meta *meta;
	struct nfv_service *svc;
	struct nfv_chain *chain;
	struct nfv_hop hop;
	__u32 key, hash, nf;
	__u16 port_id = 0, chain_id;
	int ret, partial, dr;

	port = bpf_map_lookup_elem(&nfv_ports, &ifindex);
	/* A port with an id out of range is no port: its slots would alias. */
	if (port && port->id && port->id < NFV_PORT_MAX)
		port_id = port->id;
	key = port_id;
	st = bpf_map_lookup_elem(&nfv_xdp_stats, &key);
	if (!st)
		return XDP_PASS;	/* cannot happen: key < max_entries */
	count(st, NFV_XDP_RX);
	if (!port_id)
		return outcome(st, NFV_XDP_PASS, XDP_PASS);
	if (nfvd_gone())
		return port->flags & NFV_PORT_F_FAIL_CLOSED ?
		       outcome(st, NFV_XDP_FAIL_CLOSED, XDP_DROP) :
		       outcome(st, NFV_XDP_PASS, XDP_PASS);

	if (port->decap == NFV_PORT_DECAP_VLAN) {
		dr = decap_vlan(ctx, &ds);
		if (dr == DECAP_ERR)
			return outcome(st, NFV_XDP_DECAP_ERR, XDP_PASS);
		if (dr == DECAP_DONE)
			count(st, NFV_XDP_DECAP);
	}
	ret = nfv_parse(ctx, &pi);
	if (ret == PARSE_OK && port->decap == NFV_PORT_DECAP_VXLAN) {
		dr = decap_vxlan(ctx, port, &pi, &ds);
		if (dr == DECAP_ERR)
			return outcome(st, NFV_XDP_DECAP_ERR, XDP_PASS);
		if (dr == DECAP_DONE) {
			count(st, NFV_XDP_DECAP);
			__builtin_memset(&pi, 0, sizeof(pi));
			pi.frame_max = ds.inner;
			ret = nfv_parse(ctx, &pi);
		}
	}
	if (ret == PARSE_NOT_IP) {
		/*
		 * A port with NFV_PORT_F_STEER_ARP sends ARP down its default
		 * chain (to an ARP responder NF); the hash is symmetric over
		 * sender and target addresses, so a request and its reply
		 * meet the same replica.  Everything else goes to the kernel.
		 */
		void *data = (void *)(long)ctx->data;
		void *end = (void *)(long)ctx->data_end;
		struct ethhdr *eth = data;
		__u8 *arp = data + sizeof(*eth);

		if (!(port->flags & NFV_PORT_F_STEER_ARP) ||
		    !port->default_chain || (void *)(arp + 28) > end ||
		    (ds.inner && sizeof(*eth) + 28 > ds.inner) ||
		    eth->h_proto != bpf_htons(ETH_P_ARP))
			return to_kernel(ctx, st, &ds, NFV_XDP_PASS);
		__builtin_memset(&pi, 0, sizeof(pi));
		__builtin_memcpy(&pi.src[0], arp + 14, 4);
		__builtin_memcpy(&pi.dst[0], arp + 24, 4);
		chain_id = port->default_chain;
		count(st, NFV_XDP_DEFAULT_HIT);
		goto have_chain;
	}
	if (ret != PARSE_OK)
		return to_kernel(ctx, st, &ds, NFV_XDP_PARSE_ERR);

	chain_id = lookup_flow(&pi, port_id);
	if (chain_id) {
		count(st, NFV_XDP_FLOW_HIT);
	} else if ((chain_id = nfv_match_rules(&pi, port_id))) {
		count(st, NFV_XDP_RULE_HIT);
	} else if (port->default_chain) {
		chain_id = port->default_chain;
		count(st, NFV_XDP_DEFAULT_HIT);
	} else {
		return to_kernel(ctx, st, &ds, NFV_XDP_PASS);
	}

have_chain:
	key = chain_id;
	chain = bpf_map_lookup_elem(&nfv_chains, &key);
	if (!chain || !chain->n_hops)
		return outcome(st, NFV_XDP_NO_CHAIN, XDP_DROP);
	hop = chain->hops[0];

	switch (hop.type) {
	case NFV_HOP_SERVICE:
		break;
	case NFV_HOP_OUT:
		/*
		 * Fallback XDP_ABORTED: a chain pointing at a port missing
		 * from the devmap is a writer bug, and xdp:xdp_exception
		 * shows it.
		 */
		count(st, NFV_XDP_HOP_OUT);
		decap_finish(ctx, &ds);
		return bpf_redirect_map(&nfv_devmap, hop.arg, 0);
	case NFV_HOP_DROP:
		return outcome(st, NFV_XDP_HOP_DROP, XDP_DROP);
	default:
		/* NONE first, or a type we do not know: no usable chain. */
		return outcome(st, NFV_XDP_NO_CHAIN, XDP_DROP);
	}

	key = hop.arg;
	svc = bpf_map_lookup_elem(&nfv_services, &key);
	if (!svc || !svc->n_live)
		return outcome(st, NFV_XDP_NO_REPLICA, XDP_DROP);
	hash = flow_hash(&pi);
	nf = svc->buckets[hash % NFV_BUCKETS];
	if (!nf || nf >= NFV_NF_MAX)
		return outcome(st, NFV_XDP_NO_REPLICA, XDP_DROP);
	/* Queues past NFV_QUEUE_MAX have no slots; never alias them. */
	if (queue >= NFV_QUEUE_MAX)
		return outcome(st, NFV_XDP_NO_SOCKET, XDP_DROP);
	key = NFV_XSK_SLOT(nf, port_id, queue);
	if (!bpf_map_lookup_elem(&nfv_xsks, &key))
		return outcome(st, NFV_XDP_NO_SOCKET, XDP_DROP);

	partial = !(port->flags & NFV_PORT_F_NOCSUM) && csum_is_partial(&pi);

	decap_finish(ctx, &ds);
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return outcome(st, NFV_XDP_META_ERR, XDP_DROP);
	/* adjust_meta invalidated every packet pointer: derive them anew. */
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data)
		return outcome(st, NFV_XDP_META_ERR, XDP_DROP);

	meta->hash = hash;
	meta->chain = chain_id;
	meta->hop = 0;
	meta->flags = (pi.family == NFV_AF_INET6 ? NFV_META_F_IPV6 : 0) |
		      (pi.vlan ? NFV_META_F_VLAN : 0) |
		      (partial ? NFV_META_F_CSUM_PARTIAL : 0) |
		      (ds.len ? NFV_META_F_DECAP : 0);
	meta->in_port = port_id;
	meta->l3_off = pi.l3_off;
	meta->l4_off = pi.l4_off;
	meta->l4_proto = pi.l4_off ? pi.proto : 0;
	meta->magic = NFV_META_MAGIC;
	meta->decap_id = !ds.len ? 0 :
			 ds.kind == NFV_PORT_DECAP_VLAN ?
			 bpf_ntohs(ds.tci) & 0xfff : ds.vni;

	/* The socket can go between lookup and redirect: then drop. */
	count(st, NFV_XDP_REDIRECT);
	return bpf_redirect_map(&nfv_xsks, key, XDP_DROP);
}
