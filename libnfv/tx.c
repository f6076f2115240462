// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Transmit: the end of a batch.  The custody log is published first,
 * then the lanes into us are given back, the lanes out of us published
 * (their sleeping consumers are woken when we run short of frames:
 * nfv_lanes_wake()), the tx rings kicked, and nfvd woken if it sleeps
 * and has something to do.
 */
#include <sys/socket.h>

#include "frames.h"

/*
 * Copy mode transmits inside sendto(), at most a small budget of frames
 * per call (32 on current kernels): kick until the ring is drained or the
 * kernel stops taking frames.  Ports still holding frames stay pending and
 * are kicked again before we sleep.
 */
void nfv_tx_flush(struct nfv *nf)
{
	uint32_t pending = nf->tx_pending_ports, still = 0;

	while (pending) {
		int p = __builtin_ctz(pending), i;
		struct nfv_xsk *x = nf->tx_of_port[p];
		uint32_t before;

		pending &= pending - 1;
		xsk_ring_prod__submit(&x->tx, x->tx.cached_prod -
					      *x->tx.producer);
		for (i = 0; i < 64; i++) {
			before = __atomic_load_n(x->tx.consumer,
						 __ATOMIC_ACQUIRE);
			if (before == x->tx.cached_prod)
				break;
			if (sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
			    errno != EAGAIN && errno != EBUSY &&
			    errno != ENOBUFS)
				break;
			if (__atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE) ==
			    before)
				break;	/* completion ring full: later */
		}
		if (__atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE) !=
		    x->tx.cached_prod)
			still |= 1u << p;
		nf->kick_nfvd = true;
	}
	nf->tx_pending_ports = still;
}

void nfv_nfvd_kick(struct nfv *nf)
{
	if (!nf->kick_nfvd)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&nf->tables->nfvd_sleeping, __ATOMIC_RELAXED))
		nfv_doorbell_kick(nf->nfvd_doorbell);
	nf->kick_nfvd = false;
}

/*
 * Wake the consumers of the lanes published since we last looked, those
 * that sleep.  Looking costs a shared cache line, waking a system call
 * and a context switch: nfv_rx_burst() does it once it finds fewer
 * frames than asked for (so before we sleep), or NFV_WAKE_BURSTS bursts
 * after the first lane owed, and not after every burst.  No wake-up is
 * lost: the consumer writes "sleeping", then reads our index; we
 * published our index before, and read "sleeping" here, after a fence.
 */
void nfv_lanes_wake(struct nfv *nf)
{
	int w;

	if (!nf->wake_any)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (w = 0; w < NFV_NF_MAX / 64; w++) {
		uint64_t bits = nf->wake_owed[w];

		nf->wake_owed[w] = 0;
		while (bits) {
			int c = w * 64 + __builtin_ctzll(bits);
			const struct nfv_peer *p = &nf->peers[c];

			bits &= bits - 1;
			/* One waiting for room does not need frames. */
			if (p->seg && p->doorbell >= 0 &&
			    __atomic_load_n((const uint32_t *)(p->seg +
							       nf->lay.sleeping),
					    __ATOMIC_RELAXED) == NFV_SLEEP_IDLE)
				nfv_doorbell_kick(p->doorbell);
		}
	}
	nf->wake_any = false;
	nf->wake_age = 0;
}

/* Publish lanes; their consumers are woken later (nfv_lanes_wake()). */
static void publish_lanes(struct nfv *nf, const uint64_t *touched)
{
	int w;

	nf->bp_any = false;
	for (w = 0; w < NFV_NF_MAX / 64; w++) {
		uint64_t bits = touched[w], fed = bits | nf->bp_full[w];

		/* Most words: nothing fed, now or last burst. */
		if (!(fed | nf->bp_fed[w]))
			continue;
		nf->bp_fed[w] = fed;
		nf->bp_full[w] = 0;
		nf->bp_any |= fed != 0;
		nf->wake_owed[w] |= bits;
		while (bits) {
			int c = w * 64 + __builtin_ctzll(bits);

			bits &= bits - 1;
			nfv_lane_submit(&nf->out_lanes[c]);
			nf->wake_any = true;
		}
	}
	if (nf->relay_pending) {
		nfv_lane_submit(&nf->out_lanes[0]);
		nf->relay_pending = false;
		nf->kick_nfvd = true;
	}
}

/*
 * Producer @p of lane @l waits for room on it (rx.c, backpressure): wake
 * it once half the lane is free, not at each frame we take.
 */
static void give_room(struct nfv *nf, uint16_t p, const struct nfv_lane_rx *l)
{
	const struct nfv_peer *pp = &nf->peers[p];

	if (l->cached_prod - l->cons > NFV_LANE_SIZE / 2)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (pp->seg && pp->doorbell >= 0 &&
	    __atomic_load_n((const uint32_t *)(pp->seg + nf->lay.sleeping),
			    __ATOMIC_RELAXED) == NFV_SLEEP_ROOM)
		nfv_doorbell_kick(pp->doorbell);
}

/* The lanes into us whose frames all have their last entry logged. */
static void settle_lanes(struct nfv *nf)
{
	int i;

	for (i = 0; i < nf->n_upstream; i++) {
		uint16_t p = nf->upstream[i];
		struct nfv_lane_rx *l = &nf->in_lanes[p];
		uint32_t cons = l->cons;

		nfv_lane_settle(l);
		if (l->cons != cons)
			give_room(nf, p, l);
	}
}

int nfv_tx_burst(struct nfv *nf, struct nfv_pkt *pkts, int n)
{
	uint64_t touched[NFV_NF_MAX / 64] = { 0 };

	if (!nf || (n && !pkts) || n < 0)
		return nfv_err(-EINVAL);
	if (!nf->seg)
		return nfv_err(-ENOTCONN);
	nfv_act_burst(nf, pkts, n, touched);
	/* The log first: nfvd never sees a frame arrive before it left. */
	nfv_log_submit(&nf->log);
	settle_lanes(nf);
	publish_lanes(nf, touched);
	nfv_tx_flush(nf);
	nfv_nfvd_kick(nf);
	if (nf->stop)
		nfv_lanes_wake(nf);	/* no burst comes to do it */
	return n;
}
