// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-pktgen's two XDP programs.
 *
 * pktgen_tx runs under BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES: the
 * kernel hands it copies of a template frame and transmits what it
 * returns XDP_TX for, out of the device given as ingress ifindex.  It
 * stamps a sequence number and a timestamp into the payload and spreads
 * frames over N flows by source port (and, past 65535, source address).
 *
 * pktgen_sink is attached to the receiving device: it counts frames of
 * the generator's UDP port, checks sequence order, counts sequence
 * numbers it has seen before (duplicates), builds a latency histogram
 * from the timestamps (one clock: same machine), and drops them;
 * everything else passes.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "pktgen.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pktgen_cfg);
} pktgen_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pktgen_stats);
} pktgen_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PKTGEN_HIST_BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} pktgen_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PKTGEN_SEEN_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} pktgen_seen SEC(".maps");

struct frame {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	struct pktgen_payload pl;
} __attribute__((packed));

/* A new source address and the header checksum computed anew. */
static __always_inline void set_saddr(void *hdr, __u32 saddr)
{
	struct iphdr *ip = hdr;
	__u16 *w = hdr;
	__u32 sum = 0;
	int i;

	ip->saddr = saddr;
	ip->check = 0;
#pragma unroll
	for (i = 0; i < 10; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ip->check = (__u16)~sum;
}

SEC("xdp")
int pktgen_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct frame *f = data;
	struct pktgen_stats *st;
	struct pktgen_cfg *cfg;
	__u32 zero = 0;
	__u64 seq;

	if ((void *)(f + 1) > data_end)
		return XDP_ABORTED;
	cfg = bpf_map_lookup_elem(&pktgen_cfg, &zero);
	st = bpf_map_lookup_elem(&pktgen_stats, &zero);
	if (!cfg || !st)
		return XDP_ABORTED;
	/*
	 * Pacing: BPF_PROG_RUN costs an RCU grace period per call, so the
	 * rate is kept here, frame by frame: frames ahead of schedule are
	 * dropped before they cost a transmit.
	 */
	if (cfg->interval_ns) {
		__u64 now = bpf_ktime_get_ns();

		if (now < st->next_ns)
			return XDP_DROP;
		st->next_ns += cfg->interval_ns;
		if (st->next_ns + 1000000 < now)
			st->next_ns = now;	/* we fell behind: no burst */
	}
	/* The count is global: the generator may move between CPUs. */
	if (cfg->max_packets &&
	    __sync_fetch_and_add(&cfg->claimed, 1) >= cfg->max_packets)
		return XDP_DROP;
	/* Per-CPU sequence spaces: the CPU id sits in the top bits. */
	seq = ((__u64)bpf_get_smp_processor_id() << 48) | st->seq++;
	f->pl.seq = seq;
	f->pl.ts = bpf_ktime_get_ns();
	if (cfg->flows > 65535) {
		__u32 i = (__u32)(st->seq % cfg->flows);

		f->udp.source = bpf_htons(cfg->sport +
					  (__u16)(i % PKTGEN_PORTS_WIDE));
		set_saddr((void *)f + sizeof(struct ethhdr), bpf_htonl(bpf_ntohl(cfg->saddr) +
					    i / PKTGEN_PORTS_WIDE));
	} else if (cfg->flows > 1) {
		f->udp.source = bpf_htons(cfg->sport + (__u16)(st->seq %
							    cfg->flows));
	}
	st->packets++;
	return XDP_TX;
}

SEC("xdp")
int pktgen_sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct frame *f = data;
	struct pktgen_stats *st;
	struct pktgen_cfg *cfg;
	__u32 zero = 0, b;
	__u64 lat, *h, seq;

	if ((void *)(f + 1) > data_end)
		return XDP_PASS;
	if (f->eth.h_proto != bpf_htons(ETH_P_IP) || f->ip.ihl != 5 ||
	    f->ip.protocol != IPPROTO_UDP || f->pl.magic != PKTGEN_MAGIC)
		return XDP_PASS;
	cfg = bpf_map_lookup_elem(&pktgen_cfg, &zero);
	st = bpf_map_lookup_elem(&pktgen_stats, &zero);
	if (!cfg || !st || f->udp.dest != bpf_htons(cfg->dport))
		return XDP_PASS;
	st->packets++;
	st->bytes += data_end - data;
	seq = f->pl.seq;
	if (seq < st->last_seq && (seq >> 48) == (st->last_seq >> 48))
		st->reordered++;
	st->last_seq = seq;
	if ((seq & 0xffffffffffffULL) > st->max_seq)
		st->max_seq = seq & 0xffffffffffffULL;
	if ((seq >> 48) < PKTGEN_SEEN_SPACES) {
		__u64 n = seq & ((1ULL << PKTGEN_SEEN_BITS_LOG) - 1);
		__u32 w = (__u32)(((seq >> 48) << PKTGEN_SEEN_BITS_LOG | n) >> 6);
		__u64 bit = 1ULL << (n & 63), *word;

		word = bpf_map_lookup_elem(&pktgen_seen, &w);
		/* Atomic: two CPUs may receive at once. */
		if (word && (__sync_fetch_and_or(word, bit) & bit))
			st->dups++;
	}
	lat = bpf_ktime_get_ns() - f->pl.ts;
	b = (__u32)(lat / PKTGEN_HIST_NS);
	if (b >= PKTGEN_HIST_BUCKETS)
		b = PKTGEN_HIST_BUCKETS - 1;
	h = bpf_map_lookup_elem(&pktgen_hist, &b);
	if (h)
		(*h)++;
	return XDP_DROP;
}
