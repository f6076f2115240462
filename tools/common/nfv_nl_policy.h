/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/nfv.yaml */
/* by tools/ynl-gen-user-policy.py with ynl-gen-c.py's model */

#ifndef _NFV_NFV_NL_POLICY_GEN_H
#define _NFV_NFV_NL_POLICY_GEN_H

#include "nla_policy.h"

#include <linux/nfv_genl.h>

extern const struct nla_policy nfv_xdp_counters_nl_policy[NFV_XDP_CNT_SEGMENT + 1];
extern const struct nfv_nl_attr nfv_xdp_counters_nl_attrs[NFV_XDP_CNT_SEGMENT + 1];
extern const struct nfv_nl_set nfv_xdp_counters_nl_set;
extern const struct nla_policy nfv_port_nl_policy[NFV_A_PORT_VNI + 1];
extern const struct nfv_nl_attr nfv_port_nl_attrs[NFV_A_PORT_VNI + 1];
extern const struct nfv_nl_set nfv_port_nl_set;
extern const struct nla_policy nfv_hop_nl_policy[NFV_A_HOP_SPI + 1];
extern const struct nfv_nl_attr nfv_hop_nl_attrs[NFV_A_HOP_SPI + 1];
extern const struct nfv_nl_set nfv_hop_nl_set;
extern const struct nla_policy nfv_chain_nl_policy[NFV_A_CHAIN_FLAGS + 1];
extern const struct nfv_nl_attr nfv_chain_nl_attrs[NFV_A_CHAIN_FLAGS + 1];
extern const struct nfv_nl_set nfv_chain_nl_set;
extern const struct nla_policy nfv_flow_nl_policy[NFV_A_FLOW_SI + 1];
extern const struct nfv_nl_attr nfv_flow_nl_attrs[NFV_A_FLOW_SI + 1];
extern const struct nfv_nl_set nfv_flow_nl_set;
extern const struct nla_policy nfv_sock_nl_policy[NFV_A_SOCK_TX_SIZE + 1];
extern const struct nfv_nl_attr nfv_sock_nl_attrs[NFV_A_SOCK_TX_SIZE + 1];
extern const struct nfv_nl_set nfv_sock_nl_set;
extern const struct nla_policy nfv_fds_nl_policy[NFV_A_FDS_FD_5 + 1];
extern const struct nfv_nl_attr nfv_fds_nl_attrs[NFV_A_FDS_FD_5 + 1];
extern const struct nfv_nl_set nfv_fds_nl_set;
extern const struct nla_policy nfv_nf_nl_policy[NFV_A_NF_SCHED_SWITCHES + 1];
extern const struct nfv_nl_attr nfv_nf_nl_attrs[NFV_A_NF_SCHED_SWITCHES + 1];
extern const struct nfv_nl_set nfv_nf_nl_set;
extern const struct nla_policy nfv_service_nl_policy[NFV_A_SERVICE_REPLICA + 1];
extern const struct nfv_nl_attr nfv_service_nl_attrs[NFV_A_SERVICE_REPLICA + 1];
extern const struct nfv_nl_set nfv_service_nl_set;
extern const struct nla_policy nfv_stats_nl_policy[NFV_A_STATS_LOOP_DROP + 1];
extern const struct nfv_nl_attr nfv_stats_nl_attrs[NFV_A_STATS_LOOP_DROP + 1];
extern const struct nfv_nl_set nfv_stats_nl_set;
extern const struct nla_policy nfv_stats_port_nl_policy[NFV_A_PORT_VNI + 1];
extern const struct nfv_nl_attr nfv_stats_port_nl_attrs[NFV_A_PORT_VNI + 1];
extern const struct nfv_nl_set nfv_stats_port_nl_set;
extern const struct nla_policy nfv_stats_nf_nl_policy[NFV_A_NF_BUDGET_HITS + 1];
extern const struct nfv_nl_attr nfv_stats_nf_nl_attrs[NFV_A_NF_BUDGET_HITS + 1];
extern const struct nfv_nl_set nfv_stats_nf_nl_set;
extern const struct nla_policy nfv_offload_nl_policy[NFV_A_OFFLOAD_PAD + 1];
extern const struct nfv_nl_attr nfv_offload_nl_attrs[NFV_A_OFFLOAD_PAD + 1];
extern const struct nfv_nl_set nfv_offload_nl_set;
extern const struct nla_policy nfv_maps_nl_policy[NFV_A_MAPS_STATS + 1];
extern const struct nfv_nl_attr nfv_maps_nl_attrs[NFV_A_MAPS_STATS + 1];
extern const struct nfv_nl_set nfv_maps_nl_set;
extern const struct nla_policy nfv_nf_counter_nl_policy[NFV_A_NF_COUNTER_PAD + 1];
extern const struct nfv_nl_attr nfv_nf_counter_nl_attrs[NFV_A_NF_COUNTER_PAD + 1];
extern const struct nfv_nl_set nfv_nf_counter_nl_set;
extern const struct nla_policy nfv_nf_counters_nl_policy[NFV_A_NF_COUNTERS_PAD + 1];
extern const struct nfv_nl_attr nfv_nf_counters_nl_attrs[NFV_A_NF_COUNTERS_PAD + 1];
extern const struct nfv_nl_set nfv_nf_counters_nl_set;

#endif /* _NFV_NFV_NL_POLICY_GEN_H */
