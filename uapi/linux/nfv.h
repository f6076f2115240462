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
#include <linux/nfv_genl.h>	/* the genl family, generated */

/*
 * Limits.  Ids are 1-based; 0 always means "none".  Those a netlink
 * attribute carries (NFV_SERVICE_MAX, NFV_CHAIN_MAX, NFV_HOPS_MAX,
 * NFV_REPLICA_MAX, NFV_NF_MAX, NFV_PORT_MAX, NFV_NAME_LEN, NFV_VNI_MAX,
 * NFV_VXLAN_PORT_DEFAULT) are in the spec, hence in <linux/nfv_genl.h>.
 */
#define NFV_BUCKETS		64	/* replica buckets per service */
#define NFV_QUEUE_MAX		4	/* rx queues served per port */
#define NFV_PREFIX_RULES_MAX	64	/* wildcard (prefix) flow rules */
#define NFV_FLOWS_DEFAULT	65536	/* exact flow table entries */
#define NFV_FLOWS_MAX		(4 << 20) /* configurable up to 4M */

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
	 * VLAN id (12 bits) of the tag, the VNI (24 bits) of the VXLAN
	 * header, or (NFV_META_F_NSH) the NSH service path header: SPI << 8
	 * | SI, so that an analyser tells tenants apart.  0 otherwise.
	 */
	__u32 decap_id;
	/*
	 * With NFV_META_F_NSH: the TTL of the NSH header removed.  An nsh
	 * hop sends the frame on with this TTL - 1 and SI (decap_id's low
	 * byte) minus the hops done here; without the flag, TTL 63 and SI
	 * 255 minus the hops done (libnfv, nfv_nsh.h).
	 */
	__u8  nsh_ttl;
	__u8  pad[3];
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
	/*
	 * With NFV_META_F_DECAP: what was removed was Ethernet + NSH (a
	 * decap nsh port); decap_id and nsh_ttl say which path and where.
	 */
	NFV_META_F_NSH		= 1 << 4,
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

enum nfv_port_decap_flags {
	NFV_PORT_DECAP_F_VNI	= 1 << 0,	/* decap only @vni */
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
	__u32 nsh_spi;		/* SPI of the chain's nsh hop (its last) */
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

/*
 * @used: set to 1 by the classifier when a frame matched the entry and it
 * was 0; nfvd, which writes 0 with the entry, clears it again as it
 * sweeps rules with an idle timeout (one write per sweep, none per
 * frame while it is set).
 */
struct nfv_flow_val {
	__u16 chain;
	__u8  used;
	__u8  pad;
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
	__u8  nsh;			/* NFV_RULE_NSH_*: 0, not NSH frames */
	__u8  si;			/* with NFV_RULE_NSH_SI */
	__u32 spi;			/* with NFV_RULE_NSH_SPI */
};

/*
 * A rule with NFV_RULE_NSH_SPI matches only frames a decap nsh port took
 * out of NSH with that SPI (and SI, with NFV_RULE_NSH_SI); one without it
 * matches only frames that did not come in NSH.
 */
enum {
	NFV_RULE_NSH_SPI	= 1 << 0,
	NFV_RULE_NSH_SI		= 1 << 1,
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
	NFV_XDP_OFFLOAD,	/* offloaded flow: to the port's TC redirect */
	NFV_XDP_OFFLOAD_END,	/* FIN or RST of an offloaded flow seen */
	NFV_XDP_NSH_DROP,	/* decap nsh: malformed, TTL 0 or SI 0 */
	NFV_XDP_SEGMENT,	/* GSO super-frame: to the port's segmenter */
	__NFV_XDP_COUNTER_MAX,
};

/*
 * Counter @i is attribute nfv_xdp_cnt_attr(i) of a port's STATS nest
 * (enum nfv_xdp_cnt_attrs, <linux/nfv_genl.h>): i + 1, but for those
 * added after the nest's PAD attribute, which keep its number out.
 */
#define NFV_XDP_CNT_ATTR(i)	((i) + 1 + ((i) >= NFV_XDP_OFFLOAD))

struct nfv_xdp_stats {
	__u64 cnt[__NFV_XDP_COUNTER_MAX];
};

/*
 * "nfv_offload": per-CPU hash, flows an NF chain is done with (verdict
 * offload, docs/design.md "Offloaded flows").  Key: struct nfv_flow_key
 * with @in_port the ingress port id, never 0.  Written by nfvd, which
 * alone adds and removes entries (every CPU's copy alike); the classifier
 * counts into its CPU's @packets and @bytes, and sets its CPU's @ended on
 * a TCP FIN or RST: that frame takes the chain (the NFs see the flow
 * close), and so does every later one on that CPU, until nfvd, which
 * sums the copies, removes the entry.  No clock is read per frame: nfvd
 * finds a flow idle when its counters stop moving.
 */
struct nfv_offload_val {
	__u64 packets;		/* frames forwarded port to port */
	__u64 bytes;		/* their bytes, up to the end of IP */
	__u32 out_ifindex;	/* where the TC program redirects */
	__u16 out_port;		/* port id of @out_ifindex */
	__u8  ended;		/* FIN or RST seen: classify again */
	__u8  pad;
};

/*
 * "nfv_offload_on": array of one __u32, the number of entries nfvd has
 * in "nfv_offload": 0 spares every frame the lookup.
 */
#define NFV_OFFLOAD_MAX		16384

/*
 * What the classifier puts in front of a frame of an offloaded flow it
 * passes (XDP_PASS): the port's TC ingress program ("nfv_tc") redirects
 * it to @out_ifindex.  Only the classifier writes a fabric port's
 * metadata, so a frame that reaches TC with it was offloaded by it
 * (GRO merges frames with equal metadata only).
 */
struct nfv_offload_meta {
	__u32 magic;		/* NFV_OFFLOAD_MAGIC */
	__u32 out_ifindex;
};

#define NFV_OFFLOAD_MAGIC	0x6e66766fU	/* "nfvo" */

/*
 * "nfv_segs": hash by ifindex, written by nfvd alone (both backends).
 * A generic-mode port keeps its veth peer's TSO, so its classifier sees
 * GSO super-frames (up to 64 KB) that no NF socket frame holds.  nfvd
 * gives such a port a segmenter: a veth pair of its own, whose entry end
 * the port's entry names (@role NFV_SEG_PORT, @ifindex that end, @above
 * the longest frame an NF socket takes).  A longer frame bound for an NF
 * is passed with struct nfv_offload_meta naming that end, and nfv_tc
 * redirects it there; the pair's other end has the classifier in native
 * mode, which takes its peer's TSO away, so the kernel cuts the frame
 * into segments on the way.  That end's entry (@role NFV_SEG_DEV)
 * names the port (@ifindex) and the port's queue whose sockets it feeds
 * (@queue): its frames are classified as the port's, and reach the NFs'
 * sockets of that queue, bound to it (docs/design.md, "Super-frames").
 */
enum nfv_seg_role {
	NFV_SEG_PORT = 1,
	NFV_SEG_DEV,
};

struct nfv_seg {
	__u32 ifindex;		/* PORT: the segmenter's entry; DEV: the port */
	__u16 above;		/* PORT: longer frames are segmented */
	__u8  queue;		/* DEV: the port's queue it serves */
	__u8  role;		/* enum nfv_seg_role */
};

#define NFV_SEGS_MAX		NFV_PORT_MAX

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

/*
 * ---- Generic netlink ----
 *
 * The family "nfv" (commands, attribute sets, their enums and flags, the
 * limits they carry) is <linux/nfv_genl.h>, generated from uapi/nfv.yaml
 * by the kernel's ynl-gen-c ("make regen"); its doc: says what each
 * attribute is, when it is required and when it is only in replies.
 * Names that header does not spell the way this one always did:
 */
#define __NFV_HOP_TYPE_MAX	__NFV_HOP_MAX
#define __NFV_PORT_F_ALL	NFV_PORT_F_MASK
#define __NFV_CHAIN_F_ALL	NFV_CHAIN_F_MASK
#define __NFV_NF_F_ALL		NFV_NF_F_MASK
#define NFV_CMD_UNSPEC		0
#define NFV_A_PORT_UNSPEC	0
#define NFV_A_CHAIN_UNSPEC	0
#define NFV_A_HOP_UNSPEC	0
#define NFV_A_FLOW_UNSPEC	0
#define NFV_A_NF_UNSPEC		0
#define NFV_A_SOCK_UNSPEC	0
#define NFV_A_SERVICE_UNSPEC	0
#define NFV_A_STATS_UNSPEC	0
#define NFV_A_MAPS_UNSPEC	0

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
