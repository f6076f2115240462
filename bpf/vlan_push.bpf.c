// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for selftests/decap.sh on kernels without 802.1Q (no vlan
 * devices): on a veth's tc egress hook, tag IPv4 and ARP frames for
 * 198.18.2.0/24 with VLAN 100, as a vlan subinterface would.
 *
 *   tc qdisc add dev s0 clsact
 *   tc filter add dev s0 egress bpf da obj build/bpf/vlan_push.bpf.o sec tc
 *   ethtool -K s0 txvlan off	# the tag in the bytes, not in skb metadata
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define VLAN_ID		100
#define NET		0xc6120200	/* 198.18.2.0/24 */
#define NET_MASK	0xffffff00

SEC("tc")
int vlan_push(struct __sk_buff *skb)
{
	__be32 addr;
	__u32 off;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		off = ETH_HLEN + 16;		/* IPv4 daddr */
	else if (skb->protocol == bpf_htons(ETH_P_ARP))
		off = ETH_HLEN + 24;		/* target protocol address */
	else
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, off, &addr, sizeof(addr)))
		return TC_ACT_OK;
	if ((bpf_ntohl(addr) & NET_MASK) != NET)
		return TC_ACT_OK;
	bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), VLAN_ID);
	return TC_ACT_OK;
}
