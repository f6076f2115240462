/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/nfv.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_NFV_GEN_H
#define _LINUX_NFV_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/nfv_genl.h>

/* Common nested types */
extern const struct nla_policy nfv_hop_nl_policy[NFV_A_HOP_SPI + 1];
extern const struct nla_policy nfv_nf_counter_nl_policy[NFV_A_NF_COUNTER_PAD + 1];

/* Ops table for nfv */
extern const struct genl_split_ops nfv_nl_ops[28];

int nfv_nl_port_new_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_port_del_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nfv_nl_chain_new_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_chain_del_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_chain_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_chain_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nfv_nl_flow_new_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_flow_del_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nfv_nl_nf_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_nf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nfv_nl_service_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_service_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nfv_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_nf_attach_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_nf_ready_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_nf_socket_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_maps_set_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_maps_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_offload_new_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_offload_del_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_offload_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nfv_nl_events_subscribe_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_nf_counters_set_doit(struct sk_buff *skb, struct genl_info *info);
int nfv_nl_nf_counters_get_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	NFV_NLGRP_EVENTS,
};

#endif /* _LINUX_NFV_GEN_H */
