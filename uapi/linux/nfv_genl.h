/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/nfv.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_NFV_GENL_H
#define _UAPI_LINUX_NFV_GENL_H

#define NFV_GENL_NAME		"nfv"
#define NFV_GENL_VERSION	1

#define NFV_SERVICE_MAX		1023
#define NFV_CHAIN_MAX		4095
#define NFV_HOPS_MAX		8
#define NFV_REPLICA_MAX		16
#define NFV_NF_MAX		512
#define NFV_PORT_MAX		16
#define NFV_NAME_LEN		32
#define NFV_VXLAN_PORT_DEFAULT	4789
#define NFV_VNI_MAX		16777215
#define NFV_SPI_MAX		16777215
#define NFV_NF_COUNTERS_MAX	32
#define NFV_COUNTER_NAME_LEN	40
#define NFV_COUNTER_HELP_LEN	64

/**
 * enum nfv_counter_type - What an NF counter's value is (Prometheus' metric
 *   types).
 * @NFV_COUNTER_TYPE_COUNTER: Only grows (a count of events).
 * @NFV_COUNTER_TYPE_GAUGE: Goes up and down (a number of things now).
 */
enum nfv_counter_type {
	NFV_COUNTER_TYPE_COUNTER,
	NFV_COUNTER_TYPE_GAUGE,
};

/**
 * enum nfv_hop_type - What a hop of a chain does with a frame.
 * @NFV_HOP_NONE: End of chain (never sent).
 * @NFV_HOP_SERVICE: Deliver to a replica of the service.
 * @NFV_HOP_OUT: Transmit on a port.
 * @NFV_HOP_DROP: Return the frame.
 * @NFV_HOP_TAP: Read-only reference to a replica of the service; never first.
 * @NFV_HOP_NSH: Transmit on a port inside NSH (RFC 8300) over Ethernet: this
 *   host's part of the chain ends here, the service path (SPI) goes on at the
 *   next host. Last in its chain and never first.
 */
enum nfv_hop_type {
	NFV_HOP_NONE,
	NFV_HOP_SERVICE,
	NFV_HOP_OUT,
	NFV_HOP_DROP,
	NFV_HOP_TAP,
	NFV_HOP_NSH,

	/* private: */
	__NFV_HOP_MAX,
	NFV_HOP_MAX = (__NFV_HOP_MAX - 1)
};

/**
 * enum nfv_port_mode - How the classifier is attached to a port's netdev.
 * @NFV_PORT_MODE_NATIVE: Driver (native) XDP.
 * @NFV_PORT_MODE_GENERIC: Generic (skb) XDP.
 */
enum nfv_port_mode {
	NFV_PORT_MODE_NATIVE,
	NFV_PORT_MODE_GENERIC,

	/* private: */
	__NFV_PORT_MODE_MAX,
	NFV_PORT_MODE_MAX = (__NFV_PORT_MODE_MAX - 1)
};

/**
 * enum nfv_port_decap - Encapsulation a port removes before classifying.
 *   Flows, rules and chains match the inner frame, NFs receive it and it
 *   leaves the fabric as it is; frames the fabric does not steer go to the
 *   kernel with their encapsulation back.
 * @NFV_PORT_DECAP_NONE: Frames are classified as they arrive.
 * @NFV_PORT_DECAP_VLAN: The outermost 802.1Q or 802.1ad tag is removed.
 * @NFV_PORT_DECAP_VXLAN: IPv4 or IPv6 + UDP to the VXLAN port + a VXLAN header
 *   with the I flag (and the port's VNI, if set) lose all headers up to the
 *   inner Ethernet header.
 * @NFV_PORT_DECAP_NSH: Ethernet + NSH (RFC 8300, ethertype 0x894f, MD type 1
 *   or 2, next protocol Ethernet) lose both headers; the inner frame is
 *   classified by the flow rules naming its SPI (and SI) only. Malformed NSH,
 *   TTL 0 or SI 0: a counted drop (nsh-drop).
 */
enum nfv_port_decap {
	NFV_PORT_DECAP_NONE,
	NFV_PORT_DECAP_VLAN,
	NFV_PORT_DECAP_VXLAN,
	NFV_PORT_DECAP_NSH,

	/* private: */
	__NFV_PORT_DECAP_MAX,
	NFV_PORT_DECAP_MAX = (__NFV_PORT_DECAP_MAX - 1)
};

/**
 * enum nfv_nf_state - Life of an NF instance.
 * @NFV_NF_STATE_NONE: Slot unused.
 * @NFV_NF_STATE_ATTACHING: Registered, not in its replica set yet.
 * @NFV_NF_STATE_UP: In its service's replica set.
 * @NFV_NF_STATE_DEAD: Gone; its frames are being reclaimed.
 */
enum nfv_nf_state {
	NFV_NF_STATE_NONE,
	NFV_NF_STATE_ATTACHING,
	NFV_NF_STATE_UP,
	NFV_NF_STATE_DEAD,
};

/**
 * enum nfv_port_flags - Port flags; unknown bits are refused with EOPNOTSUPP.
 * @NFV_PORT_F_GENERIC: Attached in generic mode (set from the mode).
 * @NFV_PORT_F_FAIL_CLOSED: Drop while nfvd is down.
 * @NFV_PORT_F_NOCSUM: Do not complete partial checksums.
 * @NFV_PORT_F_STEER_ARP: ARP follows the port's default chain (for an ARP
 *   responder NF) instead of going to the kernel; other non-IP frames still
 *   do.
 */
enum nfv_port_flags {
	NFV_PORT_F_GENERIC = 1,
	NFV_PORT_F_FAIL_CLOSED = 2,
	NFV_PORT_F_NOCSUM = 4,
	NFV_PORT_F_STEER_ARP = 8,

	/* private: */
	NFV_PORT_F_MASK = 15,
};

/**
 * enum nfv_chain_flags - Chain flags; unknown bits are refused with
 *   EOPNOTSUPP.
 * @NFV_CHAIN_F_NO_OVERRIDE: NFs may not redirect frames of this chain.
 */
enum nfv_chain_flags {
	NFV_CHAIN_F_NO_OVERRIDE = 1,

	/* private: */
	NFV_CHAIN_F_MASK = 1,
};

/**
 * enum nfv_nf_flags - NF flags.
 * @NFV_NF_F_BUSY_POLL: The NF spins instead of sleeping.
 * @NFV_NF_F_READONLY: The NF only reads frames (tap hops).
 */
enum nfv_nf_flags {
	NFV_NF_F_BUSY_POLL = 1,
	NFV_NF_F_READONLY = 2,

	/* private: */
	NFV_NF_F_MASK = 3,
};

/**
 * enum nfv_fd_role - Roles of the fds passed to an NF at attach, as
 *   SCM_RIGHTS.
 * @NFV_FD_UMEM: memfd - the shared UMEM (read-only open for a read-only NF).
 * @NFV_FD_TABLES: memfd - read-only tables (shm.h), sealed.
 * @NFV_FD_SEG: memfd - this NF's own segment (shm.h), which nfvd seals at
 *   READY; only this NF writes it.
 * @NFV_FD_DOORBELL: eventfd - written to wake this NF.
 * @NFV_FD_NFVD_DOORBELL: eventfd - written to wake nfvd.
 * @NFV_FD_NF_DEV: The NF's open file of /dev/nfv (kernel backend only,
 *   optional) - nfvd opened it and attached the NF with it; the NF keeps it
 *   open for its lifetime, so that its death, of any kind, is the file's last
 *   close.
 */
enum nfv_fd_role {
	NFV_FD_UMEM,
	NFV_FD_TABLES,
	NFV_FD_SEG,
	NFV_FD_DOORBELL,
	NFV_FD_NFVD_DOORBELL,
	NFV_FD_NF_DEV,

	/* private: */
	__NFV_FD_MAX,
	NFV_FD_MAX = (__NFV_FD_MAX - 1)
};

enum {
	NFV_XDP_CNT_RX = 1,
	NFV_XDP_CNT_PASS,
	NFV_XDP_CNT_REDIRECT,
	NFV_XDP_CNT_FLOW_HIT,
	NFV_XDP_CNT_RULE_HIT,
	NFV_XDP_CNT_DEFAULT_HIT,
	NFV_XDP_CNT_PARSE_ERR,
	NFV_XDP_CNT_NO_CHAIN,
	NFV_XDP_CNT_NO_REPLICA,
	NFV_XDP_CNT_NO_SOCKET,
	NFV_XDP_CNT_META_ERR,
	NFV_XDP_CNT_HOP_OUT,
	NFV_XDP_CNT_HOP_DROP,
	NFV_XDP_CNT_FAIL_CLOSED,
	NFV_XDP_CNT_DECAP,
	NFV_XDP_CNT_DECAP_ERR,
	NFV_XDP_CNT_PAD,
	NFV_XDP_CNT_OFFLOAD,
	NFV_XDP_CNT_OFFLOAD_END,
	NFV_XDP_CNT_NSH_DROP,
	NFV_XDP_CNT_SEGMENT,

	__NFV_XDP_CNT_MAX
};
#define NFV_XDP_CNT_MAX (__NFV_XDP_CNT_MAX - 1)

enum nfv_port_attr {
	NFV_A_PORT_IFINDEX = 1,
	NFV_A_PORT_NAME,
	NFV_A_PORT_ID,
	NFV_A_PORT_MODE,
	NFV_A_PORT_DEFAULT_CHAIN,
	NFV_A_PORT_FLAGS,
	NFV_A_PORT_QUEUES,
	NFV_A_PORT_STATS,
	NFV_A_PORT_PAD,
	NFV_A_PORT_REMOVED,
	NFV_A_PORT_DECAP,
	NFV_A_PORT_VXLAN_PORT,
	NFV_A_PORT_VNI,

	__NFV_A_PORT_MAX
};
#define NFV_A_PORT_MAX (__NFV_A_PORT_MAX - 1)

enum nfv_hop_attr {
	NFV_A_HOP_TYPE = 1,
	NFV_A_HOP_SERVICE,
	NFV_A_HOP_IFINDEX,
	NFV_A_HOP_PORT,
	NFV_A_HOP_SPI,

	__NFV_A_HOP_MAX
};
#define NFV_A_HOP_MAX (__NFV_A_HOP_MAX - 1)

enum nfv_chain_attr {
	NFV_A_CHAIN_ID = 1,
	NFV_A_CHAIN_HOP,
	NFV_A_CHAIN_FLAGS,

	__NFV_A_CHAIN_MAX
};
#define NFV_A_CHAIN_MAX (__NFV_A_CHAIN_MAX - 1)

enum nfv_flow_attr {
	NFV_A_FLOW_IN_IFINDEX = 1,
	NFV_A_FLOW_PROTO,
	NFV_A_FLOW_FAMILY,
	NFV_A_FLOW_SRC,
	NFV_A_FLOW_SRC_PLEN,
	NFV_A_FLOW_DST,
	NFV_A_FLOW_DST_PLEN,
	NFV_A_FLOW_SPORT,
	NFV_A_FLOW_SPORT_MAX,
	NFV_A_FLOW_DPORT,
	NFV_A_FLOW_DPORT_MAX,
	NFV_A_FLOW_CHAIN,
	NFV_A_FLOW_EXACT,
	NFV_A_FLOW_REMOVED,
	NFV_A_FLOW_OWNER,
	NFV_A_FLOW_IDLE_TIMEOUT,
	NFV_A_FLOW_SPI,
	NFV_A_FLOW_SI,

	__NFV_A_FLOW_MAX
};
#define NFV_A_FLOW_MAX (__NFV_A_FLOW_MAX - 1)

enum nfv_sock_attr {
	NFV_A_SOCK_PORT = 1,
	NFV_A_SOCK_QUEUE,
	NFV_A_SOCK_IFINDEX,
	NFV_A_SOCK_RX_SIZE,
	NFV_A_SOCK_TX_SIZE,

	__NFV_A_SOCK_MAX
};
#define NFV_A_SOCK_MAX (__NFV_A_SOCK_MAX - 1)

enum {
	NFV_A_FDS_FD_0 = 1,
	NFV_A_FDS_FD_1,
	NFV_A_FDS_FD_2,
	NFV_A_FDS_FD_3,
	NFV_A_FDS_FD_4,
	NFV_A_FDS_FD_5,

	__NFV_A_FDS_MAX
};
#define NFV_A_FDS_MAX (__NFV_A_FDS_MAX - 1)

enum nfv_nf_attr {
	NFV_A_NF_ID = 1,
	NFV_A_NF_SERVICE,
	NFV_A_NF_NAME,
	NFV_A_NF_PID,
	NFV_A_NF_FLAGS,
	NFV_A_NF_RX,
	NFV_A_NF_TX,
	NFV_A_NF_DROP,
	NFV_A_NF_NEXT,
	NFV_A_NF_BAD_DESC,
	NFV_A_NF_STATE,
	NFV_A_NF_FDS,
	NFV_A_NF_SOCK,
	NFV_A_NF_FRAMES,
	NFV_A_NF_FRAME_SIZE,
	NFV_A_NF_HELD,
	NFV_A_NF_BATCH,
	NFV_A_NF_DOORBELL,
	NFV_A_NF_RING_FULL,
	NFV_A_NF_NO_REPLICA,
	NFV_A_NF_OVERRIDE_DENIED,
	NFV_A_NF_CSUM_FIXED,
	NFV_A_NF_TAP_OVERFLOW,
	NFV_A_NF_PAD,
	NFV_A_NF_LOOP_DROP,
	NFV_A_NF_OVERRUN,
	NFV_A_NF_REFUSED,
	NFV_A_NF_BUDGET,
	NFV_A_NF_BUDGET_HITS,
	NFV_A_NF_FLOW_RULES,
	NFV_A_NF_FLOW_RULES_REFUSED,
	NFV_A_NF_BP_WAITS,
	NFV_A_NF_BP_TIMEOUTS,
	NFV_A_NF_SCHED_SWITCHES,

	__NFV_A_NF_MAX
};
#define NFV_A_NF_MAX (__NFV_A_NF_MAX - 1)

enum nfv_service_attr {
	NFV_A_SERVICE_ID = 1,
	NFV_A_SERVICE_REPLICA,

	__NFV_A_SERVICE_MAX
};
#define NFV_A_SERVICE_MAX (__NFV_A_SERVICE_MAX - 1)

enum nfv_stats_attr {
	NFV_A_STATS_FRAMES_TOTAL = 1,
	NFV_A_STATS_FRAMES_FREE,
	NFV_A_STATS_FRAMES_FILL,
	NFV_A_STATS_FRAMES_INFLIGHT,
	NFV_A_STATS_BAD_DESC,
	NFV_A_STATS_RECLAIMED,
	NFV_A_STATS_PORT,
	NFV_A_STATS_NF,
	NFV_A_STATS_BACKEND,
	NFV_A_STATS_PAD,
	NFV_A_STATS_FRAMES_KERNEL,
	NFV_A_STATS_FRAMES_HELD,
	NFV_A_STATS_FRAMES_TRANSIT,
	NFV_A_STATS_FRAMES_TX,
	NFV_A_STATS_FRAMES_TAPPED,
	NFV_A_STATS_REFUSED,
	NFV_A_STATS_FORGED_TX,
	NFV_A_STATS_LOOP_DROP,

	__NFV_A_STATS_MAX
};
#define NFV_A_STATS_MAX (__NFV_A_STATS_MAX - 1)

enum nfv_offload_attr {
	NFV_A_OFFLOAD_IN_IFINDEX = 1,
	NFV_A_OFFLOAD_PROTO,
	NFV_A_OFFLOAD_FAMILY,
	NFV_A_OFFLOAD_SRC,
	NFV_A_OFFLOAD_DST,
	NFV_A_OFFLOAD_SPORT,
	NFV_A_OFFLOAD_DPORT,
	NFV_A_OFFLOAD_BOTH,
	NFV_A_OFFLOAD_CHAIN,
	NFV_A_OFFLOAD_OUT_IFINDEX,
	NFV_A_OFFLOAD_PACKETS,
	NFV_A_OFFLOAD_BYTES,
	NFV_A_OFFLOAD_IDLE_MS,
	NFV_A_OFFLOAD_ENDED,
	NFV_A_OFFLOAD_VOTER,
	NFV_A_OFFLOAD_PAD,

	__NFV_A_OFFLOAD_MAX
};
#define NFV_A_OFFLOAD_MAX (__NFV_A_OFFLOAD_MAX - 1)

enum nfv_maps_attr {
	NFV_A_MAPS_PORTS = 1,
	NFV_A_MAPS_CHAINS,
	NFV_A_MAPS_SERVICES,
	NFV_A_MAPS_FLOWS,
	NFV_A_MAPS_RULES,
	NFV_A_MAPS_DEVMAP,
	NFV_A_MAPS_STATS,

	__NFV_A_MAPS_MAX
};
#define NFV_A_MAPS_MAX (__NFV_A_MAPS_MAX - 1)

enum nfv_nf_counter_attr {
	NFV_A_NF_COUNTER_NAME = 1,
	NFV_A_NF_COUNTER_TYPE,
	NFV_A_NF_COUNTER_VALUE,
	NFV_A_NF_COUNTER_HELP,
	NFV_A_NF_COUNTER_LABEL_NAME,
	NFV_A_NF_COUNTER_LABEL_VALUE,
	NFV_A_NF_COUNTER_PAD,

	__NFV_A_NF_COUNTER_MAX
};
#define NFV_A_NF_COUNTER_MAX (__NFV_A_NF_COUNTER_MAX - 1)

enum nfv_nf_counters_attr {
	NFV_A_NF_COUNTERS_ID = 1,
	NFV_A_NF_COUNTERS_NAME,
	NFV_A_NF_COUNTERS_SERVICE,
	NFV_A_NF_COUNTERS_COUNTER,
	NFV_A_NF_COUNTERS_REFUSED,
	NFV_A_NF_COUNTERS_PUBLISHED,
	NFV_A_NF_COUNTERS_PAD,

	__NFV_A_NF_COUNTERS_MAX
};
#define NFV_A_NF_COUNTERS_MAX (__NFV_A_NF_COUNTERS_MAX - 1)

enum nfv_cmd {
	NFV_CMD_PORT_NEW = 1,
	NFV_CMD_PORT_DEL,
	NFV_CMD_PORT_GET,
	NFV_CMD_CHAIN_NEW,
	NFV_CMD_CHAIN_DEL,
	NFV_CMD_CHAIN_GET,
	NFV_CMD_FLOW_NEW,
	NFV_CMD_FLOW_DEL,
	NFV_CMD_FLOW_GET,
	NFV_CMD_NF_GET,
	NFV_CMD_SERVICE_GET,
	NFV_CMD_STATS_GET,
	NFV_CMD_NF_ATTACH,
	NFV_CMD_NF_READY,
	NFV_CMD_NF_EVENT,
	NFV_CMD_PORT_EVENT,
	NFV_CMD_CHAIN_EVENT,
	NFV_CMD_NF_SOCKET,
	NFV_CMD_MAPS_SET,
	NFV_CMD_MAPS_GET,
	NFV_CMD_OFFLOAD_NEW,
	NFV_CMD_OFFLOAD_DEL,
	NFV_CMD_OFFLOAD_GET,
	NFV_CMD_EVENTS_SUBSCRIBE,
	NFV_CMD_FLOW_EVENT,
	NFV_CMD_NF_COUNTERS_SET,
	NFV_CMD_NF_COUNTERS_GET,

	__NFV_CMD_MAX
};
#define NFV_CMD_MAX (__NFV_CMD_MAX - 1)

#define NFV_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_NFV_GENL_H */
