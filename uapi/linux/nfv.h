/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * nfv: the one contract shared by bpf/, kmod/, libnfv/ and tools/.
 *
 * Everything two components agree on is defined here and nowhere else:
 * limits, the generic netlink family "nfv" (commands, attribute sets,
 * flags), the layouts of the tables the XDP program reads, and the XDP
 * metadata the classifier writes in front of every frame it steers.
 *
 * Transport.  The kernel module registers the family with the generic
 * netlink controller.  nfvd, on kernels without the module, serves the
 * very same messages (struct nlmsghdr + struct genlmsghdr + attributes)
 * over a SOCK_SEQPACKET unix socket; it answers with NLMSG_ERROR (with an
 * extack NLMSGERR_ATTR_MSG string on failure) and NLMSG_DONE exactly as
 * netlink does, so a client differs only in how it opens the socket.
 *
 * Who writes the tables.  Exactly one writer at a time: nfv.ko while it is
 * loaded, nfvd otherwise.  The XDP program and NFs only read them.
 */
#ifndef _UAPI_LINUX_NFV_H
#define _UAPI_LINUX_NFV_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define NFV_GENL_NAME		"nfv"
#define NFV_GENL_VERSION	1
#define NFV_MCGRP_EVENTS	"events"

/* Limits.  Ids are 1-based; 0 always means "none". */
#define NFV_SERVICE_MAX		1023	/* service ids 1..1023 */
#define NFV_CHAIN_MAX		4095	/* chain ids 1..4095 */
#define NFV_HOPS_MAX		8	/* hops per chain */
#define NFV_REPLICA_MAX		16	/* live replicas per service */
#define NFV_BUCKETS		64	/* replica buckets per service */
#define NFV_NF_MAX		512	/* NF instances, ids 1..511 */
#define NFV_PORT_MAX		16	/* fabric ports, ids 1..15 */
#define NFV_QUEUE_MAX		4	/* rx queues served per port */
#define NFV_PREFIX_RULES_MAX	64	/* wildcard (prefix) flow rules */
#define NFV_FLOWS_DEFAULT	65536	/* exact flow table entries */
#define NFV_FLOWS_MAX		(4 << 20) /* configurable up to 4M */
#define NFV_NAME_LEN		32	/* NF names, with the NUL */

/* Index of an NF's socket for (port, queue) in the XSKMAP "nfv_xsks". */
#define NFV_XSK_SLOT(nf, port, queue) \
	(((nf) * NFV_PORT_MAX + (port)) * NFV_QUEUE_MAX + (queue))
#define NFV_XSK_SLOTS		(NFV_NF_MAX * NFV_PORT_MAX * NFV_QUEUE_MAX)

/*
 * XDP metadata, written by the classifier with bpf_xdp_adjust_meta() right
 * in front of the frame and copied with it into the UMEM (AF_XDP copy mode
 * copies data_meta too).  An NF finds it at (frame address - sizeof).  It
 * travels with the frame from NF to NF; libnfv advances @hop.
 */
struct nfv_xdp_meta {
	__u32 hash;		/* symmetric flow hash (same both ways) */
	__u16 chain;		/* chain id */
	__u8  hop;		/* index of the hop now serving the frame */
	__u8  flags;		/* NFV_META_F_* */
	__u16 in_port;		/* ingress port id */
	__u16 l3_off;		/* offset of the IP header, 0 if none */
	__u16 l4_off;		/* offset of the L4 header, 0 if none */
	__u8  l4_proto;		/* IPPROTO_* of l4_off, 0 if none */
	__u8  magic;		/* NFV_META_MAGIC */
	/*
	 * With NFV_META_F_DECAP: what the ingress port's decap removed, the
	 * VLAN id (12 bits) of the tag or the VNI (24 bits) of the VXLAN
	 * header, so that an analyser tells tenants apart.  0 otherwise.
	 */
	__u32 decap_id;
};

#define NFV_META_MAGIC		0xf5

enum {
	NFV_META_F_IPV6		= 1 << 0,
	/*
	 * The L4 checksum holds only the pseudo-header sum: the sender used
	 * TX checksum offload (CHECKSUM_PARTIAL, every stock veth does) and
	 * XDP lost that state.  libnfv completes it before any NF sees it.
	 */
	NFV_META_F_CSUM_PARTIAL	= 1 << 1,
	NFV_META_F_VLAN		= 1 << 2,
	/*
	 * The classifier removed the port's encapsulation (a VLAN tag or
	 * the outer Ethernet/IP/UDP/VXLAN headers, see enum
	 * nfv_port_decap): the frame is the inner one, and leaves the fabric
	 * as such.
	 */
	NFV_META_F_DECAP	= 1 << 3,
};

/* ---- Tables read by the XDP program (BPF maps) ---- */

/* "nfv_ports": hash, key = ifindex (__u32). */
struct nfv_port_cfg {
	__u16 id;		/* port id 1..NFV_PORT_MAX-1 */
	__u16 default_chain;	/* 0: none, unmatched traffic passes */
	__u32 flags;		/* NFV_PORT_F_* */
	__u8  decap;		/* enum nfv_port_decap */
	__u8  decap_flags;	/* NFV_PORT_DECAP_F_* */
	__be16 vxlan_port;	/* UDP port, network order; decap vxlan */
	__u32 vni;		/* with NFV_PORT_DECAP_F_VNI: the only VNI */
};

/**
 * enum nfv_port_decap - encapsulation a port removes before classifying
 * @NFV_PORT_DECAP_NONE: frames are classified as they arrive.
 * @NFV_PORT_DECAP_VLAN: one 802.1Q or 802.1ad tag (the outermost) is
 *	removed; untagged frames are classified as they are.
 * @NFV_PORT_DECAP_VXLAN: IPv4 or IPv6 + UDP to the port's VXLAN port +
 *	a VXLAN header with the I flag (and the port's VNI, if it has one)
 *	lose everything up to the inner Ethernet header; other frames are
 *	classified as they are.
 *
 * Flows, rules and chains then match the inner frame, NFs receive it
 * (%NFV_META_F_DECAP set) and it leaves the fabric as it is: decap is for
 * traffic that is not sent back, such as a mirror feeding passive
 * analysers.  A frame the fabric does not steer (to the kernel: PASS,
 * PARSE_ERR) gets its encapsulation back first.
 */
enum nfv_port_decap {
	NFV_PORT_DECAP_NONE,
	NFV_PORT_DECAP_VLAN,
	NFV_PORT_DECAP_VXLAN,
	__NFV_PORT_DECAP_MAX,
};

#define NFV_VXLAN_PORT_DEFAULT	4789	/* IANA */
#define NFV_VNI_MAX		0xffffff

enum nfv_port_decap_flags {
	NFV_PORT_DECAP_F_VNI	= 1 << 0,	/* decap only @vni */
};

enum nfv_hop_type {
	NFV_HOP_NONE,		/* end of chain: frame is dropped */
	NFV_HOP_SERVICE,	/* deliver to a replica of service @arg */
	NFV_HOP_OUT,		/* transmit on port id @arg */
	NFV_HOP_DROP,		/* return the frame */
	/*
	 * Give a read-only reference of the frame to a replica of service
	 * @arg (a passive analyser) and go on with the next hop at once; the
	 * frame is freed when the last holder is done.  Never the first hop.
	 */
	NFV_HOP_TAP,
	__NFV_HOP_TYPE_MAX,
};

struct nfv_hop {
	__u8  type;		/* enum nfv_hop_type */
	__u8  pad;
	__u16 arg;		/* service id or port id */
};

/* "nfv_chains": array indexed by chain id. */
struct nfv_chain {
	__u8  n_hops;		/* 0: slot unused */
	__u8  pad;
	__u16 flags;		/* NFV_CHAIN_F_* */
	struct nfv_hop hops[NFV_HOPS_MAX];
};

/*
 * "nfv_services": array indexed by service id.  @buckets maps
 * (flow hash % NFV_BUCKETS) to an NF id, so flows of a dead replica move
 * and all other flows stay where they are.  n_live == 0: no replica.
 */
struct nfv_service {
	__u16 n_live;
	__u16 gen;		/* bumped on every change */
	__u16 replicas[NFV_REPLICA_MAX];
	__u16 buckets[NFV_BUCKETS];
};

/* "nfv_flows": hash, exact match.  Unused fields are zero. */
struct nfv_flow_key {
	__u32 src[4];		/* IPv4 in src[0] */
	__u32 dst[4];
	__u16 sport;		/* network byte order */
	__u16 dport;		/* network byte order */
	__u16 in_port;		/* 0: any ingress port */
	__u8  proto;
	__u8  family;		/* AF_INET or AF_INET6 */
};

struct nfv_flow_val {
	__u16 chain;
	__u16 pad;
	__u32 pad2;
};

/*
 * "nfv_rules": array of NFV_PREFIX_RULES_MAX wildcard rules, scanned in
 * order (most specific first, kept so by the writer); a rule with
 * chain == 0 ends the list.
 */
struct nfv_prefix_rule {
	__u32 src[4];
	__u32 src_mask[4];
	__u32 dst[4];
	__u32 dst_mask[4];
	__u16 sport_lo, sport_hi;	/* host byte order, 0-0: any */
	__u16 dport_lo, dport_hi;
	__u16 in_port;			/* 0: any */
	__u8  proto;			/* 0: any */
	__u8  family;			/* 0: any */
	__u16 chain;
	__u16 pad;
};

/* "nfv_xdp_stats": per-CPU array indexed by port id, one counter each. */
enum nfv_xdp_counter {
	NFV_XDP_RX,		/* frames seen */
	NFV_XDP_PASS,		/* unconfigured: to the kernel */
	NFV_XDP_REDIRECT,	/* handed to an NF socket */
	NFV_XDP_FLOW_HIT,	/* classified by an exact flow */
	NFV_XDP_RULE_HIT,	/* classified by a prefix rule */
	NFV_XDP_DEFAULT_HIT,	/* classified by the port's default chain */
	NFV_XDP_PARSE_ERR,	/* truncated or malformed headers */
	NFV_XDP_NO_CHAIN,	/* chain id configured but chain missing */
	NFV_XDP_NO_REPLICA,	/* first service has no live replica */
	NFV_XDP_NO_SOCKET,	/* replica has no socket on this queue */
	NFV_XDP_META_ERR,	/* bpf_xdp_adjust_meta failed */
	NFV_XDP_HOP_OUT,	/* first hop is OUT: redirected to a port */
	NFV_XDP_HOP_DROP,	/* first hop is DROP */
	NFV_XDP_FAIL_CLOSED,	/* port down-state: dropped */
	NFV_XDP_DECAP,		/* encapsulation removed (decap port) */
	NFV_XDP_DECAP_ERR,	/* truncated or malformed encapsulation */
	__NFV_XDP_COUNTER_MAX,
};

struct nfv_xdp_stats {
	__u64 cnt[__NFV_XDP_COUNTER_MAX];
};

/*
 * "nfv_heartbeat": array of one.  nfvd (daemon backend) writes @ns, its
 * CLOCK_MONOTONIC time (bpf_ktime_get_ns()), every NFV_HEARTBEAT_PERIOD_MS;
 * a beat older than @timeout_ns means nfvd is gone, and every port then
 * follows its fail policy: NFV_PORT_F_FAIL_CLOSED drops (counted
 * NFV_XDP_FAIL_CLOSED), otherwise the frame goes to the kernel (PASS).
 * @ns == 0: nobody watches (a hand-attached program, nfv.ko): no policy.
 */
struct nfv_heartbeat {
	__u64 ns;
	__u64 timeout_ns;
};

#define NFV_HEARTBEAT_PERIOD_MS		50
#define NFV_HEARTBEAT_TIMEOUT_MS	500

/* ---- Flags ---- */

enum nfv_port_flags {
	NFV_PORT_F_GENERIC	= 1 << 0,	/* attached in generic (skb) mode */
	NFV_PORT_F_FAIL_CLOSED	= 1 << 1,	/* drop while nfvd is down */
	NFV_PORT_F_NOCSUM	= 1 << 2,	/* do not complete partial csums */
	/* ARP follows the port's default chain (for an ARP responder NF)
	 * instead of going to the kernel; other non-IP frames still do.
	 */
	NFV_PORT_F_STEER_ARP	= 1 << 3,
	__NFV_PORT_F_ALL	= (1 << 4) - 1,
};

enum nfv_chain_flags {
	NFV_CHAIN_F_NO_OVERRIDE	= 1 << 0,	/* NFs may not redirect */
	__NFV_CHAIN_F_ALL	= (1 << 1) - 1,
};

enum nfv_nf_flags {
	NFV_NF_F_BUSY_POLL	= 1 << 0,
	NFV_NF_F_READONLY	= 1 << 1,
	__NFV_NF_F_ALL		= (1 << 2) - 1,
};

/* ---- Generic netlink ---- */

/**
 * enum nfv_cmd - commands of the "nfv" family
 * @NFV_CMD_PORT_NEW: attach the classifier to a netdev.  Attrs: port set;
 *	%NFV_A_PORT_IFINDEX or %NFV_A_PORT_NAME required.
 * @NFV_CMD_PORT_DEL: detach.  Same lookup attributes.
 * @NFV_CMD_PORT_GET: dump ports (or one, by ifindex/name).
 * @NFV_CMD_CHAIN_NEW: create or replace a chain.  %NFV_A_CHAIN_ID and at
 *	least one %NFV_A_CHAIN_HOP required.
 * @NFV_CMD_CHAIN_DEL: %NFV_A_CHAIN_ID required.
 * @NFV_CMD_CHAIN_GET: dump chains (or one by id).
 * @NFV_CMD_FLOW_NEW: add a flow rule; %NFV_A_FLOW_CHAIN required.  Fully
 *	specified 5-tuples go to the exact table, others are prefix rules.
 * @NFV_CMD_FLOW_DEL: delete the rule with the same match.
 * @NFV_CMD_FLOW_GET: dump flow rules.
 * @NFV_CMD_NF_GET: dump NF instances.
 * @NFV_CMD_SERVICE_GET: dump services with their live replicas.
 * @NFV_CMD_STATS_GET: fabric counters (one reply).
 * @NFV_CMD_NF_ATTACH: (nfvd socket only) an NF registers; reply carries
 *	its id and, as SCM_RIGHTS, the fds listed in NFV_A_NF_FDS.
 * @NFV_CMD_NF_READY: (nfvd socket only) the NF mapped its rings.
 * @NFV_CMD_NF_EVENT: notification on "events": NF up/down.
 * @NFV_CMD_PORT_EVENT: notification on "events": port added/removed.
 * @NFV_CMD_CHAIN_EVENT: notification on "events": chain changed.
 * @NFV_CMD_NF_SOCKET: (nfvd socket only) a new AF_XDP socket for an NF,
 *	sent to it when a port is added after it attached.
 * @NFV_CMD_MAPS_SET: (nfv.ko only) hand the loaded XDP program's maps to
 *	the module, which becomes their only writer and fills them with its
 *	tables at once.  Attrs: maps set, fds of the caller.  The binding
 *	ends when the caller's netlink socket closes or another MAPS_SET
 *	replaces it.
 * @NFV_CMD_MAPS_GET: (nfv.ko only) the ids of the bound maps.
 */
enum nfv_cmd {
	NFV_CMD_UNSPEC,
	NFV_CMD_PORT_NEW,
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
	__NFV_CMD_MAX,
};
#define NFV_CMD_MAX (__NFV_CMD_MAX - 1)

/**
 * enum nfv_port_attr - port attribute set (PORT_* commands)
 * @NFV_A_PORT_IFINDEX: u32, netdev in the fabric's netns (lookup key).
 * @NFV_A_PORT_NAME: string, netdev name (lookup key if no ifindex).
 * @NFV_A_PORT_ID: u16, fabric port id; always present in replies.
 * @NFV_A_PORT_MODE: u8, enum nfv_port_mode; default native.
 * @NFV_A_PORT_DEFAULT_CHAIN: u16, 0..NFV_CHAIN_MAX; 0 = none.
 * @NFV_A_PORT_FLAGS: u32, NFV_PORT_F_*; unknown bits: -EOPNOTSUPP.
 * @NFV_A_PORT_QUEUES: u32, rx queues served; replies only.
 * @NFV_A_PORT_STATS: nest of nfv_xdp_counter + 1 (u64 each); replies only.
 * @NFV_A_PORT_PAD: padding.
 * @NFV_A_PORT_REMOVED: flag; PORT_EVENT only: the port is gone (netdev
 *	removed or PORT_DEL).  Absent: the port was added or changed.
 * @NFV_A_PORT_DECAP: u8, enum nfv_port_decap; default none.  Always
 *	present in replies.
 * @NFV_A_PORT_VXLAN_PORT: u16 (host order) 1..65535, the UDP port of
 *	VXLAN; only with decap vxlan (else -EINVAL); default
 *	%NFV_VXLAN_PORT_DEFAULT.  In replies with decap vxlan.
 * @NFV_A_PORT_VNI: u32 0..%NFV_VNI_MAX: decapsulate only this VNI (the
 *	others are classified as they are); only with decap vxlan (else
 *	-EINVAL); absent: any VNI.  In replies when set.
 */
enum nfv_port_attr {
	NFV_A_PORT_UNSPEC,
	NFV_A_PORT_IFINDEX,
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
	__NFV_A_PORT_MAX,
};
#define NFV_A_PORT_MAX (__NFV_A_PORT_MAX - 1)

enum nfv_port_mode {
	NFV_PORT_MODE_NATIVE,
	NFV_PORT_MODE_GENERIC,
	__NFV_PORT_MODE_MAX,
};

/**
 * enum nfv_chain_attr - chain attribute set (CHAIN_* commands)
 * @NFV_A_CHAIN_ID: u16 1..NFV_CHAIN_MAX; required.
 * @NFV_A_CHAIN_HOP: nest (enum nfv_hop_attr), multi-attr, in order,
 *	1..NFV_HOPS_MAX of them.
 * @NFV_A_CHAIN_FLAGS: u32, NFV_CHAIN_F_*.
 */
enum nfv_chain_attr {
	NFV_A_CHAIN_UNSPEC,
	NFV_A_CHAIN_ID,
	NFV_A_CHAIN_HOP,
	NFV_A_CHAIN_FLAGS,
	__NFV_A_CHAIN_MAX,
};
#define NFV_A_CHAIN_MAX (__NFV_A_CHAIN_MAX - 1)

/**
 * enum nfv_hop_attr - one hop of a chain
 * @NFV_A_HOP_TYPE: u8, enum nfv_hop_type (SERVICE, OUT, DROP or TAP);
 *	required.
 * @NFV_A_HOP_SERVICE: u16 service id; required for SERVICE and TAP.
 * @NFV_A_HOP_IFINDEX: u32 port netdev; required for OUT (must be a port).
 * @NFV_A_HOP_PORT: u16 port id; replies only.
 */
enum nfv_hop_attr {
	NFV_A_HOP_UNSPEC,
	NFV_A_HOP_TYPE,
	NFV_A_HOP_SERVICE,
	NFV_A_HOP_IFINDEX,
	NFV_A_HOP_PORT,
	__NFV_A_HOP_MAX,
};
#define NFV_A_HOP_MAX (__NFV_A_HOP_MAX - 1)

/**
 * enum nfv_flow_attr - flow rule attribute set (FLOW_* commands)
 * @NFV_A_FLOW_IN_IFINDEX: u32, ingress port netdev; absent = any.
 * @NFV_A_FLOW_PROTO: u8 IP protocol; absent = any.
 * @NFV_A_FLOW_FAMILY: u8 AF_INET/AF_INET6; implied by SRC/DST.
 * @NFV_A_FLOW_SRC: binary, 4 or 16 bytes.
 * @NFV_A_FLOW_SRC_PLEN: u8 prefix length; absent = full length.
 * @NFV_A_FLOW_DST: binary, 4 or 16 bytes.
 * @NFV_A_FLOW_DST_PLEN: u8 prefix length; absent = full length.
 * @NFV_A_FLOW_SPORT: u16 (host order) low end of the source port range.
 * @NFV_A_FLOW_SPORT_MAX: u16 high end; absent = SPORT.
 * @NFV_A_FLOW_DPORT: u16 (host order) low end of the dest port range.
 * @NFV_A_FLOW_DPORT_MAX: u16 high end; absent = DPORT.
 * @NFV_A_FLOW_CHAIN: u16 chain id; required for NEW.
 * @NFV_A_FLOW_EXACT: flag; replies only: the rule is in the exact table.
 */
enum nfv_flow_attr {
	NFV_A_FLOW_UNSPEC,
	NFV_A_FLOW_IN_IFINDEX,
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
	__NFV_A_FLOW_MAX,
};
#define NFV_A_FLOW_MAX (__NFV_A_FLOW_MAX - 1)

/**
 * enum nfv_nf_attr - NF instance attribute set
 * @NFV_A_NF_ID: u16 instance id; always present in replies.
 * @NFV_A_NF_SERVICE: u16 service id; required for ATTACH.
 * @NFV_A_NF_NAME: string < NFV_NAME_LEN.
 * @NFV_A_NF_PID: u32.
 * @NFV_A_NF_FLAGS: u32 NFV_NF_F_*.
 * @NFV_A_NF_RX: u64 frames received.
 * @NFV_A_NF_TX: u64 frames sent out of a port.
 * @NFV_A_NF_DROP: u64 frames dropped by the NF or its actions.
 * @NFV_A_NF_NEXT: u64 frames handed to another NF.
 * @NFV_A_NF_BAD_DESC: u64 bogus descriptors from this NF (counted by nfvd).
 * @NFV_A_NF_STATE: u8 enum nfv_nf_state.
 * @NFV_A_NF_FDS: nest of u32 fd roles (enum nfv_fd_role), in the order of
 *	the SCM_RIGHTS array; ATTACH and SOCKET replies only.
 * @NFV_A_NF_SOCK: nest (enum nfv_sock_attr), multi-attr: the NF's AF_XDP
 *	sockets, in SCM_RIGHTS order after the fds of NFV_A_NF_FDS.
 * @NFV_A_NF_FRAMES: u32 UMEM frames; ATTACH reply.
 * @NFV_A_NF_FRAME_SIZE: u32; ATTACH reply.
 * @NFV_A_NF_HELD: u32 frames charged to the NF now by nfvd's ledger (held,
 *	on lanes to it, tap references; not those it transmits); replies.
 * @NFV_A_NF_BATCH: u32 batch size asked for; ATTACH.
 * @NFV_A_NF_DOORBELL: u32 generation of NF @NFV_A_NF_ID whose doorbell
 *	eventfd and segment the asking NF wants (GET on the nfvd socket
 *	only, granted when the chains connect the two NFs); the reply
 *	carries both as SCM_RIGHTS: the eventfd, then the sealed segment.
 * @NFV_A_NF_RING_FULL: u64 frames dropped: next lane or tx ring full.
 * @NFV_A_NF_NO_REPLICA: u64 frames dropped: next service had no replica.
 * @NFV_A_NF_OVERRIDE_DENIED: u64 overrides refused by the chain.
 * @NFV_A_NF_CSUM_FIXED: u64 partial checksums completed.
 * @NFV_A_NF_TAP_OVERFLOW: u64 tap references not given: tap lane full.
 * @NFV_A_NF_PAD: padding.
 * @NFV_A_NF_LOOP_DROP: u64 frames dropped: move budget spent (NF's count).
 * @NFV_A_NF_OVERRUN: u64 frames not handed to an NF over its frame budget.
 * @NFV_A_NF_REFUSED: u64 custody log entries of this NF that nfvd
 *	refused (a frame it did not hold, a peer it cannot reach...).
 * @NFV_A_NF_BUDGET: u32 frames this NF may hold before it gets no more.
 * @NFV_A_NF_BUDGET_HITS: u64 times nfvd found it over its budget.
 */
enum nfv_nf_attr {
	NFV_A_NF_UNSPEC,
	NFV_A_NF_ID,
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
	__NFV_A_NF_MAX,
};
#define NFV_A_NF_MAX (__NFV_A_NF_MAX - 1)

enum nfv_nf_state {
	NFV_NF_STATE_NONE,	/* slot unused */
	NFV_NF_STATE_ATTACHING,	/* fds sent, rings not mapped yet */
	NFV_NF_STATE_UP,	/* in its service's replica set */
	NFV_NF_STATE_DEAD,	/* gone; frames being reclaimed */
};

/* Roles of the fds passed to an NF at attach. */
enum nfv_fd_role {
	NFV_FD_UMEM,		/* memfd: the shared UMEM (read-only open for
				 * a read-only NF)
				 */
	NFV_FD_TABLES,		/* memfd: read-only tables (shm.h), sealed */
	NFV_FD_SEG,		/* memfd: this NF's own segment (shm.h), which
				 * nfvd seals at READY: only this NF writes it
				 */
	NFV_FD_DOORBELL,	/* eventfd: written to wake this NF */
	NFV_FD_NFVD_DOORBELL,	/* eventfd: written to wake nfvd */
	/*
	 * The NF's open file of /dev/nfv (kernel backend only, optional):
	 * nfvd opened it and attached the NF with it; the NF keeps it open
	 * for its lifetime, so that its death, of any kind, is the file's
	 * last close.
	 */
	NFV_FD_NF_DEV,
	__NFV_FD_MAX,
};

/**
 * enum nfv_sock_attr - one AF_XDP socket passed to an NF
 * @NFV_A_SOCK_PORT: u16 port id.
 * @NFV_A_SOCK_QUEUE: u16 rx queue.
 * @NFV_A_SOCK_IFINDEX: u32.
 * @NFV_A_SOCK_RX_SIZE: u32 rx ring entries.
 * @NFV_A_SOCK_TX_SIZE: u32 tx ring entries.
 */
enum nfv_sock_attr {
	NFV_A_SOCK_UNSPEC,
	NFV_A_SOCK_PORT,
	NFV_A_SOCK_QUEUE,
	NFV_A_SOCK_IFINDEX,
	NFV_A_SOCK_RX_SIZE,
	NFV_A_SOCK_TX_SIZE,
	__NFV_A_SOCK_MAX,
};
#define NFV_A_SOCK_MAX (__NFV_A_SOCK_MAX - 1)

/**
 * enum nfv_service_attr - service attribute set (SERVICE_GET)
 * @NFV_A_SERVICE_ID: u16.
 * @NFV_A_SERVICE_REPLICA: u16 NF id, multi-attr, live replicas in order.
 */
enum nfv_service_attr {
	NFV_A_SERVICE_UNSPEC,
	NFV_A_SERVICE_ID,
	NFV_A_SERVICE_REPLICA,
	__NFV_A_SERVICE_MAX,
};
#define NFV_A_SERVICE_MAX (__NFV_A_SERVICE_MAX - 1)

/**
 * enum nfv_stats_attr - fabric counters (STATS_GET reply)
 * @NFV_A_STATS_FRAMES_TOTAL: u32 frames in the UMEM.
 * @NFV_A_STATS_FRAMES_FREE: u32 frames on nfvd's free list.
 * @NFV_A_STATS_FRAMES_FILL: u32 frames given to the kernel (fill rings).
 * @NFV_A_STATS_FRAMES_INFLIGHT: u32 frames held by NFs, rings or kernel:
 *	the sum of KERNEL, HELD, TRANSIT, TX and TAPPED.
 * @NFV_A_STATS_BAD_DESC: u64 bogus descriptors seen from all NFs.
 * @NFV_A_STATS_RECLAIMED: u64 frames reclaimed from dead NFs.
 * @NFV_A_STATS_PORT: nest (port set), multi-attr.
 * @NFV_A_STATS_NF: nest (nf set), multi-attr.
 * @NFV_A_STATS_BACKEND: string "daemon" or "kernel".
 * @NFV_A_STATS_PAD: padding.
 * @NFV_A_STATS_FRAMES_KERNEL: u32 frames the kernel took from a fill ring
 *	that no NF has taken yet (in an rx ring).
 * @NFV_A_STATS_FRAMES_HELD: u32 frames NFs hold (nfvd's ledger).
 * @NFV_A_STATS_FRAMES_TRANSIT: u32 frames on NF->NF lanes.
 * @NFV_A_STATS_FRAMES_TX: u32 frames on tx rings, not completed yet.
 * @NFV_A_STATS_FRAMES_TAPPED: u32 frames done with but for tap references.
 * @NFV_A_STATS_REFUSED: u64 custody log entries refused, all NFs.
 * @NFV_A_STATS_FORGED_TX: u64 completions of frames nobody was sending.
 * @NFV_A_STATS_LOOP_DROP: u64 moves refused: move budget spent.
 */
enum nfv_stats_attr {
	NFV_A_STATS_UNSPEC,
	NFV_A_STATS_FRAMES_TOTAL,
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
	__NFV_A_STATS_MAX,
};
#define NFV_A_STATS_MAX (__NFV_A_STATS_MAX - 1)

/**
 * enum nfv_maps_attr - the XDP program's maps (MAPS_SET, MAPS_GET)
 *
 * Each attribute names one map of bpf/maps.h.  In MAPS_SET it is a file
 * descriptor of the caller; in MAPS_GET replies it is the map's id.  The
 * module checks type, key and value size and the number of entries
 * against the layouts of this header before it takes any of them.
 *
 * @NFV_A_MAPS_PORTS: u32, "nfv_ports"; required.
 * @NFV_A_MAPS_CHAINS: u32, "nfv_chains"; required.
 * @NFV_A_MAPS_SERVICES: u32, "nfv_services"; required.
 * @NFV_A_MAPS_FLOWS: u32, "nfv_flows"; required.  Its max_entries is the
 *	exact flow table's size.
 * @NFV_A_MAPS_RULES: u32, "nfv_rules"; required.
 * @NFV_A_MAPS_DEVMAP: u32, "nfv_devmap"; optional.
 * @NFV_A_MAPS_STATS: u32, "nfv_xdp_stats"; optional (read for port stats).
 */
enum nfv_maps_attr {
	NFV_A_MAPS_UNSPEC,
	NFV_A_MAPS_PORTS,
	NFV_A_MAPS_CHAINS,
	NFV_A_MAPS_SERVICES,
	NFV_A_MAPS_FLOWS,
	NFV_A_MAPS_RULES,
	NFV_A_MAPS_DEVMAP,
	NFV_A_MAPS_STATS,
	__NFV_A_MAPS_MAX,
};
#define NFV_A_MAPS_MAX (__NFV_A_MAPS_MAX - 1)

/*
 * ---- NF registration with nfv.ko: the misc device /dev/nfv ----
 *
 * One open file is one NF.  NFV_IOC_ATTACH gives it an id (state
 * ATTACHING); NFV_IOC_READY puts it in its service's replica set (UP).
 * The last close of the file, a crash included, takes it out of the
 * replica set at once and announces NFV_CMD_NF_EVENT with state DEAD on
 * "events" once no XDP program can still steer to it.  nfvd may open the
 * device for an NF, pass the fd and close its own copy.
 */
#define NFV_DEV_NAME		"nfv"

struct nfv_dev_attach {
	__u16 service;			/* in: 1..NFV_SERVICE_MAX */
	__u16 id;			/* out: the NF's id */
	__u32 flags;			/* in: NFV_NF_F_*; others: EOPNOTSUPP */
	__u32 pid;			/* in: the NF's pid; 0: the caller */
	__u32 pad;			/* must be 0 */
	char  name[NFV_NAME_LEN];	/* in: NUL-terminated, may be empty */
};

#define NFV_IOC_MAGIC		0xf5
#define NFV_IOC_ATTACH		_IOWR(NFV_IOC_MAGIC, 1, struct nfv_dev_attach)
#define NFV_IOC_READY		_IO(NFV_IOC_MAGIC, 2)

#endif /* _UAPI_LINUX_NFV_H */
