// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Transmit: the end of a batch.  The custody log is published first,
 * then the lanes into us are given back, the lanes out of us published
 * (and their sleeping consumers woken), the tx rings kicked, and nfvd
 * woken if it sleeps and has something to do.
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

/* Publish lanes, then look who sleeps and wake it. */
static void publish_lanes(struct nfv *nf, const uint64_t *touched)
{
	int w;

	for (w = 0; w < NFV_NF_MAX / 64; w++) {
		uint64_t bits = touched[w];

		while (bits) {
			int c = w * 64 + __builtin_ctzll(bits);
			const struct nfv_peer *p = &nf->peers[c];

			bits &= bits - 1;
			nfv_lane_submit(&nf->out_lanes[c]);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (p->seg && p->doorbell >= 0 &&
			    __atomic_load_n((const uint32_t *)(p->seg +
							       nf->lay.sleeping),
					    __ATOMIC_RELAXED))
				nfv_doorbell_kick(p->doorbell);
		}
	}
	if (nf->relay_pending) {
		nfv_lane_submit(&nf->out_lanes[0]);
		nf->relay_pending = false;
		nf->kick_nfvd = true;
	}
}

/* The lanes into us whose frames all have their last entry logged. */
static void settle_lanes(struct nfv *nf)
{
	int i;

	for (i = 0; i < nf->n_upstream; i++)
		nfv_lane_settle(&nf->in_lanes[nf->upstream[i]]);
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
	return n;
}
