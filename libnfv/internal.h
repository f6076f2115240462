/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libnfv's private state and helpers.  What libnfv shares with nfvd (the
 * protocol: messages, segments, tables, lanes, the custody log) is in
 * proto/; nothing here is for anyone but libnfv.
 */
#ifndef __NFV_INTERNAL_H
#define __NFV_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/if_xdp.h>
#include <xdp/xsk.h>

#include <nfv/libnfv.h>
#include "nfv_custody.h"
#include "nfv_lane.h"
#include "nfv_msg.h"
#include "nfv_segment.h"
#include "nfv_tables.h"

/* ---- handles nfv_stop() may touch (handles.c) ---- */
int nfv_handle_add(struct nfv *nf);
void nfv_handle_del(struct nfv *nf);

/* ---- logging ---- */
__attribute__((format(printf, 2, 3)))
void nfv_log(enum nfv_print_level level, const char *fmt, ...);
#define pr_warn(fmt, ...)	nfv_log(NFV_WARN, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	nfv_log(NFV_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	nfv_log(NFV_DEBUG, fmt, ##__VA_ARGS__)

static inline int nfv_err(int err)
{
	if (err < 0)
		errno = -err;
	return err;
}

static inline void *nfv_err_ptr(int err)
{
	errno = -err;
	return NULL;
}

#define OPTS_VALID(opts, type)						\
	(!(opts) || nfv_validate_opts((const char *)(opts),		\
				      offsetofend(struct type,		\
						  type##__last_field),	\
				      (opts)->sz, #type))
#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetofend(typeof(*(opts)), field))
#define OPTS_GET(opts, field, fallback_value) \
	(OPTS_HAS(opts, field) ? (opts)->field : fallback_value)
#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif
bool nfv_validate_opts(const char *opts, size_t opts_sz, size_t user_sz,
		       const char *type_name);

/* ---- one AF_XDP socket of an NF, mapped by the NF (xsk.c) ---- */
/*
 * An rx socket (rx ring only: on every port and queue, entered in the
 * XSKMAP) or a tx socket (tx ring only: one per port the NF's chains may
 * send to, none for a read-only NF).
 */
struct nfv_xsk {
	int fd;
	uint16_t port;
	uint16_t queue;
	uint32_t ifindex;
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	void *rx_map;
	void *tx_map;
	size_t rx_map_len;
	size_t tx_map_len;
	bool bound;
};

int nfv_xsk_map(struct nfv_xsk *x, uint32_t rx_size, uint32_t tx_size);
void nfv_xsk_unmap(struct nfv_xsk *x);

/* ---- another NF, as seen by this one (peers.c) ---- */
struct nfv_peer {
	const uint8_t *seg;		/* its segment, mapped read-only */
	uint32_t gen;			/* of the incarnation mapped */
	int doorbell;			/* its eventfd, -1: none */
	bool refused;			/* nfvd said no for this gen */
};

/* ---- an attached NF ---- */
struct nfv {
	int id;
	int service;
	uint32_t flags;
	uint32_t gen;			/* our slot's generation */
	char name[NFV_NAME_LEN];
	int ctl;			/* connection to nfvd */
	uint32_t seq;
	char path[108];			/* nfvd's socket, for reattach */
	bool quiet;			/* attach failures are expected */
	uint32_t ctl_check;		/* bursts since the ctl was looked at */
	uint32_t reattached;		/* times nfvd came back */

	uint8_t *umem;
	size_t umem_size;
	uint32_t n_frames;
	uint32_t frame_size;		/* a power of two (attach.c checks) */
	uint32_t frame_shift;		/* log2(frame_size) */
	uint64_t umem_bytes;		/* n_frames * frame_size */
	const struct nfv_tables *tables;
	size_t tables_size;
	uint8_t *seg;			/* ours, read-write */
	size_t seg_size;
	struct nfv_seg_layout lay;	/* computed, never read from memory */
	struct nfv_nf_counters *cnt;	/* in our segment */
	uint32_t *sleeping;		/* in our segment */
	struct nfv_log log;
	int doorbell;			/* our eventfd */
	int nfvd_doorbell;
	int nf_dev;			/* /dev/nfv (kernel backend), -1 */

	struct nfv_xsk xsks[2 * NFV_PORT_MAX * NFV_QUEUE_MAX];
	int n_xsks;
	/* TX socket per port id. */
	struct nfv_xsk *tx_of_port[NFV_PORT_MAX];

	/* Other NFs, by id: their segments and doorbells (peers.c). */
	struct nfv_peer *peers;
	/* Lanes into us, consumer side, by producer id. */
	struct nfv_lane_rx *in_lanes;
	/* Lanes out of us, producer side, by consumer id. */
	struct nfv_lane_tx *out_lanes;
	/* Producers whose lanes we look at: those our chains connect to
	 * us, recomputed when the tables change (tables_gen).
	 */
	uint16_t upstream[NFV_NF_MAX];
	int n_upstream;
	uint32_t tables_gen;
	uint32_t tx_pending_ports;	/* bit per port id: sendto() needed */
	/* Lanes published since their consumer was last looked at (a bit
	 * per consumer id) and the bursts received since the first of them:
	 * tx.c wakes sleeping consumers once we run short of frames, or at
	 * the latest NFV_WAKE_BURSTS bursts on.
	 */
	uint64_t wake_owed[NFV_NF_MAX / 64];
	uint32_t wake_age;
	bool wake_any;
	/* Backpressure (rx.c): the lanes the last burst fed or found full,
	 * those it found full so far this burst (action.c), those we gave
	 * up waiting on until they drain, since when we wait (ns, 0: not).
	 */
	uint64_t bp_fed[NFV_NF_MAX / 64];
	uint64_t bp_full[NFV_NF_MAX / 64];
	uint64_t bp_off[NFV_NF_MAX / 64];
	uint64_t bp_since;
	bool bp_any;
	bool kick_nfvd;
	bool relay_pending;		/* lane 0 (to nfvd) to publish */
	bool rang;			/* our doorbell rang since the last look */
	bool csum_partial;		/* a frame taken needs its L4 checksum */
	uint64_t refreshed_ms;		/* last upstream refresh it caused */

	uint32_t batch;
	bool busy_poll;
	/* sched.c: SCHED_BATCH while loaded.  Full bursts in a row, whether
	 * one came since we last slept, when we last were busy (ms).
	 */
	bool sched_auto;
	bool sched_batch;
	bool sched_full;
	uint32_t full_run;
	uint64_t sched_busy_ms;
	uint64_t sched_tx;		/* cnt->tx when we last looked */
	pid_t sched_tid;		/* the thread we last switched */
	volatile int stop;
	uint64_t batch_ns;		/* run.c: NFV_RUN_F_BATCH_TIME */
	uint32_t rr;			/* where the next rx scan starts */
	/* offload.c: verdicts sent lately, by flow hash. */
	struct nfv_offload_said *offload_said;
	/* counters.c: its own counters, NULL: none registered. */
	struct nfv_counters *counters;
	/* flowrule.c: flow rules nfvd's full socket did not take yet. */
	struct nfv_rule_queue *rule_q;
};

/* action.c: apply each frame's action (follow its chain); lanes touched
 * get a bit in @touched (NFV_NF_MAX bits), for tx.c to publish.
 */
/* An nsh hop: Ethernet + NSH in front of @pkt (nsh.c); false: drop it. */
bool nfv_nsh_push(struct nfv *nf, struct nfv_pkt *pkt, uint32_t spi);
void nfv_act_burst(struct nfv *nf, struct nfv_pkt *pkts, int n,
		   uint64_t *touched);

/* tx.c: kick tx rings that hold frames; wake nfvd if it sleeps and was
 * given something to do.
 */
void nfv_tx_flush(struct nfv *nf);
void nfv_nfvd_kick(struct nfv *nf);
/* Full bursts after which the consumers we fed are woken regardless. */
#define NFV_WAKE_BURSTS	4
void nfv_lanes_wake(struct nfv *nf);

/* sched.c: full bursts in a row that make a thread SCHED_BATCH, and how
 * long without one takes it back to SCHED_OTHER.
 */
#define NFV_SCHED_BUSY_BURSTS	2
#define NFV_SCHED_HOLD_MS	20
void nfv_sched_init(struct nfv *nf, bool keep);
void nfv_sched_busy(struct nfv *nf);
int nfv_sched_idle(struct nfv *nf, int timeout_ms, bool *capped);
void nfv_sched_close(struct nfv *nf);

/* attach.c */
int nfv_nf_attach(struct nfv *nf, const char *path);
int nfv_nf_handle_ctl(struct nfv *nf);
/* Send @nlh and wait for its answer, handling async messages meanwhile. */
int nfv_ctl_request(struct nfv *nf, struct nlmsghdr *nlh, int *fds,
		    int *n_fds, int max_fds, void *reply, size_t size);

/* peers.c */
struct nfv_peer *nfv_peer_get(struct nfv *nf, int id);
struct nfv_lane_tx *nfv_out_lane(struct nfv *nf, int c);
struct nfv_lane_rx *nfv_in_lane(struct nfv *nf, int id);
void nfv_upstream_update(struct nfv *nf);
void nfv_peers_drop(struct nfv *nf);

/* reattach.c: nfvd went away; attach again to whatever comes back. */
int nfv_nf_reattach(struct nfv *nf);
void nfv_drop_attach(struct nfv *nf);
/* CLOCK_MONOTONIC, in ns and in ms. */
static inline uint64_t nfv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static inline uint64_t nfv_now_ms(void)
{
	return nfv_now_ns() / 1000000;
}

static inline bool nfv_ctl_lost(int err)
{
	return err == -ECONNRESET || err == -EPIPE || err == -ENOTCONN;
}
/* A frame received before the last reattach: in a UMEM that is gone. */
static inline bool nfv_pkt_stale(const struct nfv *nf,
				 const struct nfv_pkt *pkt)
{
	return pkt->addr >= (uint64_t)nf->n_frames * nf->frame_size ||
	       pkt->data != nf->umem + pkt->addr;
}

/* counters.c: publish what changed if due; ms until due, -1: nothing
 * to publish.  nfv_counters_republish(): nfvd came back (reattach.c).
 */
int nfv_counters_tick(struct nfv *nf);
void nfv_counters_republish(struct nfv *nf);

/* flowrule.c: send the flow rules queued; ms until it should try again,
 * -1: none queued.
 */
int nfv_rules_flush(struct nfv *nf);

/* pkt checksums */
void nfv_complete_csum(struct nfv *nf, struct nfv_pkt *pkt);

#endif /* __NFV_INTERNAL_H */
