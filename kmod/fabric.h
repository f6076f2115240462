/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One fabric per network namespace: its ports, chains, services, flow
 * rules, NFs and the XDP program's maps it writes.  Every other file of
 * nfv.ko works on a struct nfv_fabric.
 */
#ifndef _NFV_FABRIC_H
#define _NFV_FABRIC_H

#include <linux/bpf.h>
#include <linux/if.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <linux/nfv.h>

/* A fabric port: a netdev whose traffic the classifier steers. */
struct nfv_port {
	u16 id;				/* 1..NFV_PORT_MAX-1; 0: slot unused */
	u8 mode;			/* enum nfv_port_mode */
	u16 default_chain;
	u32 flags;			/* NFV_PORT_F_* */
	u32 queues;			/* rx queues served */
	u8 decap;			/* enum nfv_port_decap */
	bool has_vni;			/* vxlan: only @vni */
	u16 vxlan_port;			/* vxlan: host order */
	u32 vni;
	int ifindex;
	char name[IFNAMSIZ];
};

/* The XDP program's maps, bound by NFV_CMD_MAPS_SET; all NULL if not. */
struct nfv_maps {
	struct bpf_map *ports;
	struct bpf_map *chains;
	struct bpf_map *services;
	struct bpf_map *flows;
	struct bpf_map *rules;
	struct bpf_map *devmap;		/* optional */
	struct bpf_map *stats;		/* optional */
};

/* Exact flows and prefix rules, in the order they were added. */
struct nfv_flows {
	struct hlist_head *hash;	/* by match, NFV_FLOW_HASH_SIZE */
	struct xarray order;		/* insertion index -> struct nfv_flow */
	u32 next_index;
	u32 n_exact;
	u32 n_rules;
	u32 max_exact;			/* the flows map's size, if bound */
};

struct nfv_nf;

/**
 * struct nfv_fabric - the state of one network namespace
 *
 * DOC: Locking
 *
 * @lock serialises every writer: netlink handlers, the release of an NF's
 * file, the netdev notifier.  Everything below it is read and written
 * under it, the maps included, so the module is their only writer and
 * writes them in the same order as its own tables (map first: a refused
 * map write leaves both unchanged).  RTNL nests outside @lock, never
 * inside (port add takes RTNL to resolve the netdev, then @lock).  The XDP
 * program reads the maps under RCU; whoever must know that no program
 * still sees an old entry (NF removal) waits with synchronize_net().
 */
struct nfv_fabric {
	struct mutex lock;		/* see DOC: Locking above */
	bool alive;			/* false once the netns is going away */
	struct net *net;
	u32 gen;			/* bumped on every change, for dumps */
	struct nfv_port ports[NFV_PORT_MAX];
	struct nfv_chain *chains;	/* [NFV_CHAIN_MAX + 1] */
	struct nfv_service *services;	/* [NFV_SERVICE_MAX + 1] */
	struct nfv_flows flows;
	struct nfv_nf *nfs[NFV_NF_MAX];	/* by id; [0] unused */
	u16 nf_last;			/* last id handed out (round robin) */
	struct nfv_maps maps;
	u32 maps_portid;		/* netlink port of the MAPS_SET caller */
};

struct nfv_fabric *nfv_fabric(struct net *net);
int nfv_fabric_init(void);
void nfv_fabric_uninit(void);

/* Called with fab->lock held, after every change a dump could see. */
static inline void nfv_fabric_changed(struct nfv_fabric *fab)
{
	lockdep_assert_held(&fab->lock);
	fab->gen++;
}

#endif /* _NFV_FABRIC_H */
