// SPDX-License-Identifier: GPL-2.0
/*
 * Frames going round: the NFs' custody logs applied, what read-only NFs
 * hand nfvd transmitted, completions drained, fill rings refilled.  Where
 * each frame is, is the ledger's (ledger.c); the rings are the pools'
 * (umem.c).  The loop runs this until nothing moves.
 */
#include <errno.h>
#include <sys/socket.h>

#include "ledger.h"
#include "nfvd.h"
#include "recycle.h"

/*
 * Completions: frames the kernel transmitted.  Each is checked against
 * the ledger (a frame on a tx ring of this pool).  One that is not may
 * have its TX entry in a log not applied yet (the logs were drained just
 * before, but an entry can wait, see ledger.c): it waits here, looked at
 * again after each drain, and after COMP_WAIT_NS it is forged (an NF
 * sent a frame it did not hold) and freed nothing.
 */
#define COMP_WAIT_NS	(200 * 1000 * 1000ULL)

static void comp_wait(struct nfvd *d, uint8_t pool, uint64_t addr)
{
	if (d->n_comp_wait == NFVD_COMP_WAIT_MAX) {
		d->forged_tx++;		/* no room: no benefit of doubt */
		return;
	}
	d->comp_wait[d->n_comp_wait].pool = pool;
	d->comp_wait[d->n_comp_wait].addr = addr;
	d->comp_wait[d->n_comp_wait].until_ns = nfvd_now_ns() + COMP_WAIT_NS;
	d->n_comp_wait++;
}

static void comp_retry(struct nfvd *d)
{
	uint64_t now = nfvd_now_ns();
	uint32_t i = 0;

	while (i < d->n_comp_wait) {
		struct nfvd_comp_wait *w = &d->comp_wait[i];

		if (!ledger_complete(d, w->pool, w->addr,
				     w->until_ns <= now) ||
		    w->until_ns <= now) {
			*w = d->comp_wait[--d->n_comp_wait];
			continue;
		}
		i++;
	}
}

static int drain_comp(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t idx, n, i;

	n = xsk_ring_cons__peek(&p->comp, NFVD_COMP_SIZE, &idx);
	for (i = 0; i < n; i++) {
		uint64_t addr = *xsk_ring_cons__comp_addr(&p->comp, idx + i);

		if (ledger_complete(d, p->index, addr, false) == -EAGAIN)
			comp_wait(d, p->index, addr);
	}
	if (n)
		xsk_ring_cons__release(&p->comp, n);
	return (int)n;
}

/*
 * Voided fill entries of pool @p the kernel has not passed yet: they hold
 * no frame (recycle_void()).
 */
static uint32_t fill_voids(struct nfvd_pool *p)
{
	uint32_t lo = p->void_lo;

	if ((int32_t)(p->void_hi - p->fill_seen) <= 0) {
		p->void_lo = p->void_hi;	/* all passed: none left */
		return 0;
	}
	if ((int32_t)(p->fill_seen - lo) > 0)
		lo = p->fill_seen;
	return p->void_hi - lo;
}

static int refill(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t in_ring, want, idx, i, f;

	ledger_pool_taken(d, p);
	in_ring = p->fill.cached_prod - p->fill_seen - fill_voids(p);
	if (in_ring >= d->cfg.fill_target)
		return 0;
	want = d->cfg.fill_target - in_ring;
	if (want > d->n_free)
		want = d->n_free;
	if (!want)
		return 0;
	want = xsk_ring_prod__reserve(&p->fill, want, &idx);
	for (i = 0; i < want; i++) {
		if (ledger_alloc(d, p->index, idx + i, &f))
			break;
		*xsk_ring_prod__fill_addr(&p->fill, idx + i) =
			(uint64_t)f * d->cfg.frame_size;
	}
	/* Reserved more than we had: give the rest back unwritten. */
	p->fill.cached_prod -= want - i;
	xsk_ring_prod__submit(&p->fill, i);
	if (xsk_ring_prod__needs_wakeup(&p->fill))
		recvfrom(p->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	return (int)i;
}

static void flush_tx(struct nfvd *d)
{
	int i, k;

	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (!p->tx_pending)
			continue;
		xsk_ring_prod__submit(&p->tx, p->tx.cached_prod -
					      *p->tx.producer);
		for (k = 0; k < 64; k++) {
			if (__atomic_load_n(p->tx.consumer, __ATOMIC_ACQUIRE) ==
			    p->tx.cached_prod)
				break;
			if (sendto(p->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
			    errno != EAGAIN && errno != EBUSY &&
			    errno != ENOBUFS)
				break;
		}
		p->tx_pending = __atomic_load_n(p->tx.consumer,
						__ATOMIC_ACQUIRE) !=
				p->tx.cached_prod;
	}
}

int recycle(struct nfvd *d)
{
	int i, moved = 0;

	/* Logs first: a completion's TX entry is in one. */
	moved += ledger_drain(d);
	for (i = 0; i < (int)d->n_seg_nfs; i++)
		moved += ledger_relay(d, &d->nfs[d->seg_nfs[i]]);
	flush_tx(d);
	for (i = 0; i < d->n_pools; i++)
		if (d->pools[i].bound)
			moved += drain_comp(d, &d->pools[i]);
	if (d->n_comp_wait) {
		ledger_drain(d);
		comp_retry(d);
	}
	/* Only ports' pools: one without a port gave its frames back. */
	for (i = 0; i < d->n_pools; i++)
		if (d->pools[i].state == POOL_USED)
			moved += refill(d, &d->pools[i]);
	return moved;
}

/*
 * Pool @p serves no port and the kernel takes nothing from its fill ring
 * any more (port.c: the classifier is off its device, its sockets out of
 * the XSKMAP, and a grace period has passed): the frames still in the
 * ring were never the kernel's, they are free again.  Their entries are
 * voided, an address past the UMEM, which the kernel skips (and counts
 * in its invalid_descs): if the pool serves again, recycle_unvoid() puts
 * new frames there first, and the kernel takes none of the old ones.
 *
 * Unless @all, the first entry stays if an rx ring of the pool ever
 * overflowed: the kernel may have taken it without saying so yet (a
 * frame that found its rx ring full waits in the kernel's own free list,
 * and the fill index is published with the next frame delivered).  With
 * @all (the pool is closed: nothing takes from it again) it goes too.
 * The frames freed.
 */
uint32_t recycle_void(struct nfvd *d, struct nfvd_pool *p, bool all)
{
	uint32_t pos, end = p->fill.cached_prod, n = 0;
	__u64 *e;

	ledger_pool_taken(d, p);
	pos = p->fill_seen;
	if (!all && pos != end &&
	    *xsk_ring_prod__fill_addr(&p->fill, pos) < d->umem_size &&
	    ledger_pool_overflowed(d, p))
		pos++;
	p->void_lo = pos;
	for (; pos != end; pos++) {
		e = xsk_ring_prod__fill_addr(&p->fill, pos);
		n += ledger_fill_return(d, p->index, pos, *e);
		*e = d->umem_size;
	}
	p->void_hi = end;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return n;
}

/*
 * Pool @p serves a port again, the kernel still quiet on it: new frames
 * in its voided fill entries, as many as are free (the kernel skips the
 * others).
 */
void recycle_unvoid(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t pos, f;

	ledger_pool_taken(d, p);
	if (!fill_voids(p))
		return;
	pos = (int32_t)(p->fill_seen - p->void_lo) > 0 ? p->fill_seen
							: p->void_lo;
	for (; pos != p->void_hi; pos++) {
		if (ledger_alloc(d, p->index, pos, &f))
			break;
		*xsk_ring_prod__fill_addr(&p->fill, pos) =
			(uint64_t)f * d->cfg.frame_size;
	}
	p->void_lo = pos;
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/* Pool @p's completions, now (before it is closed). */
void recycle_pool_comp(struct nfvd *d, struct nfvd_pool *p)
{
	ledger_drain(d);
	if (p->bound)
		drain_comp(d, p);
}

bool recycle_pending(struct nfvd *d)
{
	int i;

	if (d->n_comp_wait)
		return true;
	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (p->bound && (p->tx_pending ||
				 __atomic_load_n(p->comp.producer,
						 __ATOMIC_ACQUIRE) !=
				 p->comp.cached_cons))
			return true;
	}
	return ledger_pending(d);
}
