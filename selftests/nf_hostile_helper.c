// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately hostile NF for selftests/hostile.sh.  It attaches like
 * any NF (libnfv gets it its fds and mappings), then attacks with raw
 * writes to the memory it can map and raw messages, never through
 * libnfv's checks:
 *
 *   nf_hostile_helper SOCKET SID MODE [ARG]
 *
 *   scribble SECS   random bytes over every writable shared mapping (its
 *                   segment: custody log, lanes, consumer indices,
 *                   counters; the UMEM) for SECS while traffic flows,
 *                   then exit
 *   forge SID2      forged custody: takes frames nobody sent it, sends
 *                   and drops frames it does not hold, transmits frames
 *                   of the UMEM it does not hold on its tx socket, taps,
 *                   log and lane index jumps; bogus lane descriptors to a
 *                   replica of SID2; then waits to be killed
 *   custody SID2    forged custody whose every outcome is known: frames
 *                   it held and sent on (to a replica of SID2, no lane
 *                   descriptor) then transmitted or dropped, a second tap
 *                   of one frame to one NF, a frame handed to nfvd to
 *                   transmit though it is not read-only, a frame sent to
 *                   itself one move more than the budget: exactly 5
 *                   entries nfvd must refuse; then waits to be killed
 *   relay           attached --readonly: forged descriptors on its lane to
 *                   nfvd (frames it does not hold, bad addresses, a bad
 *                   port, an index jump) for nfvd to transmit
 *   relayto PORT    attached --readonly: the frames it is given, handed
 *                   to nfvd to transmit on port id PORT (its own, held:
 *                   only the port may be wrong), then waits to be killed
 *   relay-rw, relayto-rw PORT
 *                   the same, attached read-write (with tx sockets)
 *   txlost PORT     a forwarding NF that forgets its tx socket on port id
 *                   PORT before every frame (as before nfvd granted it):
 *                   libnfv must hand those frames to nfvd
 *   hoard           takes every frame it is given, returns none
 *   hoard-lanes     the same, and gives the lanes into it back unlogged;
 *                   logs dropping them all once SOCKET.giveback exists
 *   hoard-stall     hoard-lanes, and keeps entries in its log that wait
 *   lanelie SID2    logs sending each frame it gets to a replica of SID2,
 *                   puts a descriptor of no frame on the lane instead
 *   pingpong SID2   an NF whose handler sends every frame to SID2
 *                   (NFV_TO_SERVICE): two of them bounce frames
 *   readonly [SID2] attached --readonly (a raw attach, keeping every fd):
 *                   tries to write the UMEM, the tables, its own segment
 *                   after READY and the segment of a replica of SID2,
 *                   every way it can (reopen through /proc/self/fd,
 *                   mmap, mprotect, fchmod, write, fallocate) and prints
 *                   what each gave
 *   writable [SID2] the same, attached read-write (the UMEM excepted)
 *   txring          adds a tx ring to its rx sockets before it says
 *                   READY (raw attach): nfvd must not let it transmit
 *   verdicts IFINDEX SPORT GO
 *                   once file GO exists, raw OFFLOAD_NEW requests (with
 *                   an ack, which libnfv never asks for) and what nfvd
 *                   answered to each: "own" the UDP flow 198.18.0.1:SPORT
 *                   > 198.18.0.2:9000 in on IFINDEX; then malformed ones;
 *                   then a flood of NFV_OFFLOAD_MAX + 100 distinct flows,
 *                   each answered (counts by answer: ok, busy, nospc,
 *                   other), how long nfvd took to answer a request after
 *                   it ("drained MS"), the answer to one more; then
 *                   floods on without acks (expired verdicts come back)
 *                   until killed
 *   schedlie        forwards what it is given to the next hop, and keeps
 *                   its sched_switches counter (segment) at UINT64_MAX
 *   sleeproom       forwards what it is given to the next hop, and says
 *                   all the while that it waits for room on its lanes
 *                   (NFV_SLEEP_ROOM in its sleeping word): its consumers
 *                   write its doorbell at each batch they take from it
 *   counters        raw NF_COUNTERS_SET sets (with an ack), one per line
 *                   "NAME ANSWER": a good set, then malformed ones (bad
 *                   names, too many counters, no NUL, wrong lengths, a
 *                   reserved label, duplicates...), then the good set
 *                   again with value 8; then waits to be killed
 *   rules OK BAD    raw FLOW_NEW/FLOW_DEL (with an ack) for UDP flows
 *                   198.18.0.1:SPORT > 198.18.0.2:9000, one line "CASE
 *                   ANSWER" each: own (sport 1000 to chain OK), again
 *                   (the same), chain (sport 1001 to chain BAD), deladmin
 *                   (delete sport 2000's rule, the test's), prefix (a
 *                   prefix rule with an idle timeout), owner (a FLOW_NEW
 *                   naming an owner), cap (sports 1100.. until refused:
 *                   "cap N ANSWER"), delown (sport 1000's); then
 *                   nfv_flow_add() of sport 3000 to OK with idle 60000 ms
 *                   ("libnfv ANSWER"), "done", and waits to be killed
 *   oversize        one NF_COUNTERS_SET of 3 x NFV_MSG_MAX bytes (with an
 *                   ack): prints "oversize ANSWER" (nfvd hangs up on a
 *                   message longer than it takes: ECONNRESET), exits
 *
 * It prints what it did (tests read it) and flushes after each line.
 */
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <linux/nfv_match.h>

#include "internal.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#define say(...) do { printf(__VA_ARGS__); fflush(stdout); } while (0)

/* Take up to @want real frames, for a second at most. */
static int hold(struct nfv *nf, struct nfv_pkt *pkts, int want)
{
	int got = 0, i, n;

	for (i = 0; got < want && i < 10; i++) {
		n = nfv_rx_burst(nf, pkts + got, want - got, 100);
		if (n < 0)
			break;
		got += n;
	}
	return got;
}

/* ---- scribble ---- */

static int scribble(struct nfv *nf, int secs)
{
	uint64_t end = now_ms() + (uint64_t)secs * 1000, writes = 0;
	struct nfv_pkt pkts[32];
	size_t i;

	/* Some frames first, so that some of what it writes is "real". */
	say("holding %d frames\n", hold(nf, pkts, 32));
	while (now_ms() < end) {
		/* Its whole segment: log, log index, lanes, consumer words. */
		for (i = 0; i < 4096; i++) {
			uint64_t off = rnd() % (nf->seg_size - 8);

			*(uint64_t *)(nf->seg + (off & ~7ULL)) = rnd();
		}
		/* The hot spots, more often. */
		*nf->log.prod_word = (uint32_t)rnd();
		for (i = 0; i < 64; i++)
			nf->log.entries[rnd() & nf->log.mask] = rnd();
		for (i = 1; i < 8; i++) {
			*(uint64_t *)(nf->seg + nf->lay.in_cons +
				      i * NFV_CACHELINE) = rnd();
			*(uint64_t *)(nf->seg + nf->lay.lanes +
				      i * NFV_LANE_STRIDE) = rnd();
		}
		/* The UMEM: headers and metadata of frames. */
		for (i = 0; i < 256; i++) {
			uint64_t off = rnd() % (nf->umem_size - 8);

			*(uint64_t *)(nf->umem + (off & ~7ULL)) = rnd();
		}
		writes += 4096 + 64 + 14 + 256;
		if (!(rnd() & 7))
			usleep(1000);
	}
	say("scribbled %llu words\n", (unsigned long long)writes);
	return 0;
}

/* ---- forge ---- */

static void log_raw(struct nfv *nf, uint32_t f, enum nfv_log_op op,
		    uint16_t arg)
{
	nf->log.entries[nf->log.prod & nf->log.mask] =
		nfv_log_entry(f, op, arg);
	nf->log.prod++;
}

static int forge(struct nfv *nf, int sid2)
{
	uint32_t frames = nf->n_frames, f, bad = 0;
	uint64_t fs = nf->frame_size, size = (uint64_t)frames * fs;
	const struct nfv_service *svc = &nf->tables->services[sid2];
	struct nfv_pkt pkts[8];
	int got, target = 0, i, port;

	got = hold(nf, pkts, 8);
	say("holding %d frames\n", got);
	if (svc->n_live)
		target = svc->replicas[0];

	/* Custody entries for frames it does not hold, every kind. */
	for (f = 0; f < 64; f++) {
		uint32_t x = (uint32_t)(rnd() % frames);

		log_raw(nf, x, NFV_LOG_TAKE, (uint16_t)target);
		log_raw(nf, x, NFV_LOG_DROP, 0);
		log_raw(nf, x, NFV_LOG_SEND, (uint16_t)(target ?: 1));
		log_raw(nf, x, NFV_LOG_TAP, (uint16_t)(target ?: 1));
		log_raw(nf, x, NFV_LOG_TAP_DONE, 0);
		log_raw(nf, x, NFV_LOG_TX, 1);
		bad += 6;
	}
	log_raw(nf, frames + 5, NFV_LOG_DROP, 0);		/* range */
	log_raw(nf, 1, 200, 0);					/* op */
	log_raw(nf, 2, NFV_LOG_SEND, NFV_NF_MAX + 7);		/* peer */
	bad += 3;
	/* A frame it holds, dropped twice, then sent after its drop. */
	if (got) {
		f = (uint32_t)(pkts[0].addr / fs);
		log_raw(nf, f, NFV_LOG_DROP, 0);
		log_raw(nf, f, NFV_LOG_DROP, 0);
		log_raw(nf, f, NFV_LOG_SEND, (uint16_t)(target ?: 1));
		bad += 2;
	}
	nfv_log_submit(&nf->log);
	say("log: %u forged entries\n", bad);
	sleep(1);
	/*
	 * Frames it never got off its rx ring: free ones are refused; the
	 * first still in a fill ring stalls its log for good (last, then).
	 */
	for (f = 0; f < 64; f++)
		log_raw(nf, (uint32_t)(rnd() % frames), NFV_LOG_TAKE_RX,
			NFV_LOG_RXSOCK(1, 0));
	nfv_log_submit(&nf->log);
	say("log: 64 takes of frames not in its rx ring\n");
	sleep(1);

	/* Transmit frames it does not hold: they go out, nothing frees. */
	for (port = 1; port < NFV_PORT_MAX; port++) {
		struct nfv_xsk *x = nf->tx_of_port[port];
		uint32_t idx = 0, k;

		if (!x)
			continue;
		k = xsk_ring_prod__reserve(&x->tx, 16, &idx);
		for (i = 0; i < (int)k; i++) {
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&x->tx,
								    idx + i);

			d->addr = (rnd() % frames) * fs + 256;
			d->len = 60;
			d->options = 0;
		}
		xsk_ring_prod__submit(&x->tx, k);
		for (i = 0; i < 8; i++)
			sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		say("tx: %u frames it does not hold on port %d\n", k, port);
		break;
	}

	/* Bogus descriptors on its lane to a replica of SID2. */
	if (target) {
		struct nfv_lane_tx *l = nfv_out_lane(nf, target);
		uint64_t addrs[] = { size + fs + 256, 2 * fs + 4, 3 * fs + 256,
				     4 * fs + 256, 5 * fs + 256 };
		uint32_t lens[] = { 60, 60, (uint32_t)fs, 60, 8 };

		for (i = 0; l && i < 5; i++) {
			struct nfv_desc *d = nfv_lane_slot(l);

			d->addr = addrs[i];
			d->len = lens[i];
			d->hop = 1;
			d->budget = 255;
			d->flags = 0;
			l->prod++;
		}
		if (l) {
			uint64_t one = 1;
			int bell = nf->peers[target].doorbell;

			nfv_lane_submit(l);
			(void)!write(bell, &one, sizeof(one));
			say("lane: 5 bogus descriptors to nf %d\n", target);
			sleep(1);
			/* And a producer index that jumps. */
			__atomic_store_n(l->prod_word,
					 nfv_idx_word(l->peer_gen,
						      l->prod + 5000),
					 __ATOMIC_RELEASE);
			(void)!write(bell, &one, sizeof(one));
		}
	}
	/* Its log index jumps too. */
	__atomic_store_n(nf->log.prod_word, nf->log.prod + 1000000,
			 __ATOMIC_RELEASE);
	say("done\n");
	pause();
	return 0;
}

/*
 * ---- custody: entries about frames it really held, each refused for
 * one reason only (every other check of the entry passes), so that the
 * test can count them exactly: the ledger's checks one by one.
 */
static int custody(struct nfv *nf, int sid2)
{
	const struct nfv_service *svc = &nf->tables->services[sid2];
	uint32_t fs = nf->frame_size, f[5];
	struct nfv_pkt pkts[5];
	int got, target, port, i;

	got = hold(nf, pkts, 5);
	target = svc->n_live ? svc->replicas[0] : 0;
	for (port = 1; port < NFV_PORT_MAX && !nf->tx_of_port[port]; port++)
		;
	if (got < 5 || !target || port == NFV_PORT_MAX) {
		say("custody: holding %d frames, target %d, tx port %d: cannot\n",
		    got, target, port);
		pause();
		return 1;
	}
	for (i = 0; i < 5; i++)
		f[i] = (uint32_t)(pkts[i].addr / fs);
	/* Sent on (TRANSIT: not ours any more), then transmitted. */
	log_raw(nf, f[0], NFV_LOG_SEND, (uint16_t)target);
	log_raw(nf, f[0], NFV_LOG_TX, (uint16_t)port);		/* refused */
	/* Tapped twice to one NF: one reference per tap and frame. */
	log_raw(nf, f[1], NFV_LOG_TAP, (uint16_t)target);
	log_raw(nf, f[1], NFV_LOG_TAP, (uint16_t)target);	/* refused */
	log_raw(nf, f[1], NFV_LOG_DROP, 0);
	/*
	 * To nfvd to transmit, with nothing on the relay lane (nfvd takes
	 * it back when we are gone), then dropped: not ours any more.
	 */
	log_raw(nf, f[2], NFV_LOG_SEND, 0);
	log_raw(nf, f[2], NFV_LOG_DROP, 0);			/* refused */
	/* Sent on, then dropped. */
	log_raw(nf, f[3], NFV_LOG_SEND, (uint16_t)target);
	log_raw(nf, f[3], NFV_LOG_DROP, 0);			/* refused */
	/* To itself and back, one move more than any frame gets. */
	for (i = 0; i < NFV_MOVE_BUDGET; i++) {
		log_raw(nf, f[4], NFV_LOG_SEND, (uint16_t)nf->id);
		log_raw(nf, f[4], NFV_LOG_TAKE, (uint16_t)nf->id);
	}
	log_raw(nf, f[4], NFV_LOG_SEND, (uint16_t)nf->id);	/* refused */
	nfv_log_submit(&nf->log);
	say("custody: 5 entries to refuse, frames %u %u %u %u %u, target %d, port %d\n",
	    f[0], f[1], f[2], f[3], f[4], target, port);
	pause();
	return 0;
}

/* ---- relay: a read-only NF's lane to nfvd, forged ---- */

static int relay(struct nfv *nf)
{
	uint32_t frames = nf->n_frames, i, bad = 0;
	uint64_t fs = nf->frame_size, size = (uint64_t)frames * fs;
	struct nfv_lane_tx *l = &nf->out_lanes[0];
	struct nfv_pkt pkts[8];
	uint64_t one = 1;
	int got;

	got = hold(nf, pkts, 8);
	say("holding %d frames\n", got);
	if (!l->prod_word)
		nfv_lane_tx_init(l, nf->seg + nf->lay.lanes,
				 &nf->tables->fb[nf->id].relay_cons, nf->gen, 0);
	/* Frames it does not hold, with and without a SEND to nfvd. */
	for (i = 0; i < 32; i++) {
		struct nfv_desc *d = nfv_lane_slot(l);
		uint32_t x = (uint32_t)(rnd() % frames);

		d->addr = x * fs + 256;
		d->len = 60;
		d->hop = 1;
		d->budget = 0;
		d->flags = 0;
		l->prod++;
		if (i & 1)
			log_raw(nf, x, NFV_LOG_SEND, 0);
		bad++;
	}
	/* Out of range, no metadata room, too long, a bad port. */
	{
		uint64_t a[] = { size + 256, 4, 256, 256 };
		uint32_t n[] = { 60, 60, (uint32_t)fs, 60 };
		uint8_t port[] = { 1, 1, 1, 99 };

		for (i = 0; i < 4; i++) {
			struct nfv_desc *d = nfv_lane_slot(l);

			d->addr = a[i];
			d->len = n[i];
			d->hop = port[i];
			l->prod++;
			bad++;
		}
	}
	/* A frame it holds, sent to nfvd on a port that is not there. */
	if (got) {
		struct nfv_desc *d = nfv_lane_slot(l);

		d->addr = pkts[0].addr;
		d->len = pkts[0].len;
		d->hop = 15;
		l->prod++;
		log_raw(nf, (uint32_t)(pkts[0].addr / fs), NFV_LOG_SEND, 0);
	}
	nfv_log_submit(&nf->log);
	nfv_lane_submit(l);
	(void)!write(nf->nfvd_doorbell, &one, sizeof(one));
	say("relay: %u forged descriptors\n", bad);
	sleep(1);
	/* And its index jumps. */
	__atomic_store_n(l->prod_word, nfv_idx_word(0, l->prod + 100000),
			 __ATOMIC_RELEASE);
	(void)!write(nf->nfvd_doorbell, &one, sizeof(one));
	say("done\n");
	pause();
	return 0;
}

/* ---- hoard ---- */

#define KEPT_MAX	65536

/* DROP entries for the frames at @kept, as log room comes. */
static void drop_kept(struct nfv *nf, const uint64_t *kept, uint32_t n)
{
	uint64_t one = 1;
	uint32_t i;

	for (i = 0; i < n; i++) {
		while (!nfv_log_free(&nf->log, 1)) {
			nfv_log_submit(&nf->log);
			(void)!write(nf->nfvd_doorbell, &one, sizeof(one));
			usleep(1000);
		}
		log_raw(nf, (uint32_t)(kept[i] / nf->frame_size),
			NFV_LOG_DROP, 0);
	}
	nfv_log_submit(&nf->log);
	(void)!write(nf->nfvd_doorbell, &one, sizeof(one));
	say("dropped %u\n", n);
}

/*
 * Takes every frame it gets and keeps it.  @giveback (hoard-lanes):
 * gives the lanes into it back all the same, their frames never logged
 * (its index is its own to move): its producers find room and send on;
 * and once the file @giveback is there, logs dropping them all.
 */
static int hoard(struct nfv *nf, const char *giveback, bool stall)
{
	static uint64_t kept[KEPT_MAX];
	struct nfv_pkt pkts[64];
	uint64_t held = 0, last = 0;
	uint32_t n_kept = 0;
	int n, i;

	for (;;) {
		n = nfv_rx_burst(nf, pkts, 64, 100);
		if (n < 0)
			return 1;
		held += (uint64_t)n;
		/* Never given back; the log room it promised is its own. */
		nf->log.reserved -= (uint32_t)n * (NFV_HOPS_MAX + 1);
		for (i = 0; giveback && i < nf->n_upstream; i++) {
			struct nfv_lane_rx *l = &nf->in_lanes[nf->upstream[i]];

			l->open = 0;
			nfv_lane_settle(l);
		}
		for (i = 0; giveback && i < n && n_kept < KEPT_MAX; i++)
			kept[n_kept++] = pkts[i].addr;
		/*
		 * stall: entries that make its log wait, so that it never
		 * looks done: takes of the frames just taken off a lane, as
		 * if they came from itself.  Such a frame is on a lane to
		 * it, so its own log may still move it: the entry waits (on
		 * itself, until nfvd gives up on it).
		 */
		for (i = 0; stall && i < n && i < 16 &&
			    nfv_log_free(&nf->log, 1); i++)
			log_raw(nf, (uint32_t)(pkts[i].addr / nf->frame_size),
				NFV_LOG_TAKE, (uint16_t)nf->id);
		if (stall && n) {
			uint64_t one = 1;

			nfv_log_submit(&nf->log);
			(void)!write(nf->nfvd_doorbell, &one, sizeof(one));
		}
		if (giveback && !access(giveback, F_OK)) {
			unlink(giveback);
			drop_kept(nf, kept, n_kept);
			n_kept = 0;
		}
		if (held - last >= 256) {
			say("hoarding %llu\n", (unsigned long long)held);
			last = held;
		}
	}
}

/* ---- lanelie ---- */

/*
 * Logs sending every frame it gets to a replica of service @sid2, and
 * puts something else on the lane in its place: a descriptor of no
 * frame, which an honest consumer steps over without a word.
 */
static int lanelie(struct nfv *nf, int sid2)
{
	const struct nfv_service *svc = &nf->tables->services[sid2];
	uint64_t fs = nf->frame_size, size = (uint64_t)nf->n_frames * fs;
	uint64_t sent = 0, last = 0, one = 1;
	struct nfv_pkt pkts[64];
	struct nfv_lane_tx *l;
	int n, i, target;

	while (!svc->n_live)
		usleep(10000);
	target = svc->replicas[0];
	l = nfv_out_lane(nf, target);
	if (!l) {
		say("no lane to nf %d\n", target);
		return 1;
	}
	say("lying to nf %d\n", target);
	for (;;) {
		n = nfv_rx_burst(nf, pkts, 64, 100);
		if (n < 0)
			return 1;
		nf->log.reserved -= (uint32_t)n * (NFV_HOPS_MAX + 1);
		for (i = 0; i < n; i++) {
			struct nfv_desc *d;

			if (!nfv_log_free(&nf->log, 1) || !nfv_lane_free(l, 1))
				continue;	/* kept: charged to it */
			log_raw(nf, (uint32_t)(pkts[i].addr / fs),
				NFV_LOG_SEND, (uint16_t)target);
			d = nfv_lane_slot(l);
			d->addr = size + fs * (uint64_t)(sent % 64);
			d->len = 60;
			d->hop = 1;
			d->budget = 8;
			d->flags = 0;
			l->prod++;
			sent++;
		}
		nfv_log_submit(&nf->log);
		nfv_lane_submit(l);
		(void)!write(nf->peers[target].doorbell, &one, sizeof(one));
		(void)!write(nf->nfvd_doorbell, &one, sizeof(one));
		if (sent - last >= 256) {
			say("lied %llu\n", (unsigned long long)sent);
			last = sent;
		}
	}
}

/* ---- pingpong ---- */

static uint32_t bounce(struct nfv_pkt *pkt, void *ctx)
{
	return NFV_TO_SERVICE(*(int *)ctx);
}

/* ---- sleeproom ---- */

static void *say_sleep_room(void *arg)
{
	struct nfv *nf = arg;

	for (;;) {
		uint32_t *w = __atomic_load_n(&nf->sleeping, __ATOMIC_RELAXED);

		if (w)
			__atomic_store_n(w, NFV_SLEEP_ROOM, __ATOMIC_RELAXED);
		usleep(20);
	}
	return NULL;
}

static uint32_t next_hop(struct nfv_pkt *pkt, void *ctx)
{
	(void)pkt;
	(void)ctx;
	return NFV_NEXT;
}

/* An NF forwarding to the next hop while @liar writes its segment. */
static int run_beside(struct nfv *nf, void *(*liar)(void *))
{
	pthread_t t;

	if (pthread_create(&t, NULL, liar, nf))
		return 1;
	return nfv_run(nf, next_hop, NULL) ? 1 : 0;
}

static int sleeproom(struct nfv *nf)
{
	return run_beside(nf, say_sleep_room);
}

/* ---- schedlie ---- */

static void *lie_sched(void *arg)
{
	struct nfv *nf = arg;

	for (;;) {
		struct nfv_nf_counters *c = __atomic_load_n(&nf->cnt,
							    __ATOMIC_RELAXED);

		if (c)
			__atomic_store_n(&c->sched_switches, UINT64_MAX,
					 __ATOMIC_RELAXED);
		usleep(100);
	}
	return NULL;
}

static int schedlie(struct nfv *nf)
{
	return run_beside(nf, lie_sched);
}

/* ---- raw attach: what a hostile NF does without libnfv ---- */

struct raw {
	int ctl, id;
	int fds[NFV_MAX_FDS], n_fds;
	int roles[__NFV_FD_MAX];	/* fd of each role, -1 */
	int socks[2 * NFV_PORT_MAX * NFV_QUEUE_MAX], n_socks;
	uint16_t sock_port[2 * NFV_PORT_MAX * NFV_QUEUE_MAX];
	uint16_t sock_queue[2 * NFV_PORT_MAX * NFV_QUEUE_MAX];
	uint32_t seq;
};

static int raw_request(struct raw *r, struct nlmsghdr *nlh, char *reply,
		       int *fds, int *n)
{
	int len;

	if (nfv_msg_send(r->ctl, nlh, nlh->nlmsg_len, NULL, 0) < 0)
		return -errno;
	for (;;) {
		*n = 0;
		len = nfv_msg_recv(r->ctl, reply, NFV_MSG_MAX, fds, n,
				   NFV_MAX_FDS, 0);
		if (len <= 0)
			return len ?: -ECONNRESET;
		if (((struct nlmsghdr *)reply)->nlmsg_seq == nlh->nlmsg_seq)
			return 0;
	}
}

static int raw_attach(struct raw *r, const char *sock, int sid,
		      uint32_t flags)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[NFV_MSG_MAX], reply[NFV_MSG_MAX];
	const struct nlattr *a, *b;
	struct nlmsghdr *nlh;
	int n_roles = 0, i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < __NFV_FD_MAX; i++)
		r->roles[i] = -1;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock);
	r->ctl = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (r->ctl < 0 || connect(r->ctl, (struct sockaddr *)&sun,
				  sizeof(sun)))
		return -errno;
	nlh = nfv_msg_start(buf, NFV_CMD_NF_ATTACH, 0, ++r->seq);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, (uint16_t)sid);
	mnl_attr_put_strz(nlh, NFV_A_NF_NAME, "hostile");
	mnl_attr_put_u32(nlh, NFV_A_NF_FLAGS, flags);
	if (raw_request(r, nlh, reply, r->fds, &r->n_fds))
		return -EPROTO;
	nlh = (struct nlmsghdr *)reply;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return -EPERM;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == NFV_A_NF_ID)
			r->id = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) == NFV_A_NF_FDS)
			mnl_attr_for_each_nested(b, a) {
				uint32_t role = mnl_attr_get_u32(b);

				if (role < __NFV_FD_MAX && n_roles < r->n_fds)
					r->roles[role] = r->fds[n_roles];
				n_roles++;
			}
		if (mnl_attr_get_type(a) == NFV_A_NF_SOCK) {
			mnl_attr_for_each_nested(b, a) {
				if (mnl_attr_get_type(b) == NFV_A_SOCK_PORT)
					r->sock_port[r->n_socks] =
						mnl_attr_get_u16(b);
				if (mnl_attr_get_type(b) == NFV_A_SOCK_QUEUE)
					r->sock_queue[r->n_socks] =
						mnl_attr_get_u16(b);
			}
			r->n_socks++;
		}
	}
	for (i = 0; i < r->n_socks && n_roles + i < r->n_fds; i++)
		r->socks[i] = r->fds[n_roles + i];
	return 0;
}

static int raw_ready(struct raw *r)
{
	char buf[NFV_MSG_MAX], reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	const char *ext;
	int fds[NFV_MAX_FDS], n, i;

	nlh = nfv_msg_start(buf, NFV_CMD_NF_READY, NLM_F_ACK, ++r->seq);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, (uint16_t)r->id);
	for (i = 0; i < r->n_socks; i++) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, NFV_A_NF_SOCK);

		mnl_attr_put_u16(nlh, NFV_A_SOCK_PORT, r->sock_port[i]);
		mnl_attr_put_u16(nlh, NFV_A_SOCK_QUEUE, r->sock_queue[i]);
		mnl_attr_nest_end(nlh, nest);
	}
	if (raw_request(r, nlh, reply, fds, &n))
		return -ECONNRESET;
	return nfv_msg_error((struct nlmsghdr *)reply, &ext);
}

/*
 * NF_GET of @peer's doorbell and segment: the segment's fd, or -errno
 * with nfvd's reason in @why.
 */
static int raw_peer_seg(struct raw *r, int peer, uint32_t gen,
			const char **why)
{
	char buf[NFV_MSG_MAX];
	static char reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	int fds[NFV_MAX_FDS], n, err;

	*why = NULL;
	nlh = nfv_msg_start(buf, NFV_CMD_NF_GET, 0, ++r->seq);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, (uint16_t)peer);
	mnl_attr_put_u32(nlh, NFV_A_NF_DOORBELL, gen);
	err = raw_request(r, nlh, reply, fds, &n);
	if (err)
		return err;
	nlh = (struct nlmsghdr *)reply;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		err = nfv_msg_error(nlh, why);
		return err ?: -EPROTO;
	}
	while (n > 2)
		close(fds[--n]);
	if (n != 2) {
		while (n)
			close(fds[--n]);
		*why = "reply without two fds";
		return -EPROTO;
	}
	close(fds[0]);
	return fds[1];
}

/* ---- readonly: every way to write what it may only read ---- */

static void result(const char *what, int rc)
{
	say("%s: %s\n", what, rc ? strerror(rc) : "ALLOWED");
}

static void try_fd(const char *name, int fd)
{
	char path[64], what[64];
	struct stat st;
	void *p;
	int rw;

	if (fd < 0 || fstat(fd, &st))
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rw = open(path, O_RDWR);
	snprintf(what, sizeof(what), "%s reopen-rw", name);
	result(what, rw < 0 ? errno : 0);
	if (rw >= 0)
		close(rw);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	snprintf(what, sizeof(what), "%s mmap-write", name);
	result(what, p == MAP_FAILED ? errno : 0);
	if (p != MAP_FAILED)
		munmap(p, (size_t)st.st_size);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED) {
		snprintf(what, sizeof(what), "%s mprotect", name);
		result(what, mprotect(p, 4096, PROT_READ | PROT_WRITE) ?
			     errno : 0);
		munmap(p, (size_t)st.st_size);
	}
	snprintf(what, sizeof(what), "%s fchmod", name);
	result(what, fchmod(fd, 0666) ? errno : 0);
	snprintf(what, sizeof(what), "%s write", name);
	result(what, pwrite(fd, "x", 1, 0) < 0 ? errno : 0);
	snprintf(what, sizeof(what), "%s punch", name);
	result(what, fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       0, 4096) ? errno : 0);
}

/*
 * Attached read-only (or not: @flags), then every attack on the UMEM,
 * the tables, its own segment after READY and a peer's (@peer_sid: a
 * service whose replica it asks for).
 */
static int readonly(const char *sock, int sid, uint32_t flags, int peer_sid)
{
	struct raw r;
	int err, fd;

	err = raw_attach(&r, sock, sid, flags);
	if (err) {
		say("attach: %s\n", strerror(-err));
		return 1;
	}
	say("attached id %d\n", r.id);
	if (flags & NFV_NF_F_READONLY)
		try_fd("umem", r.roles[NFV_FD_UMEM]);
	try_fd("tables", r.roles[NFV_FD_TABLES]);
	err = raw_ready(&r);
	say("ready: %s\n", err ? strerror(-err) : "ok");
	try_fd("own-seg", r.roles[NFV_FD_SEG]);
	if (peer_sid) {
		const struct nfv_tables *t;
		struct stat st;

		fstat(r.roles[NFV_FD_TABLES], &st);
		t = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED,
			 r.roles[NFV_FD_TABLES], 0);
		if (t == MAP_FAILED) {
			say("peer-seg: tables: %s\n", strerror(errno));
		} else if (!t->services[peer_sid].n_live) {
			say("peer-seg: service %d has no live NF\n", peer_sid);
		} else {
			int peer = t->services[peer_sid].replicas[0];
			const char *why;

			fd = raw_peer_seg(&r, peer, t->nfs[peer].gen, &why);
			if (fd >= 0)
				try_fd("peer-seg", fd);
			else
				say("peer-seg: not granted (nf %d: %s%s%s)\n",
				    peer, strerror(-fd), why ? ": " : "",
				    why ? why : "");
		}
	}
	say("done\n");
	pause();
	return 0;
}

/* ---- txring: an rx socket that grows a tx ring before READY ---- */

static int txring(const char *sock, int sid)
{
	unsigned int size = 64;
	struct raw r;
	int i, err, added = 0;

	err = raw_attach(&r, sock, sid, 0);
	if (err) {
		say("attach: %s\n", strerror(-err));
		return 1;
	}
	say("attached id %d\n", r.id);
	for (i = 0; i < r.n_socks; i++)
		if (!setsockopt(r.socks[i], SOL_XDP, XDP_TX_RING, &size,
				sizeof(size)))
			added++;
	say("tx rings added: %d\n", added);
	err = raw_ready(&r);
	say("ready: %s\n", err ? strerror(-err) : "ok");
	pause();
	return 0;
}

/* One raw verdict: the flow, with @bad spoiling one attribute. */
enum { V_OK, V_FAMILY, V_ADDR_LEN, V_NO_DST, V_ICMP, V_NOT_PORT };

static int verdict(struct nfv *nf, uint32_t ifindex, uint16_t sport, int bad,
		   bool ack)
{
	uint32_t src = htonl(0xc6120001), dst = htonl(0xc6120002);
	char buf[256], reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh;

	nlh = nfv_msg_start(buf, NFV_CMD_OFFLOAD_NEW, ack ? NLM_F_ACK : 0,
			    ++nf->seq);
	mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IN_IFINDEX,
			 bad == V_NOT_PORT ? 1 : ifindex);
	mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_PROTO,
			bad == V_ICMP ? IPPROTO_ICMP : IPPROTO_UDP);
	mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_FAMILY,
			bad == V_FAMILY ? 99 : AF_INET);
	if (bad == V_ADDR_LEN) {
		char five[5] = { 0 };

		mnl_attr_put(nlh, NFV_A_OFFLOAD_SRC, sizeof(five), five);
	} else {
		mnl_attr_put(nlh, NFV_A_OFFLOAD_SRC, 4, &src);
	}
	if (bad != V_NO_DST)
		mnl_attr_put(nlh, NFV_A_OFFLOAD_DST, 4, &dst);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_SPORT, sport);
	mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_DPORT, 9000);
	if (!ack)
		return send(nf->ctl, nlh, nlh->nlmsg_len, 0) < 0 ? -errno : 0;
	return nfv_ctl_request(nf, nlh, NULL, NULL, 0, reply, sizeof(reply));
}

static const char *err_name(int err)
{
	return err ? strerrorname_np(-err) : "ok";
}

/* nfvd's answer to a STATS_GET sent now, waiting up to a minute. */
static int drain(struct nfv *nf)
{
	char buf[64], reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh = nfv_msg_start(buf, NFV_CMD_STATS_GET, 0,
					     ++nf->seq);
	uint32_t seq = nlh->nlmsg_seq;
	uint64_t end = now_ms() + 60000;
	int err;

	if (send(nf->ctl, nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	while (now_ms() < end) {
		struct nlmsghdr *r = (struct nlmsghdr *)reply;
		struct pollfd pfd = { .fd = nf->ctl, .events = POLLIN };

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		err = (int)recv(nf->ctl, reply, sizeof(reply), 0);
		if (err <= 0)
			return err ? -errno : -ECONNRESET;
		if (r->nlmsg_seq == seq)
			return r->nlmsg_type == NLMSG_ERROR ?
			       nfv_msg_error(r, NULL) : 0;
	}
	return -ETIMEDOUT;
}

static int verdicts(struct nfv *nf, uint32_t ifindex, uint16_t sport,
		    const char *go)
{
	static const char *const bad[] = {
		[V_FAMILY] = "bad-family", [V_ADDR_LEN] = "bad-addr-len",
		[V_NO_DST] = "no-dst", [V_ICMP] = "icmp",
		[V_NOT_PORT] = "not-a-port",
	};
	int i, n = 0, busy = 0, nospc = 0, other = 0, err;
	char reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	char buf[64];
	uint64_t t0;

	nf->quiet = true;
	/* Meanwhile nfvd sent sockets for the ports re-added: take them. */
	while (access(go, F_OK)) {
		nfv_nf_handle_ctl(nf);
		usleep(20000);
	}
	for (i = 0; i < 10; i++) {
		nfv_nf_handle_ctl(nf);
		usleep(10000);
	}
	say("own: %s\n", err_name(verdict(nf, ifindex, sport, V_OK, true)));
	for (i = V_FAMILY; i <= V_NOT_PORT; i++)
		say("%s: %s\n", bad[i],
		    err_name(verdict(nf, ifindex, sport, i, true)));
	/* Each answered: what nfvd refuses, and why. */
	t0 = now_ms();
	for (i = 0; i < NFV_OFFLOAD_MAX + 100; i++) {
		err = verdict(nf, ifindex, (uint16_t)(20000 + i), V_OK, true);
		if (!err)
			n++;
		else if (err == -EBUSY)
			busy++;
		else if (err == -ENOSPC)
			nospc++;
		else
			other++;
	}
	say("flood: %d\n", i);
	say("flood ms: %llu\n", (unsigned long long)(now_ms() - t0));
	say("flood ok: %d\n", n);
	say("flood busy: %d\n", busy);
	say("flood nospc: %d\n", nospc);
	say("flood other: %d\n", other);
	t0 = now_ms();
	err = drain(nf);
	say("drained: %s %llu\n", err_name(err),
	    (unsigned long long)(now_ms() - t0));
	say("one more: %s\n", err_name(verdict(nf, ifindex, 19999, V_OK,
						 true)));
	nlh = nfv_msg_start(buf, NFV_CMD_STATS_GET, 0, ++nf->seq);
	say("nfvd answers: %s\n",
	    err_name(nfv_ctl_request(nf, nlh, NULL, NULL, 0, reply,
				     sizeof(reply))));
	/* Keep the table full as verdicts expire, until killed. */
	for (;;) {
		for (i = 0; i < NFV_OFFLOAD_MAX + 100; i++)
			if (verdict(nf, ifindex, (uint16_t)(20000 + i), V_OK,
				    false) == -EAGAIN)
				usleep(1000);
		drain(nf);
		usleep(100000);
	}
	return 0;
}

/* ---- counters: hostile NF_COUNTERS_SET ---- */

enum { C_GOOD, C_GOOD2, C_BAD_CHAR, C_DIGIT, C_EMPTY, C_TOO_MANY, C_NO_NUL,
       C_LONG_NAME, C_VALUE_LEN, C_NO_VALUE, C_RESERVED_LABEL, C_DUP,
       C_HELP_CTRL, C_TYPE, C_TRUNCATED, C_HALF_LABEL, C_TOTAL,
       C_LABEL_CTRL, C_TWO_TYPES, C_UNKNOWN_ATTR, C_TOP_ATTR, __C_MAX };

static const char *const c_names[__C_MAX] = {
	[C_GOOD] = "good", [C_GOOD2] = "good-again",
	[C_BAD_CHAR] = "bad-char", [C_DIGIT] = "leading-digit",
	[C_EMPTY] = "empty-name", [C_TOO_MANY] = "too-many",
	[C_NO_NUL] = "no-nul", [C_LONG_NAME] = "long-name",
	[C_VALUE_LEN] = "value-len", [C_NO_VALUE] = "no-value",
	[C_RESERVED_LABEL] = "reserved-label", [C_DUP] = "duplicate",
	[C_HELP_CTRL] = "help-newline", [C_TYPE] = "bad-type",
	[C_TRUNCATED] = "truncated", [C_HALF_LABEL] = "half-label",
	[C_TOTAL] = "total-suffix", [C_LABEL_CTRL] = "label-ctrl",
	[C_TWO_TYPES] = "two-types", [C_UNKNOWN_ATTR] = "unknown-attr",
	[C_TOP_ATTR] = "not-a-counter",
};

static void put_counter(struct nlmsghdr *nlh, const char *name, uint8_t type,
			uint64_t v, const char *lname, const char *lvalue,
			const char *help)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, NFV_A_NF_COUNTERS_COUNTER);

	if (name)
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_NAME, name);
	mnl_attr_put_u8(nlh, NFV_A_NF_COUNTER_TYPE, type);
	mnl_attr_put_u64(nlh, NFV_A_NF_COUNTER_VALUE, v);
	if (help)
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_HELP, help);
	if (lname)
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_LABEL_NAME, lname);
	if (lvalue)
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_LABEL_VALUE, lvalue);
	mnl_attr_nest_end(nlh, n);
}

static int counter_set(struct nfv *nf, int which)
{
	static char buf[NFV_MSG_MAX], reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh = nfv_msg_start(buf, NFV_CMD_NF_COUNTERS_SET,
					     NLM_F_ACK, ++nf->seq);
	const char *good_label = "a\"b\\c";	/* a"b\c: escaped on /metrics */
	struct nlattr *n;
	char name[64];
	int i;

	switch (which) {
	case C_GOOD:
	case C_GOOD2:
		put_counter(nlh, "hostile_hits", NFV_COUNTER_TYPE_COUNTER,
			    which == C_GOOD ? 7 : 8, "k", good_label,
			    "A help with a \\ backslash");
		put_counter(nlh, "hostile_level", NFV_COUNTER_TYPE_GAUGE, 3,
			    NULL, NULL, NULL);
		break;
	case C_BAD_CHAR:
		put_counter(nlh, "bad-name", 0, 1, NULL, NULL, NULL);
		break;
	case C_DIGIT:
		put_counter(nlh, "1abc", 0, 1, NULL, NULL, NULL);
		break;
	case C_EMPTY:
		put_counter(nlh, "", 0, 1, NULL, NULL, NULL);
		break;
	case C_TOO_MANY:
		for (i = 0; i <= NFV_NF_COUNTERS_MAX; i++) {
			snprintf(name, sizeof(name), "c%d", i);
			put_counter(nlh, name, 0, 1, NULL, NULL, NULL);
		}
		break;
	case C_NO_NUL:
		n = mnl_attr_nest_start(nlh, NFV_A_NF_COUNTERS_COUNTER);
		mnl_attr_put(nlh, NFV_A_NF_COUNTER_NAME, 8, "abcdefgh");
		mnl_attr_put_u8(nlh, NFV_A_NF_COUNTER_TYPE, 0);
		mnl_attr_put_u64(nlh, NFV_A_NF_COUNTER_VALUE, 1);
		mnl_attr_nest_end(nlh, n);
		break;
	case C_LONG_NAME:
		memset(name, 'x', NFV_COUNTER_NAME_LEN);
		name[NFV_COUNTER_NAME_LEN] = 0;
		put_counter(nlh, name, 0, 1, NULL, NULL, NULL);
		break;
	case C_VALUE_LEN:
		n = mnl_attr_nest_start(nlh, NFV_A_NF_COUNTERS_COUNTER);
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_NAME, "short");
		mnl_attr_put_u8(nlh, NFV_A_NF_COUNTER_TYPE, 0);
		mnl_attr_put_u32(nlh, NFV_A_NF_COUNTER_VALUE, 1);
		mnl_attr_nest_end(nlh, n);
		break;
	case C_NO_VALUE:
		n = mnl_attr_nest_start(nlh, NFV_A_NF_COUNTERS_COUNTER);
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_NAME, "novalue");
		mnl_attr_put_u8(nlh, NFV_A_NF_COUNTER_TYPE, 0);
		mnl_attr_nest_end(nlh, n);
		break;
	case C_RESERVED_LABEL:
		put_counter(nlh, "x", 0, 1, "nf", "3", NULL);
		break;
	case C_DUP:
		put_counter(nlh, "x", 0, 1, "k", "v", NULL);
		put_counter(nlh, "x", 0, 2, "k", "v", NULL);
		break;
	case C_HELP_CTRL:
		put_counter(nlh, "x", 0, 1, NULL, NULL, "two\nlines");
		break;
	case C_TYPE:
		put_counter(nlh, "x", 7, 1, NULL, NULL, NULL);
		break;
	case C_TRUNCATED:
		put_counter(nlh, "x", 0, 1, NULL, NULL, NULL);
		/* the nest says it is longer than the message */
		n = (struct nlattr *)((char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN);
		n->nla_len += 64;
		break;
	case C_HALF_LABEL:
		put_counter(nlh, "x", 0, 1, "k", NULL, NULL);
		break;
	case C_TOTAL:
		put_counter(nlh, "x_total", 0, 1, NULL, NULL, NULL);
		break;
	case C_LABEL_CTRL:
		put_counter(nlh, "x", 0, 1, "k", "\x7f", NULL);
		break;
	case C_TWO_TYPES:
		put_counter(nlh, "x", 0, 1, "k", "1", NULL);
		put_counter(nlh, "x", 1, 1, "k", "2", NULL);
		break;
	case C_UNKNOWN_ATTR:
		n = mnl_attr_nest_start(nlh, NFV_A_NF_COUNTERS_COUNTER);
		mnl_attr_put_strz(nlh, NFV_A_NF_COUNTER_NAME, "x");
		mnl_attr_put_u8(nlh, NFV_A_NF_COUNTER_TYPE, 0);
		mnl_attr_put_u64(nlh, NFV_A_NF_COUNTER_VALUE, 1);
		mnl_attr_put_u32(nlh, NFV_A_NF_COUNTER_MAX + 5, 1);
		mnl_attr_nest_end(nlh, n);
		break;
	case C_TOP_ATTR:
		/* an attribute of the set that is no counter (GET's id) */
		put_counter(nlh, "x", 0, 1, NULL, NULL, NULL);
		mnl_attr_put_u16(nlh, NFV_A_NF_COUNTERS_ID, 1);
		break;
	}
	return nfv_ctl_request(nf, nlh, NULL, NULL, 0, reply, sizeof(reply));
}

static int counters(struct nfv *nf)
{
	int i;

	say("%s %s\n", c_names[C_GOOD], err_name(counter_set(nf, C_GOOD)));
	for (i = C_GOOD2 + 1; i < __C_MAX; i++)
		say("%s %s\n", c_names[i], err_name(counter_set(nf, i)));
	say("%s %s\n", c_names[C_GOOD2], err_name(counter_set(nf, C_GOOD2)));
	say("done\n");
	pause();
	return 0;
}

static int oversize(struct nfv *nf)
{
	static char buf[3 * NFV_MSG_MAX], reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh = nfv_msg_start(buf, NFV_CMD_NF_COUNTERS_SET,
					     NLM_F_ACK, ++nf->seq);
	char name[32];
	int i, err;

	for (i = 0; nlh->nlmsg_len < 2 * NFV_MSG_MAX; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		put_counter(nlh, name, 0, 1, "k", "a long label value, 38 bytes",
			    "a long help text to fill the message up quickly");
	}
	err = nfv_ctl_request(nf, nlh, NULL, NULL, 0, reply, sizeof(reply));
	say("oversize %s\n", err_name(err));
	return 0;
}

/* A raw FLOW_NEW (@chain) or FLOW_DEL (@chain 0) of the UDP flow
 * 198.18.0.1:@sport > 198.18.0.2:9000, or of 198.18.0.0/24 (@sport 0),
 * with an ack; @idle, @owner: attributes to add when not 0.
 */
static int rule_req(struct nfv *nf, uint16_t sport, uint16_t chain,
		    uint32_t idle, uint16_t owner)
{
	char buf[256], reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	uint32_t src = htonl(0xc6120001), dst = htonl(0xc6120002);

	nlh = nfv_msg_start(buf, chain ? NFV_CMD_FLOW_NEW : NFV_CMD_FLOW_DEL,
			    NLM_F_ACK, ++nf->seq);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_PROTO, IPPROTO_UDP);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_FAMILY, AF_INET);
	mnl_attr_put(nlh, NFV_A_FLOW_SRC, 4, &src);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_SRC_PLEN, sport ? 32 : 24);
	if (sport) {
		mnl_attr_put(nlh, NFV_A_FLOW_DST, 4, &dst);
		mnl_attr_put_u8(nlh, NFV_A_FLOW_DST_PLEN, 32);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT, sport);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT_MAX, sport);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT, 9000);
		mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT_MAX, 9000);
	}
	if (chain)
		mnl_attr_put_u16(nlh, NFV_A_FLOW_CHAIN, chain);
	if (idle)
		mnl_attr_put_u32(nlh, NFV_A_FLOW_IDLE_TIMEOUT, idle);
	if (owner)
		mnl_attr_put_u16(nlh, NFV_A_FLOW_OWNER, owner);
	return nfv_ctl_request(nf, nlh, NULL, NULL, 0, reply, sizeof(reply));
}

static int rules(struct nfv *nf, uint16_t ok, uint16_t bad)
{
	struct nfv_match m = {
		.src = { htonl(0xc6120001) }, .dst = { htonl(0xc6120002) },
		.sport = 3000, .sport_max = 3000, .dport = 9000,
		.dport_max = 9000, .src_plen = 32, .dst_plen = 32,
		.proto = IPPROTO_UDP, .family = AF_INET,
	};
	int err = 0, n;

	say("own %s\n", err_name(rule_req(nf, 1000, ok, 0, 0)));
	say("again %s\n", err_name(rule_req(nf, 1000, ok, 0, 0)));
	say("chain %s\n", err_name(rule_req(nf, 1001, bad, 0, 0)));
	say("deladmin %s\n", err_name(rule_req(nf, 2000, 0, 0, 0)));
	say("prefix %s\n", err_name(rule_req(nf, 0, ok, 1000, 0)));
	say("owner %s\n", err_name(rule_req(nf, 1002, ok, 0, 1)));
	for (n = 0; n < 1000 && !err; n++)
		err = rule_req(nf, (uint16_t)(1100 + n), ok, 0, 0);
	say("cap %d %s\n", n - 1, err_name(err));
	say("delown %s\n", err_name(rule_req(nf, 1000, 0, 0, 0)));
	say("libnfv %s\n", err_name(nfv_flow_add(nf, &m, ok, 60000)));
	say("done\n");
	pause();
	return 0;
}

/* ---- nshmeta: the NSH fields of the metadata, forged upstream ---- */

/*
 * Every frame goes on down its chain (NFV_NEXT) with the metadata's NSH
 * fields random: the flags say it came in NSH (or not), decap_id and
 * nsh_ttl anything.  The next NF's nsh hop must still send a valid
 * header (TTL 1..63, SI 1..255) or drop the frame, and count it.
 */
static uint32_t nshmeta_frame(struct nfv_pkt *pkt, void *ctx)
{
	uint64_t r = rnd();
	uint64_t *n = ctx;

	pkt->meta->flags ^= (uint8_t)(r & (NFV_META_F_DECAP | NFV_META_F_NSH));
	pkt->meta->decap_id = (uint32_t)(r >> 8);
	pkt->meta->nsh_ttl = (uint8_t)(r >> 40);
	pkt->meta->pad[0] = (uint8_t)(r >> 48);
	/*
	 * One frame in 16 at an edge, or a chance of 1 % would leave no
	 * drop in a run now and then: a spent TTL (0 or 1), or an SI its
	 * chain's hops before the nsh hop (1) spend.
	 */
	if (!(*n % 16)) {
		pkt->meta->flags |= NFV_META_F_DECAP | NFV_META_F_NSH;
		if (r & 1)
			pkt->meta->nsh_ttl = (uint8_t)(r >> 1 & 1);
		else
			pkt->meta->decap_id = (pkt->meta->decap_id & ~0xffu) |
					      (uint32_t)(r >> 1 & 1);
	}
	if (!(++*n % 100))
		say("forged %llu\n", (unsigned long long)*n);
	return NFV_NEXT;
}

/* ---- txlost: no tx socket on a port its chain goes out of ---- */

struct txlost {
	struct nfv *nf;
	int port;
	uint64_t n;
};

static uint32_t txlost_frame(struct nfv_pkt *pkt, void *ctx)
{
	struct txlost *t = ctx;

	(void)pkt;
	t->nf->tx_of_port[t->port] = NULL;
	if (!(++t->n % 50))
		say("forwarded %llu\n", (unsigned long long)t->n);
	return NFV_NEXT;
}

/* ---- relayto: frames it holds, relayed out a port of its choice ---- */

static int relayto(struct nfv *nf, int port)
{
	struct nfv_lane_tx *l = &nf->out_lanes[0];
	struct nfv_pkt pkts[16];
	uint64_t one = 1;
	int got, i;

	if (!l->prod_word)
		nfv_lane_tx_init(l, nf->seg + nf->lay.lanes,
				 &nf->tables->fb[nf->id].relay_cons, nf->gen, 0);
	/* The test sends once we are up (late under TCG): up to 20 s. */
	for (got = 0, i = 0; got < 16 && i < 200; i++) {
		int n = nfv_rx_burst(nf, pkts + got, 16 - got, 100);

		if (n < 0 || (got && !n))
			break;
		got += n;
	}
	for (i = 0; i < got; i++) {
		struct nfv_desc *d = nfv_lane_slot(l);

		d->addr = pkts[i].addr;
		d->len = pkts[i].len;
		d->hop = (uint8_t)port;
		d->budget = 0;
		d->flags = 0;
		l->prod++;
		log_raw(nf, (uint32_t)(pkts[i].addr / nf->frame_size),
			NFV_LOG_SEND, 0);
	}
	nfv_log_submit(&nf->log);
	nfv_lane_submit(l);
	(void)!write(nf->nfvd_doorbell, &one, sizeof(one));
	say("relayed %d to port %d\n", got, port);
	say("done\n");
	pause();
	return 0;
}

int main(int argc, char **argv)
{
	LIBNFV_OPTS(opts, .name = "hostile");
	const char *mode;
	struct nfv *nf;
	int arg;

	if (argc < 4)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	opts.socket_path = argv[1];
	mode = argv[3];
	arg = argc > 4 ? atoi(argv[4]) : 0;
	rnd_state ^= (uint64_t)getpid() << 17;
	if (!strcmp(mode, "txring"))
		return txring(argv[1], atoi(argv[2]));
	if (!strcmp(mode, "readonly"))
		return readonly(argv[1], atoi(argv[2]), NFV_NF_F_READONLY, arg);
	if (!strcmp(mode, "writable"))
		return readonly(argv[1], atoi(argv[2]), 0, arg);
	if (!strcmp(mode, "relay") || !strcmp(mode, "relayto"))
		opts.readonly = true;
	nf = nfv_init(atoi(argv[2]), &opts);
	if (!nf)
		return 1;
	say("attached id %d\n", nf->id);
	if (!strcmp(mode, "scribble"))
		return scribble(nf, arg);
	if (!strcmp(mode, "forge"))
		return forge(nf, arg);
	if (!strcmp(mode, "custody"))
		return custody(nf, arg);
	if (!strcmp(mode, "lanelie"))
		return lanelie(nf, arg);
	if (!strcmp(mode, "hoard"))
		return hoard(nf, NULL, false);
	if (!strcmp(mode, "hoard-lanes") || !strcmp(mode, "hoard-stall")) {
		static char path[4096];

		snprintf(path, sizeof(path), "%s.giveback", argv[1]);
		return hoard(nf, path, !strcmp(mode, "hoard-stall"));
	}
	if (!strcmp(mode, "relay") || !strcmp(mode, "relay-rw"))
		return relay(nf);
	if (!strcmp(mode, "relayto") || !strcmp(mode, "relayto-rw"))
		return relayto(nf, arg);
	if (!strcmp(mode, "txlost")) {
		struct txlost t = { .nf = nf, .port = arg };

		if (arg <= 0 || arg >= NFV_PORT_MAX)
			return 2;
		return nfv_run(nf, txlost_frame, &t) ? 1 : 0;
	}
	if (!strcmp(mode, "counters"))
		return counters(nf);
	if (!strcmp(mode, "sleeproom"))
		return sleeproom(nf);
	if (!strcmp(mode, "schedlie"))
		return schedlie(nf);
	if (!strcmp(mode, "oversize"))
		return oversize(nf);
	if (!strcmp(mode, "pingpong"))
		return nfv_run(nf, bounce, &arg) ? 1 : 0;
	if (!strcmp(mode, "nshmeta")) {
		uint64_t n = 0;

		return nfv_run(nf, nshmeta_frame, &n) ? 1 : 0;
	}
	if (!strcmp(mode, "rules") && argc == 6)
		return rules(nf, (uint16_t)atoi(argv[4]),
			     (uint16_t)atoi(argv[5]));
	if (!strcmp(mode, "verdicts") && argc == 7)
		return verdicts(nf, (uint32_t)atoi(argv[4]),
				(uint16_t)atoi(argv[5]), argv[6]);
	return 2;
}
