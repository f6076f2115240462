// SPDX-License-Identifier: GPL-2.0
/*
 * nfv_xdp: the fabric classifier, attached to every fabric port.
 *
 *   ip link set dev X xdp obj nfv_xdp.bpf.o sec xdp
 *
 * Parse → exact flow (with this ingress port, then any) → prefix rules →
 * the port's default chain → XDP_PASS.  The chain's first hop picks a
 * replica of its service by a symmetric flow hash and the frame goes to
 * that NF's AF_XDP socket for this (port, rx queue), with struct
 * nfv_xdp_meta in front of it.
 *
 * Counters (per CPU, per port): RX for every frame, plus exactly one
 * outcome: PASS (not ours: non-IP, unconfigured, or unparsable — the
 * kernel decides about those, PARSE_ERR says which), REDIRECT, HOP_OUT,
 * HOP_DROP, NO_CHAIN, NO_REPLICA, NO_SOCKET, META_ERR.  FLOW_HIT,
 * RULE_HIT, DEFAULT_HIT and PARSE_ERR are extra information.
 *
 * The tables are written by nfvd (or nfv.ko); this program only reads.
 */
#include "parsing.h"
#include <linux/nfv.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFV_PORT_MAX);
	__type(key, __u32);
	__type(value, struct nfv_port_cfg);
} nfv_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFV_CHAIN_MAX + 1);
	__type(key, __u32);
	__type(value, struct nfv_chain);
} nfv_chains SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFV_SERVICE_MAX + 1);
	__type(key, __u32);
	__type(value, struct nfv_service);
} nfv_services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFV_FLOWS_DEFAULT);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nfv_flow_key);
	__type(value, struct nfv_flow_val);
} nfv_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFV_PREFIX_RULES_MAX);
	__type(key, __u32);
	__type(value, struct nfv_prefix_rule);
} nfv_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, NFV_XSK_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} nfv_xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, NFV_PORT_MAX);
	__type(key, __u32);
	__type(value, __u32);
} nfv_devmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NFV_PORT_MAX);
	__type(key, __u32);
	__type(value, struct nfv_xdp_stats);
} nfv_xdp_stats SEC(".maps");

static __always_inline void count(struct nfv_xdp_stats *st, int c)
{
	if (st)
		st->cnt[c]++;
}

static __always_inline __u32 mix(__u32 h, __u32 v)
{
	h ^= v;
	h *= 0x9e3779b1;
	return h ^ (h >> 15);
}

/* Same value for A→B and B→A: each pair is hashed as (min, max). */
static __always_inline __u32 sym_hash(const struct pkt_info *pi)
{
	__u32 h = 0x6e667600 + pi->proto;
	int i;

#pragma unroll
	for (i = 0; i < 4; i++) {
		__u32 a = pi->src[i], b = pi->dst[i];

		h = mix(h, a < b ? a : b);
		h = mix(h, a < b ? b : a);
	}
	h = mix(h, pi->sport < pi->dport ? pi->sport : pi->dport);
	h = mix(h, pi->sport < pi->dport ? pi->dport : pi->sport);
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	return h ^ (h >> 16);
}

static __always_inline __u16 fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/*
 * A sender using checksum offload (every stock veth) leaves the folded
 * pseudo-header sum, not inverted, in the L4 checksum and relies on
 * CHECKSUM_PARTIAL, which XDP loses.  Spot that value so libnfv can
 * complete the checksum before the frame goes on.
 */
static __always_inline int csum_is_partial(void *data, void *data_end,
					   const struct pkt_info *pi)
{
	__u32 off = pi->l4_off & L4_OFF_MAX;
	__u16 *check;
	__u32 sum = 0;
	int i;

	if (!off)
		return 0;
	if (pi->proto == IPPROTO_TCP)
		check = data + off + 16;
	else if (pi->proto == IPPROTO_UDP)
		check = data + off + 6;
	else
		return 0;
	if ((void *)(check + 1) > data_end)
		return 0;
	if (pi->proto == IPPROTO_UDP && pi->family == AF_INET_ && !*check)
		return 0;	/* no checksum at all */
#pragma unroll
	for (i = 0; i < 4; i++) {
		if (pi->family == AF_INET_ && i > 0)
			break;
		sum += (pi->src[i] & 0xffff) + (pi->src[i] >> 16);
		sum += (pi->dst[i] & 0xffff) + (pi->dst[i] >> 16);
	}
	sum += bpf_htons(pi->proto);
	sum += bpf_htons(pi->l4_len);
	return *check == fold(sum);
}

static __always_inline int lookup_flow(const struct pkt_info *pi,
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
	if (v)
		return v->chain;
	k.in_port = 0;
	v = bpf_map_lookup_elem(&nfv_flows, &k);
	return v ? v->chain : 0;
}

static __always_inline int rule_match(const struct nfv_prefix_rule *r,
				      const struct pkt_info *pi, __u16 port)
{
	__u16 sp = bpf_ntohs(pi->sport), dp = bpf_ntohs(pi->dport);
	int i;

	if (r->in_port && r->in_port != port)
		return 0;
	if (r->family && r->family != pi->family)
		return 0;
	if (r->proto && r->proto != pi->proto)
		return 0;
	if (r->sport_lo && (sp < r->sport_lo || sp > r->sport_hi))
		return 0;
	if (r->dport_lo && (dp < r->dport_lo || dp > r->dport_hi))
		return 0;
#pragma unroll
	for (i = 0; i < 4; i++) {
		if ((pi->src[i] & r->src_mask[i]) != r->src[i])
			return 0;
		if ((pi->dst[i] & r->dst_mask[i]) != r->dst[i])
			return 0;
	}
	return 1;
}

struct rule_ctx {
	const struct pkt_info *pi;
	__u16 port;
	__u16 chain;
};

static long rule_step(__u32 i, void *data)
{
	struct rule_ctx *rc = data;
	struct nfv_prefix_rule *r;
	__u32 key = i;

	r = bpf_map_lookup_elem(&nfv_rules, &key);
	if (!r || !r->chain)
		return 1;	/* end of the list */
	if (rule_match(r, rc->pi, rc->port)) {
		rc->chain = r->chain;
		return 1;
	}
	return 0;
}

static __always_inline int lookup_rules(const struct pkt_info *pi, __u16 port)
{
	struct rule_ctx rc = { .pi = pi, .port = port };

	bpf_loop(NFV_PREFIX_RULES_MAX, rule_step, &rc, 0);
	return rc.chain;
}

SEC("xdp")
int nfv_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct pkt_info pi = {};
	struct nfv_port_cfg *port;
	struct nfv_xdp_stats *st;
	struct nfv_chain *chain;
	struct nfv_service *svc;
	struct nfv_xdp_meta *meta;
	__u32 ifindex = ctx->ingress_ifindex, key, hash, partial;
	__u16 chain_id = 0;
	int ret;

	port = bpf_map_lookup_elem(&nfv_ports, &ifindex);
	key = port ? port->id : 0;
	if (key >= NFV_PORT_MAX)
		key = 0;
	st = bpf_map_lookup_elem(&nfv_xdp_stats, &key);
	count(st, NFV_XDP_RX);
	if (!port) {
		count(st, NFV_XDP_PASS);
		return XDP_PASS;
	}

	ret = parse_frame(data, data_end, &pi);
	if (ret != PARSE_OK) {
		/* Not ours to judge: the kernel drops bad frames with its
		 * own counters, and ARP & co. must reach it untouched.
		 */
		if (ret == PARSE_ERR)
			count(st, NFV_XDP_PARSE_ERR);
		count(st, NFV_XDP_PASS);
		return XDP_PASS;
	}

	chain_id = lookup_flow(&pi, port->id);
	if (chain_id) {
		count(st, NFV_XDP_FLOW_HIT);
	} else {
		chain_id = lookup_rules(&pi, port->id);
		if (chain_id) {
			count(st, NFV_XDP_RULE_HIT);
		} else if (port->default_chain) {
			chain_id = port->default_chain;
			count(st, NFV_XDP_DEFAULT_HIT);
		} else {
			count(st, NFV_XDP_PASS);
			return XDP_PASS;
		}
	}

	key = chain_id;
	chain = bpf_map_lookup_elem(&nfv_chains, &key);
	if (!chain || !chain->n_hops) {
		count(st, NFV_XDP_NO_CHAIN);
		return XDP_DROP;
	}
	if (chain->hops[0].type == NFV_HOP_OUT) {
		count(st, NFV_XDP_HOP_OUT);
		return bpf_redirect_map(&nfv_devmap, chain->hops[0].arg, 0);
	}
	if (chain->hops[0].type != NFV_HOP_SERVICE) {
		count(st, NFV_XDP_HOP_DROP);
		return XDP_DROP;
	}

	key = chain->hops[0].arg;
	svc = bpf_map_lookup_elem(&nfv_services, &key);
	if (!svc || !svc->n_live) {
		count(st, NFV_XDP_NO_REPLICA);
		return XDP_DROP;
	}
	hash = sym_hash(&pi);
	key = svc->buckets[hash % NFV_BUCKETS];
	if (!key || key >= NFV_NF_MAX) {
		count(st, NFV_XDP_NO_REPLICA);
		return XDP_DROP;
	}
	key = NFV_XSK_SLOT(key, port->id, ctx->rx_queue_index % NFV_QUEUE_MAX);
	if (!bpf_map_lookup_elem(&nfv_xsks, &key)) {
		count(st, NFV_XDP_NO_SOCKET);
		return XDP_DROP;
	}

	partial = csum_is_partial(data, data_end, &pi) &&
		  !(port->flags & NFV_PORT_F_NOCSUM);
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta))) {
		count(st, NFV_XDP_META_ERR);
		return XDP_DROP;
	}
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > data) {
		count(st, NFV_XDP_META_ERR);
		return XDP_DROP;
	}
	meta->hash = hash;
	meta->chain = chain_id;
	meta->hop = 0;
	meta->flags = (pi.family == AF_INET6_ ? NFV_META_F_IPV6 : 0) |
		      (pi.vlan ? NFV_META_F_VLAN : 0) |
		      (partial ? NFV_META_F_CSUM_PARTIAL : 0);
	meta->in_port = port->id;
	meta->l3_off = pi.l3_off;
	meta->l4_off = pi.l4_off;
	meta->l4_proto = pi.l4_off ? pi.proto : 0;
	meta->magic = NFV_META_MAGIC;

	count(st, NFV_XDP_REDIRECT);
	return bpf_redirect_map(&nfv_xsks, key, XDP_DROP);
}
