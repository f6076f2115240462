// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	uapi/nfv.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink.h"

#include <uapi/linux/nfv_genl.h>

/* Integer value ranges */
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

/* Common nested types */
const struct nla_policy nfv_hop_nl_policy[NFV_A_HOP_SPI + 1] = {
	[NFV_A_HOP_TYPE] = NLA_POLICY_RANGE(NLA_U8, 1, 5),
	[NFV_A_HOP_SERVICE] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_SERVICE_MAX),
	[NFV_A_HOP_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_hop_ifindex_range),
	[NFV_A_HOP_PORT] = NLA_POLICY_RANGE(NLA_U16, 1, 15),
	[NFV_A_HOP_SPI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_hop_spi_range),
};

const struct nla_policy nfv_nf_counter_nl_policy[NFV_A_NF_COUNTER_PAD + 1] = {
	[NFV_A_NF_COUNTER_NAME] = { .type = NLA_NUL_STRING, .len = 39, },
	[NFV_A_NF_COUNTER_TYPE] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFV_A_NF_COUNTER_VALUE] = { .type = NLA_U64, },
	[NFV_A_NF_COUNTER_HELP] = { .type = NLA_NUL_STRING, .len = 63, },
	[NFV_A_NF_COUNTER_LABEL_NAME] = { .type = NLA_NUL_STRING, .len = 39, },
	[NFV_A_NF_COUNTER_LABEL_VALUE] = { .type = NLA_NUL_STRING, .len = 39, },
};

/* NFV_CMD_PORT_NEW - do */
static const struct nla_policy nfv_port_new_nl_policy[NFV_A_PORT_VNI + 1] = {
	[NFV_A_PORT_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_ifindex_range),
	[NFV_A_PORT_NAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[NFV_A_PORT_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFV_A_PORT_DEFAULT_CHAIN] = NLA_POLICY_MAX(NLA_U16, NFV_CHAIN_MAX),
	[NFV_A_PORT_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[NFV_A_PORT_DECAP] = NLA_POLICY_MAX(NLA_U8, 3),
	[NFV_A_PORT_VXLAN_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NFV_A_PORT_VNI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_vni_range),
};

/* NFV_CMD_PORT_DEL - do */
static const struct nla_policy nfv_port_del_nl_policy[NFV_A_PORT_VNI + 1] = {
	[NFV_A_PORT_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_ifindex_range),
	[NFV_A_PORT_NAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[NFV_A_PORT_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFV_A_PORT_DEFAULT_CHAIN] = NLA_POLICY_MAX(NLA_U16, NFV_CHAIN_MAX),
	[NFV_A_PORT_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[NFV_A_PORT_DECAP] = NLA_POLICY_MAX(NLA_U8, 3),
	[NFV_A_PORT_VXLAN_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NFV_A_PORT_VNI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_vni_range),
};

/* NFV_CMD_PORT_GET - do */
static const struct nla_policy nfv_port_get_nl_policy[NFV_A_PORT_VNI + 1] = {
	[NFV_A_PORT_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_ifindex_range),
	[NFV_A_PORT_NAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[NFV_A_PORT_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFV_A_PORT_DEFAULT_CHAIN] = NLA_POLICY_MAX(NLA_U16, NFV_CHAIN_MAX),
	[NFV_A_PORT_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0xf),
	[NFV_A_PORT_DECAP] = NLA_POLICY_MAX(NLA_U8, 3),
	[NFV_A_PORT_VXLAN_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NFV_A_PORT_VNI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_port_vni_range),
};

/* NFV_CMD_CHAIN_NEW - do */
static const struct nla_policy nfv_chain_new_nl_policy[NFV_A_CHAIN_FLAGS + 1] = {
	[NFV_A_CHAIN_ID] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_CHAIN_MAX),
	[NFV_A_CHAIN_HOP] = NLA_POLICY_NESTED(nfv_hop_nl_policy),
	[NFV_A_CHAIN_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1),
};

/* NFV_CMD_CHAIN_DEL - do */
static const struct nla_policy nfv_chain_del_nl_policy[NFV_A_CHAIN_FLAGS + 1] = {
	[NFV_A_CHAIN_ID] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_CHAIN_MAX),
	[NFV_A_CHAIN_HOP] = NLA_POLICY_NESTED(nfv_hop_nl_policy),
	[NFV_A_CHAIN_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1),
};

/* NFV_CMD_CHAIN_GET - do */
static const struct nla_policy nfv_chain_get_nl_policy[NFV_A_CHAIN_FLAGS + 1] = {
	[NFV_A_CHAIN_ID] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_CHAIN_MAX),
	[NFV_A_CHAIN_HOP] = NLA_POLICY_NESTED(nfv_hop_nl_policy),
	[NFV_A_CHAIN_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1),
};

/* NFV_CMD_FLOW_NEW - do */
static const struct nla_policy nfv_flow_new_nl_policy[NFV_A_FLOW_SI + 1] = {
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
	[NFV_A_FLOW_OWNER] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_NF_MAX),
	[NFV_A_FLOW_IDLE_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_flow_idle_timeout_range),
	[NFV_A_FLOW_SPI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_flow_spi_range),
	[NFV_A_FLOW_SI] = NLA_POLICY_MIN(NLA_U8, 1),
};

/* NFV_CMD_FLOW_DEL - do */
static const struct nla_policy nfv_flow_del_nl_policy[NFV_A_FLOW_SI + 1] = {
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
	[NFV_A_FLOW_SPI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_flow_spi_range),
	[NFV_A_FLOW_SI] = NLA_POLICY_MIN(NLA_U8, 1),
};

/* NFV_CMD_FLOW_GET - do */
static const struct nla_policy nfv_flow_get_nl_policy[NFV_A_FLOW_SI + 1] = {
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
	[NFV_A_FLOW_SPI] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_flow_spi_range),
	[NFV_A_FLOW_SI] = NLA_POLICY_MIN(NLA_U8, 1),
};

/* NFV_CMD_NF_GET - do */
static const struct nla_policy nfv_nf_get_nl_policy[NFV_A_NF_ID + 1] = {
	[NFV_A_NF_ID] = NLA_POLICY_RANGE(NLA_U16, 1, 511),
};

/* NFV_CMD_SERVICE_GET - do */
static const struct nla_policy nfv_service_get_nl_policy[NFV_A_SERVICE_ID + 1] = {
	[NFV_A_SERVICE_ID] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_SERVICE_MAX),
};

/* NFV_CMD_NF_ATTACH - do */
static const struct nla_policy nfv_nf_attach_nl_policy[NFV_A_NF_BATCH + 1] = {
	[NFV_A_NF_SERVICE] = NLA_POLICY_RANGE(NLA_U16, 1, NFV_SERVICE_MAX),
	[NFV_A_NF_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[NFV_A_NF_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
	[NFV_A_NF_BATCH] = { .type = NLA_U32, },
};

/* NFV_CMD_NF_READY - do */
static const struct nla_policy nfv_nf_ready_nl_policy[NFV_A_NF_ID + 1] = {
	[NFV_A_NF_ID] = NLA_POLICY_RANGE(NLA_U16, 1, 511),
};

/* NFV_CMD_MAPS_SET - do */
static const struct nla_policy nfv_maps_set_nl_policy[NFV_A_MAPS_STATS + 1] = {
	[NFV_A_MAPS_PORTS] = { .type = NLA_U32, },
	[NFV_A_MAPS_CHAINS] = { .type = NLA_U32, },
	[NFV_A_MAPS_SERVICES] = { .type = NLA_U32, },
	[NFV_A_MAPS_FLOWS] = { .type = NLA_U32, },
	[NFV_A_MAPS_RULES] = { .type = NLA_U32, },
	[NFV_A_MAPS_DEVMAP] = { .type = NLA_U32, },
	[NFV_A_MAPS_STATS] = { .type = NLA_U32, },
};

/* NFV_CMD_MAPS_GET - do */
static const struct nla_policy nfv_maps_get_nl_policy[NFV_A_MAPS_STATS + 1] = {
	[NFV_A_MAPS_PORTS] = { .type = NLA_U32, },
	[NFV_A_MAPS_CHAINS] = { .type = NLA_U32, },
	[NFV_A_MAPS_SERVICES] = { .type = NLA_U32, },
	[NFV_A_MAPS_FLOWS] = { .type = NLA_U32, },
	[NFV_A_MAPS_RULES] = { .type = NLA_U32, },
	[NFV_A_MAPS_DEVMAP] = { .type = NLA_U32, },
	[NFV_A_MAPS_STATS] = { .type = NLA_U32, },
};

/* NFV_CMD_OFFLOAD_NEW - do */
static const struct nla_policy nfv_offload_new_nl_policy[NFV_A_OFFLOAD_BOTH + 1] = {
	[NFV_A_OFFLOAD_IN_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_offload_in_ifindex_range),
	[NFV_A_OFFLOAD_PROTO] = { .type = NLA_U8, },
	[NFV_A_OFFLOAD_FAMILY] = { .type = NLA_U8, },
	[NFV_A_OFFLOAD_SRC] = { .type = NLA_BINARY, },
	[NFV_A_OFFLOAD_DST] = { .type = NLA_BINARY, },
	[NFV_A_OFFLOAD_SPORT] = { .type = NLA_U16, },
	[NFV_A_OFFLOAD_DPORT] = { .type = NLA_U16, },
	[NFV_A_OFFLOAD_BOTH] = { .type = NLA_FLAG, },
};

/* NFV_CMD_OFFLOAD_DEL - do */
static const struct nla_policy nfv_offload_del_nl_policy[NFV_A_OFFLOAD_DPORT + 1] = {
	[NFV_A_OFFLOAD_IN_IFINDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfv_a_offload_in_ifindex_range),
	[NFV_A_OFFLOAD_PROTO] = { .type = NLA_U8, },
	[NFV_A_OFFLOAD_FAMILY] = { .type = NLA_U8, },
	[NFV_A_OFFLOAD_SRC] = { .type = NLA_BINARY, },
	[NFV_A_OFFLOAD_DST] = { .type = NLA_BINARY, },
	[NFV_A_OFFLOAD_SPORT] = { .type = NLA_U16, },
	[NFV_A_OFFLOAD_DPORT] = { .type = NLA_U16, },
};

/* NFV_CMD_NF_COUNTERS_SET - do */
static const struct nla_policy nfv_nf_counters_set_nl_policy[NFV_A_NF_COUNTERS_COUNTER + 1] = {
	[NFV_A_NF_COUNTERS_COUNTER] = NLA_POLICY_NESTED(nfv_nf_counter_nl_policy),
};

/* NFV_CMD_NF_COUNTERS_GET - do */
static const struct nla_policy nfv_nf_counters_get_nl_policy[NFV_A_NF_COUNTERS_ID + 1] = {
	[NFV_A_NF_COUNTERS_ID] = { .type = NLA_U16, },
};

/* Ops table for nfv */
const struct genl_split_ops nfv_nl_ops[28] = {
	{
		.cmd		= NFV_CMD_PORT_NEW,
		.doit		= nfv_nl_port_new_doit,
		.policy		= nfv_port_new_nl_policy,
		.maxattr	= NFV_A_PORT_VNI,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_PORT_DEL,
		.doit		= nfv_nl_port_del_doit,
		.policy		= nfv_port_del_nl_policy,
		.maxattr	= NFV_A_PORT_VNI,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_PORT_GET,
		.doit		= nfv_nl_port_get_doit,
		.policy		= nfv_port_get_nl_policy,
		.maxattr	= NFV_A_PORT_VNI,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= NFV_CMD_PORT_GET,
		.dumpit	= nfv_nl_port_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= NFV_CMD_CHAIN_NEW,
		.doit		= nfv_nl_chain_new_doit,
		.policy		= nfv_chain_new_nl_policy,
		.maxattr	= NFV_A_CHAIN_FLAGS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_CHAIN_DEL,
		.doit		= nfv_nl_chain_del_doit,
		.policy		= nfv_chain_del_nl_policy,
		.maxattr	= NFV_A_CHAIN_FLAGS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_CHAIN_GET,
		.doit		= nfv_nl_chain_get_doit,
		.policy		= nfv_chain_get_nl_policy,
		.maxattr	= NFV_A_CHAIN_FLAGS,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= NFV_CMD_CHAIN_GET,
		.dumpit	= nfv_nl_chain_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= NFV_CMD_FLOW_NEW,
		.doit		= nfv_nl_flow_new_doit,
		.policy		= nfv_flow_new_nl_policy,
		.maxattr	= NFV_A_FLOW_SI,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_FLOW_DEL,
		.doit		= nfv_nl_flow_del_doit,
		.policy		= nfv_flow_del_nl_policy,
		.maxattr	= NFV_A_FLOW_SI,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_FLOW_GET,
		.doit		= nfv_nl_flow_get_doit,
		.policy		= nfv_flow_get_nl_policy,
		.maxattr	= NFV_A_FLOW_SI,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= NFV_CMD_FLOW_GET,
		.dumpit	= nfv_nl_flow_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= NFV_CMD_NF_GET,
		.doit		= nfv_nl_nf_get_doit,
		.policy		= nfv_nf_get_nl_policy,
		.maxattr	= NFV_A_NF_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= NFV_CMD_NF_GET,
		.dumpit	= nfv_nl_nf_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= NFV_CMD_SERVICE_GET,
		.doit		= nfv_nl_service_get_doit,
		.policy		= nfv_service_get_nl_policy,
		.maxattr	= NFV_A_SERVICE_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= NFV_CMD_SERVICE_GET,
		.dumpit	= nfv_nl_service_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= NFV_CMD_STATS_GET,
		.doit	= nfv_nl_stats_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_NF_ATTACH,
		.doit		= nfv_nl_nf_attach_doit,
		.policy		= nfv_nf_attach_nl_policy,
		.maxattr	= NFV_A_NF_BATCH,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_NF_READY,
		.doit		= nfv_nl_nf_ready_doit,
		.policy		= nfv_nf_ready_nl_policy,
		.maxattr	= NFV_A_NF_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= NFV_CMD_NF_SOCKET,
		.doit	= nfv_nl_nf_socket_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_MAPS_SET,
		.doit		= nfv_nl_maps_set_doit,
		.policy		= nfv_maps_set_nl_policy,
		.maxattr	= NFV_A_MAPS_STATS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_MAPS_GET,
		.doit		= nfv_nl_maps_get_doit,
		.policy		= nfv_maps_get_nl_policy,
		.maxattr	= NFV_A_MAPS_STATS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_OFFLOAD_NEW,
		.doit		= nfv_nl_offload_new_doit,
		.policy		= nfv_offload_new_nl_policy,
		.maxattr	= NFV_A_OFFLOAD_BOTH,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_OFFLOAD_DEL,
		.doit		= nfv_nl_offload_del_doit,
		.policy		= nfv_offload_del_nl_policy,
		.maxattr	= NFV_A_OFFLOAD_DPORT,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= NFV_CMD_OFFLOAD_GET,
		.dumpit	= nfv_nl_offload_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= NFV_CMD_EVENTS_SUBSCRIBE,
		.doit	= nfv_nl_events_subscribe_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_NF_COUNTERS_SET,
		.doit		= nfv_nl_nf_counters_set_doit,
		.policy		= nfv_nf_counters_set_nl_policy,
		.maxattr	= NFV_A_NF_COUNTERS_COUNTER,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= NFV_CMD_NF_COUNTERS_GET,
		.doit		= nfv_nl_nf_counters_get_doit,
		.policy		= nfv_nf_counters_get_nl_policy,
		.maxattr	= NFV_A_NF_COUNTERS_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group nfv_nl_mcgrps[] = {
	[NFV_NLGRP_EVENTS] = { "events", },
};
