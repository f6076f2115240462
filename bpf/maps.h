/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps of nfv_xdp.  Names are part of the contract: nfvd (and nfv.ko's
 * loader) open them by name with libbpf, may resize nfv_flows with
 * bpf_map__set_max_entries() before load, and are the only writers.  The
 * value layouts are those of uapi/linux/nfv.h; nothing is redefined here.
 *
 * Include once, from the program that owns the maps.
 */
#ifndef __NFV_BPF_MAPS_H
#define __NFV_BPF_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <linux/nfv.h>

/* ifindex -> port; an ifindex that is not here is not a fabric port. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFV_PORT_MAX);
	__type(key, __u32);
	__type(value, struct nfv_port_cfg);
} nfv_ports SEC(".maps");

/* Chain id -> chain; slot 0 is never used (id 0 means "none"). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFV_CHAIN_MAX + 1);
	__type(key, __u32);
	__type(value, struct nfv_chain);
} nfv_chains SEC(".maps");

/* Service id -> live replicas and the bucket table that picks one. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFV_SERVICE_MAX + 1);
	__type(key, __u32);
	__type(value, struct nfv_service);
} nfv_services SEC(".maps");

/*
 * Exact 5-tuple rules.  Not preallocated: the table may be resized to
 * millions of entries and must cost memory only for what is in it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFV_FLOWS_DEFAULT);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nfv_flow_key);
	__type(value, struct nfv_flow_val);
} nfv_flows SEC(".maps");

/* Wildcard rules, scanned in order; chain == 0 ends the list. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFV_PREFIX_RULES_MAX);
	__type(key, __u32);
	__type(value, struct nfv_prefix_rule);
} nfv_rules SEC(".maps");

/* NFV_XSK_SLOT(nf, port, queue) -> that NF's socket on (port, queue). */
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, NFV_XSK_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} nfv_xsks SEC(".maps");

/* Port id -> ifindex, for chains whose first hop is OUT. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, NFV_PORT_MAX);
	__type(key, __u32);
	__type(value, __u32);
} nfv_devmap SEC(".maps");

/* Port id -> counters (enum nfv_xdp_counter); id 0: unknown ifindex. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NFV_PORT_MAX);
	__type(key, __u32);
	__type(value, struct nfv_xdp_stats);
} nfv_xdp_stats SEC(".maps");

/*
 * Flows offloaded by their NFs' verdicts: (in_port, 5-tuple) -> out port
 * and counters, per CPU (no atomic and no clock per frame).  nfvd adds
 * and removes; the classifier counts and marks a flow ended.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, NFV_OFFLOAD_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nfv_flow_key);
	__type(value, struct nfv_offload_val);
} nfv_offload SEC(".maps");

/* Key 0: entries in nfv_offload (0: no lookup at all). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} nfv_offload_on SEC(".maps");

/* Ports' segmenters, by ifindex (struct nfv_seg). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * NFV_SEGS_MAX);
	__type(key, __u32);
	__type(value, struct nfv_seg);
} nfv_segs SEC(".maps");

/* Key 0: nfvd's last beat and the timeout (struct nfv_heartbeat). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nfv_heartbeat);
} nfv_heartbeat SEC(".maps");

#endif /* __NFV_BPF_MAPS_H */
