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
#include <linux/pkt_cls.h>
#include <linux/nfv_classify.h>
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
	/*
	 * The coarse clock (a tick behind at most, no clock source read
	 * per frame) against a timeout of hundreds of ms.  Signed: a beat
	 * taken a hair "after" now is fresh, not ancient.
	 */
	return beat && (__s64)(bpf_ktime_get_coarse_ns() - beat) >
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

/*
 * To the kernel with struct nfv_offload_meta: the port's nfv_tc redirects
 * the frame to @ifindex (an offloaded flow's out port, or a segmenter).
 */
static __always_inline int to_tc(struct xdp_md *ctx, struct nfv_xdp_stats *st,
				 __u32 ifindex, int counter)
{
	struct nfv_offload_meta *om;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*om)))
		return outcome(st, NFV_XDP_META_ERR, XDP_DROP);
	om = (void *)(long)ctx->data_meta;
	if ((void *)(om + 1) > (void *)(long)ctx->data)
		return outcome(st, NFV_XDP_META_ERR, XDP_DROP);
	om->magic = NFV_OFFLOAD_MAGIC;
	om->out_ifindex = ifindex;
	return outcome(st, counter, XDP_PASS);
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

/* The "nfv_flows" / "nfv_offload" key of a frame on port @port. */
static __always_inline void flow_key(const struct pkt_info *pi, __u16 port,
				     struct nfv_flow_key *k)
{
	__builtin_memcpy(k->src, pi->src, sizeof(k->src));
	__builtin_memcpy(k->dst, pi->dst, sizeof(k->dst));
	k->sport = pi->sport;
	k->dport = pi->dport;
	k->proto = pi->proto;
	k->family = pi->family;
	k->in_port = port;
}

#define TCP_FLAG_FIN	0x01
#define TCP_FLAG_RST	0x04

/*
 * A flow its NFs are done with (nfv_offload, written by nfvd): count it
 * and return where it goes, or 0 to classify the frame as usual.  A TCP
 * FIN or RST ends the offload: that frame and every later one on this
 * CPU take the chain again (the NFs see the flow close), and nfvd
 * removes the entry at its next sweep.  Per-CPU value: no atomics.
 */
static __always_inline __u32 offload_out(const struct pkt_info *pi,
					 __u16 port, __u32 len,
					 struct nfv_xdp_stats *st)
{
	struct nfv_offload_val *v;
	struct nfv_flow_key k = {};
	__u32 zero = 0, *on;

	on = bpf_map_lookup_elem(&nfv_offload_on, &zero);
	if (!on || !*on || !pi->has_ports)
		return 0;
	flow_key(pi, port, &k);
	v = bpf_map_lookup_elem(&nfv_offload, &k);
	if (!v || v->ended)
		return 0;
	if (pi->proto == IPPROTO_TCP &&
	    (pi->tcp_flags & (TCP_FLAG_FIN | TCP_FLAG_RST))) {
		v->ended = 1;
		count(st, NFV_XDP_OFFLOAD_END);
		return 0;
	}
	v->packets++;
	v->bytes += len;
	return v->out_ifindex;
}

static __always_inline __u16 lookup_flow(const struct pkt_info *pi,
					 __u16 port)
{
	struct nfv_flow_key k = {};
	struct nfv_flow_val *v;

	flow_key(pi, port, &k);
	v = bpf_map_lookup_elem(&nfv_flows, &k);
	if (!v || !v->chain) {
		k.in_port = 0;
		v = bpf_map_lookup_elem(&nfv_flows, &k);
		if (!v)
			return 0;
	}
	/* Seen since nfvd's last sweep; read-mostly: written once a sweep. */
	if (!v->used)
		v->used = 1;
	return v->chain;
}

/*
 * A plain bounded loop, not bpf_loop() (5.17+).  A global function, so
 * that the verifier walks the 64 iterations once, whatever the state of
 * the caller.
 */
__noinline int nfv_match_rules(const struct pkt_info *pi, __u32 port)
{
	struct nfv_prefix_rule *r;
	struct nfv_tuple t = {};
	__u32 i, key;

	if (!pi)
		return 0;
	__builtin_memcpy(t.src, pi->src, sizeof(t.src));
	__builtin_memcpy(t.dst, pi->dst, sizeof(t.dst));
	t.sport = pi->sport;
	t.dport = pi->dport;
	t.proto = pi->proto;
	t.family = pi->family;
	t.has_ports = pi->has_ports;
	t.nsh = pi->nsh;
	t.nsh_path = pi->nsh_path;
	for (i = 0; i < NFV_PREFIX_RULES_MAX; i++) {
		key = i;
		r = bpf_map_lookup_elem(&nfv_rules, &key);
		if (!r || !r->chain)
			break;
		if (nfv_rule_match(r, &t, port))
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
	struct nfv_seg *seg;
	__u32 key, hash, nf;
	__u16 port_id = 0, chain_id;
	int ret, partial, dr, from_seg = 0;

	port = bpf_map_lookup_elem(&nfv_ports, &ifindex);
	if (!port) {
		/* A segmenter's exit: its frames are its port's (nfv_segs). */
		seg = bpf_map_lookup_elem(&nfv_segs, &ifindex);
		if (seg && seg->role == NFV_SEG_DEV &&
		    seg->queue < NFV_QUEUE_MAX) {
			ifindex = seg->ifindex;
			queue = seg->queue;
			from_seg = 1;
			port = bpf_map_lookup_elem(&nfv_ports, &ifindex);
		}
	}
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
	} else if (port->decap == NFV_PORT_DECAP_NSH) {
		dr = decap_nsh(ctx, &ds);
		if (dr == DECAP_ERR)
			return outcome(st, NFV_XDP_NSH_DROP, XDP_DROP);
		if (dr == DECAP_DONE)
			count(st, NFV_XDP_DECAP);
	}
	ret = nfv_parse(ctx, &pi);
	if (ds.kind == NFV_PORT_DECAP_NSH) {
		pi.nsh = 1;
		pi.nsh_path = ds.nsh_path;
	}
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

		if (!(port->flags & NFV_PORT_F_STEER_ARP) || pi.nsh ||
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

	/*
	 * Offloaded: to the kernel with the out port, for nfv_tc.  Not what
	 * comes out of a segmenter: the NFs had it when it went in.
	 */
	if (!ds.len && !from_seg) {
		/* Bytes: the frame up to the end of its IP payload. */
		__u32 out = offload_out(&pi, port_id, pi.l4_off + pi.l4_len,
				       st);

		if (out)
			return to_tc(ctx, st, out, NFV_XDP_OFFLOAD);
	}

	/* What came in NSH takes the rules naming its path, or none. */
	chain_id = pi.nsh ? 0 : lookup_flow(&pi, port_id);
	if (chain_id) {
		count(st, NFV_XDP_FLOW_HIT);
	} else if ((chain_id = nfv_match_rules(&pi, port_id))) {
		count(st, NFV_XDP_RULE_HIT);
	} else if (port->default_chain && !pi.nsh) {
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
	hash = nfv_flow_hash(pi.src, pi.dst, pi.sport, pi.dport, pi.proto);
	nf = svc->buckets[hash % NFV_BUCKETS];
	if (!nf || nf >= NFV_NF_MAX)
		return outcome(st, NFV_XDP_NO_REPLICA, XDP_DROP);
	/* Queues past NFV_QUEUE_MAX have no slots; never alias them. */
	if (queue >= NFV_QUEUE_MAX)
		return outcome(st, NFV_XDP_NO_SOCKET, XDP_DROP);
	/*
	 * Longer than an NF's frame (a GSO super-frame: generic mode keeps
	 * the peer's TSO): to the port's segmenter, whose exit brings the
	 * segments back here.
	 */
	if (!from_seg && !ds.len &&
	    ctx->data_end - ctx->data > ETH_FRAME_LEN + 4 /* VLAN */) {
		seg = bpf_map_lookup_elem(&nfv_segs, &ifindex);
		if (seg && seg->role == NFV_SEG_PORT &&
		    ctx->data_end - ctx->data > seg->above)
			return to_tc(ctx, st, seg->ifindex, NFV_XDP_SEGMENT);
	}
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
		      (ds.len ? NFV_META_F_DECAP : 0) |
		      (ds.kind == NFV_PORT_DECAP_NSH ? NFV_META_F_NSH : 0);
	meta->in_port = port_id;
	meta->l3_off = pi.l3_off;
	meta->l4_off = pi.l4_off;
	meta->l4_proto = pi.l4_off ? pi.proto : 0;
	meta->magic = NFV_META_MAGIC;
	meta->decap_id = !ds.len ? 0 :
			 ds.kind == NFV_PORT_DECAP_VLAN ?
			 bpf_ntohs(ds.tci) & 0xfff :
			 ds.kind == NFV_PORT_DECAP_NSH ? ds.nsh_path : ds.vni;
	meta->nsh_ttl = ds.kind == NFV_PORT_DECAP_NSH ? ds.nsh_ttl : 0;
	__builtin_memset(meta->pad, 0, sizeof(meta->pad));

	/* The socket can go between lookup and redirect: then drop. */
	count(st, NFV_XDP_REDIRECT);
	return bpf_redirect_map(&nfv_xsks, key, XDP_DROP);
}

/*
 * nfv_tc: the TC ingress program of every fabric port (nfvd attaches it
 * beside the classifier):
 *
 *   tc qdisc add dev X clsact
 *   tc filter add dev X ingress bpf da obj build/bpf/nfv_xdp.bpf.o sec tc
 *
 * A frame the classifier passed as part of an offloaded flow carries
 * struct nfv_offload_meta; it goes out of the flow's out port, by then
 * often merged with its neighbours by GRO, which is the point: the
 * kernel moves 64 KB at a time where AF_XDP moves a frame.  Every other
 * frame goes on to the stack untouched.
 */
SEC("tc")
int nfv_tc(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	struct nfv_offload_meta *om = (void *)(long)skb->data_meta;

	if ((void *)(om + 1) > data || om->magic != NFV_OFFLOAD_MAGIC)
		return TC_ACT_OK;
	return bpf_redirect(om->out_ifindex, 0);
}
