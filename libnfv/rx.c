// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Receive: frames off the AF_XDP rx rings of our sockets and off the
 * lanes other NFs fill for us, each taken into custody (frames.h), and
 * the wait for more (need_wakeup poll, doorbells, the control socket).
 */
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>

#include "frames.h"

/* A descriptor's frame: in the UMEM, room for the metadata, not longer
 * than the frame.  Descriptors from other processes get this check.
 */
static inline bool frame_ok(uint64_t umem_bytes, uint32_t frame_size,
			    uint64_t addr, uint32_t len)
{
	/* Room for the frame after the metadata, at most. */
	uint64_t room = frame_size - sizeof(struct nfv_xdp_meta);
	uint64_t off = addr & (frame_size - 1);

	/* ETH_HLEN <= len <= room, then off - meta (huge when off < meta)
	 * at most room - len: three compares.
	 */
	return addr < umem_bytes &&
	       (uint64_t)len - ETH_HLEN <= room - ETH_HLEN &&
	       off - sizeof(struct nfv_xdp_meta) <= room - len;
}

static inline bool desc_ok(const struct nfv *nf, uint64_t addr, uint32_t len)
{
	return frame_ok(nf->umem_bytes, nf->frame_size, addr, len);
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
		nfv_frame_log(nf, addr, NFV_LOG_TAKE_RX,
			      NFV_LOG_RXSOCK(x->port, x->queue));
		take(nf, &pkts[got], addr, len, 0, NFV_MOVE_BUDGET, 0);
		nf->log.reserved += LOG_PER_FRAME;
		if (pkts[got].meta->magic != NFV_META_MAGIC) {
			/* Not stamped by our classifier: don't trust it. */
			nf->cnt->bad_desc++;
			nfv_frame_drop(nf, &pkts[got]);
			continue;
		}
		pkts[got].hop = pkts[got].meta->hop;
		if (pkts[got].meta->flags & NFV_META_F_CSUM_PARTIAL)
			nf->csum_partial = true;
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
 * A descriptor on the lane from NF @p that is not a plain frame: a tap
 * reference (taken with TAP_TAKE: its lane entry can go at once) or one
 * we cannot work on.  1 if it is taken into *@pkt.
 */
static int rx_lane_odd(struct nfv *nf, uint16_t p, const struct nfv_desc *d,
		       struct nfv_pkt *pkt, bool *logged)
{
	bool tap = d->flags & NFV_DESC_F_TAP;

	if (!desc_ok(nf, d->addr, d->len)) {
		nf->cnt->bad_desc++;
		if (d->addr >= nf->umem_bytes)
			return 0;	/* not even a frame */
		/*
		 * A frame, but nothing we can work on: give it back.  If @p
		 * really sent it, nfvd frees it; if not, nfvd refuses the
		 * entry.  Never followed.
		 */
		if (tap)
			nfv_frame_log(nf, d->addr, NFV_LOG_TAP_TAKE, p);
		nfv_frame_log(nf, d->addr, tap ? NFV_LOG_TAP_DONE :
						 NFV_LOG_DROP, 0);
		*logged = true;
		nf->kick_nfvd = true;
		return 0;
	}
	if (!tap) {
		take(nf, pkt, d->addr, d->len, d->hop, d->budget, 0);
		pkt->lane = p;
		return 1;
	}
	nfv_frame_log(nf, d->addr, NFV_LOG_TAP_TAKE, p);
	*logged = true;
	take(nf, pkt, d->addr, d->len, 0, 0, NFV_PKT_F_TAP);
	return 1;
}

/*
 * A descriptor the producer may be writing, read once: what is checked
 * is what is used, the compiler may not load a field again.
 */
static __always_inline struct nfv_desc nfv_desc_read(const struct nfv_desc *d)
{
	struct nfv_desc dd;

	dd.addr = __atomic_load_n(&d->addr, __ATOMIC_RELAXED);
	dd.len = __atomic_load_n(&d->len, __ATOMIC_RELAXED);
	dd.hop = __atomic_load_n(&d->hop, __ATOMIC_RELAXED);
	dd.budget = __atomic_load_n(&d->budget, __ATOMIC_RELAXED);
	dd.flags = __atomic_load_n(&d->flags, __ATOMIC_RELAXED);
	return dd;
}

/*
 * The plain descriptors of @n in a row from @d on, into @pkt (lane @p):
 * how many, up to the first that is not one.  Each is read once, into
 * locals, and checked before its frame is used: the producer may write
 * them as we read.  @csum: look for frames whose L4 checksum is left to
 * us (into *@partial).
 */
static __always_inline uint32_t take_plain(const struct nfv_desc *d,
					   uint32_t n, struct nfv_pkt *pkt,
					   uint8_t *umem, uint64_t umem_bytes,
					   uint32_t frame_size, uint16_t p,
					   bool csum, uint8_t *partial)
{
	const struct nfv_desc *first = d, *end = d + n;
	uint8_t flags = 0;

	for (; d < end; d++, pkt++) {
		struct nfv_desc dd = nfv_desc_read(d);

		if (__builtin_expect(dd.flags ||
				     !frame_ok(umem_bytes, frame_size,
					       dd.addr, dd.len), 0))
			break;
		pkt->addr = dd.addr;
		pkt->data = umem + dd.addr;
		pkt->len = dd.len;
		pkt->meta = (struct nfv_xdp_meta *)(pkt->data -
						    sizeof(*pkt->meta));
		pkt->action = NFV_NEXT;
		pkt->hop = dd.hop;
		pkt->budget = dd.budget;
		pkt->flags = 0;
		pkt->lane = p;
		if (csum)
			flags |= pkt->meta->flags;
	}
	*partial |= flags;
	return (uint32_t)(d - first);
}

/*
 * Frames on the lane from NF @p.  No TAKE entry for them: the next entry
 * of each says we took it (nfvd checks it was on its way to us), and the
 * lane keeps showing it until that entry is published.  Plain ones are
 * taken by take_plain(), in runs as long as the ring has them in a row.
 */
static int rx_lane(struct nfv *nf, uint16_t p, struct nfv_pkt *pkts, int max)
{
	struct nfv_lane_rx *l = &nf->in_lanes[p];
	const struct nfv_desc *descs = l->descs;
	struct nfv_pkt *pkt = pkts;
	int jump = 0, taps = 0;
	bool logged = false, csum;
	uint8_t partial = 0;
	uint32_t n, i, read;

	if (!l->prod_word)
		return 0;
	n = nfv_lane_avail(l, (uint32_t)max, &jump);
	if (jump)
		nf->cnt->bad_desc++;
	/*
	 * A writable NF completes every checksum left partial before its
	 * handler runs (nfv_rx_burst()): only frames from a read-only one
	 * may still need it, and only a writable one can do it.  (One that
	 * sets the flag again itself could as well write a bad checksum.)
	 */
	csum = !(nf->flags & NFV_NF_F_READONLY) &&
	       (nf->tables->nfs[p].flags & NFV_NF_F_READONLY);
	read = l->read;
	for (i = 0; i < n;) {
		uint32_t at = (read + i) & (NFV_LANE_SIZE - 1);
		uint32_t row = n - i < NFV_LANE_SIZE - at ? n - i :
							      NFV_LANE_SIZE - at;
		uint32_t k = csum ?
			take_plain(descs + at, row, pkt, nf->umem,
				   nf->umem_bytes, nf->frame_size, p, true,
				   &partial) :
			take_plain(descs + at, row, pkt, nf->umem,
				   nf->umem_bytes, nf->frame_size, p, false,
				   &partial);
		struct nfv_desc d;

		pkt += k;
		i += k;
		if (k == row)
			continue;
		d = nfv_desc_read(&descs[(read + i++) & (NFV_LANE_SIZE - 1)]);
		if (rx_lane_odd(nf, p, &d, pkt, &logged)) {
			if (pkt->flags & NFV_PKT_F_TAP)
				taps++;
			else
				partial |= pkt->meta->flags;
			pkt++;
		}
	}
	/* Log room for what they may still need (frames.h). */
	nf->log.reserved += LOG_PER_FRAME * (uint32_t)(pkt - pkts);
	if (partial & NFV_META_F_CSUM_PARTIAL)
		nf->csum_partial = true;
	if (n) {
		if (logged)
			nfv_log_submit(&nf->log);
		/* Taps were taken with an entry of their own. */
		nfv_lane_consume(l, n, (uint32_t)(pkt - pkts - taps));
		nfv_lane_settle(l);
	}
	return (int)(pkt - pkts);
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
	__atomic_store_n(nf->sleeping, NFV_SLEEP_IDLE, __ATOMIC_SEQ_CST);
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

/*
 * Backpressure.  A frame handed to a full lane is dropped, after every NF
 * before it did its work on it: under overload a chain would spend most
 * of its CPU on frames it then drops.  So we take no more frames than
 * the lanes our last burst fed have room for, and while they have none
 * we leave ours where they are (on our rx rings, whose overflow the
 * kernel drops before anyone worked on it; on the lanes into us, whose
 * producers then wait in turn).
 *
 * Room is that of the lane with the most: a full lane to one consumer
 * does not hold up frames for others.  Not woken within NFV_BP_WAIT_NS
 * (a consumer stopped, hung or hostile), we wait no longer: we go on and
 * drop what does not fit until that lane is half drained.
 */
#define NFV_BP_WAIT_NS		20000000

static uint32_t bp_room(struct nfv *nf, uint32_t max)
{
	uint32_t room = 0, r;
	bool any = false;
	int w;

	for (w = 0; w < NFV_NF_MAX / 64; w++) {
		uint64_t bits = nf->bp_fed[w];

		while (bits) {
			int c = w * 64 + __builtin_ctzll(bits);
			struct nfv_lane_tx *l = &nf->out_lanes[c];
			const struct nfv_peer *p = &nf->peers[c];
			uint64_t bit = 1ULL << (c % 64);

			bits &= bits - 1;
			/* Its consumer gone or new: nothing to wait for. */
			if (!p->seg || !l->prod_word || l->peer_gen != p->gen)
				return max;
			if (nf->bp_off[w] & bit) {
				if (nfv_lane_free(l, NFV_LANE_SIZE / 2) <
				    NFV_LANE_SIZE / 2)
					return max;
				nf->bp_off[w] &= ~bit;
			}
			any = true;
			r = nfv_lane_free(l, max);
			if (r >= max)
				return max;
			if (r > room)
				room = r;
		}
	}
	return any ? room : max;
}

/*
 * Sleep until a consumer we wait for has drained half its lane (it
 * writes our doorbell when it sees NFV_SLEEP_ROOM: tx.c), the control
 * socket speaks or @left_ns pass.  No wake-up is lost: we write
 * "sleeping", then read their indices; they publish their index, then
 * read "sleeping"; both with full fences.  1: @left_ns passed and nobody
 * woke us; 0: woken (or room already); a negative errno.
 */
static int wait_room(struct nfv *nf, uint64_t left_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(left_ns / 1000000000),
			       .tv_nsec = (long)(left_ns % 1000000000) };
	struct pollfd pfd[2] = { { .fd = nf->doorbell, .events = POLLIN },
				 { .fd = nf->ctl, .events = POLLIN } };
	uint64_t v;
	int ret;

	__atomic_store_n(nf->sleeping, NFV_SLEEP_ROOM, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (bp_room(nf, 1)) {
		__atomic_store_n(nf->sleeping, 0, __ATOMIC_RELAXED);
		return 0;
	}
	ret = ppoll(pfd, 2, &ts, NULL);
	__atomic_store_n(nf->sleeping, 0, __ATOMIC_RELAXED);
	if (ret < 0)
		return -errno;
	if (!ret)
		return 1;
	if (pfd[0].revents & POLLIN) {
		(void)!read(nf->doorbell, &v, sizeof(v));
		nf->rang = true;
	}
	if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
		return nfv_nf_handle_ctl(nf);
	return 0;
}

/* Waited long enough: the lanes we fed hold us no more (bp_room()). */
static void bp_give_up(struct nfv *nf)
{
	int w;

	for (w = 0; w < NFV_NF_MAX / 64; w++)
		nf->bp_off[w] |= nf->bp_fed[w];
	nf->bp_since = 0;
	if (!nf->stop)
		nf->cnt->bp_timeouts++;
}

/*
 * Every lane we fed is full: wake their consumers and wait for room.
 * 1: look again; 0: nobody gave us room within NFV_BP_WAIT_NS, take
 * frames anyway; a negative errno from the control socket.
 */
static int bp_wait(struct nfv *nf, int timeout_ms)
{
	uint64_t now = nfv_now_ns();
	int w, ret;

	if (!nf->bp_since) {
		nf->bp_since = now;
		nf->cnt->bp_waits++;
	}
	if (now - nf->bp_since >= NFV_BP_WAIT_NS || nf->stop) {
		bp_give_up(nf);
		return 0;
	}
	for (w = 0; w < NFV_NF_MAX / 64; w++)
		nf->wake_owed[w] |= nf->bp_fed[w];
	nf->wake_any = true;
	nfv_lanes_wake(nf);
	if (!timeout_ms || nf->busy_poll)
		return 1;
	ret = wait_room(nf, NFV_BP_WAIT_NS - (now - nf->bp_since));
	if (ret < 0)
		return ret;
	if (ret) {
		bp_give_up(nf);
		return 0;
	}
	return 1;
}

/* At most every 100 ms: a peer that rings for nothing costs little. */
static bool refresh_due(struct nfv *nf)
{
	uint64_t now = nfv_now_ms();

	if (now - nf->refreshed_ms < 100)
		return false;
	nf->refreshed_ms = now;
	return true;
}

int nfv_rx_burst(struct nfv *nf, struct nfv_pkt *pkts, int max,
		 int timeout_ms)
{
	int got, err, i, wait;
	bool capped;

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
		int room = max;

		if (nf->bp_any) {
			room = (int)bp_room(nf, (uint32_t)max);
			if (room)
				nf->bp_since = 0;
		}
		if (!room) {
			err = bp_wait(nf, timeout_ms);
			if (err == -EINTR)
				return 0;
			if (err < 0 &&
			    !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
				return nfv_err(err);
			if (err && !timeout_ms)
				return 0;	/* nothing we may take now */
			if (err)
				continue;
			room = max;
		}
		got = rx_scan(nf, pkts, room);
		if (got == room) {
			nf->sched_full = true;
			if (++nf->full_run >= NFV_SCHED_BUSY_BURSTS &&
			    nf->sched_auto && !nf->sched_batch)
				nfv_sched_busy(nf);
		} else {
			nf->full_run = 0;
		}
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
		/* Short of a full burst: wake whom we fed (tx.c). */
		if (nf->wake_any &&
		    (got < max || ++nf->wake_age >= NFV_WAKE_BURSTS))
			nfv_lanes_wake(nf);
		if (got || !timeout_ms || nf->stop)
			break;
		if (nf->busy_poll) {
			/* Spin, but keep the control channel serviced. */
			if ((++nf->rr & 1023) == 0) {
				err = nfv_nf_handle_ctl(nf);
				if (err && !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
					return nfv_err(err);
			}
			nfv_nfvd_kick(nf);
			continue;
		}
		if (nf->tx_pending_ports)
			nfv_tx_flush(nf);
		nfv_nfvd_kick(nf);
		/* Out of log room: nfvd will make some; look again soon. */
		wait = (nf->tx_pending_ports ||
			!nfv_log_free(&nf->log, LOG_PER_FRAME + 2)) &&
		       timeout_ms < 0 ? 1 : timeout_ms;
		capped = false;
		if (nf->sched_batch)	/* SCHED_OTHER again when idle */
			wait = nfv_sched_idle(nf, wait, &capped);
		err = wait_rx(nf, wait);
		if (err == -EINTR)
			break;
		/* nfvd gone: attach again, the caller never knows. */
		if (err && !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
			return nfv_err(err);
		/* Cut short for the policy: the caller's wait goes on. */
		if (!err && capped) {
			if (timeout_ms > 0)
				timeout_ms = timeout_ms > wait ?
					     timeout_ms - wait : 0;
			continue;
		}
		/*
		 * Attached again: a last scan, then back to the caller, even
		 * without frames: the run loop has counters to publish anew
		 * (the new nfvd knows none) and would not wake for them.
		 */
		if (err)
			timeout_ms = 0;
		if (timeout_ms > 0)
			timeout_ms = 0;	/* one wait, then a last scan */
	}
	nf->cnt->rx += (uint64_t)got;
	/* Seen by the intake (rx_xsk(), rx_lane()): not looked for again. */
	if (nf->csum_partial && !(nf->flags & NFV_NF_F_READONLY)) {
		for (i = 0; i < got; i++) {
			if (pkts[i].meta->flags & NFV_META_F_CSUM_PARTIAL &&
			    !(pkts[i].flags & NFV_PKT_F_TAP))
				nfv_complete_csum(nf, &pkts[i]);
		}
	}
	nf->csum_partial = false;
	return got;
}
