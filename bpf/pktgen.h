/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by bpf/pktgen.bpf.c and tools/nfv-pktgen. */
#ifndef __NFV_PKTGEN_H
#define __NFV_PKTGEN_H

#include <linux/types.h>

#define PKTGEN_MAGIC		0x4e465650	/* "PVFN" on the wire */
#define PKTGEN_HIST_BUCKETS	8192
#define PKTGEN_HIST_NS		1000		/* 1 us per bucket */
/*
 * The sink's record of sequence numbers seen, to count duplicates: one
 * bit per number, 2^25 per generating CPU (the sequence space's top
 * bits), for the first PKTGEN_SEEN_SPACES CPUs; 16 MB.  Past 2^25 frames
 * of one CPU a number's bit is one of an earlier number's: such long
 * runs count duplicates falsely, and say so (nfv-pktgen sink).
 */
#define PKTGEN_SEEN_BITS_LOG	25
#define PKTGEN_SEEN_SPACES	4
#define PKTGEN_SEEN_WORDS	(PKTGEN_SEEN_SPACES << (PKTGEN_SEEN_BITS_LOG - 6))

struct pktgen_payload {
	__u32 magic;
	__u64 seq;
	__u64 ts;
} __attribute__((packed));

/*
 * Flows: up to 65535 are source ports sport..sport+flows-1; more (up to
 * PKTGEN_FLOWS_MAX) are PKTGEN_PORTS_WIDE ports each on consecutive
 * source addresses from saddr (flow i: port sport + i % PORTS_WIDE,
 * address saddr + i / PORTS_WIDE).
 */
#define PKTGEN_FLOWS_MAX	(1u << 24)
#define PKTGEN_PORTS_WIDE	16384

struct pktgen_cfg {
	__u32 flows;		/* gen: see above */
	__u16 sport;
	__u16 dport;		/* sink: counts this UDP port only */
	__u64 interval_ns;	/* gen: pacing, 0: flat out */
	__u64 max_packets;	/* gen: in all, 0: no limit */
	__u64 claimed;		/* gen: frames counted against max_packets */
	__u32 saddr;		/* gen: the template's source, network order */
};

struct pktgen_stats {
	__u64 packets;
	__u64 bytes;
	__u64 seq;		/* gen */
	__u64 last_seq;		/* sink */
	__u64 reordered;	/* sink */
	__u64 next_ns;		/* gen: pacing */
	__u64 dups;		/* sink: sequence numbers seen before */
	__u64 max_seq;		/* sink: highest number of a CPU seen */
};

#endif /* __NFV_PKTGEN_H */
