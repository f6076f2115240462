// SPDX-License-Identifier: GPL-2.0
/*
 * Baseline for nfv-bench: every frame to the plain AF_XDP socket of its
 * rx queue (no classifier, no fabric).  Used by nfv-xskbench.  xsk_frags
 * is the same for multi-buffer frames (a GSO skb on a generic port), to
 * sockets bound with XDP_USE_SG.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

SEC("xdp")
int xsk_all(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
}

SEC("xdp.frags")
int xsk_frags(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
}
