// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	uapi/nfv.yaml */
/* by tools/ynl-gen-user-policy.py with ynl-gen-c.py's model */

#include "nfv_nl_policy.h"

static const struct netlink_range_validation nfv_a_port_ifindex_range = {
	.min	= 1ULL,
	.max	= S32_MAX,
};

static const struct netlink_range_validation nfv_a_port_vni_range = {
	.max	= NFV_VNI_MAX,
};

static const struct netlink_range_validation nfv_a_hop_ifindex_range = {
	.min	= 1ULL,
	.max	= S32_MAX,
};

static const struct netlink_range_validation nfv_a_hop_spi_range = {
	.max	= NFV_SPI_MAX,
};

static const struct netlink_range_validation nfv_a_flow_in_ifindex_range = {
	.min	= 1ULL,
	.max	= S32_MAX,
};

static const struct netlink_range_validation nfv_a_flow_idle_timeout_range = {
	.max	= 86400000ULL,
};

static const struct netlink_range_validation nfv_a_flow_spi_range = {
	.max	= NFV_SPI_MAX,
};

static const struct netlink_range_validation nfv_a_offload_in_ifindex_range = {
	.min	= 1ULL,
	.max	= S32_MAX,
};

/* attribute set "xdp-counters" */
const struct nla_policy nfv_xdp_counters_nl_policy[NFV_XDP_CNT_SEGMENT + 1] = {
	[NFV_XDP_CNT_RX] = { .type = NLA_U64, },
	[NFV_XDP_CNT_PASS] = { .type = NLA_U64, },
	[NFV_XDP_CNT_REDIRECT] = { .type = NLA_U64, },
	[NFV_XDP_CNT_FLOW_HIT] = { .type = NLA_U64, },
	[NFV_XDP_CNT_RULE_HIT] = { .type = NLA_U64, },
	[NFV_XDP_CNT_DEFAULT_HIT] = { .type = NLA_U64, },
	[NFV_XDP_CNT_PARSE_ERR] = { .type = NLA_U64, },
	[NFV_XDP_CNT_NO_CHAIN] = { .type = NLA_U64, },
	[NFV_XDP_CNT_NO_REPLICA] = { .type = NLA_U64, },
	[NFV_XDP_CNT_NO_SOCKET] = { .type = NLA_U64, },
	[NFV_XDP_CNT_META_ERR] = { .type = NLA_U64, },
	[NFV_XDP_CNT_HOP_OUT] = { .type = NLA_U64, },
	[NFV_XDP_CNT_HOP_DROP] = { .type = NLA_U64, },
	[NFV_XDP_CNT_FAIL_CLOSED] = { .type = NLA_U64, },
	[NFV_XDP_CNT_DECAP] = { .type = NLA_U64, },
	[NFV_XDP_CNT_DECAP_ERR] = { .type = NLA_U64, },
	[NFV_XDP_CNT_OFFLOAD] = { .type = NLA_U64, },
	[NFV_XDP_CNT_OFFLOAD_END] = { .type = NLA_U64, },
	[NFV_XDP_CNT_NSH_DROP] = { .type = NLA_U64, },
	[NFV_XDP_CNT_SEGMENT] = { .type = NLA_U64, },
};

const struct nfv_nl_attr nfv_xdp_counters_nl_attrs[NFV_XDP_CNT_SEGMENT + 1] = {
	[NFV_XDP_CNT_RX] = { .name = "rx" },
	[NFV_XDP_CNT_PASS] = { .name = "pass" },
	[NFV_XDP_CNT_REDIRECT] = { .name = "redirect" },
	[NFV_XDP_CNT_FLOW_HIT] = { .name = "flow-hit" },
	[NFV_XDP_CNT_RULE_HIT] = { .name = "rule-hit" },
	[NFV_XDP_CNT_DEFAULT_HIT] = { .name = "default-hit" },
	[NFV_XDP_CNT_PARSE_ERR] = { .name = "parse-err" },
	[NFV_XDP_CNT_NO_CHAIN] = { .name = "no-chain" },
	[NFV_XDP_CNT_NO_REPLICA] = { .name = "no-replica" },
	[NFV_XDP_CNT_NO_SOCKET] = { .name = "no-socket" },
	[NFV_XDP_CNT_META_ERR] = { .name = "meta-err" },
	[NFV_XDP_CNT_HOP_OUT] = { .name = "hop-out" },
	[NFV_XDP_CNT_HOP_DROP] = { .name = "hop-drop" },
	[NFV_XDP_CNT_FAIL_CLOSED] = { .name = "fail-closed" },
	[NFV_XDP_CNT_DECAP] = { .name = "decap" },
	[NFV_XDP_CNT_DECAP_ERR] = { .name = "decap-err" },
	[NFV_XDP_CNT_PAD] = { .name = "pad" },
	[NFV_XDP_CNT_OFFLOAD] = { .name = "offload" },
	[NFV_XDP_CNT_OFFLOAD_END] = { .name = "offload-end" },
	[NFV_XDP_CNT_NSH_DROP] = { .name = "nsh-drop" },
	[NFV_XDP_CNT_SEGMENT] = { .name = "segment" },
};

const struct nfv_nl_set nfv_xdp_counters_nl_set = {
	.name		= "xdp-counters",
	.policy		= nfv_xdp_counters_nl_policy,
	.attrs		= nfv_xdp_counters_nl_attrs,
	.maxattr	= NFV_XDP_CNT_SEGMENT,
};

/* attribute set "port" */
const struct nla_policy nfv_port_nl_policy[NFV_A_PORT_VNI + 1] = {
	[NFV_A_PORT_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_ifindex_range),
	[NFV_A_PORT_NAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[NFV_A_PORT_ID] = NLA_POLICY_RANGE(NLA_U16, 1, 15),
	[NFV_A_PORT_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFV_A_PORT_DEFAULT_CHAIN] = NLA_POLICY_MAX(NLA_U16, NFV_CHAIN_MAX),
	[NFV_A_PORT_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[NFV_A_PORT_QUEUES] = { .type = NLA_U32, },
	[NFV_A_PORT_STATS] = NLA_POLICY_NESTED(nfv_xdp_counters_nl_policy),
	[NFV_A_PORT_REMOVED] = { .type = NLA_FLAG, },
	[NFV_A_PORT_DECAP] = NLA_POLICY_MAX(NLA_U8, 3),
	[NFV_A_PORT_VXLAN_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NFV_A_PORT_VNI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_vni_range),
};

const struct nfv_nl_attr nfv_port_nl_attrs[NFV_A_PORT_VNI + 1] = {
	[NFV_A_PORT_IFINDEX] = { .name = "ifindex", .request = true },
	[NFV_A_PORT_NAME] = { .name = "name", .request = true },
	[NFV_A_PORT_ID] = { .name = "id" },
	[NFV_A_PORT_MODE] = { .name = "mode", .request = true },
	[NFV_A_PORT_DEFAULT_CHAIN] = { .name = "default-chain", .request = true },
	[NFV_A_PORT_FLAGS] = { .name = "flags", .request = true },
	[NFV_A_PORT_QUEUES] = { .name = "queues" },
	[NFV_A_PORT_STATS] = { .name = "stats" },
	[NFV_A_PORT_PAD] = { .name = "pad" },
	[NFV_A_PORT_REMOVED] = { .name = "removed" },
	[NFV_A_PORT_DECAP] = { .name = "decap", .request = true },
	[NFV_A_PORT_VXLAN_PORT] = { .name = "vxlan-port", .request = true },
	[NFV_A_PORT_VNI] = { .name = "vni", .request = true },
};

const struct nfv_nl_set nfv_port_nl_set = {
	.name		= "port",
	.policy		= nfv_port_nl_policy,
	.attrs		= nfv_port_nl_attrs,
	.maxattr	= NFV_A_PORT_VNI,
};

/* attribute set "hop" */
const struct nla_policy nfv_hop_nl_policy[NFV_A_HOP_SPI + 1] = {
	[NFV_A_HOP_TYPE] = NLA_POLICY_RANGE(NLA_U8, 1, 5),
	[NFV_A_HOP_SERVICE] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_SERVICE_MAX),
	[NFV_A_HOP_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_hop_ifindex_range),
	[NFV_A_HOP_PORT] = NLA_POLICY_RANGE(NLA_U16, 1, 15),
	[NFV_A_HOP_SPI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_hop_spi_range),
};

const struct nfv_nl_attr nfv_hop_nl_attrs[NFV_A_HOP_SPI + 1] = {
	[NFV_A_HOP_TYPE] = { .name = "type", .request = true },
	[NFV_A_HOP_SERVICE] = { .name = "service", .request = true },
	[NFV_A_HOP_IFINDEX] = { .name = "ifindex", .request = true },
	[NFV_A_HOP_PORT] = { .name = "port", .request = true },
	[NFV_A_HOP_SPI] = { .name = "spi", .request = true },
};

const struct nfv_nl_set nfv_hop_nl_set = {
	.name		= "hop",
	.policy		= nfv_hop_nl_policy,
	.attrs		= nfv_hop_nl_attrs,
	.maxattr	= NFV_A_HOP_SPI,
};

/* attribute set "chain" */
const struct nla_policy nfv_chain_nl_policy[NFV_A_CHAIN_FLAGS + 1] = {
	[NFV_A_CHAIN_ID] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_CHAIN_MAX),
	[NFV_A_CHAIN_HOP] = NLA_POLICY_NESTED(nfv_hop_nl_policy),
	[NFV_A_CHAIN_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1),
};

const struct nfv_nl_attr nfv_chain_nl_attrs[NFV_A_CHAIN_FLAGS + 1] = {
	[NFV_A_CHAIN_ID] = { .name = "id", .request = true },
	[NFV_A_CHAIN_HOP] = { .name = "hop", .request = true, .multi = true },
	[NFV_A_CHAIN_FLAGS] = { .name = "flags", .request = true },
};

const struct nfv_nl_set nfv_chain_nl_set = {
	.name		= "chain",
	.policy		= nfv_chain_nl_policy,
	.attrs		= nfv_chain_nl_attrs,
	.maxattr	= NFV_A_CHAIN_FLAGS,
};

/* attribute set "flow" */
const struct nla_policy nfv_flow_nl_policy[NFV_A_FLOW_SI + 1] = {
	[NFV_A_FLOW_IN_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_flow_in_ifindex_range),
	[NFV_A_FLOW_PROTO] = { .type = NLA_U8, },
	[NFV_A_FLOW_FAMILY] = { .type = NLA_U8, },
	[NFV_A_FLOW_SRC] = { .type = NLA_BINARY, },
	[NFV_A_FLOW_SRC_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[NFV_A_FLOW_DST] = { .type = NLA_BINARY, },
	[NFV_A_FLOW_DST_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[NFV_A_FLOW_SPORT] = { .type = NLA_U16, },
	[NFV_A_FLOW_SPORT_MAX] = { .type = NLA_U16, },
	[NFV_A_FLOW_DPORT] = { .type = NLA_U16, },
	[NFV_A_FLOW_DPORT_MAX] = { .type = NLA_U16, },
	[NFV_A_FLOW_CHAIN] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_CHAIN_MAX),
	[NFV_A_FLOW_EXACT] = { .type = NLA_FLAG, },
	[NFV_A_FLOW_REMOVED] = { .type = NLA_FLAG, },
	[NFV_A_FLOW_OWNER] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_NF_MAX),
	[NFV_A_FLOW_IDLE_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_flow_idle_timeout_range),
	[NFV_A_FLOW_SPI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_flow_spi_range),
	[NFV_A_FLOW_SI] = NLA_POLICY_MIN(NLA_U8, 1),
};

const struct nfv_nl_attr nfv_flow_nl_attrs[NFV_A_FLOW_SI + 1] = {
	[NFV_A_FLOW_IN_IFINDEX] = { .name = "in-ifindex", .request = true },
	[NFV_A_FLOW_PROTO] = { .name = "proto", .request = true },
	[NFV_A_FLOW_FAMILY] = { .name = "family", .request = true },
	[NFV_A_FLOW_SRC] = { .name = "src", .request = true },
	[NFV_A_FLOW_SRC_PLEN] = { .name = "src-plen", .request = true },
	[NFV_A_FLOW_DST] = { .name = "dst", .request = true },
	[NFV_A_FLOW_DST_PLEN] = { .name = "dst-plen", .request = true },
	[NFV_A_FLOW_SPORT] = { .name = "sport", .request = true },
	[NFV_A_FLOW_SPORT_MAX] = { .name = "sport-max", .request = true },
	[NFV_A_FLOW_DPORT] = { .name = "dport", .request = true },
	[NFV_A_FLOW_DPORT_MAX] = { .name = "dport-max", .request = true },
	[NFV_A_FLOW_CHAIN] = { .name = "chain", .request = true },
	[NFV_A_FLOW_EXACT] = { .name = "exact" },
	[NFV_A_FLOW_REMOVED] = { .name = "removed" },
	[NFV_A_FLOW_OWNER] = { .name = "owner", .request = true },
	[NFV_A_FLOW_IDLE_TIMEOUT] = { .name = "idle-timeout", .request = true },
	[NFV_A_FLOW_SPI] = { .name = "spi", .request = true },
	[NFV_A_FLOW_SI] = { .name = "si", .request = true },
};

const struct nfv_nl_set nfv_flow_nl_set = {
	.name		= "flow",
	.policy		= nfv_flow_nl_policy,
	.attrs		= nfv_flow_nl_attrs,
	.maxattr	= NFV_A_FLOW_SI,
};

/* attribute set "sock" */
const struct nla_policy nfv_sock_nl_policy[NFV_A_SOCK_TX_SIZE + 1] = {
	[NFV_A_SOCK_PORT] = { .type = NLA_U16, },
	[NFV_A_SOCK_QUEUE] = { .type = NLA_U16, },
	[NFV_A_SOCK_IFINDEX] = { .type = NLA_U32, },
	[NFV_A_SOCK_RX_SIZE] = { .type = NLA_U32, },
	[NFV_A_SOCK_TX_SIZE] = { .type = NLA_U32, },
};

const struct nfv_nl_attr nfv_sock_nl_attrs[NFV_A_SOCK_TX_SIZE + 1] = {
	[NFV_A_SOCK_PORT] = { .name = "port" },
	[NFV_A_SOCK_QUEUE] = { .name = "queue" },
	[NFV_A_SOCK_IFINDEX] = { .name = "ifindex" },
	[NFV_A_SOCK_RX_SIZE] = { .name = "rx-size" },
	[NFV_A_SOCK_TX_SIZE] = { .name = "tx-size" },
};

const struct nfv_nl_set nfv_sock_nl_set = {
	.name		= "sock",
	.policy		= nfv_sock_nl_policy,
	.attrs		= nfv_sock_nl_attrs,
	.maxattr	= NFV_A_SOCK_TX_SIZE,
};

/* attribute set "fds" */
const struct nla_policy nfv_fds_nl_policy[NFV_A_FDS_FD_5 + 1] = {
	[NFV_A_FDS_FD_0] = NLA_POLICY_MAX(NLA_U32, 5),
	[NFV_A_FDS_FD_1] = NLA_POLICY_MAX(NLA_U32, 5),
	[NFV_A_FDS_FD_2] = NLA_POLICY_MAX(NLA_U32, 5),
	[NFV_A_FDS_FD_3] = NLA_POLICY_MAX(NLA_U32, 5),
	[NFV_A_FDS_FD_4] = NLA_POLICY_MAX(NLA_U32, 5),
	[NFV_A_FDS_FD_5] = NLA_POLICY_MAX(NLA_U32, 5),
};

const struct nfv_nl_attr nfv_fds_nl_attrs[NFV_A_FDS_FD_5 + 1] = {
	[NFV_A_FDS_FD_0] = { .name = "fd-0" },
	[NFV_A_FDS_FD_1] = { .name = "fd-1" },
	[NFV_A_FDS_FD_2] = { .name = "fd-2" },
	[NFV_A_FDS_FD_3] = { .name = "fd-3" },
	[NFV_A_FDS_FD_4] = { .name = "fd-4" },
	[NFV_A_FDS_FD_5] = { .name = "fd-5" },
};

const struct nfv_nl_set nfv_fds_nl_set = {
	.name		= "fds",
	.policy		= nfv_fds_nl_policy,
	.attrs		= nfv_fds_nl_attrs,
	.maxattr	= NFV_A_FDS_FD_5,
};

/* attribute set "nf" */
const struct nla_policy nfv_nf_nl_policy[NFV_A_NF_SCHED_SWITCHES + 1] = {
	[NFV_A_NF_ID] = NLA_POLICY_RANGE(NLA_U16, 1, 511),
	[NFV_A_NF_SERVICE] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_SERVICE_MAX),
	[NFV_A_NF_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[NFV_A_NF_PID] = { .type = NLA_U32, },
	[NFV_A_NF_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
	[NFV_A_NF_RX] = { .type = NLA_U64, },
	[NFV_A_NF_TX] = { .type = NLA_U64, },
	[NFV_A_NF_DROP] = { .type = NLA_U64, },
	[NFV_A_NF_NEXT] = { .type = NLA_U64, },
	[NFV_A_NF_BAD_DESC] = { .type = NLA_U64, },
	[NFV_A_NF_STATE] = NLA_POLICY_MAX(NLA_U8, 3),
	[NFV_A_NF_FDS] = NLA_POLICY_NESTED(nfv_fds_nl_policy),
	[NFV_A_NF_SOCK] = NLA_POLICY_NESTED(nfv_sock_nl_policy),
	[NFV_A_NF_FRAMES] = { .type = NLA_U32, },
	[NFV_A_NF_FRAME_SIZE] = { .type = NLA_U32, },
	[NFV_A_NF_HELD] = { .type = NLA_U32, },
	[NFV_A_NF_BATCH] = { .type = NLA_U32, },
	[NFV_A_NF_DOORBELL] = { .type = NLA_U32, },
	[NFV_A_NF_RING_FULL] = { .type = NLA_U64, },
	[NFV_A_NF_NO_REPLICA] = { .type = NLA_U64, },
	[NFV_A_NF_OVERRIDE_DENIED] = { .type = NLA_U64, },
	[NFV_A_NF_CSUM_FIXED] = { .type = NLA_U64, },
	[NFV_A_NF_TAP_OVERFLOW] = { .type = NLA_U64, },
	[NFV_A_NF_LOOP_DROP] = { .type = NLA_U64, },
	[NFV_A_NF_OVERRUN] = { .type = NLA_U64, },
	[NFV_A_NF_REFUSED] = { .type = NLA_U64, },
	[NFV_A_NF_BUDGET] = { .type = NLA_U32, },
	[NFV_A_NF_BUDGET_HITS] = { .type = NLA_U64, },
	[NFV_A_NF_FLOW_RULES] = { .type = NLA_U32, },
	[NFV_A_NF_FLOW_RULES_REFUSED] = { .type = NLA_U64, },
	[NFV_A_NF_BP_WAITS] = { .type = NLA_U64, },
	[NFV_A_NF_BP_TIMEOUTS] = { .type = NLA_U64, },
	[NFV_A_NF_SCHED_SWITCHES] = { .type = NLA_U64, },
};

const struct nfv_nl_attr nfv_nf_nl_attrs[NFV_A_NF_SCHED_SWITCHES + 1] = {
	[NFV_A_NF_ID] = { .name = "id", .request = true },
	[NFV_A_NF_SERVICE] = { .name = "service", .request = true },
	[NFV_A_NF_NAME] = { .name = "name", .request = true },
	[NFV_A_NF_PID] = { .name = "pid" },
	[NFV_A_NF_FLAGS] = { .name = "flags", .request = true },
	[NFV_A_NF_RX] = { .name = "rx" },
	[NFV_A_NF_TX] = { .name = "tx" },
	[NFV_A_NF_DROP] = { .name = "drop" },
	[NFV_A_NF_NEXT] = { .name = "next" },
	[NFV_A_NF_BAD_DESC] = { .name = "bad-desc" },
	[NFV_A_NF_STATE] = { .name = "state" },
	[NFV_A_NF_FDS] = { .name = "fds" },
	[NFV_A_NF_SOCK] = { .name = "sock", .multi = true },
	[NFV_A_NF_FRAMES] = { .name = "frames" },
	[NFV_A_NF_FRAME_SIZE] = { .name = "frame-size" },
	[NFV_A_NF_HELD] = { .name = "held" },
	[NFV_A_NF_BATCH] = { .name = "batch", .request = true },
	[NFV_A_NF_DOORBELL] = { .name = "doorbell" },
	[NFV_A_NF_RING_FULL] = { .name = "ring-full" },
	[NFV_A_NF_NO_REPLICA] = { .name = "no-replica" },
	[NFV_A_NF_OVERRIDE_DENIED] = { .name = "override-denied" },
	[NFV_A_NF_CSUM_FIXED] = { .name = "csum-fixed" },
	[NFV_A_NF_TAP_OVERFLOW] = { .name = "tap-overflow" },
	[NFV_A_NF_PAD] = { .name = "pad" },
	[NFV_A_NF_LOOP_DROP] = { .name = "loop-drop" },
	[NFV_A_NF_OVERRUN] = { .name = "overrun" },
	[NFV_A_NF_REFUSED] = { .name = "refused" },
	[NFV_A_NF_BUDGET] = { .name = "budget" },
	[NFV_A_NF_BUDGET_HITS] = { .name = "budget-hits" },
	[NFV_A_NF_FLOW_RULES] = { .name = "flow-rules" },
	[NFV_A_NF_FLOW_RULES_REFUSED] = { .name = "flow-rules-refused" },
	[NFV_A_NF_BP_WAITS] = { .name = "bp-waits" },
	[NFV_A_NF_BP_TIMEOUTS] = { .name = "bp-timeouts" },
	[NFV_A_NF_SCHED_SWITCHES] = { .name = "sched-switches" },
};

const struct nfv_nl_set nfv_nf_nl_set = {
	.name		= "nf",
	.policy		= nfv_nf_nl_policy,
	.attrs		= nfv_nf_nl_attrs,
	.maxattr	= NFV_A_NF_SCHED_SWITCHES,
};

/* attribute set "service" */
const struct nla_policy nfv_service_nl_policy[NFV_A_SERVICE_REPLICA + 1] = {
	[NFV_A_SERVICE_ID] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_SERVICE_MAX),
	[NFV_A_SERVICE_REPLICA] = { .type = NLA_U16, },
};

const struct nfv_nl_attr nfv_service_nl_attrs[NFV_A_SERVICE_REPLICA + 1] = {
	[NFV_A_SERVICE_ID] = { .name = "id", .request = true },
	[NFV_A_SERVICE_REPLICA] = { .name = "replica", .multi = true },
};

const struct nfv_nl_set nfv_service_nl_set = {
	.name		= "service",
	.policy		= nfv_service_nl_policy,
	.attrs		= nfv_service_nl_attrs,
	.maxattr	= NFV_A_SERVICE_REPLICA,
};

/* attribute set "stats" */
const struct nla_policy nfv_stats_nl_policy[NFV_A_STATS_LOOP_DROP + 1] = {
	[NFV_A_STATS_FRAMES_TOTAL] = { .type = NLA_U32, },
	[NFV_A_STATS_FRAMES_FREE] = { .type = NLA_U32, },
	[NFV_A_STATS_FRAMES_FILL] = { .type = NLA_U32, },
	[NFV_A_STATS_FRAMES_INFLIGHT] = { .type = NLA_U32, },
	[NFV_A_STATS_BAD_DESC] = { .type = NLA_U64, },
	[NFV_A_STATS_RECLAIMED] = { .type = NLA_U64, },
	[NFV_A_STATS_PORT] = NLA_POLICY_NESTED(nfv_stats_port_nl_policy),
	[NFV_A_STATS_NF] = NLA_POLICY_NESTED(nfv_stats_nf_nl_policy),
	[NFV_A_STATS_BACKEND] = { .type = NLA_NUL_STRING, },
	[NFV_A_STATS_FRAMES_KERNEL] = { .type = NLA_U32, },
	[NFV_A_STATS_FRAMES_HELD] = { .type = NLA_U32, },
	[NFV_A_STATS_FRAMES_TRANSIT] = { .type = NLA_U32, },
	[NFV_A_STATS_FRAMES_TX] = { .type = NLA_U32, },
	[NFV_A_STATS_FRAMES_TAPPED] = { .type = NLA_U32, },
	[NFV_A_STATS_REFUSED] = { .type = NLA_U64, },
	[NFV_A_STATS_FORGED_TX] = { .type = NLA_U64, },
	[NFV_A_STATS_LOOP_DROP] = { .type = NLA_U64, },
};

const struct nfv_nl_attr nfv_stats_nl_attrs[NFV_A_STATS_LOOP_DROP + 1] = {
	[NFV_A_STATS_FRAMES_TOTAL] = { .name = "frames-total" },
	[NFV_A_STATS_FRAMES_FREE] = { .name = "frames-free" },
	[NFV_A_STATS_FRAMES_FILL] = { .name = "frames-fill" },
	[NFV_A_STATS_FRAMES_INFLIGHT] = { .name = "frames-inflight" },
	[NFV_A_STATS_BAD_DESC] = { .name = "bad-desc" },
	[NFV_A_STATS_RECLAIMED] = { .name = "reclaimed" },
	[NFV_A_STATS_PORT] = { .name = "port", .multi = true },
	[NFV_A_STATS_NF] = { .name = "nf", .multi = true },
	[NFV_A_STATS_BACKEND] = { .name = "backend" },
	[NFV_A_STATS_PAD] = { .name = "pad" },
	[NFV_A_STATS_FRAMES_KERNEL] = { .name = "frames-kernel" },
	[NFV_A_STATS_FRAMES_HELD] = { .name = "frames-held" },
	[NFV_A_STATS_FRAMES_TRANSIT] = { .name = "frames-transit" },
	[NFV_A_STATS_FRAMES_TX] = { .name = "frames-tx" },
	[NFV_A_STATS_FRAMES_TAPPED] = { .name = "frames-tapped" },
	[NFV_A_STATS_REFUSED] = { .name = "refused" },
	[NFV_A_STATS_FORGED_TX] = { .name = "forged-tx" },
	[NFV_A_STATS_LOOP_DROP] = { .name = "loop-drop" },
};

const struct nfv_nl_set nfv_stats_nl_set = {
	.name		= "stats",
	.policy		= nfv_stats_nl_policy,
	.attrs		= nfv_stats_nl_attrs,
	.maxattr	= NFV_A_STATS_LOOP_DROP,
};

/* attribute set "stats-port" */
const struct nla_policy nfv_stats_port_nl_policy[NFV_A_PORT_VNI + 1] = {
	[NFV_A_PORT_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_ifindex_range),
	[NFV_A_PORT_NAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[NFV_A_PORT_ID] = NLA_POLICY_RANGE(NLA_U16, 1, 15),
	[NFV_A_PORT_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFV_A_PORT_DEFAULT_CHAIN] = NLA_POLICY_MAX(NLA_U16, NFV_CHAIN_MAX),
	[NFV_A_PORT_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[NFV_A_PORT_QUEUES] = { .type = NLA_U32, },
	[NFV_A_PORT_STATS] = NLA_POLICY_NESTED(nfv_xdp_counters_nl_policy),
	[NFV_A_PORT_REMOVED] = { .type = NLA_FLAG, },
	[NFV_A_PORT_DECAP] = NLA_POLICY_MAX(NLA_U8, 3),
	[NFV_A_PORT_VXLAN_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NFV_A_PORT_VNI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_vni_range),
};

const struct nfv_nl_attr nfv_stats_port_nl_attrs[NFV_A_PORT_VNI + 1] = {
	[NFV_A_PORT_IFINDEX] = { .name = "ifindex", .request = true },
	[NFV_A_PORT_NAME] = { .name = "name", .request = true },
	[NFV_A_PORT_ID] = { .name = "id" },
	[NFV_A_PORT_MODE] = { .name = "mode", .request = true },
	[NFV_A_PORT_DEFAULT_CHAIN] = { .name = "default-chain", .request = true },
	[NFV_A_PORT_FLAGS] = { .name = "flags", .request = true },
	[NFV_A_PORT_QUEUES] = { .name = "queues" },
	[NFV_A_PORT_STATS] = { .name = "stats" },
	[NFV_A_PORT_PAD] = { .name = "pad" },
	[NFV_A_PORT_REMOVED] = { .name = "removed" },
	[NFV_A_PORT_DECAP] = { .name = "decap", .request = true },
	[NFV_A_PORT_VXLAN_PORT] = { .name = "vxlan-port", .request = true },
	[NFV_A_PORT_VNI] = { .name = "vni", .request = true },
};

const struct nfv_nl_set nfv_stats_port_nl_set = {
	.name		= "stats-port",
	.policy		= nfv_stats_port_nl_policy,
	.attrs		= nfv_stats_port_nl_attrs,
	.maxattr	= NFV_A_PORT_VNI,
};

/* attribute set "stats-nf" */
const struct nla_policy nfv_stats_nf_nl_policy[NFV_A_NF_BUDGET_HITS + 1] = {
	[NFV_A_NF_ID] = NLA_POLICY_RANGE(NLA_U16, 1, 511),
	[NFV_A_NF_SERVICE] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_SERVICE_MAX),
	[NFV_A_NF_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[NFV_A_NF_PID] = { .type = NLA_U32, },
	[NFV_A_NF_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
	[NFV_A_NF_RX] = { .type = NLA_U64, },
	[NFV_A_NF_TX] = { .type = NLA_U64, },
	[NFV_A_NF_DROP] = { .type = NLA_U64, },
	[NFV_A_NF_NEXT] = { .type = NLA_U64, },
	[NFV_A_NF_BAD_DESC] = { .type = NLA_U64, },
	[NFV_A_NF_STATE] = NLA_POLICY_MAX(NLA_U8, 3),
	[NFV_A_NF_FDS] = NLA_POLICY_NESTED(nfv_fds_nl_policy),
	[NFV_A_NF_SOCK] = NLA_POLICY_NESTED(nfv_sock_nl_policy),
	[NFV_A_NF_FRAMES] = { .type = NLA_U32, },
	[NFV_A_NF_FRAME_SIZE] = { .type = NLA_U32, },
	[NFV_A_NF_HELD] = { .type = NLA_U32, },
	[NFV_A_NF_BATCH] = { .type = NLA_U32, },
	[NFV_A_NF_DOORBELL] = { .type = NLA_U32, },
	[NFV_A_NF_RING_FULL] = { .type = NLA_U64, },
	[NFV_A_NF_NO_REPLICA] = { .type = NLA_U64, },
	[NFV_A_NF_OVERRIDE_DENIED] = { .type = NLA_U64, },
	[NFV_A_NF_CSUM_FIXED] = { .type = NLA_U64, },
	[NFV_A_NF_TAP_OVERFLOW] = { .type = NLA_U64, },
	[NFV_A_NF_LOOP_DROP] = { .type = NLA_U64, },
	[NFV_A_NF_OVERRUN] = { .type = NLA_U64, },
	[NFV_A_NF_REFUSED] = { .type = NLA_U64, },
	[NFV_A_NF_BUDGET] = { .type = NLA_U32, },
	[NFV_A_NF_BUDGET_HITS] = { .type = NLA_U64, },
};

const struct nfv_nl_attr nfv_stats_nf_nl_attrs[NFV_A_NF_BUDGET_HITS + 1] = {
	[NFV_A_NF_ID] = { .name = "id", .request = true },
	[NFV_A_NF_SERVICE] = { .name = "service", .request = true },
	[NFV_A_NF_NAME] = { .name = "name", .request = true },
	[NFV_A_NF_PID] = { .name = "pid" },
	[NFV_A_NF_FLAGS] = { .name = "flags", .request = true },
	[NFV_A_NF_RX] = { .name = "rx" },
	[NFV_A_NF_TX] = { .name = "tx" },
	[NFV_A_NF_DROP] = { .name = "drop" },
	[NFV_A_NF_NEXT] = { .name = "next" },
	[NFV_A_NF_BAD_DESC] = { .name = "bad-desc" },
	[NFV_A_NF_STATE] = { .name = "state" },
	[NFV_A_NF_FDS] = { .name = "fds" },
	[NFV_A_NF_SOCK] = { .name = "sock", .multi = true },
	[NFV_A_NF_FRAMES] = { .name = "frames" },
	[NFV_A_NF_FRAME_SIZE] = { .name = "frame-size" },
	[NFV_A_NF_HELD] = { .name = "held" },
	[NFV_A_NF_BATCH] = { .name = "batch", .request = true },
	[NFV_A_NF_DOORBELL] = { .name = "doorbell" },
	[NFV_A_NF_RING_FULL] = { .name = "ring-full" },
	[NFV_A_NF_NO_REPLICA] = { .name = "no-replica" },
	[NFV_A_NF_OVERRIDE_DENIED] = { .name = "override-denied" },
	[NFV_A_NF_CSUM_FIXED] = { .name = "csum-fixed" },
	[NFV_A_NF_TAP_OVERFLOW] = { .name = "tap-overflow" },
	[NFV_A_NF_PAD] = { .name = "pad" },
	[NFV_A_NF_LOOP_DROP] = { .name = "loop-drop" },
	[NFV_A_NF_OVERRUN] = { .name = "overrun" },
	[NFV_A_NF_REFUSED] = { .name = "refused" },
	[NFV_A_NF_BUDGET] = { .name = "budget" },
	[NFV_A_NF_BUDGET_HITS] = { .name = "budget-hits" },
};

const struct nfv_nl_set nfv_stats_nf_nl_set = {
	.name		= "stats-nf",
	.policy		= nfv_stats_nf_nl_policy,
	.attrs		= nfv_stats_nf_nl_attrs,
	.maxattr	= NFV_A_NF_BUDGET_HITS,
};

/* attribute set "offload" */
const struct nla_policy nfv_offload_nl_policy[NFV_A_OFFLOAD_PAD + 1] = {
	[NFV_A_OFFLOAD_IN_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_offload_in_ifindex_range),
	[NFV_A_OFFLOAD_PROTO] = { .type = NLA_U8, },
	[NFV_A_OFFLOAD_FAMILY] = { .type = NLA_U8, },
	[NFV_A_OFFLOAD_SRC] = { .type = NLA_BINARY, },
	[NFV_A_OFFLOAD_DST] = { .type = NLA_BINARY, },
	[NFV_A_OFFLOAD_SPORT] = { .type = NLA_U16, },
	[NFV_A_OFFLOAD_DPORT] = { .type = NLA_U16, },
	[NFV_A_OFFLOAD_BOTH] = { .type = NLA_FLAG, },
	[NFV_A_OFFLOAD_CHAIN] = { .type = NLA_U16, },
	[NFV_A_OFFLOAD_OUT_IFINDEX] = { .type = NLA_U32, },
	[NFV_A_OFFLOAD_PACKETS] = { .type = NLA_U64, },
	[NFV_A_OFFLOAD_BYTES] = { .type = NLA_U64, },
	[NFV_A_OFFLOAD_IDLE_MS] = { .type = NLA_U32, },
	[NFV_A_OFFLOAD_ENDED] = { .type = NLA_FLAG, },
	[NFV_A_OFFLOAD_VOTER] = { .type = NLA_U16, },
};

const struct nfv_nl_attr nfv_offload_nl_attrs[NFV_A_OFFLOAD_PAD + 1] = {
	[NFV_A_OFFLOAD_IN_IFINDEX] = { .name = "in-ifindex", .request = true },
	[NFV_A_OFFLOAD_PROTO] = { .name = "proto", .request = true },
	[NFV_A_OFFLOAD_FAMILY] = { .name = "family", .request = true },
	[NFV_A_OFFLOAD_SRC] = { .name = "src", .request = true },
	[NFV_A_OFFLOAD_DST] = { .name = "dst", .request = true },
	[NFV_A_OFFLOAD_SPORT] = { .name = "sport", .request = true },
	[NFV_A_OFFLOAD_DPORT] = { .name = "dport", .request = true },
	[NFV_A_OFFLOAD_BOTH] = { .name = "both", .request = true },
	[NFV_A_OFFLOAD_CHAIN] = { .name = "chain" },
	[NFV_A_OFFLOAD_OUT_IFINDEX] = { .name = "out-ifindex" },
	[NFV_A_OFFLOAD_PACKETS] = { .name = "packets" },
	[NFV_A_OFFLOAD_BYTES] = { .name = "bytes" },
	[NFV_A_OFFLOAD_IDLE_MS] = { .name = "idle-ms" },
	[NFV_A_OFFLOAD_ENDED] = { .name = "ended" },
	[NFV_A_OFFLOAD_VOTER] = { .name = "voter", .multi = true },
	[NFV_A_OFFLOAD_PAD] = { .name = "pad" },
};

const struct nfv_nl_set nfv_offload_nl_set = {
	.name		= "offload",
	.policy		= nfv_offload_nl_policy,
	.attrs		= nfv_offload_nl_attrs,
	.maxattr	= NFV_A_OFFLOAD_PAD,
};

/* attribute set "maps" */
const struct nla_policy nfv_maps_nl_policy[NFV_A_MAPS_STATS + 1] = {
	[NFV_A_MAPS_PORTS] = { .type = NLA_U32, },
	[NFV_A_MAPS_CHAINS] = { .type = NLA_U32, },
	[NFV_A_MAPS_SERVICES] = { .type = NLA_U32, },
	[NFV_A_MAPS_FLOWS] = { .type = NLA_U32, },
	[NFV_A_MAPS_RULES] = { .type = NLA_U32, },
	[NFV_A_MAPS_DEVMAP] = { .type = NLA_U32, },
	[NFV_A_MAPS_STATS] = { .type = NLA_U32, },
};

const struct nfv_nl_attr nfv_maps_nl_attrs[NFV_A_MAPS_STATS + 1] = {
	[NFV_A_MAPS_PORTS] = { .name = "ports", .request = true },
	[NFV_A_MAPS_CHAINS] = { .name = "chains", .request = true },
	[NFV_A_MAPS_SERVICES] = { .name = "services", .request = true },
	[NFV_A_MAPS_FLOWS] = { .name = "flows", .request = true },
	[NFV_A_MAPS_RULES] = { .name = "rules", .request = true },
	[NFV_A_MAPS_DEVMAP] = { .name = "devmap", .request = true },
	[NFV_A_MAPS_STATS] = { .name = "stats", .request = true },
};

const struct nfv_nl_set nfv_maps_nl_set = {
	.name		= "maps",
	.policy		= nfv_maps_nl_policy,
	.attrs		= nfv_maps_nl_attrs,
	.maxattr	= NFV_A_MAPS_STATS,
};

/* attribute set "nf-counter" */
const struct nla_policy nfv_nf_counter_nl_policy[NFV_A_NF_COUNTER_PAD + 1] = {
	[NFV_A_NF_COUNTER_NAME] = { .type = NLA_NUL_STRING, .len = 39, },
	[NFV_A_NF_COUNTER_TYPE] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFV_A_NF_COUNTER_VALUE] = { .type = NLA_U64, },
	[NFV_A_NF_COUNTER_HELP] = { .type = NLA_NUL_STRING, .len = 63, },
	[NFV_A_NF_COUNTER_LABEL_NAME] = { .type = NLA_NUL_STRING, .len = 39, },
	[NFV_A_NF_COUNTER_LABEL_VALUE] = { .type = NLA_NUL_STRING, .len = 39, },
};

const struct nfv_nl_attr nfv_nf_counter_nl_attrs[NFV_A_NF_COUNTER_PAD + 1] = {
	[NFV_A_NF_COUNTER_NAME] = { .name = "name", .request = true },
	[NFV_A_NF_COUNTER_TYPE] = { .name = "type", .request = true },
	[NFV_A_NF_COUNTER_VALUE] = { .name = "value", .request = true },
	[NFV_A_NF_COUNTER_HELP] = { .name = "help", .request = true },
	[NFV_A_NF_COUNTER_LABEL_NAME] = { .name = "label-name", .request = true },
	[NFV_A_NF_COUNTER_LABEL_VALUE] = { .name = "label-value", .request = true },
	[NFV_A_NF_COUNTER_PAD] = { .name = "pad", .request = true },
};

const struct nfv_nl_set nfv_nf_counter_nl_set = {
	.name		= "nf-counter",
	.policy		= nfv_nf_counter_nl_policy,
	.attrs		= nfv_nf_counter_nl_attrs,
	.maxattr	= NFV_A_NF_COUNTER_PAD,
};

/* attribute set "nf-counters" */
const struct nla_policy nfv_nf_counters_nl_policy[NFV_A_NF_COUNTERS_PAD + 1] = {
	[NFV_A_NF_COUNTERS_ID] = { .type = NLA_U16, },
	[NFV_A_NF_COUNTERS_NAME] = { .type = NLA_NUL_STRING, },
	[NFV_A_NF_COUNTERS_SERVICE] = { .type = NLA_U16, },
	[NFV_A_NF_COUNTERS_COUNTER] = NLA_POLICY_NESTED(nfv_nf_counter_nl_policy),
	[NFV_A_NF_COUNTERS_REFUSED] = { .type = NLA_U64, },
	[NFV_A_NF_COUNTERS_PUBLISHED] = { .type = NLA_U64, },
};

const struct nfv_nl_attr nfv_nf_counters_nl_attrs[NFV_A_NF_COUNTERS_PAD + 1] = {
	[NFV_A_NF_COUNTERS_ID] = { .name = "id", .request = true },
	[NFV_A_NF_COUNTERS_NAME] = { .name = "name" },
	[NFV_A_NF_COUNTERS_SERVICE] = { .name = "service" },
	[NFV_A_NF_COUNTERS_COUNTER] = { .name = "counter", .request = true, .multi = true },
	[NFV_A_NF_COUNTERS_REFUSED] = { .name = "refused" },
	[NFV_A_NF_COUNTERS_PUBLISHED] = { .name = "published" },
	[NFV_A_NF_COUNTERS_PAD] = { .name = "pad" },
};

const struct nfv_nl_set nfv_nf_counters_nl_set = {
	.name		= "nf-counters",
	.policy		= nfv_nf_counters_nl_policy,
	.attrs		= nfv_nf_counters_nl_attrs,
	.maxattr	= NFV_A_NF_COUNTERS_PAD,
};
