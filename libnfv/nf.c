// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An NF's data path: receive from AF_XDP rx rings and NF->NF lanes, act
 * on each frame, and tell nfvd what became of every frame.
 *
 * Custody (docs/design.md §3): nfvd alone decides who holds a frame, in
 * its private ledger; we report every move in our custody log, in the
 * order we make them, and publish the log before the move becomes
 * visible to anyone else:
 *  - a frame taken off an rx ring or a lane is logged (TAKE) and the log
 *    published before the ring entry is released, so a crash in between
 *    leaves the frame findable where it was;
 *  - a frame handed on (SEND, TAP), transmitted (TX) or given back
 *    (DROP) is logged before the lane index is published or sendto()
 *    runs, so nfvd never sees a frame arrive before it left.
 * Every frame we take has log room promised to it (LOG_PER_FRAME), so
 * whatever we do with it can be logged; we take no frame without it.
 */
#include <poll.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/if_ether.h>

#include "internal.h"

/* Attach refused with EAGAIN (see nfv_init()): 50 x 10 ms. */
#define ATTACH_AGAIN_TRIES	50
#define ATTACH_AGAIN_US		10000

/* Log entries a held frame may still need: a tap per hop, then its end. */
#define LOG_PER_FRAME		(NFV_HOPS_MAX + 1)

static void flush_tx(struct nfv *nf);
static void kick_nfvd(struct nfv *nf);

static inline uint32_t frame_of(const struct nfv *nf, uint64_t addr)
{
	/* A power of two (attach.c checks): no division per frame. */
	return (uint32_t)(addr >> __builtin_ctz(nf->frame_size));
}

static inline void log_put(struct nfv *nf, uint64_t addr, enum nfv_log_op op,
			   uint16_t arg)
{
	nfv_log_put(&nf->log, nfv_log_entry(frame_of(nf, addr), op, arg));
}

/*
 * @pkt's last entry is written: its promise is kept, and the lane it
 * came on may show it no longer (once the log is submitted).
 */
static inline void frame_done(struct nfv *nf, const struct nfv_pkt *pkt)
{
	nf->log.reserved -= LOG_PER_FRAME;
	/* The caller's struct: a lane id it overwrote goes nowhere. */
	if (pkt->lane && pkt->lane < NFV_NF_MAX &&
	    nf->in_lanes[pkt->lane].open)
		nf->in_lanes[pkt->lane].open--;
}

static void kick(int fd)
{
	uint64_t one = 1;

	if (fd >= 0)
		(void)!write(fd, &one, sizeof(one));
}

/* ------------------------------------------------------------------ */
/* receive                                                             */

/* A descriptor's frame: in the UMEM, room for the metadata, not longer
 * than the frame.  Descriptors from other processes get this check.
 */
static inline bool desc_ok(const struct nfv *nf, uint64_t addr, uint32_t len)
{
	uint64_t off = addr & (nf->frame_size - 1);

	return addr < (uint64_t)nf->n_frames * nf->frame_size &&
	       off >= sizeof(struct nfv_xdp_meta) && len >= ETH_HLEN &&
	       off + len <= nf->frame_size;
}

static inline void take(struct nfv *nf, struct nfv_pkt *pkt, uint64_t addr,
			uint32_t len, uint16_t hop, uint16_t budget,
			uint16_t flags)
{
	pkt->addr = addr;
	pkt->data = nf->umem + addr;
	pkt->len = len;
	pkt->meta = (struct nfv_xdp_meta *)(pkt->data - sizeof(*pkt->meta));
	pkt->action = flags & NFV_PKT_F_TAP ? NFV_DROP : NFV_NEXT;
	pkt->hop = hop;
	pkt->budget = budget;
	pkt->flags = flags;
	pkt->lane = 0;
	nf->log.reserved += LOG_PER_FRAME;
}

static void drop(struct nfv *nf, const struct nfv_pkt *pkt)
{
	nf->cnt->drop++;
	log_put(nf, pkt->addr, NFV_LOG_DROP, 0);
	nf->kick_nfvd = true;
	frame_done(nf, pkt);
}

static int rx_xsk(struct nfv *nf, struct nfv_xsk *x, struct nfv_pkt *pkts,
		  int max)
{
	uint32_t idx, n, i, got = 0;

	n = xsk_ring_cons__peek(&x->rx, (uint32_t)max, &idx);
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx,
								  idx + i);
		uint64_t addr = d->addr;
		uint32_t len = d->len;

		if (!desc_ok(nf, addr, len)) {
			/* Not the kernel's doing: nothing we can take. */
			nf->cnt->bad_desc++;
			continue;
		}
		log_put(nf, addr, NFV_LOG_TAKE_RX,
			NFV_LOG_RXSOCK(x->port, x->queue));
		take(nf, &pkts[got], addr, len, 0, NFV_MOVE_BUDGET, 0);
		if (pkts[got].meta->magic != NFV_META_MAGIC) {
			/* Not stamped by our classifier: don't trust it. */
			nf->cnt->bad_desc++;
			drop(nf, &pkts[got]);
			continue;
		}
		pkts[got].hop = pkts[got].meta->hop;
		got++;
	}
	if (n) {
		/* Logged before released: see the top of this file. */
		nfv_log_submit(&nf->log);
		xsk_ring_cons__release(&x->rx, n);
	}
	return (int)got;
}

/*
 * Frames on the lane from NF @p.  No TAKE entry for them: the next entry
 * of each says we took it (nfvd checks it was on its way to us), and the
 * lane keeps showing it until that entry is published.  Tap references
 * are taken with TAP_TAKE: their lane entry can go at once.
 */
static int rx_lane(struct nfv *nf, uint16_t p, struct nfv_pkt *pkts, int max)
{
	struct nfv_lane_rx *l = &nf->in_lanes[p];
	int jump = 0, got = 0, open = 0;
	bool logged = false;
	uint32_t n, i;

	if (!l->prod_word)
		return 0;
	n = nfv_lane_avail(l, (uint32_t)max, &jump);
	if (jump)
		nf->cnt->bad_desc++;
	for (i = 0; i < n; i++) {
		struct nfv_desc d = nfv_lane_read(l, i);
		bool tap = d.flags & NFV_DESC_F_TAP;

		if (d.addr >= (uint64_t)nf->n_frames * nf->frame_size) {
			nf->cnt->bad_desc++;	/* not even a frame */
			continue;
		}
		if (tap) {
			log_put(nf, d.addr, NFV_LOG_TAP_TAKE, p);
			logged = true;
		}
		if (!desc_ok(nf, d.addr, d.len)) {
			/*
			 * A frame, but nothing we can work on: give it back.
			 * If @p really sent it, nfvd frees it; if not, nfvd
			 * refuses the entry.  Never followed.
			 */
			nf->cnt->bad_desc++;
			log_put(nf, d.addr, tap ? NFV_LOG_TAP_DONE :
						  NFV_LOG_DROP, 0);
			logged = true;
			nf->kick_nfvd = true;
			continue;
		}
		take(nf, &pkts[got], d.addr, d.len, tap ? 0 : d.hop,
		     tap ? 0 : d.budget, tap ? NFV_PKT_F_TAP : 0);
		if (!tap) {
			pkts[got].lane = p;
			open++;
		}
		got++;
	}
	if (n) {
		if (logged)
			nfv_log_submit(&nf->log);
		nfv_lane_consume(l, n, (uint32_t)open);
		nfv_lane_settle(l);
	}
	return got;
}

static int rx_lanes(struct nfv *nf, struct nfv_pkt *pkts, int max)
{
	int i, got = 0, n = nf->n_upstream;

	for (i = 0; i < n && got < max; i++) {
		uint16_t p = nf->upstream[(nf->rr + (uint32_t)i) % (uint32_t)n];

		got += rx_lane(nf, p, pkts + got, max - got);
	}
	return got;
}

static int rx_scan(struct nfv *nf, struct nfv_pkt *pkts, int max)
{
	uint32_t free;
	int got, i;

	if (__atomic_load_n(&nf->tables->gen, __ATOMIC_ACQUIRE) !=
	    nf->tables_gen)
		nfv_upstream_update(nf);
	/* Take only frames whose whole story fits in the log. */
	free = nfv_log_free(&nf->log, (uint32_t)max * (LOG_PER_FRAME + 2));
	if (free / (LOG_PER_FRAME + 2) < (uint32_t)max)
		max = (int)(free / (LOG_PER_FRAME + 2));
	if (nfv_log_half_full(&nf->log))
		nf->kick_nfvd = true;
	if (max <= 0)
		return 0;
	got = rx_lanes(nf, pkts, max);
	for (i = 0; i < nf->n_xsks && got < max; i++) {
		struct nfv_xsk *x = &nf->xsks[(nf->rr + (uint32_t)i) %
					      (uint32_t)nf->n_xsks];

		if (x->rx_map)
			got += rx_xsk(nf, x, pkts + got, max - got);
	}
	nf->rr++;
	return got;
}

/* Anything waiting on a lane into us? */
static bool lanes_pending(struct nfv *nf)
{
	int i;

	for (i = 0; i < nf->n_upstream; i++) {
		struct nfv_lane_rx *l = &nf->in_lanes[nf->upstream[i]];

		if (l->prod_word &&
		    nfv_idx_read(l->prod_word, l->self_gen) != l->read)
			return true;
	}
	return false;
}

static int wait_rx(struct nfv *nf, int timeout_ms)
{
	struct pollfd pfd[2 * NFV_PORT_MAX * NFV_QUEUE_MAX + 2];
	int i, n = 0, ret;
	uint64_t v;

	for (i = 0; i < nf->n_xsks; i++) {
		if (!nf->xsks[i].rx_map)
			continue;
		pfd[n].fd = nf->xsks[i].fd;
		pfd[n++].events = POLLIN;
	}
	pfd[n].fd = nf->doorbell;
	pfd[n++].events = POLLIN;
	pfd[n].fd = nf->ctl;
	pfd[n++].events = POLLIN;

	/* Tell producers to kick us, then look once more (no lost wakeup:
	 * they publish, then read "sleeping"; we write it, then read their
	 * indices; both with full fences).
	 */
	__atomic_store_n(nf->sleeping, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (lanes_pending(nf) || __atomic_load_n(&nf->tables->gen,
						 __ATOMIC_ACQUIRE) !=
				 nf->tables_gen) {
		__atomic_store_n(nf->sleeping, 0, __ATOMIC_RELAXED);
		return 0;
	}
	ret = poll(pfd, (nfds_t)n, timeout_ms);
	__atomic_store_n(nf->sleeping, 0, __ATOMIC_RELAXED);
	if (ret < 0)
		return -errno;
	if (pfd[n - 2].revents & POLLIN) {
		(void)!read(nf->doorbell, &v, sizeof(v));
		nf->rang = true;
	}
	if (pfd[n - 1].revents & (POLLIN | POLLHUP | POLLERR))
		return nfv_nf_handle_ctl(nf);
	return 0;
}

/* At most every 100 ms: a peer that rings for nothing costs little. */
static bool refresh_due(struct nfv *nf)
{
	struct timespec ts;
	uint64_t now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	if (now - nf->refreshed_ms < 100)
		return false;
	nf->refreshed_ms = now;
	return true;
}

int nfv_rx_burst(struct nfv *nf, struct nfv_pkt *pkts, int max,
		 int timeout_ms)
{
	int got, err, i;

	if (!nf || !pkts || max <= 0)
		return nfv_err(-EINVAL);
	if (!nf->seg)
		return nfv_err(-ENOTCONN);	/* stopped while reattaching */
	/* Under steady traffic we never sleep on the control connection:
	 * look at it now and then, or nfvd's death would go unnoticed.
	 */
	if (!(++nf->ctl_check & 255)) {
		err = nfv_nf_handle_ctl(nf);
		if (err && !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
			return nfv_err(err);
	}
	for (;;) {
		got = rx_scan(nf, pkts, max);
		/*
		 * A producer rang, yet no lane we look at has anything: one
		 * we do not look at may (nfvd said no to its segment while
		 * the chains did not connect us yet).  Look again at who
		 * may send to us, asking nfvd anew.
		 */
		if (!got && nf->rang && refresh_due(nf)) {
			nf->rang = false;
			nfv_upstream_update(nf);
			got = rx_scan(nf, pkts, max);
		}
		nf->rang = false;
		if (got || !timeout_ms || nf->stop)
			break;
		if (nf->busy_poll) {
			/* Spin, but keep the control channel serviced. */
			if ((++nf->rr & 1023) == 0) {
				err = nfv_nf_handle_ctl(nf);
				if (err && !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
					return nfv_err(err);
			}
			kick_nfvd(nf);
			continue;
		}
		if (nf->tx_pending_ports)
			flush_tx(nf);
		kick_nfvd(nf);
		/* Out of log room: nfvd will make some; look again soon. */
		err = wait_rx(nf, (nf->tx_pending_ports ||
				   !nfv_log_free(&nf->log, LOG_PER_FRAME + 2)) &&
				  timeout_ms < 0 ? 1 : timeout_ms);
		if (err == -EINTR)
			break;
		/* nfvd gone: attach again, the caller never knows. */
		if (err && !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
			return nfv_err(err);
		if (timeout_ms > 0)
			timeout_ms = 0;	/* one wait, then a last scan */
	}
	nf->cnt->rx += (uint64_t)got;
	for (i = 0; i < got; i++) {
		if (pkts[i].meta->flags & NFV_META_F_CSUM_PARTIAL &&
		    !(pkts[i].flags & NFV_PKT_F_TAP) &&
		    !(nf->flags & NFV_NF_F_READONLY))
			nfv_complete_csum(nf, &pkts[i]);
	}
	return got;
}

/* ------------------------------------------------------------------ */
/* transmit                                                            */

/* The replica of service @sid for this frame's flow, 0 if none. */
static uint16_t pick_replica(struct nfv *nf, const struct nfv_pkt *pkt,
			     uint16_t sid)
{
	const struct nfv_service *svc;
	uint16_t target;

	if (!sid || sid > NFV_SERVICE_MAX)
		return 0;
	svc = &nf->tables->services[sid];
	if (!svc->n_live)
		return 0;
	target = svc->buckets[pkt->meta->hash % NFV_BUCKETS];
	if (!target || target >= NFV_NF_MAX ||
	    nf->tables->nfs[target].state != NFV_NF_STATE_UP)
		return 0;
	return target;
}

/* Over its frame budget (nfvd says): it gets nothing from us. */
static inline bool over_budget(const struct nfv *nf, uint16_t target)
{
	return __atomic_load_n(&nf->tables->fb[target].over, __ATOMIC_RELAXED);
}

/*
 * The lane to @c: the one we have while @c's generation in the tables is
 * the one it was started for (one load per frame, no call); else
 * nfv_out_lane() maps the new incarnation and starts the lane again.
 */
static inline struct nfv_lane_tx *out_lane(struct nfv *nf, uint16_t c)
{
	struct nfv_lane_tx *l = &nf->out_lanes[c];

	if (__builtin_expect(l->prod_word &&
			     l->peer_gen == __atomic_load_n(&nf->tables->nfs[c].gen,
							    __ATOMIC_ACQUIRE), 1))
		return l;
	return nfv_out_lane(nf, c);
}

static bool enqueue(struct nfv *nf, const struct nfv_pkt *pkt,
		    uint16_t target, uint8_t hop, uint8_t budget,
		    uint16_t flags, uint64_t *touched)
{
	struct nfv_lane_tx *l = out_lane(nf, target);
	struct nfv_desc *d;

	if (!l || !nfv_lane_free(l, 1))
		return false;
	d = nfv_lane_slot(l);
	d->addr = pkt->addr;
	d->len = pkt->len;
	d->hop = hop;
	d->budget = budget;
	d->flags = flags;
	l->prod++;
	touched[target / 64] |= 1ULL << (target % 64);
	return true;
}

static void to_service(struct nfv *nf, struct nfv_pkt *pkt, uint16_t sid,
		       uint64_t *touched)
{
	uint16_t target;

	if (!pkt->budget) {
		nf->cnt->loop_drop++;
		goto drop;
	}
	target = pick_replica(nf, pkt, sid);
	if (!target) {
		nf->cnt->no_replica++;
		goto drop;
	}
	if (over_budget(nf, target)) {
		nf->cnt->overrun++;
		goto drop;
	}
	if (!enqueue(nf, pkt, target, (uint8_t)pkt->hop,
		     (uint8_t)(pkt->budget - 1), 0, touched)) {
		nf->cnt->ring_full++;
		goto drop;
	}
	log_put(nf, pkt->addr, NFV_LOG_SEND, target);
	nf->cnt->next++;
	frame_done(nf, pkt);
	return;
drop:
	drop(nf, pkt);
}

/*
 * Hand a reference to a tap replica.  Never blocks the chain: a full
 * lane just means the tap misses this frame (counted).  A tap is a move:
 * it spends the frame's budget.
 */
static void to_tap(struct nfv *nf, struct nfv_pkt *pkt, uint16_t sid,
		   uint64_t *touched)
{
	uint16_t target;

	if (!pkt->budget) {
		nf->cnt->loop_drop++;
		return;
	}
	pkt->budget--;
	target = pick_replica(nf, pkt, sid);
	if (!target || over_budget(nf, target) ||
	    !enqueue(nf, pkt, target, 0, 0, NFV_DESC_F_TAP, touched)) {
		nf->cnt->tap_overflow++;
		return;
	}
	log_put(nf, pkt->addr, NFV_LOG_TAP, target);
}

/* A tap NF is done with a reference. */
static void release_tap(struct nfv *nf, struct nfv_pkt *pkt)
{
	log_put(nf, pkt->addr, NFV_LOG_TAP_DONE, 0);
	nf->kick_nfvd = true;
	frame_done(nf, pkt);
}

/*
 * A read-only NF has no tx socket: it hands the frame to nfvd, which
 * transmits it after checking that we hold it (lane 0, the port in the
 * descriptor's hop).
 */
static bool to_nfvd(struct nfv *nf, struct nfv_pkt *pkt, uint16_t port)
{
	struct nfv_lane_tx *l = &nf->out_lanes[0];
	struct nfv_desc *d;

	if (!l->prod_word)
		nfv_lane_tx_init(l, nf->seg + nf->lay.lanes,
				 &nf->tables->fb[nf->id].relay_cons, nf->gen, 0);
	if (!nfv_lane_free(l, 1))
		return false;
	d = nfv_lane_slot(l);
	d->addr = pkt->addr;
	d->len = pkt->len;
	d->hop = (uint8_t)port;
	d->budget = 0;
	d->flags = 0;
	l->prod++;
	log_put(nf, pkt->addr, NFV_LOG_SEND, 0);
	nf->relay_pending = true;
	return true;
}

static void to_port(struct nfv *nf, struct nfv_pkt *pkt, uint16_t port)
{
	struct nfv_xsk *x = port < NFV_PORT_MAX ? nf->tx_of_port[port] : NULL;
	struct xdp_desc *d;
	uint32_t idx;

	if (!x) {
		if (nf->flags & NFV_NF_F_READONLY && port &&
		    port < NFV_PORT_MAX && to_nfvd(nf, pkt, port)) {
			nf->cnt->tx++;
			frame_done(nf, pkt);
			return;
		}
		nf->cnt->ring_full++;
		drop(nf, pkt);
		return;
	}
	if (xsk_ring_prod__reserve(&x->tx, 1, &idx) != 1) {
		nf->cnt->ring_full++;
		drop(nf, pkt);
		return;
	}
	d = xsk_ring_prod__tx_desc(&x->tx, idx);
	d->addr = pkt->addr;
	d->len = pkt->len;
	d->options = 0;
	log_put(nf, pkt->addr, NFV_LOG_TX, port);
	nf->tx_pending_ports |= 1u << port;
	nf->cnt->tx++;
	frame_done(nf, pkt);
}

static void follow_hop(struct nfv *nf, struct nfv_pkt *pkt,
		       const struct nfv_chain *c, uint64_t *touched)
{
	const struct nfv_hop *h;
	int guard;

	for (guard = 0; guard < NFV_HOPS_MAX; guard++) {
		if (pkt->hop >= c->n_hops || pkt->hop >= NFV_HOPS_MAX)
			break;
		h = &c->hops[pkt->hop];
		switch (h->type) {
		case NFV_HOP_SERVICE:
			to_service(nf, pkt, h->arg, touched);
			return;
		case NFV_HOP_OUT:
			to_port(nf, pkt, h->arg);
			return;
		case NFV_HOP_TAP:
			to_tap(nf, pkt, h->arg, touched);
			pkt->hop++;
			if (!(nf->flags & NFV_NF_F_READONLY))
				pkt->meta->hop = (uint8_t)pkt->hop;
			continue;
		default:
			goto drop;
		}
	}
drop:
	drop(nf, pkt);
}

static void act(struct nfv *nf, struct nfv_pkt *pkt, uint64_t *touched)
{
	const struct nfv_chain *c;
	uint32_t type = NFV_ACTION_TYPE(pkt->action);
	uint16_t arg = NFV_ACTION_ARG(pkt->action);
	uint16_t chain;

	if (pkt->flags & NFV_PKT_F_TAP) {
		release_tap(nf, pkt);
		return;
	}
	/* The metadata is in the UMEM, where any writable NF can reach. */
	chain = __atomic_load_n(&pkt->meta->chain, __ATOMIC_RELAXED);
	if (chain > NFV_CHAIN_MAX) {
		drop(nf, pkt);
		return;
	}
	c = &nf->tables->chains[chain];
	if ((type == NFV_ACT_TO_SERVICE || type == NFV_ACT_OUT) &&
	    (c->flags & NFV_CHAIN_F_NO_OVERRIDE)) {
		nf->cnt->override_denied++;
		type = NFV_ACT_NEXT;
	}
	switch (type) {
	case NFV_ACT_NEXT:
		pkt->hop++;
		if (!(nf->flags & NFV_NF_F_READONLY))
			pkt->meta->hop = (uint8_t)pkt->hop;
		follow_hop(nf, pkt, c, touched);
		break;
	case NFV_ACT_TO_SERVICE:
		to_service(nf, pkt, arg, touched);
		break;
	case NFV_ACT_OUT:
		to_port(nf, pkt, arg);
		break;
	default:
		drop(nf, pkt);
		break;
	}
}

/*
 * Copy mode transmits inside sendto(), at most a small budget of frames
 * per call (32 on current kernels): kick until the ring is drained or the
 * kernel stops taking frames.  Ports still holding frames stay pending and
 * are kicked again before we sleep.
 */
static void flush_tx(struct nfv *nf)
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

static void kick_nfvd(struct nfv *nf)
{
	if (!nf->kick_nfvd)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&nf->tables->nfvd_sleeping, __ATOMIC_RELAXED))
		kick(nf->nfvd_doorbell);
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
				kick(p->doorbell);
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
	int i;

	if (!nf || (n && !pkts) || n < 0)
		return nfv_err(-EINVAL);
	if (!nf->seg)
		return nfv_err(-ENOTCONN);
	for (i = 0; i < n; i++) {
		/* Held across a reattach: its UMEM went with the old nfvd. */
		if (nf->reattached && nfv_pkt_stale(nf, &pkts[i]))
			continue;
		act(nf, &pkts[i], touched);
	}
	/* The log first: nfvd never sees a frame arrive before it left. */
	nfv_log_submit(&nf->log);
	settle_lanes(nf);
	publish_lanes(nf, touched);
	flush_tx(nf);
	kick_nfvd(nf);
	return n;
}

/* ------------------------------------------------------------------ */
/* lifecycle                                                           */

struct nfv *nfv_init(int service, const struct nfv_opts *opts)
{
	const char *path, *name;
	struct nfv *nf;
	int err, i;

	if (!OPTS_VALID(opts, nfv_opts))
		return nfv_err_ptr(-EINVAL);
	if (service < 1 || service > NFV_SERVICE_MAX) {
		pr_warn("nfv: service id %d out of range 1..%d\n", service,
			NFV_SERVICE_MAX);
		return nfv_err_ptr(-EINVAL);
	}
	nf = calloc(1, sizeof(*nf));
	if (!nf)
		return nfv_err_ptr(-ENOMEM);
	err = nfv_handle_add(nf);
	if (err) {
		free(nf);
		return nfv_err_ptr(err);
	}
	nf->ctl = nf->doorbell = nf->nfvd_doorbell = nf->nf_dev = -1;
	nf->service = service;
	nf->batch = OPTS_GET(opts, batch_size, 0) ?: 64;
	if (nf->batch > NFV_BATCH_MAX)
		nf->batch = NFV_BATCH_MAX;
	nf->busy_poll = OPTS_GET(opts, busy_poll, false);
	if (nf->busy_poll)
		nf->flags |= NFV_NF_F_BUSY_POLL;
	if (OPTS_GET(opts, readonly, false))
		nf->flags |= NFV_NF_F_READONLY;
	name = OPTS_GET(opts, name, NULL);
	if (name)
		snprintf(nf->name, sizeof(nf->name), "%s", name);
	path = OPTS_GET(opts, socket_path, NULL) ?: getenv("NFV_SOCKET");
	if (!path)
		path = NFV_DEFAULT_SOCKET;

	nf->in_lanes = calloc(NFV_NF_MAX, sizeof(*nf->in_lanes));
	nf->out_lanes = calloc(NFV_NF_MAX, sizeof(*nf->out_lanes));
	nf->peers = calloc(NFV_NF_MAX, sizeof(*nf->peers));
	if (!nf->in_lanes || !nf->out_lanes || !nf->peers) {
		nfv_close(nf);
		return nfv_err_ptr(-ENOMEM);
	}
	for (i = 0; i < NFV_NF_MAX; i++)
		nf->peers[i].doorbell = -1;
	err = nfv_nf_attach(nf, path);
	/* EAGAIN: nfv.ko gave us the id of an NF that just died and nfvd
	 * is still reclaiming its frames (a 20 ms grace): ask again.
	 */
	for (i = 0; err == -EAGAIN && i < ATTACH_AGAIN_TRIES; i++) {
		nfv_drop_attach(nf);
		if (nf->umem)
			munmap(nf->umem, nf->umem_size);
		nf->umem = NULL;
		usleep(ATTACH_AGAIN_US);
		err = nfv_nf_attach(nf, path);
	}
	if (err) {
		pr_warn("nfv: cannot attach to nfvd at %s: %s\n", path,
			strerror(-err));
		nfv_close(nf);
		return nfv_err_ptr(err);
	}
	return nf;
}

int nfv_run(struct nfv *nf, nfv_handler_t handler, void *ctx)
{
	struct nfv_pkt pkts[NFV_BATCH_MAX];
	int n, i;

	if (!nf || !handler)
		return nfv_err(-EINVAL);
	while (!nf->stop) {
		n = nfv_rx_burst(nf, pkts, (int)nf->batch, -1);
		if (n < 0)
			return n == -ECONNRESET ? nfv_err(-ENOTCONN) : n;
		for (i = 0; i < n; i++)
			pkts[i].action = handler(&pkts[i], ctx);
		nfv_tx_burst(nf, pkts, n);
	}
	return 0;
}

void nfv_close(struct nfv *nf)
{
	if (!nf)
		return;
	nfv_handle_del(nf);	/* nfv_stop() from a signal: hands off */
	nfv_drop_attach(nf);
	if (nf->umem)
		munmap(nf->umem, nf->umem_size);
	free(nf->in_lanes);
	free(nf->out_lanes);
	free(nf->peers);
	free(nf);
}

int nfv_id(const struct nfv *nf)
{
	return nf ? nf->id : nfv_err(-EINVAL);
}

int nfv_service(const struct nfv *nf)
{
	return nf ? nf->service : nfv_err(-EINVAL);
}

int nfv_port_by_name(const struct nfv *nf, const char *ifname)
{
	int i;

	if (!nf || !ifname)
		return nfv_err(-EINVAL);
	for (i = 1; i < NFV_PORT_MAX; i++) {
		const struct nfv_tables_port *p = &nf->tables->ports[i];

		if (p->ifindex && !strncmp(p->name, ifname, sizeof(p->name)))
			return i;
	}
	return nfv_err(-ENOENT);
}

bool nfv_pkt_may_override(const struct nfv *nf, const struct nfv_pkt *pkt)
{
	if (!nf || !pkt || pkt->meta->chain > NFV_CHAIN_MAX)
		return false;
	return !(nf->tables->chains[pkt->meta->chain].flags &
		 NFV_CHAIN_F_NO_OVERRIDE);
}
