// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What becomes of a frame once its handler is done: the action it was
 * given (NFV_NEXT, NFV_DROP, NFV_TO_SERVICE, NFV_OUT) applied along its
 * chain's hops, taps included: onto the lane to a replica of the next
 * service, onto a port's tx ring (or, for a read-only NF, to nfvd; in
 * NSH for an nsh hop, nsh.c), or back to nfvd.  Every move is logged
 * (frames.h); lanes are published and tx rings kicked by tx.c, once per
 * batch.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "frames.h"

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

/*
 * Over its frame budget, or its lane from us cut (nfvd says: our
 * accounts of it and @target's disagree): it gets nothing from us.
 */
static inline bool over_budget(const struct nfv *nf, uint16_t target)
{
	return __atomic_load_n(&nf->tables->fb[target].over,
			       __ATOMIC_RELAXED) ||
	       (__atomic_load_n(&nf->tables->cut[target][nf->id / 64],
				__ATOMIC_RELAXED) >> (nf->id % 64) & 1);
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

/* Bit @c of @touched: a lane to @c was checked and written this batch. */
static inline bool touched_now(const uint64_t *touched, uint16_t c)
{
	return touched[c / 64] & 1ULL << (c % 64);
}

/* Onto lane @l to NF @target: false if it is full (or there is none). */
static __always_inline bool enqueue(struct nfv_lane_tx *l,
				    const struct nfv_pkt *pkt,
				    uint16_t target, uint8_t hop,
				    uint8_t budget, uint16_t flags,
				    uint64_t *touched)
{
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

/*
 * Service @sid's replica for @pkt (*@target) and the lane to it, for a
 * frame to hand on: *@target 0 if there is none or if that replica is
 * over its frame budget (counted).  A replica this batch already handed
 * frames to was checked then: its bucket is all we look at (what nfvd
 * changes meanwhile reaches the next batch, microseconds later).
 */
static __always_inline struct nfv_lane_tx *
next_lane(struct nfv *nf, const struct nfv_pkt *pkt, uint16_t sid,
	  const uint64_t *touched, uint16_t *target)
{
	if (sid && sid <= NFV_SERVICE_MAX) {
		const struct nfv_service *svc = &nf->tables->services[sid];

		*target = svc->buckets[pkt->meta->hash % NFV_BUCKETS];
		if (svc->n_live && *target && *target < NFV_NF_MAX &&
		    touched_now(touched, *target))
			return &nf->out_lanes[*target];
	}
	*target = pick_replica(nf, pkt, sid);
	if (!*target) {
		nf->cnt->no_replica++;
		return NULL;
	}
	if (over_budget(nf, *target)) {
		nf->cnt->overrun++;
		*target = 0;
		return NULL;
	}
	return out_lane(nf, *target);
}

static __always_inline void to_service(struct nfv *nf, struct nfv_pkt *pkt,
				       uint16_t sid, uint64_t *touched)
{
	struct nfv_lane_tx *l;
	uint16_t target;

	if (!pkt->budget) {
		nf->cnt->loop_drop++;
		goto drop;
	}
	l = next_lane(nf, pkt, sid, touched, &target);
	if (!target)
		goto drop;
	if (!enqueue(l, pkt, target, (uint8_t)pkt->hop,
		     (uint8_t)(pkt->budget - 1), 0, touched)) {
		nf->cnt->ring_full++;
		/* Full: the next burst waits for room (rx.c). */
		nf->bp_full[target / 64] |= 1ULL << (target % 64);
		goto drop;
	}
	nfv_frame_log(nf, pkt->addr, NFV_LOG_SEND, target);
	nf->cnt->next++;
	nfv_frame_done(nf, pkt);
	return;
drop:
	nfv_frame_drop(nf, pkt);
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
	    !enqueue(out_lane(nf, target), pkt, target, 0, 0,
		     NFV_DESC_F_TAP, touched)) {
		nf->cnt->tap_overflow++;
		return;
	}
	nfv_frame_log(nf, pkt->addr, NFV_LOG_TAP, target);
}

/* A tap NF is done with a reference. */
static void release_tap(struct nfv *nf, struct nfv_pkt *pkt)
{
	nfv_frame_log(nf, pkt->addr, NFV_LOG_TAP_DONE, 0);
	nf->kick_nfvd = true;
	nfv_frame_done(nf, pkt);
}

/*
 * No tx socket on the port: a read-only NF never has one, a writable one
 * not yet when a chain added after it attached goes there (nfvd grants it
 * a round trip later).  Hand the frame to nfvd, which transmits it after
 * checking that we hold it and that our chains reach the port (lane 0,
 * the port in the descriptor's hop).
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
	nfv_frame_log(nf, pkt->addr, NFV_LOG_SEND, 0);
	nf->relay_pending = true;
	return true;
}

static void to_port(struct nfv *nf, struct nfv_pkt *pkt, uint16_t port)
{
	struct nfv_xsk *x = port < NFV_PORT_MAX ? nf->tx_of_port[port] : NULL;
	struct xdp_desc *d;
	uint32_t idx;

	if (!x) {
		if (port && port < NFV_PORT_MAX && to_nfvd(nf, pkt, port)) {
			nf->cnt->tx++;
			nfv_frame_done(nf, pkt);
			return;
		}
		nf->cnt->ring_full++;
		nfv_frame_drop(nf, pkt);
		return;
	}
	if (xsk_ring_prod__reserve(&x->tx, 1, &idx) != 1) {
		nf->cnt->ring_full++;
		nfv_frame_drop(nf, pkt);
		return;
	}
	d = xsk_ring_prod__tx_desc(&x->tx, idx);
	d->addr = pkt->addr;
	d->len = pkt->len;
	d->options = 0;
	nfv_frame_log(nf, pkt->addr, NFV_LOG_TX, port);
	nf->tx_pending_ports |= 1u << port;
	nf->cnt->tx++;
	nfv_frame_done(nf, pkt);
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
		/* Most hops: the next service. */
		if (__builtin_expect(h->type == NFV_HOP_SERVICE, 1)) {
			to_service(nf, pkt, h->arg, touched);
			return;
		}
		switch (h->type) {
		case NFV_HOP_OUT:
			to_port(nf, pkt, h->arg);
			return;
		case NFV_HOP_NSH:
			if (!nfv_nsh_push(nf, pkt, c->nsh_spi))
				goto drop;
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
	nfv_frame_drop(nf, pkt);
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
		nfv_frame_drop(nf, pkt);
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
		nfv_frame_drop(nf, pkt);
		break;
	}
}

/*
 * A run: frames of one chain at one hop, off one lane, that go on
 * (NFV_NEXT) to one replica of the next service, as most of a batch
 * does.  act() resolves the first; the rest of the run compare their
 * chain, hop, lane and bucket with it and go onto its lane.  What act()
 * and next_lane() check per frame (the chain's hop, the service, the
 * replica) is then checked once a batch, as next_lane() already does
 * for a replica: nfvd's changes reach the next batch.  The frame's own
 * words (action, flags, hop, budget, lane, chain, hash) are still read
 * and checked per frame.
 */
struct act_run {
	struct nfv_lane_tx *l;		/* NULL: no run */
	const uint16_t *buckets;	/* the next service's */
	uint64_t send;			/* its SEND entry, frame left out */
	uint64_t key;			/* hop, flags 0, lane: pkt_word() */
	uint32_t taken;			/* frames run_go() put on the lane */
	uint16_t chain;
	uint16_t target;
	uint16_t lane;			/* the lane they came on, 0: none */
};

/*
 * @pkt's hop, flags, budget and lane, in one word (adjacent in struct
 * nfv_pkt); @key_mask keeps all but the budget.
 */
static __always_inline uint64_t pkt_word(const struct nfv_pkt *pkt)
{
	uint64_t w;

	memcpy(&w, (const char *)pkt + offsetof(struct nfv_pkt, hop),
	       sizeof(w));
	return w;
}

static_assert(offsetof(struct nfv_pkt, flags) ==
	      offsetof(struct nfv_pkt, hop) + 2 &&
	      offsetof(struct nfv_pkt, budget) ==
	      offsetof(struct nfv_pkt, hop) + 4 &&
	      offsetof(struct nfv_pkt, lane) ==
	      offsetof(struct nfv_pkt, hop) + 6,
	      "struct nfv_pkt: hop, flags, budget and lane in a row");

static inline uint64_t pkt_word_of(uint16_t hop, uint16_t flags,
				   uint16_t budget, uint16_t lane)
{
	struct nfv_pkt p = { .hop = hop, .flags = flags, .budget = budget,
			     .lane = lane };

	return pkt_word(&p);
}

#define RUN_KEY_MASK	pkt_word_of(0xffff, 0xffff, 0, 0xffff)
#define RUN_BUDGET_MASK	pkt_word_of(0, 0, 0xffff, 0)

/*
 * A frame served at @hop of @chain with @hash, off lane @lane, went on
 * with NFV_NEXT: the run it starts, if it went straight onto a lane to a
 * service.
 */
static struct act_run run_start(struct nfv *nf, uint16_t chain, uint16_t hop,
				uint32_t hash, uint16_t lane,
				const uint64_t *touched)
{
	struct act_run r = { .l = NULL };
	const struct nfv_service *svc;
	const struct nfv_chain *c;
	const struct nfv_hop *h;
	uint16_t target;

	if (chain > NFV_CHAIN_MAX)
		return r;
	c = &nf->tables->chains[chain];
	if (hop + 1 >= c->n_hops || hop + 1 >= NFV_HOPS_MAX)
		return r;
	h = &c->hops[hop + 1];
	if (h->type != NFV_HOP_SERVICE || !h->arg ||
	    h->arg > NFV_SERVICE_MAX)
		return r;
	svc = &nf->tables->services[h->arg];
	target = svc->buckets[hash % NFV_BUCKETS];
	if (!svc->n_live || !target || target >= NFV_NF_MAX)
		return r;
	/*
	 * Handed a frame this batch: its lane was checked then.  If not,
	 * what next_lane() checks, on a lane already started (starting
	 * one may ask nfvd, which act() would then ask again); what it
	 * would count, act() counts.  A lane found full this batch, or
	 * full now, starts no run: its frames would each try it twice.
	 */
	if (nf->bp_full[target / 64] & 1ULL << (target % 64))
		return r;
	if (!touched_now(touched, target) &&
	    (nf->tables->nfs[target].state != NFV_NF_STATE_UP ||
	     over_budget(nf, target) || !nf->out_lanes[target].prod_word ||
	     nf->out_lanes[target].peer_gen !=
	     __atomic_load_n(&nf->tables->nfs[target].gen, __ATOMIC_ACQUIRE)))
		return r;
	if (!nfv_lane_free(&nf->out_lanes[target], 1))
		return r;
	r.l = &nf->out_lanes[target];
	r.buckets = svc->buckets;
	r.send = nfv_log_entry(0, NFV_LOG_SEND, target);
	r.key = pkt_word_of(hop, 0, 0, lane);
	r.taken = 0;
	r.chain = chain;
	r.target = target;
	r.lane = lane;
	return r;
}

/*
 * The frames run @r took off their lane have their last entries written:
 * the lane may show them no longer (once the log is submitted), and
 * their promise of log room is kept.  Once a run, not once a frame.
 */
static void run_end(struct nfv *nf, const struct act_run *r)
{
	struct nfv_lane_rx *in;

	if (!r->taken)
		return;
	nf->cnt->next += r->taken;
	nf->log.reserved -= LOG_PER_FRAME * r->taken;
	/* The caller's struct: a lane id it overwrote goes nowhere. */
	if (!r->lane || r->lane >= NFV_NF_MAX)
		return;
	in = &nf->in_lanes[r->lane];
	in->open -= in->open < r->taken ? in->open : r->taken;
}

/*
 * Frames of @pkts (@n) onto run @r's lane while they belong to the run
 * and it has room: how many.  At most as many as the lane and the log
 * have slots in a row: the loop walks both by pointer (a run cut at the
 * end of a ring starts again at its head, with the next frame).
 */
static __always_inline uint32_t run_go(struct nfv *nf, const struct act_run *r,
				       struct nfv_pkt *pkts, uint32_t n,
				       bool readonly, bool reattached)
{
	struct nfv_lane_tx *l = r->l;
	uint32_t prod = l->prod, lprod = nf->log.prod;
	uint32_t lane_row = NFV_LANE_SIZE - (prod & (NFV_LANE_SIZE - 1));
	uint32_t log_row = nf->log.size - (lprod & nf->log.mask);
	struct nfv_desc *d = &l->descs[prod & (NFV_LANE_SIZE - 1)];
	uint64_t *e = &nf->log.entries[lprod & nf->log.mask];
	const uint16_t *buckets = r->buckets;
	uint64_t key = r->key, send = r->send;
	uint16_t chain = r->chain, target = r->target;
	uint32_t shift = nf->frame_shift, taken;
	struct nfv_pkt *pkt = pkts, *end;

	n = nfv_lane_free(l, n);
	n = n < lane_row ? n : lane_row;
	n = n < log_row ? n : log_row;
	for (end = pkts + n; pkt < end; pkt++, d++, e++) {
		struct nfv_xdp_meta *meta = pkt->meta;
		uint64_t w = pkt_word(pkt), addr = pkt->addr;
		uint8_t hop = (uint8_t)(pkt->hop + 1);

		/* Held across a reattach: for the outer loop to skip. */
		if (reattached && nfv_pkt_stale(nf, pkt))
			break;
		if (pkt->action != NFV_NEXT || (w & RUN_KEY_MASK) != key ||
		    !(w & RUN_BUDGET_MASK) ||
		    __atomic_load_n(&meta->chain, __ATOMIC_RELAXED) != chain ||
		    buckets[meta->hash % NFV_BUCKETS] != target)
			break;
		/* The frame is gone: pkt->hop stays as the handler saw it. */
		if (!readonly)
			meta->hop = hop;
		d->addr = addr;
		d->len = pkt->len;
		d->hop = hop;
		d->budget = (uint8_t)(pkt->budget - 1);
		d->flags = 0;
		*e = send | (uint32_t)(addr >> shift);
	}
	taken = (uint32_t)(pkt - pkts);
	l->prod = prod + taken;
	nf->log.prod = lprod + taken;
	return taken;
}

/* run_go() built for each case, so that none is tested per frame. */
static uint32_t run_go_any(struct nfv *nf, const struct act_run *r,
			   struct nfv_pkt *pkts, uint32_t n)
{
	bool readonly = nf->flags & NFV_NF_F_READONLY;

	if (nf->reattached)
		return readonly ? run_go(nf, r, pkts, n, true, true) :
				  run_go(nf, r, pkts, n, false, true);
	return readonly ? run_go(nf, r, pkts, n, true, false) :
			  run_go(nf, r, pkts, n, false, false);
}

void nfv_act_burst(struct nfv *nf, struct nfv_pkt *pkts, int n,
		   uint64_t *touched)
{
	bool reattached = nf->reattached;
	struct act_run run;
	int i;

	for (i = 0; i < n; i++) {
		struct nfv_pkt *pkt = &pkts[i];

		/* Held across a reattach: its UMEM went with the old nfvd. */
		if (reattached && nfv_pkt_stale(nf, pkt))
			continue;
		/* What act() reads of the frame, read as it does. */
		if (pkt->action == NFV_NEXT && !pkt->flags) {
			run = run_start(nf, __atomic_load_n(&pkt->meta->chain,
							    __ATOMIC_RELAXED),
					pkt->hop, pkt->meta->hash, pkt->lane,
					touched);
			run.taken = run.l ? run_go_any(nf, &run, pkt,
						       (uint32_t)(n - i)) : 0;
			if (run.taken) {
				touched[run.target / 64] |=
					1ULL << (run.target % 64);
				run_end(nf, &run);
				i += (int)run.taken - 1;
				continue;
			}
		}
		act(nf, pkt, touched);
	}
}
