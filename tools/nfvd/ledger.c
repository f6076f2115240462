// SPDX-License-Identifier: GPL-2.0
/*
 * The frame ledger: where every frame of the UMEM is, by nfvd's own
 * account.  Private memory; nobody else writes it.
 *
 * A frame is in exactly one state:
 *
 *   FREE     on nfvd's free list
 *   FILL     in the fill ring of pool @where, at position @pos
 *   KERNEL   taken from that fill ring by the kernel (in an rx ring)
 *   HELD     held by NF @who
 *   TRANSIT  on the lane from NF @who to NF @to (0: to nfvd, the NF's
 *            relay lane)
 *   TX       on a tx ring for port @where, sent by NF @who (0: nfvd)
 *   TAPPED   done with, but for tap references (@taps of them)
 *
 * and moves only as nfvd sees it move: fill and completion rings (nfvd's
 * own and the kernel's) and the custody logs NFs write (shm.h).  A log
 * entry is applied only if it agrees with the ledger: an NF can log that
 * it took a frame that was on a lane to it, sent or dropped a frame it
 * holds, transmitted one on a port it has a tx socket for.  Anything else
 * is refused and counted: a hostile NF can lose frames it was given, and
 * no others.  A completion frees a frame only if it was on a tx ring of
 * that port: an NF that puts another's frame on its tx ring gets it
 * transmitted (it could read it anyway) but not freed.
 *
 * The logs are applied in the order each NF wrote them; between NFs the
 * order is causality: a consumer's first entry for a frame is published
 * after the producer's SEND (the producer publishes its log before its
 * lane).  Lane frames have no TAKE entry: the next entry of the consumer
 * (SEND, TAP, TX, DROP) takes a frame that is on a lane to it (hold()),
 * and libnfv keeps the lane's index behind the frame until then.  An
 * entry whose precondition does not hold yet waits for the NF that has
 * the frame now; ledger_drain() runs every log until nothing moves, then
 * refuses heads that can never apply (nobody on the frame's way has
 * anything more to say, or the wait is a cycle, which only lying logs
 * make).
 *
 * Charges: a frame is charged to the NF that holds it, to the consumer of
 * the lane it is on, and a tap reference to its tap.  An NF whose charge
 * passes its budget gets no new frames (tables: fb.over; XSKMAP: its rx
 * sockets out) until it is back under three quarters of it.  Frames it
 * transmits are the kernel's until their completion, not charged, but
 * bounded by what its tx rings and the completion rings can hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "closer.h"
#include "ledger.h"
#include "nfvd.h"
#include "tables.h"
#include "umem.h"

#define TAP_HELD	0xffff		/* nf->tap[f]: reference held */
#define LOG_WAIT_NS	(1000 * 1000000ULL)
/* Frames sent over cut lanes not counted against a budget. */
#define OWED_MAX	(2 * NFV_LANE_SIZE)
/*
 * A send past a lane's worth waits this long at most for its consumer's
 * log (refuse_stuck()): an honest consumer's takes were published before
 * its lane index moved, and apply in the same drain.
 */
#define CAP_WAIT_NS	(20 * 1000000ULL)
/* Passes again for a peer that published meanwhile (a liar that keeps
 * publishing gets no more than these).
 */
#define DRAIN_AGAIN_MAX	2

static inline uint32_t frame_of(const struct nfvd *d, uint64_t addr)
{
	/* A power of two (main.c): no division per frame. */
	return (uint32_t)(addr >> __builtin_ctz(d->cfg.frame_size));
}

int ledger_init(struct nfvd *d)
{
	uint32_t i;

	d->lf = calloc(d->cfg.frames, sizeof(*d->lf));
	d->free_list = calloc(d->cfg.frames, sizeof(*d->free_list));
	d->census_pos = calloc(d->cfg.frames, sizeof(*d->census_pos));
	if (!d->lf || !d->free_list || !d->census_pos)
		return -ENOMEM;
	/* Hand out low frames first: easier to read in a debugger. */
	for (i = 0; i < d->cfg.frames; i++)
		d->free_list[i] = d->cfg.frames - 1 - i;
	d->n_free = d->cfg.frames;
	return 0;
}

void ledger_fini(struct nfvd *d)
{
	free(d->lf);
	free(d->free_list);
	free(d->census_pos);
}

static void lf_free(struct nfvd *d, uint32_t f)
{
	struct nfvd_frame *l = &d->lf[f];

	memset(l, 0, sizeof(*l));
	l->state = LF_FREE;
	d->free_list[d->n_free++] = f;
}

/* The inline path is done with @f: free it, or wait for its taps. */
static void release(struct nfvd *d, uint32_t f)
{
	struct nfvd_frame *l = &d->lf[f];

	if (l->taps) {
		l->state = LF_TAPPED;
		l->who = l->to = 0;
		return;
	}
	lf_free(d, f);
}

static inline void charge(struct nfvd *d, uint16_t id, int n)
{
	if (id && id < NFV_NF_MAX)
		d->nfs[id].charge += n;
}

int ledger_alloc(struct nfvd *d, uint8_t pool, uint32_t pos, uint32_t *f)
{
	struct nfvd_frame *l;

	if (!d->n_free)
		return -ENOSPC;
	*f = d->free_list[--d->n_free];
	l = &d->lf[*f];
	l->state = LF_FILL;
	l->where = pool;
	l->pos = pos;
	l->taps = 0;
	l->moves = 0;
	return 0;
}

/* A completion on pool @pool: 0 if it freed a frame being sent there. */
static int complete(struct nfvd *d, uint8_t pool, uint64_t addr)
{
	struct nfvd_frame *l;
	uint32_t f;

	if (addr >= d->umem_size)
		return -EINVAL;
	f = frame_of(d, addr);
	l = &d->lf[f];
	if (l->state != LF_TX || l->where != pool)
		return -EINVAL;
	if (l->who && l->who < NFV_NF_MAX)
		d->nfs[l->who].tx_out--;
	release(d, f);
	return 0;
}

void ledger_fill_taken(struct nfvd *d, uint8_t pool, uint32_t pos, uint64_t addr)
{
	struct nfvd_frame *l;

	if (addr >= d->umem_size)
		return;
	l = &d->lf[frame_of(d, addr)];
	/* Taken and gone on already, or filled again elsewhere: not this. */
	if (l->state == LF_FILL && l->where == pool && l->pos == pos)
		l->state = LF_KERNEL;
}

/* Fill entries the kernel took since we last looked: the ledger's now. */
void ledger_pool_taken(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t cons;

	if (!p->bound)
		return;		/* closed: its rings are gone */
	cons = __atomic_load_n(p->fill.consumer, __ATOMIC_ACQUIRE);

	/* The kernel never takes what we did not give: a bad index is
	 * not a reason to read past what we wrote.
	 */
	if (cons - p->fill_seen > UMEM_FILL_SIZE)
		cons = p->fill_seen;
	for (; p->fill_seen != cons; p->fill_seen++)
		ledger_fill_taken(d, p->index, p->fill_seen,
				  *xsk_ring_prod__fill_addr(&p->fill,
							    p->fill_seen));
}

bool ledger_fill_return(struct nfvd *d, uint8_t pool, uint32_t pos,
			uint64_t addr)
{
	struct nfvd_frame *l;
	uint32_t f;

	if (addr >= d->umem_size)
		return false;
	f = frame_of(d, addr);
	l = &d->lf[f];
	if (l->state != LF_FILL || l->where != pool || l->pos != pos)
		return false;
	lf_free(d, f);
	return true;
}

int ledger_complete(struct nfvd *d, uint8_t pool, uint64_t addr,
		    bool drained)
{
	if (!complete(d, pool, addr))
		return 0;
	/* Its TX entry may still be in a log: the caller looks, then asks
	 * again with @drained.
	 */
	if (drained)
		d->forged_tx++;
	return -EAGAIN;
}

/* ---- custody logs ---- */

void ledger_nf_add(struct nfvd *d, struct nfvd_nf *nf)
{
	d->seg_nfs[d->n_seg_nfs++] = nf->id;
}

void ledger_nf_del(struct nfvd *d, struct nfvd_nf *nf)
{
	uint32_t i;

	for (i = 0; i < d->n_seg_nfs; i++)
		if (d->seg_nfs[i] == nf->id) {
			d->seg_nfs[i] = d->seg_nfs[--d->n_seg_nfs];
			return;
		}
}

/* OWED: a move to a consumer whose lane from us is cut (move_ok()). */
enum { APPLIED, WAIT, REFUSED, OWED };

/* A slot whose segment we map (slot 0's never is). */
static inline bool nf_live(const struct nfvd *d, uint16_t id)
{
	return id < NFV_NF_MAX && d->nfs[id].seg;
}

/* Entries NF @id has published that we have not applied. */
static uint32_t log_pending(const struct nfvd *d, const struct nfvd_nf *nf)
{
	uint32_t prod;

	if (!nf->seg)
		return 0;
	prod = __atomic_load_n((const uint32_t *)(nf->seg + d->lay.log_prod),
			       __ATOMIC_ACQUIRE);
	return prod - nf->log_cons;
}

/*
 * The pool index of the NF's rx socket on (@port, @queue), or of its tx
 * socket on @port (@queue < 0), 0xff if it has none (retired ones count:
 * frames may still sit in them).  Kept by nf.c when it binds them.
 */
static inline uint8_t sock_pool(const struct nfvd_nf *nf, uint16_t port,
				int queue)
{
	if (port >= NFV_PORT_MAX || queue >= NFV_QUEUE_MAX)
		return 0xff;
	return queue < 0 ? nf->tx_pool[port] : nf->rx_pool[port][queue];
}

/* The NF whose log may move @l next: its holder, or the consumer of
 * the lane it is on; 0: none (free, with nfvd or with the kernel).
 */
static inline uint16_t custodian(const struct nfvd_frame *l)
{
	return l->state == LF_HELD ? l->who :
	       l->state == LF_TRANSIT ? l->to : 0;
}

/* Taken or to be taken by the kernel: only some NF's TAKE_RX moves it. */
static inline bool with_kernel(const struct nfvd_frame *l)
{
	return l->state == LF_FILL || l->state == LF_KERNEL;
}

/*
 * Whether NF @p may still log the move that sends @l to NF @self: the
 * frame is where @p or an NF before it on the way has entries we have
 * not applied (it holds the frame, or the frame is on a lane to it),
 * or with the kernel (in an rx ring).  The logs are drained one NF
 * after the other, so the frame may be any number of moves behind: the
 * producer's own TAKE may still wait for its producer's SEND.  Where
 * the frame rests with an NF that has nothing more to say, or with
 * @self (its later entries come after this one), no entry can make
 * ours true.
 */
static bool may_come_from(struct nfvd *d, const struct nfvd_frame *l,
			  uint16_t p, uint16_t self)
{
	uint16_t x = custodian(l);

	if (with_kernel(l) || x == p)
		return true;
	return x != self && nf_live(d, x) && log_pending(d, &d->nfs[x]);
}

static int wait_or_refuse(struct nfvd *d, struct nfvd_nf *nf, uint16_t peer,
			  const struct nfvd_frame *l)
{
	if (nf_live(d, peer) && log_pending(d, &d->nfs[peer]) &&
	    (!l || may_come_from(d, l, peer, nf->id))) {
		nf->wait_on = peer;
		return WAIT;
	}
	return REFUSED;
}

/*
 * Frame @l is not NF @nf's (yet): wait while it may still come to it,
 * from whichever NF has it now (any number of moves back, as in
 * may_come_from()), or from the kernel through another NF's TAKE_RX
 * not applied yet.
 */
static int wait_for(struct nfvd *d, struct nfvd_nf *nf,
		    const struct nfvd_frame *l)
{
	uint16_t x;
	uint32_t k;

	if (with_kernel(l)) {
		for (k = 0; k < d->n_seg_nfs; k++) {
			x = d->seg_nfs[k];
			if (x != nf->id && log_pending(d, &d->nfs[x])) {
				nf->wait_on = x;
				return WAIT;
			}
		}
		return REFUSED;
	}
	x = custodian(l);
	if (x == nf->id || !nf_live(d, x) || !log_pending(d, &d->nfs[x]))
		return REFUSED;
	nf->wait_on = x;
	return WAIT;
}

/* NF @nf takes frame @l off the lane it is on to it. */
static inline void lane_take(struct nfvd *d, struct nfvd_nf *nf,
			     struct nfvd_frame *l)
{
	struct nfvd_nf *p = &d->nfs[l->who];

	if (l->owed) {
		/* Still its producer's (a cut lane): ours now. */
		p->owed_out--;
		p->charge--;
		nf->charge++;
		l->owed = false;
	} else {
		/* Charged to us already, as the lane's consumer. */
		p->transit_out--;
		nf->transit_from[l->who]--;
	}
	l->state = LF_HELD;
	l->who = nf->id;
	l->to = 0;
}

/*
 * An entry that moves or gives back frame @l needs NF @nf to hold it.
 * One on a lane to @nf is taken by that entry: consumers log no TAKE
 * for lane frames (the lane keeps showing a frame until its next entry
 * is published: ledger_nf_reap_out()).
 */
static inline int hold(struct nfvd *d, struct nfvd_nf *nf,
		       struct nfvd_frame *l)
{
	if (l->state == LF_HELD && l->who == nf->id)
		return APPLIED;
	if (l->state == LF_TRANSIT && l->to == nf->id) {
		lane_take(d, nf, l);
		return APPLIED;
	}
	return wait_for(d, nf, l);
}

static inline bool is_cut(const struct nfvd *d, uint16_t p, uint16_t c)
{
	return d->tables->cut[c][p / 64] >> (p % 64) & 1;
}

/*
 * The lane from NF @p to NF @c holds all that may be in transit on it by
 * our account, and @c has nothing left to log: @c let frames go off its
 * lane without a word (its index is its own to move), or @p logged
 * sending frames it never put there, or others in their place.  Which,
 * nobody can tell: the lane is @p's to rewrite after @c read it.  So the
 * lane is cut: @p sends @c nothing more (libnfv reads the bit), and what
 * it still sends stays charged to it until @c takes it (OWED).  @c keeps
 * the frames in transit to it (a lane's worth at most, as before); @p is
 * charged with what it sent before it saw the cut (what its log held
 * that we had not applied yet) until @c takes them or one of the two is
 * gone, and up to OWED_MAX of those do not count against its budget.
 * Neither is pushed over its budget by the other, and either could have
 * cost the other their traffic to each other by dropping it.  A consumer
 * that keeps its log waiting so as never to look done is cut after
 * CAP_WAIT_NS (refuse_stuck()).
 */
static int lane_cut(struct nfvd *d, struct nfvd_nf *p, struct nfvd_nf *c)
{
	uint64_t *w = &d->tables->cut[c->id][p->id / 64];

	__atomic_store_n(w, *w | 1ULL << (p->id % 64), __ATOMIC_RELAXED);
	__atomic_store_n(&d->tables->gen, d->tables->gen + 1,
			 __ATOMIC_RELEASE);
	d->lane_cuts++;
	pr_info("nfvd: lane nf %u (%s) -> nf %u (%s) cut: %u frames in transit on it, none of them taken by the consumer's log\n",
		p->id, p->name, c->id, c->name, c->transit_from[p->id]);
	return OWED;
}

/*
 * A move to @peer: within the pair's lane and the frame's budget.  OWED
 * if the lane is cut (lane_cut()).
 */
static inline int move_ok(struct nfvd *d, struct nfvd_nf *nf,
			  struct nfvd_frame *l, struct nfvd_nf *peer)
{
	int r;

	if (!peer->seg)
		return REFUSED;
	if (l->moves >= NFV_MOVE_BUDGET) {
		d->loop_drop++;
		return REFUSED;
	}
	/* A dead consumer takes nothing more, and says nothing more: no
	 * dispute, and nothing owed (its reclaim may be done).
	 */
	if (peer->state == NFV_NF_STATE_DEAD)
		return peer->transit_from[nf->id] >= NFV_LANE_SIZE ? REFUSED :
								      APPLIED;
	if (is_cut(d, nf->id, peer->id))
		return OWED;
	/* More than a lane can hold: the consumer's takes come first. */
	if (peer->transit_from[nf->id] >= NFV_LANE_SIZE) {
		r = wait_or_refuse(d, nf, peer->id, NULL);
		if (r == WAIT) {
			/* If it never ends: refuse_stuck() cuts. */
			nf->cap_wait = true;
			return WAIT;
		}
		return lane_cut(d, nf, peer);
	}
	return APPLIED;
}

/*
 * Entry @e of NF @nf, about frame @l (@f, checked).  The caller keeps
 * what it needs per entry in locals: the stores below are byte stores,
 * which may alias anything as far as the compiler knows.
 */
static inline int apply(struct nfvd *d, struct nfvd_nf *nf, uint64_t e,
			struct nfvd_frame *l, uint32_t f)
{
	uint16_t arg = NFV_LOG_ARG(e), id = nf->id;
	struct nfvd_nf *peer;
	int r;

	switch (NFV_LOG_OPOF(e)) {
	case NFV_LOG_TAKE_RX: {
		uint8_t p = sock_pool(nf, arg >> 2, arg & 3);

		if ((l->state != LF_FILL && l->state != LF_KERNEL) ||
		    p == 0xff || l->where != p)
			return REFUSED;
		/*
		 * Still in the fill ring by our account: the kernel publishes
		 * its fill index right after the rx entry, so an honest NF
		 * can be quicker than our look; look again.  If the kernel
		 * has not taken it, the NF claims a frame that is not in any
		 * rx ring: its log waits until the kernel does (a lie only
		 * stalls the liar; frames are never freed from the fill ring
		 * of a port's pool).
		 */
		if (l->state == LF_FILL)
			ledger_pool_taken(d, &d->pools[p]);
		if (l->state == LF_FILL) {
			nf->wait_on = 0;
			return WAIT;
		}
		l->state = LF_HELD;
		l->who = id;
		l->moves = 0;
		nf->charge++;
		return APPLIED;
	}
	case NFV_LOG_TAKE:
		if (l->state != LF_TRANSIT || l->to != id || l->who != arg)
			return arg < NFV_NF_MAX ? wait_or_refuse(d, nf, arg, l)
						: REFUSED;
		lane_take(d, nf, l);
		return APPLIED;
	case NFV_LOG_SEND:
		r = hold(d, nf, l);
		if (r != APPLIED)
			return r;
		if (!arg) {
			/* To nfvd, to transmit (ledger_relay() checks where). */
			l->state = LF_TRANSIT;
			l->to = 0;
			return APPLIED;
		}
		if (arg >= NFV_NF_MAX)
			return REFUSED;
		peer = &d->nfs[arg];
		r = move_ok(d, nf, l, peer);
		if (r == OWED) {
			/* Ours until it takes it: no charge moves. */
			l->moves++;
			l->state = LF_TRANSIT;
			l->to = arg;
			l->owed = true;
			nf->owed_out++;
			return APPLIED;
		}
		if (r != APPLIED)
			return r;
		l->moves++;
		l->state = LF_TRANSIT;
		l->to = arg;
		nf->charge--;
		peer->charge++;
		nf->transit_out++;
		peer->transit_from[id]++;
		return APPLIED;
	case NFV_LOG_TAP:
		if (!arg)
			return REFUSED;
		r = hold(d, nf, l);
		if (r != APPLIED)
			return r;
		if (arg >= NFV_NF_MAX)
			return REFUSED;
		peer = &d->nfs[arg];
		r = move_ok(d, nf, l, peer);
		if (r != APPLIED)
			return r == OWED ? REFUSED : r;
		/* One reference per tap and frame. */
		if (peer->tap[f] || l->taps == UINT8_MAX)
			return REFUSED;
		l->moves++;
		l->taps++;
		peer->tap[f] = id;
		peer->charge++;
		nf->transit_out++;
		peer->transit_from[id]++;
		return APPLIED;
	case NFV_LOG_TAP_TAKE:
		if (nf->tap[f] != arg || !arg || arg == TAP_HELD)
			return arg && arg < NFV_NF_MAX ?
			       wait_or_refuse(d, nf, arg, l) : REFUSED;
		nf->tap[f] = TAP_HELD;
		d->nfs[arg].transit_out--;
		nf->transit_from[arg]--;
		return APPLIED;
	case NFV_LOG_TAP_DONE:
		if (nf->tap[f] != TAP_HELD)
			return REFUSED;
		nf->tap[f] = 0;
		nf->charge--;
		if (!--l->taps && l->state == LF_TAPPED)
			lf_free(d, f);
		return APPLIED;
	case NFV_LOG_TX: {
		uint8_t p = sock_pool(nf, arg, -1);

		/*
		 * Taken first, even to a pool that is gone: a lane frame
		 * whose next entry is refused must not stay in transit (a
		 * lane that looks full with nothing left to log is cut).
		 */
		r = hold(d, nf, l);
		if (r != APPLIED)
			return r;
		if (p == 0xff)
			return REFUSED;
		/*
		 * The kernel's now, until its completion: not charged to the
		 * NF (nfvd's lag in taking completions is not its hoard), but
		 * no more than its tx rings and the completion rings behind
		 * them hold: an NF that logs transmissions it never makes
		 * gets no further.
		 */
		if (nf->tx_out >= nf->n_tx_socks * NFVD_TX_INFLIGHT_MAX)
			return REFUSED;
		nf->charge--;
		nf->tx_out++;
		l->state = LF_TX;
		l->where = p;
		return APPLIED;
	}
	case NFV_LOG_DROP:
		r = hold(d, nf, l);
		if (r != APPLIED)
			return r;
		nf->charge--;
		release(d, f);
		return APPLIED;
	default:
		return REFUSED;
	}
}

/*
 * A refused entry, said once per NF for its first few (enough to tell a
 * liar from a bug; the count goes on in nf->refused).
 */
#define REFUSED_NOTES	8
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void note_refused(struct nfvd *d, struct nfvd_nf *nf, uint64_t e,
			 const char *why)
{
	static const char *const ops[] = {
		"none", "take-rx", "take", "send", "tap", "tap-take",
		"tap-done", "tx", "drop",
	};
	static const char *const states[] = {
		"free", "fill", "kernel", "held", "transit", "tx", "tapped",
	};
	uint32_t f = NFV_LOG_FRAME(e), op = NFV_LOG_OPOF(e);
	const struct nfvd_frame *l = f < d->cfg.frames ? &d->lf[f] : NULL;

	if (nf->refused > REFUSED_NOTES)
		return;
	pr_info("nfvd: nf %u (%s): refused %s frame %u arg %u (%s): frame %s who %u to %u where %u, tx_out %u\n",
		nf->id, nf->name, op < ARRAY_SIZE(ops) ? ops[op] : "bad", f,
		NFV_LOG_ARG(e), why,
		l && l->state < ARRAY_SIZE(states) ? states[l->state] : "-",
		l ? l->who : 0, l ? l->to : 0, l ? l->where : 0, nf->tx_out);
	if (nf->refused == REFUSED_NOTES)
		pr_info("nfvd: nf %u: further refusals counted only\n",
			nf->id);
}

static void publish_cons(struct nfvd *d, struct nfvd_nf *nf)
{
	__atomic_store_n(&d->tables->fb[nf->id].log_cons, nf->log_cons,
			 __ATOMIC_RELEASE);
}

/* One pass over NF @nf's log: entries applied, stops at one that waits. */
static int drain_one(struct nfvd *d, struct nfvd_nf *nf)
{
	uint32_t avail = log_pending(d, nf), cons = nf->log_cons, i;
	const uint32_t mask = d->lay.log_size - 1, frames = d->cfg.frames;
	struct nfvd_frame *const lf = d->lf;
	const uint64_t *entries;
	int applied = 0;

	nf->blocked = false;
	if (!avail)
		return 0;
	if (avail > d->lay.log_size) {
		/* Published more than the log holds: lost; skip it all
		 * (one refusal: it is one lie, however large).
		 */
		nf->refused++;
		d->refused++;
		nf->log_cons += avail;
		publish_cons(d, nf);
		return 1;
	}
	entries = (const uint64_t *)(nf->seg + d->lay.log);
	for (i = 0; i < avail; i++, cons++) {
		uint64_t e = __atomic_load_n(&entries[cons & mask],
					     __ATOMIC_RELAXED);
		uint32_t f = NFV_LOG_FRAME(e);
		int r;

		nf->cap_wait = false;
		r = f < frames ? apply(d, nf, e, &lf[f], f) : REFUSED;

		if (r == WAIT) {
			nf->blocked = true;
			/* Since when this head waits (see refuse_stuck()). */
			if (!nf->wait_since_ns || nf->wait_head != cons) {
				nf->wait_since_ns = nfvd_now_ns();
				nf->wait_head = cons;
			}
			break;
		}
		if (r == REFUSED) {
			nf->log_cons = cons;
			nf->refused++;
			d->refused++;
			note_refused(d, nf, e, "does not agree");
		}
		applied++;
	}
	nf->log_cons = cons;
	if (applied) {
		nf->wait_since_ns = 0;
		publish_cons(d, nf);
	}
	return applied;
}

/*
 * Whether NF @nf's blocked head can still apply: its wait ends at a
 * head that waits for the kernel (a fill entry the kernel has not been
 * seen to take yet).  A wait that ends at a peer with nothing more to
 * say, or goes round in a circle (only lying logs make one), cannot.
 */
static bool may_apply(struct nfvd *d, const struct nfvd_nf *nf)
{
	int hops;

	for (hops = 0; hops < NFV_NF_MAX && nf->blocked; hops++) {
		if (!nf->wait_on)
			return true;
		if (!nf_live(d, nf->wait_on))
			return false;
		nf = &d->nfs[nf->wait_on];
	}
	return false;
}

/*
 * Refuse the heads that can never apply, and those that waited longer
 * than LOG_WAIT_NS: an honest wait ends at the next drain (the entry it
 * waits for was published first) or when the kernel's fill index is
 * next read; a longer one hangs on a lie, and must not hold an honest
 * log.  Whether any was refused.
 */
static bool refuse_stuck(struct nfvd *d)
{
	uint64_t now = nfvd_now_ns();
	bool any = false;
	uint32_t k;

	for (k = 0; k < d->n_seg_nfs; k++) {
		struct nfvd_nf *nf = &d->nfs[d->seg_nfs[k]];
		bool can = nf->blocked && may_apply(d, nf);

		if (!nf->blocked ||
		    (can && now - nf->wait_since_ns <
			    (nf->cap_wait ? CAP_WAIT_NS : LOG_WAIT_NS)))
			continue;
		nf->wait_since_ns = 0;
		if (nf->cap_wait && nf_live(d, nf->wait_on)) {
			/*
			 * A send past a lane's worth, waiting for a consumer
			 * whose log cannot or does not move: a consumer that
			 * keeps an entry waiting (on the kernel, or on this
			 * very producer) so that its lane is never cut.  Cut
			 * it now; the send applies, owed, at the next pass.
			 */
			lane_cut(d, nf, &d->nfs[nf->wait_on]);
			nf->cap_wait = false;
			any = true;
			continue;
		}
		nf->refused++;
		d->refused++;
		note_refused(d, nf, ((const uint64_t *)(nf->seg + d->lay.log))
				    [nf->log_cons & (d->lay.log_size - 1)],
			     may_apply(d, nf) ? "waited too long" :
						"waits for nothing");
		nf->log_cons++;
		publish_cons(d, nf);
		any = true;
	}
	/* Unblocked for the next pass only now: may_apply() follows them. */
	for (k = 0; any && k < d->n_seg_nfs; k++) {
		struct nfvd_nf *nf = &d->nfs[d->seg_nfs[k]];

		if (nf->blocked && !may_apply(d, nf))
			nf->blocked = false;
	}
	return any;
}

/*
 * Whether a blocked head waits on a peer that has published entries
 * since its log was drained: NFs run on while we drain, so a peer
 * drained empty before the head was looked at may have published the
 * very entry it waits for since.  Worth one more pass, not a refusal.
 */
static bool peer_published(struct nfvd *d)
{
	uint32_t k;

	for (k = 0; k < d->n_seg_nfs; k++) {
		const struct nfvd_nf *nf = &d->nfs[d->seg_nfs[k]];
		const struct nfvd_nf *p = &d->nfs[nf->wait_on];

		if (nf->blocked && nf->wait_on && nf_live(d, nf->wait_on) &&
		    !p->blocked && log_pending(d, p))
			return true;
	}
	return false;
}

bool ledger_drain(struct nfvd *d)
{
	bool any = false, blocked;
	int i, progress, again = DRAIN_AGAIN_MAX;
	uint32_t k;

	/* What the kernel took from the fill rings first: TAKE_RX needs it. */
	for (i = 0; i < d->n_pools; i++)
		if (d->pools[i].bound)
			ledger_pool_taken(d, &d->pools[i]);
	do {
		/*
		 * Again while some head waits and something moved: what it
		 * waits for may have been applied.  With none waiting, a
		 * pass is complete (later entries are the next drain's).
		 */
		do {
			progress = 0;
			blocked = false;
			for (k = 0; k < d->n_seg_nfs; k++) {
				struct nfvd_nf *nf = &d->nfs[d->seg_nfs[k]];

				progress += drain_one(d, nf);
				blocked |= nf->blocked;
			}
			any |= progress > 0;
		} while (progress && blocked);
	} while (blocked && ((again-- > 0 && peer_published(d)) ||
			     refuse_stuck(d)));
	if (any)
		ledger_budgets(d);
	return any;
}

/*
 * Entries to apply now.  A log whose head waits for the kernel is looked
 * at again at the loop's next turn (at the latest the heartbeat's), not
 * in a spin.
 */
bool ledger_pending(struct nfvd *d)
{
	uint32_t k;

	for (k = 0; k < d->n_seg_nfs; k++) {
		struct nfvd_nf *nf = &d->nfs[d->seg_nfs[k]];

		if (log_pending(d, nf) && !(nf->blocked && !nf->wait_on))
			return true;
	}
	return false;
}

/*
 * ---- the relay: frames NFs hand to nfvd to transmit ----
 *
 * A read-only NF has no tx socket; a writable one has none yet on a port
 * a chain added after it attached reaches (nfvd grants it a round trip
 * later).  Either hands the frame to nfvd: held by the NF (TRANSIT to
 * nfvd), in the UMEM with room for the metadata, and for a port its
 * chains reach: what a tx socket would let the NF do, no more.
 */

/*
 * A read-only NF cannot complete a partial checksum (docs/design.md §6):
 * nfvd does it before it transmits (a writable NF's libnfv did on
 * receive, and cleared the flag).  The metadata is copied first: any
 * writable NF can rewrite it while we look.
 */
static void relay_csum(struct nfvd *d, uint64_t addr, uint32_t len)
{
	struct nfv_xdp_meta meta;
	struct nfv_pkt pkt = {
		.data = d->umem + addr,
		.len = len,
		.meta = &meta,
	};

	memcpy(&meta, pkt.data - sizeof(meta), sizeof(meta));
	if (meta.magic == NFV_META_MAGIC &&
	    (meta.flags & NFV_META_F_CSUM_PARTIAL))
		nfv_l4_csum(&pkt);
}

int ledger_relay(struct nfvd *d, struct nfvd_nf *nf)
{
	const struct nfv_desc *descs;
	const uint8_t *lane;
	bool drained = false;
	uint32_t prod, n, i;
	int moved = 0, r;

	if (!nf->seg)
		return 0;
	lane = nf->seg + d->lay.lanes;	/* lane 0 */
	descs = (const struct nfv_desc *)(lane + NFV_CACHELINE);
	prod = nfv_idx_read((const uint64_t *)lane, 0);
	n = prod - nf->relay_cons;
	if (n > NFV_LANE_SIZE) {
		nf->refused++;
		d->refused++;
		nf->relay_cons = prod;
		n = 0;
	}
	for (i = 0; i < n; i++) {
		struct nfv_desc dc = descs[(nf->relay_cons + i) &
					   (NFV_LANE_SIZE - 1)];
		uint64_t off = dc.addr & (d->cfg.frame_size - 1);
		struct nfvd_frame *l;
		uint32_t f;

		if (dc.addr >= d->umem_size) {
			nf->refused++;
			d->refused++;
			continue;
		}
		f = frame_of(d, dc.addr);
		l = &d->lf[f];
		if (l->state != LF_TRANSIT || l->who != nf->id || l->to) {
			/*
			 * Its SEND is published before the lane, but maybe
			 * after our last drain: drain once more.  Still
			 * unapplied in a log that waits: later.
			 */
			if (!drained) {
				ledger_drain(d);
				drained = true;
				i--;
				continue;
			}
			if (nf->blocked || log_pending(d, nf))
				break;
			nf->refused++;
			d->refused++;
			continue;
		}
		charge(d, nf->id, -1);
		r = -EINVAL;
		/* Only where its chains let it send (nfv_reach.h). */
		if (off >= sizeof(struct nfv_xdp_meta) && dc.len >= 14 &&
		    off + dc.len <= d->cfg.frame_size &&
		    nfv_reach_has_port(&nf->reach, dc.hop)) {
			relay_csum(d, dc.addr, dc.len);
			r = umem_tx(d, dc.hop, dc.addr, dc.len);
		}
		if (r < 0) {
			nf->refused++;
			d->refused++;
			release(d, f);
			continue;
		}
		l->state = LF_TX;
		l->who = 0;
		l->to = 0;
		l->where = (uint8_t)r;	/* the pool it went out on */
		moved++;
	}
	if (i) {
		nf->relay_cons += i;
		__atomic_store_n(&d->tables->fb[nf->id].relay_cons,
				 nfv_idx_word(d->tables->nfs[nf->id].gen,
					      nf->relay_cons),
				 __ATOMIC_RELEASE);
	}
	return moved;
}

/* ---- budgets ---- */

uint32_t ledger_budget(struct nfvd *d)
{
	uint32_t up = 0, share, reserve, k;

	if (d->cfg.nf_frames)
		return d->cfg.nf_frames;
	for (k = 0; k < d->n_seg_nfs; k++)
		up += d->nfs[d->seg_nfs[k]].state == NFV_NF_STATE_UP;
	/* What the fill rings do not keep, shared by the NFs that are up. */
	reserve = d->cfg.fill_target *
		  (d->n_pools_used ? d->n_pools_used : 1);
	if (reserve >= d->cfg.frames)
		reserve = d->cfg.frames / 2;
	share = (d->cfg.frames - reserve) / (up ? up : 1);
	return share > NFVD_BUDGET_MIN ? share : NFVD_BUDGET_MIN;
}

static void set_over(struct nfvd *d, struct nfvd_nf *nf, bool over)
{
	int i;

	nf->over = over;
	__atomic_store_n(&d->tables->fb[nf->id].over, over, __ATOMIC_RELEASE);
	for (i = 0; i < nf->n_socks; i++) {
		struct nfvd_nf_sock *s = &nf->socks[i];

		if (!s->bound || !s->rx_map || !s->port)
			continue;
		if (over)
			tables_xsk_clear(d, nf->id, s->port, s->queue);
		else
			tables_xsk_set(d, nf->id, s->port, s->queue, s->fd);
	}
}

void ledger_budgets(struct nfvd *d)
{
	uint32_t budget = ledger_budget(d), k;

	for (k = 0; k < d->n_seg_nfs; k++) {
		struct nfvd_nf *nf = &d->nfs[d->seg_nfs[k]];
		uint32_t held;

		if (nf->state != NFV_NF_STATE_UP)
			continue;
		/*
		 * Frames it sent over a cut lane before it saw the cut are
		 * its own until taken, but not its doing: up to OWED_MAX of
		 * them do not count (a liar that keeps sending over the cut
		 * gets no further than that).
		 */
		held = nf->charge - (nf->owed_out < OWED_MAX ? nf->owed_out :
							       OWED_MAX);
		if (!nf->over && held > budget) {
			nf->budget_hits++;
			pr_warn("nfvd: nf %u (%s) holds %u frames, over its budget of %u: it gets no more%s\n",
				nf->id, nf->name, nf->charge, budget,
				d->cfg.overrun_kill ? "; killing it" : "");
			set_over(d, nf, true);
			if (d->cfg.overrun_kill)
				nf_kill(nf);
		} else if (nf->over && held <= budget / 4 * 3) {
			pr_info("nfvd: nf %u back under its budget\n", nf->id);
			set_over(d, nf, false);
		}
	}
}

/* ---- an NF's death ---- */

/*
 * Frames listed in the rx rings nfvd holds (of every NF not reaped yet,
 * retired sockets included): their owners' word, which is all we need
 * (a frame an NF hides from us there is one it was given).
 */
static uint8_t *listed_in_rx(struct nfvd *d)
{
	uint8_t *set = calloc(d->cfg.frames, 1);
	int i, k;

	if (!set)
		return NULL;
	for (i = 1; i < NFV_NF_MAX; i++) {
		const struct nfvd_nf *nf = &d->nfs[i];

		for (k = 0; nf->id && k < nf->n_socks; k++) {
			const struct nfvd_nf_sock *s = &nf->socks[k];
			uint32_t cons, prod;

			if (!s->rx_map)
				continue;
			cons = __atomic_load_n(s->rx.consumer, __ATOMIC_ACQUIRE);
			prod = __atomic_load_n(s->rx.producer, __ATOMIC_ACQUIRE);
			if (prod - cons > s->rx.size)
				cons = prod - s->rx.size;
			for (; cons != prod; cons++) {
				uint64_t a = xsk_ring_cons__rx_desc(&s->rx,
								    cons)->addr;

				if (a < d->umem_size)
					set[frame_of(d, a)] = 1;
			}
		}
	}
	return set;
}

#define CENSUS_AGAIN_NS	(100 * 1000000ULL)
/* A frame the census cannot place yet: looked at again so often. */
#define CENSUS_UNDECIDED_NS	(1000 * 1000000ULL)

/*
 * How often an rx ring of pool @p overflowed, its sockets closed or not:
 * never, and the kernel's free list of the pool is empty (ledger.c, the
 * rx census).
 */
static uint64_t pool_ring_full(struct nfvd *d, const struct nfvd_pool *p)
{
	uint64_t n = p->ring_full_closed;
	int i, k;

	for (i = 1; i < NFV_NF_MAX; i++)
		for (k = 0; d->nfs[i].id && k < d->nfs[i].n_socks; k++)
			if (d->nfs[i].socks[k].pool == p)
				n += umem_sock_ring_full(&d->nfs[i].socks[k]);
	return n;
}

bool ledger_pool_overflowed(struct nfvd *d, const struct nfvd_pool *p)
{
	return pool_ring_full(d, p) > 0;
}

/*
 * Pool @pool is closed: what is on its owner's tx ring (nfvd's, @who 0)
 * completes no more, nor, if it is @dead (its device gone: every socket
 * of it unbound), what NFs sent there.  What the kernel took from its
 * fill ring is in rx rings or lost: the census looks (ledger_rx_census()
 * knows that a closed pool takes nothing more).
 */
void ledger_pool_closed(struct nfvd *d, uint8_t pool, bool dead)
{
	bool kernel = false;
	uint32_t f;

	for (f = 0; f < d->cfg.frames; f++) {
		struct nfvd_frame *l = &d->lf[f];

		if (l->where != pool)
			continue;
		if (l->state == LF_KERNEL)
			kernel = true;
		if (l->state != LF_TX || (l->who && !dead))
			continue;
		if (l->who && l->who < NFV_NF_MAX)
			d->nfs[l->who].tx_out--;
		release(d, f);
		d->reclaimed++;
	}
	if (kernel && (!d->census_at_ns || d->census_at_ns > nfvd_now_ns()))
		d->census_at_ns = nfvd_now_ns();
}

bool ledger_pool_refs(struct nfvd *d, uint8_t pool)
{
	uint32_t f;

	for (f = 0; f < d->n_comp_wait; f++)
		if (d->comp_wait[f].pool == pool)
			return true;
	for (f = 0; f < d->cfg.frames; f++) {
		const struct nfvd_frame *l = &d->lf[f];

		if (l->where == pool && (l->state == LF_FILL ||
					 l->state == LF_KERNEL ||
					 l->state == LF_TX))
			return true;
	}
	return false;
}

/*
 * The rx census: frames lost with an rx ring that is gone (a dead NF's,
 * closed by its reap), whatever the NF wrote over its ring before dying.
 *
 * A frame the kernel took from a fill ring is then in an rx ring, in the
 * pool's free list (one frame, after an rx ring overflowed: the next
 * frame on the queue is that one, before the fill ring's next), or being
 * copied.  So a frame that the ledger has with the kernel, that no
 * socket we hold lists, that no log claims, and after which the kernel
 * took another entry of that fill ring (the free list is empty then; or
 * no rx ring of the pool ever overflowed) is in a ring that is gone, or
 * in one not published yet (the kernel
 * publishes rx entries at the end of its poll).  Only the first is still
 * so a census later: a frame found lost twice, at the same fill
 * position, CENSUS_AGAIN_NS apart, is freed.  Runs when an NF's rx
 * sockets are closed (its reap), again while it has suspects.
 */
void ledger_rx_census(struct nfvd *d)
{
	uint64_t now = nfvd_now_ns();
	uint32_t seen[NFV_PORT_MAX * NFV_QUEUE_MAX];
	bool overflowed[NFV_PORT_MAX * NFV_QUEUE_MAX];
	uint32_t f, suspects = 0, undecided = 0, freed = 0;
	uint8_t *listed;
	int i;

	if (!d->census_at_ns || now < d->census_at_ns)
		return;
	/* A dead NF's sockets still closing: their rings are not gone yet. */
	if (closer_busy(d)) {
		d->census_at_ns = now + 1000000;
		return;
	}
	/*
	 * The kernel's fill positions before the rings are read; of a pool
	 * whose rx rings never overflowed, the free list is empty: the
	 * last entry taken counts too.
	 */
	for (i = 0; i < d->n_pools; i++) {
		if (d->pools[i].bound)
			ledger_pool_taken(d, &d->pools[i]);
		seen[i] = d->pools[i].fill_seen;
		overflowed[i] = pool_ring_full(d, &d->pools[i]);
		if (!overflowed[i])
			seen[i]++;
	}
	listed = listed_in_rx(d);
	if (!listed) {
		d->census_at_ns = now + CENSUS_AGAIN_NS;
		return;
	}
	/* An NF logs its takes before it releases its ring: any frame
	 * gone from a ring before we read it is claimed by now.
	 */
	ledger_drain(d);
	for (f = 0; f < d->cfg.frames; f++) {
		struct nfvd_frame *l = &d->lf[f];
		const struct nfvd_pool *p = l->where < d->n_pools ?
					    &d->pools[l->where] : NULL;
		/* Of a closed pool: the kernel takes nothing more there,
		 * so one in no ring is in none (or in its dead free list).
		 */
		bool lost = l->state == LF_KERNEL && !listed[f] && p &&
			    (p->state == POOL_CLOSED ||
			     (p->bound && seen[l->where] - l->pos >= 2));

		if (lost && d->census_pos[f] == l->pos + 1) {
			d->census_pos[f] = 0;
			lf_free(d, f);
			d->reclaimed++;
			freed++;
		} else if (lost) {
			d->census_pos[f] = l->pos + 1;
			suspects++;
		} else {
			d->census_pos[f] = 0;
			/*
			 * The last frame taken from a fill ring whose rx rings
			 * overflowed, in no ring we hold: in the pool's free
			 * list or in a ring that is gone, which only the
			 * kernel's next take tells.  Look again later, or it
			 * stays lost once traffic comes back.
			 */
			if (l->state == LF_KERNEL && !listed[f] &&
			    l->where < d->n_pools &&
			    d->pools[l->where].bound &&
			    overflowed[l->where] &&
			    seen[l->where] - l->pos == 1)
				undecided++;
		}
	}
	free(listed);
	if (freed)
		pr_info("nfvd: %u frames lost in closed rx rings taken back\n",
			freed);
	d->census_at_ns = suspects ? now + CENSUS_AGAIN_NS :
			  undecided ? now + CENSUS_UNDECIDED_NS : 0;
}

/*
 * The frames on lane @nf -> @c now (what the producer published and the
 * consumer has not taken), marked in @set.  Both indices are read as the
 * other side tagged them.  A consumer that never got the producer's
 * segment can take nothing from it.
 */
static void lane_window(struct nfvd *d, const struct nfvd_nf *nf,
			const struct nfvd_nf *c, uint8_t *set)
{
	const struct nfv_desc *descs;
	const uint8_t *lane;
	uint32_t prod, cons;

	if (!nf->seg || !c->seg || c->state == NFV_NF_STATE_DEAD ||
	    !(nf->granted_to[c->id / 64] >> (c->id % 64) & 1))
		return;
	lane = nf->seg + d->lay.lanes + (uint64_t)c->id * NFV_LANE_STRIDE;
	descs = (const struct nfv_desc *)(lane + NFV_CACHELINE);
	prod = nfv_idx_read((const uint64_t *)lane, c->gen);
	cons = nfv_idx_read((const uint64_t *)(c->seg + d->lay.in_cons +
					       (uint64_t)nf->id *
					       NFV_CACHELINE), nf->gen);
	if (prod - cons > NFV_LANE_SIZE)
		return;
	for (; cons != prod; cons++) {
		uint64_t a = descs[cons & (NFV_LANE_SIZE - 1)].addr;

		if (a < d->umem_size)
			set[frame_of(d, a)] = 1;
	}
}

/* A tap reference of NF @t (held, or on its way from @from) is gone. */
static void tap_gone(struct nfvd *d, struct nfvd_nf *t, uint32_t f)
{
	uint16_t from = t->tap[f];

	t->tap[f] = 0;
	if (from != TAP_HELD && from < NFV_NF_MAX) {
		d->nfs[from].transit_out--;
		t->transit_from[from]--;
	}
	charge(d, t->id, -1);
	if (!--d->lf[f].taps && d->lf[f].state == LF_TAPPED)
		lf_free(d, f);
	d->reclaimed++;
}

/* What @nf sent @c that @c will never take: back to nfvd. */
static void reclaim_out(struct nfvd *d, struct nfvd_nf *nf, struct nfvd_nf *c)
{
	uint8_t *window = calloc(d->cfg.frames, 1);
	uint32_t f;

	if (!window)
		return;		/* try again at the next reap */
	lane_window(d, nf, c, window);
	/*
	 * A frame the consumer took after the last drain and before we read
	 * its index: its entry was published before it let go of the lane
	 * entry, so it is applied now, and the frame no longer in transit.
	 */
	ledger_drain(d);
	for (f = 0; f < d->cfg.frames &&
	     (c->transit_from[nf->id] || nf->owed_out); f++) {
		struct nfvd_frame *l = &d->lf[f];

		if (window[f])
			continue;
		if (l->state == LF_TRANSIT && l->who == nf->id &&
		    l->to == c->id) {
			if (l->owed) {
				nf->owed_out--;
				charge(d, nf->id, -1);
			} else {
				nf->transit_out--;
				c->transit_from[nf->id]--;
				charge(d, c->id, -1);
			}
			release(d, f);
			d->reclaimed++;
		}
		if (c->tap[f] == nf->id)
			tap_gone(d, c, f);
	}
	free(window);
}

/*
 * NF @nf is dead, its grace period over, every log drained: take back
 * what it held and what was on its way to it.  What it sent that a live
 * consumer will still take stays in transit, and its slot waits for that
 * (ledger_nf_zombie(); ledger_nf_reap_out() is called again until then).
 */
void ledger_nf_reclaim(struct nfvd *d, struct nfvd_nf *nf)
{
	uint16_t id = nf->id;
	uint32_t f;

	for (f = 0; f < d->cfg.frames; f++) {
		struct nfvd_frame *l = &d->lf[f];

		/* Tap references it held or had coming. */
		if (nf->tap[f])
			tap_gone(d, nf, f);
		switch (l->state) {
		case LF_HELD:
		case LF_TX:
			if (l->who != id)
				break;
			if (l->state == LF_HELD)
				charge(d, id, -1);
			else
				nf->tx_out--;
			release(d, f);
			d->reclaimed++;
			break;
		case LF_TRANSIT:
			if (l->to == id) {
				/* On a lane into it: nobody takes it now. */
				if (l->owed) {
					d->nfs[l->who].owed_out--;
					charge(d, l->who, -1);
				} else {
					d->nfs[l->who].transit_out--;
					nf->transit_from[l->who]--;
					charge(d, id, -1);
				}
				release(d, f);
				d->reclaimed++;
			} else if (l->who == id && !l->to) {
				charge(d, id, -1);	/* the relay lane */
				release(d, f);
				d->reclaimed++;
			}
			break;
		default:
			break;
		}
	}
	ledger_nf_reap_out(d, nf);
}

/* Frames it sent that their consumers will not take: back. */
void ledger_nf_reap_out(struct nfvd *d, struct nfvd_nf *nf)
{
	int i;

	for (i = 1; i < NFV_NF_MAX && (nf->transit_out || nf->owed_out); i++)
		if (d->nfs[i].id && (d->nfs[i].transit_from[nf->id] ||
				     (nf->owed_out && is_cut(d, nf->id, i))))
			reclaim_out(d, nf, &d->nfs[i]);
}

/* Still frames on lanes out of it for live consumers to take. */
bool ledger_nf_zombie(struct nfvd *d, struct nfvd_nf *nf)
{
	return nf->transit_out > 0 || nf->owed_out > 0;
}

void ledger_nf_fresh(struct nfvd *d, uint16_t id)
{
	int i;

	/* No lane of a previous holder of @id stays cut. */
	memset(d->tables->cut[id], 0, sizeof(d->tables->cut[id]));
	for (i = 0; i < NFV_NF_MAX; i++)
		d->tables->cut[i][id / 64] &= ~(1ULL << (id % 64));
}

/* ---- counts ---- */

void ledger_counts(struct nfvd *d, uint32_t n[__LF_MAX])
{
	uint32_t f;

	memset(n, 0, sizeof(n[0]) * __LF_MAX);
	for (f = 0; f < d->cfg.frames; f++)
		n[d->lf[f].state < __LF_MAX ? d->lf[f].state : 0]++;
}

uint32_t ledger_held(struct nfvd *d, uint16_t id)
{
	return d->nfs[id].charge;
}
