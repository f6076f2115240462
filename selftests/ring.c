// SPDX-License-Identifier: GPL-2.0
/*
 * The SPSC rings NFs share (proto/nfv_lane.h, proto/nfv_custody.h): NF->NF lanes, whose producer
 * and consumer index words live in two different memories and carry the
 * generation they were written for, and the custody log to nfvd.
 *
 * Order, wrap-around, full and empty, indices wrapping at 2^32,
 * cross-process use, a producer or consumer that lies about its index, a
 * stale index word of an earlier incarnation, and the log's accounting
 * of room promised to frames.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nfv_custody.h"
#include "nfv_lane.h"
#include "nfv_segment.h"
#include "nfv_tables.h"

/* Distinct and non-zero: a tag written for the wrong side reads as 0. */
#define PROD_GEN	7u
#define CONS_GEN	9u

#define LANE		((uint32_t)NFV_LANE_SIZE)
#define LANE_MAP	((size_t)NFV_LANE_STRIDE)
#define WORD_MAP	((size_t)4096)

static uint64_t word(const uint64_t *w)
{
	return __atomic_load_n(w, __ATOMIC_ACQUIRE);
}

static void set_word(uint64_t *w, uint32_t gen, uint32_t idx)
{
	__atomic_store_n(w, nfv_idx_word(gen, idx), __ATOMIC_RELEASE);
}

static void *map_shared(size_t size)
{
	/* Shared anonymous memory: the same as a memfd for this purpose. */
	return mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

static void produce(struct nfv_lane_tx *l, uint64_t v)
{
	struct nfv_desc *d = nfv_lane_slot(l);

	d->addr = v;
	d->len = (uint32_t)v ^ 0x5a5a5a5au;
	d->hop = (uint8_t)v;
	d->budget = NFV_MOVE_BUDGET;
	d->flags = 0;
	l->prod++;
}

/* Entry @i of what the consumer was told is available, is it @v? */
static int holds(const struct nfv_lane_rx *l, uint32_t i, uint64_t v)
{
	struct nfv_desc d = nfv_lane_read(l, i);

	return d.addr == v && d.len == ((uint32_t)v ^ 0x5a5a5a5au) &&
	       d.hop == (uint8_t)v;
}

/*
 * A lane as two NFs see it: the producer's segment holds its index word
 * (a cache line) then the descriptors; the consumer's segment holds the
 * consumer index word.  Each side has its own private struct.
 */
FIXTURE(lane) {
	void *seg_lane;		/* in the producer's segment */
	uint64_t *cons_word;	/* in the consumer's segment */
	struct nfv_lane_tx tx;
	struct nfv_lane_rx rx;
};

FIXTURE_SETUP(lane)
{
	self->seg_lane = map_shared(LANE_MAP);
	ASSERT_NE(MAP_FAILED, self->seg_lane);
	self->cons_word = map_shared(WORD_MAP);
	ASSERT_NE(MAP_FAILED, self->cons_word);
	nfv_lane_tx_init(&self->tx, self->seg_lane, self->cons_word,
			 PROD_GEN, CONS_GEN);
	nfv_lane_rx_init(&self->rx, self->seg_lane, self->cons_word,
			 CONS_GEN, PROD_GEN);
	/* Each word is tagged with the generation of the side reading it. */
	ASSERT_EQ(nfv_idx_word(CONS_GEN, 0), word(self->seg_lane));
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 0), word(self->cons_word));
}

FIXTURE_TEARDOWN(lane)
{
	munmap(self->seg_lane, LANE_MAP);
	munmap(self->cons_word, WORD_MAP);
}

/* Both sides, and both index words, at index @at. */
static void lane_start_at(struct nfv_lane_tx *tx, struct nfv_lane_rx *rx,
			  uint32_t at)
{
	tx->prod = tx->cached_cons = at;
	rx->cons = rx->read = rx->cached_prod = at;
	set_word(tx->prod_word, tx->peer_gen, at);
	set_word(rx->cons_word, rx->peer_gen, at);
}

/* The producer word alone in a cache line, then the descriptors. */
TEST_F(lane, layout)
{
	char *base = self->seg_lane;

	ASSERT_EQ((void *)base, (void *)self->tx.prod_word);
	ASSERT_EQ((const void *)base, (const void *)self->rx.prod_word);
	ASSERT_EQ((void *)(base + NFV_CACHELINE),
		  (void *)nfv_lane_slot(&self->tx));
	ASSERT_EQ((const void *)self->tx.descs, (const void *)self->rx.descs);
	self->tx.prod = LANE - 1;
	ASSERT_EQ((void *)(base + LANE_MAP - sizeof(struct nfv_desc)),
		  (void *)nfv_lane_slot(&self->tx));
	self->tx.prod = LANE;
	ASSERT_EQ((void *)(base + NFV_CACHELINE),
		  (void *)nfv_lane_slot(&self->tx));
}

TEST_F(lane, empty_then_fifo)
{
	int jump = 0;
	uint32_t n, i;

	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(10u, nfv_lane_free(&self->tx, 10));
	for (i = 0; i < 10; i++)
		produce(&self->tx, 100 + i);
	/* Not visible before submit. */
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(nfv_idx_word(CONS_GEN, 0), word(self->seg_lane));
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(nfv_idx_word(CONS_GEN, 10), word(self->seg_lane));
	n = nfv_lane_avail(&self->rx, LANE, &jump);
	ASSERT_EQ(10u, n);
	for (i = 0; i < n; i++)
		EXPECT_TRUE(holds(&self->rx, i, 100 + i));
	/* A smaller burst gets what it asked for, from the front. */
	ASSERT_EQ(4u, nfv_lane_avail(&self->rx, 4, &jump));
	nfv_lane_release(&self->rx, 4);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 4), word(self->cons_word));
	ASSERT_EQ(6u, nfv_lane_avail(&self->rx, LANE, &jump));
	EXPECT_TRUE(holds(&self->rx, 0, 104));
	nfv_lane_release(&self->rx, 6);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 10), word(self->cons_word));
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(0, jump);
}

TEST_F(lane, full_and_wrap)
{
	const uint32_t skew = LANE / 3;
	int jump = 0;
	uint32_t round, i, n;

	/* Start off the slot boundary: every full round then wraps. */
	for (i = 0; i < skew; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(skew, nfv_lane_avail(&self->rx, LANE, &jump));
	nfv_lane_release(&self->rx, skew);

	for (round = 1; round <= 5; round++) {
		ASSERT_EQ(LANE, nfv_lane_free(&self->tx, LANE + 5));
		for (i = 0; i < LANE; i++)
			produce(&self->tx, round * 10000 + i);
		nfv_lane_submit(&self->tx);
		ASSERT_EQ(0u, nfv_lane_free(&self->tx, 1));
		n = nfv_lane_avail(&self->rx, LANE + 5, &jump);
		ASSERT_EQ(LANE, n);
		for (i = 0; i < n; i++)
			ASSERT_TRUE(holds(&self->rx, i, round * 10000 + i));
		/* Half given back: exactly that much room, no more. */
		nfv_lane_release(&self->rx, LANE / 2);
		ASSERT_EQ(LANE / 2, nfv_lane_free(&self->tx, LANE));
		ASSERT_EQ(LANE / 2, nfv_lane_avail(&self->rx, LANE, &jump));
		nfv_lane_release(&self->rx, LANE / 2);
	}
	ASSERT_EQ(nfv_idx_word(PROD_GEN, skew + 5 * LANE),
		  word(self->cons_word));
	ASSERT_EQ(0, jump);
}

TEST_F(lane, index_wraps_at_2_32)
{
	const uint32_t start = 0xffffff00u;
	int jump = 0;
	uint32_t i;

	lane_start_at(&self->tx, &self->rx, start);
	for (i = 0; i < LANE / 2; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(start + LANE / 2, self->tx.prod);
	ASSERT_EQ(nfv_idx_word(CONS_GEN, 0x100), word(self->seg_lane));
	ASSERT_EQ(LANE / 2, nfv_lane_free(&self->tx, LANE));
	ASSERT_EQ(LANE / 2, nfv_lane_avail(&self->rx, LANE, &jump));
	for (i = 0; i < LANE / 2; i++)
		ASSERT_TRUE(holds(&self->rx, i, i));
	nfv_lane_release(&self->rx, LANE / 2);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 0x100), word(self->cons_word));

	/* Full and empty still mean what they say past the wrap. */
	ASSERT_EQ(LANE, nfv_lane_free(&self->tx, LANE));
	for (i = 0; i < LANE; i++)
		produce(&self->tx, 5000 + i);
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(0u, nfv_lane_free(&self->tx, 1));
	ASSERT_EQ(LANE, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_TRUE(holds(&self->rx, LANE - 1, 5000 + LANE - 1));
	nfv_lane_release(&self->rx, LANE);
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(0, jump);
}

/*
 * Frames read but not logged yet stay on the lane as the producer (and
 * nfvd, reading a dead producer's lanes) sees it: the consumer's index
 * moves only once none is open, and a producer index that jumps past
 * the lane does not move it either.
 */
TEST_F(lane, open_frames_stay_shown)
{
	int jump = 0;
	uint32_t i;

	for (i = 0; i < 8; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(8u, nfv_lane_avail(&self->rx, 8, &jump));
	nfv_lane_consume(&self->rx, 8, 3);
	nfv_lane_settle(&self->rx);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 0), word(self->cons_word));
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, 8, &jump));
	ASSERT_EQ(LANE - 8, nfv_lane_free(&self->tx, LANE));

	/* A lying producer jumps: entries skipped, the open ones shown. */
	set_word(self->tx.prod_word, self->tx.peer_gen, 8 + LANE + 1);
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, 8, &jump));
	ASSERT_EQ(1, jump);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 0), word(self->cons_word));

	/* Their last entries logged: the lane is given back. */
	self->rx.open = 0;
	nfv_lane_settle(&self->rx);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 8 + LANE + 1), word(self->cons_word));
}

/*
 * A consumer that cached part of the lane sees what was published after
 * its last look when it asks for more than it cached: it must not take
 * "fewer than asked" for "drained" (a lost wakeup: the lane's pending
 * bit is dropped and the entries wait for the next burst).
 */
TEST_F(lane, short_cache_looks_again)
{
	int jump = 0;
	uint32_t i;

	for (i = 0; i < 40; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(32u, nfv_lane_avail(&self->rx, 32, &jump));
	nfv_lane_release(&self->rx, 32);
	for (i = 40; i < 44; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	/* 8 cached, 4 more published: all 12. */
	ASSERT_EQ(12u, nfv_lane_avail(&self->rx, 32, &jump));
	EXPECT_TRUE(holds(&self->rx, 11, 43));
	nfv_lane_release(&self->rx, 12);
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, 32, &jump));
	ASSERT_EQ(0, jump);
}

TEST_F(lane, hostile_producer_index_jump)
{
	int jump = 0;

	/* A producer claims far more entries than the lane holds. */
	set_word(self->tx.prod_word, CONS_GEN, 5000);
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(1, jump);
	/* The consumer resynchronised, and says so to the producer. */
	ASSERT_EQ(5000u, self->rx.cons);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 5000), word(self->cons_word));
	ASSERT_EQ(5000u, nfv_idx_read(self->cons_word, PROD_GEN));

	/* Nothing is followed; later entries are consumed normally. */
	self->tx.prod = 5000;
	self->tx.cached_cons = 5000;
	produce(&self->tx, 42);
	nfv_lane_submit(&self->tx);
	jump = 0;
	ASSERT_EQ(1u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_TRUE(holds(&self->rx, 0, 42));
	ASSERT_EQ(0, jump);
	nfv_lane_release(&self->rx, 1);

	/* One more than the lane holds is a jump too. */
	set_word(self->tx.prod_word, CONS_GEN, 5001 + LANE + 1);
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, 1, &jump));
	ASSERT_EQ(1, jump);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 5001 + LANE + 1),
		  word(self->cons_word));
}

TEST_F(lane, hostile_consumer_index)
{
	uint32_t i;

	/* A consumer that moves its index past the producer's... */
	set_word(self->cons_word, PROD_GEN, 2000);
	/* (an empty lane: the cached view is enough, nothing is read) */
	ASSERT_EQ(LANE, nfv_lane_free(&self->tx, LANE));
	for (i = 0; i < LANE; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	/* ...makes no room. */
	ASSERT_EQ(0u, nfv_lane_free(&self->tx, 1));

	/*
	 * Each lie below to a producer that last saw the lane empty (a lie
	 * it has seen is hostile_consumer_index_not_cached's business).
	 */
	/* Not even by one past the producer... */
	self->tx.cached_cons = 0;
	set_word(self->cons_word, PROD_GEN, LANE + 1);
	ASSERT_EQ(0u, nfv_lane_free(&self->tx, 1));
	/* ...nor by claiming to be further behind than the lane holds. */
	self->tx.cached_cons = 0;
	set_word(self->cons_word, PROD_GEN, (uint32_t)-1);
	ASSERT_EQ(0u, nfv_lane_free(&self->tx, 1));
	/* An honest index: room as it says. */
	self->tx.cached_cons = 0;
	set_word(self->cons_word, PROD_GEN, 3);
	ASSERT_EQ(3u, nfv_lane_free(&self->tx, LANE));
	set_word(self->cons_word, PROD_GEN, LANE);
	ASSERT_EQ(LANE, nfv_lane_free(&self->tx, LANE));
}

/*
 * A lying consumer index, once seen, must not become the producer's
 * cached view: the next nfv_lane_free() would trust it without looking
 * and let the producer overwrite entries the consumer has not read.
 */
TEST_F(lane, hostile_consumer_index_not_cached)
{
	uint32_t i;

	for (i = 0; i < LANE; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	set_word(self->cons_word, PROD_GEN, 2000);
	ASSERT_EQ(0u, nfv_lane_free(&self->tx, 1));
	ASSERT_EQ(0u, nfv_lane_free(&self->tx, 1));
	ASSERT_EQ(0u, nfv_lane_free(&self->tx, LANE));
	/* Honest again: room as it says, no more. */
	set_word(self->cons_word, PROD_GEN, 3);
	ASSERT_EQ(3u, nfv_lane_free(&self->tx, LANE));
}

/* A producer word written for another consumer generation reads as 0. */
TEST_F(lane, generation_stale_producer_word)
{
	int jump = 0;
	uint32_t i;

	for (i = 0; i < 10; i++)
		produce(&self->tx, i);
	set_word(self->tx.prod_word, CONS_GEN + 1, 10);
	ASSERT_EQ(10u, nfv_idx_read(self->tx.prod_word, CONS_GEN + 1));
	ASSERT_EQ(0u, nfv_idx_read(self->tx.prod_word, CONS_GEN));
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(0, jump);
	/* Far ahead, but not ours: not a jump either. */
	set_word(self->tx.prod_word, CONS_GEN + 1, 5000);
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(0, jump);
	ASSERT_EQ(0u, self->rx.cons);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 0), word(self->cons_word));
	/* Tagged for us: taken. */
	set_word(self->tx.prod_word, CONS_GEN, 10);
	ASSERT_EQ(10u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_TRUE(holds(&self->rx, 9, 9));
}

/* A consumer word written for another producer generation reads as 0. */
TEST_F(lane, generation_stale_consumer_word)
{
	uint32_t i;

	for (i = 0; i < LANE; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	/* "All read", but said to an earlier producer: nothing read. */
	set_word(self->cons_word, PROD_GEN + 1, LANE);
	ASSERT_EQ(0u, nfv_idx_read(self->cons_word, PROD_GEN));
	ASSERT_EQ(0u, nfv_lane_free(&self->tx, 1));
	set_word(self->cons_word, PROD_GEN, LANE);
	ASSERT_EQ(LANE, nfv_lane_free(&self->tx, LANE));
}

/*
 * The consumer NF died and its id was reused: the producer restarts the
 * lane for the new generation, which sees neither the entries nor the
 * index of the old one.
 */
TEST_F(lane, generation_new_consumer)
{
	const uint32_t gen2 = CONS_GEN + 1;
	int jump = 0;
	uint32_t i;

	/* The old consumer left 10 of 700 entries unread. */
	for (i = 0; i < 700; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(700u, nfv_lane_avail(&self->rx, LANE, &jump));
	nfv_lane_release(&self->rx, 690);

	/* The new incarnation starts before the producer noticed. */
	nfv_lane_rx_init(&self->rx, self->seg_lane, self->cons_word, gen2,
			 PROD_GEN);
	ASSERT_EQ(nfv_idx_word(PROD_GEN, 0), word(self->cons_word));
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(0, jump);

	/* The producer restarts the lane at 0 for it. */
	nfv_lane_tx_init(&self->tx, self->seg_lane, self->cons_word,
			 PROD_GEN, gen2);
	ASSERT_EQ(0u, self->tx.prod);
	ASSERT_EQ(nfv_idx_word(gen2, 0), word(self->seg_lane));
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
	ASSERT_EQ(LANE, nfv_lane_free(&self->tx, LANE));
	for (i = 0; i < 3; i++)
		produce(&self->tx, 1000 + i);
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(3u, nfv_lane_avail(&self->rx, LANE, &jump));
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(holds(&self->rx, i, 1000 + i));
	nfv_lane_release(&self->rx, 3);
	ASSERT_EQ(0, jump);
	/* The full lane is the new consumer's to drain. */
	ASSERT_EQ(LANE, nfv_lane_free(&self->tx, LANE));
}

/*
 * The producer NF died and its id was reused: its new segment has a new
 * lane, and the consumer's word still holds the index it gave the old
 * one.
 */
TEST_F(lane, generation_new_producer)
{
	const uint32_t gen2 = PROD_GEN + 1;
	struct nfv_lane_tx tx2;
	int jump = 0;
	void *seg2;
	uint32_t i;

	for (i = 0; i < 700; i++)
		produce(&self->tx, i);
	nfv_lane_submit(&self->tx);
	ASSERT_EQ(700u, nfv_lane_avail(&self->rx, LANE, &jump));
	nfv_lane_release(&self->rx, 690);

	seg2 = map_shared(LANE_MAP);
	ASSERT_NE(MAP_FAILED, seg2);
	/* Whatever was there before: init sets every field. */
	memset(&tx2, 0xa5, sizeof(tx2));
	nfv_lane_tx_init(&tx2, seg2, self->cons_word, gen2, CONS_GEN);
	ASSERT_EQ(nfv_idx_word(CONS_GEN, 0), word(seg2));
	ASSERT_EQ(LANE, nfv_lane_free(&tx2, LANE));
	for (i = 0; i < LANE; i++)
		produce(&tx2, 2000 + i);
	nfv_lane_submit(&tx2);
	/* 690 "read", but by the consumer of the old one: nothing read. */
	ASSERT_EQ(0u, nfv_lane_free(&tx2, 1));

	/* The consumer notices and starts over on the new lane. */
	nfv_lane_rx_init(&self->rx, seg2, self->cons_word, CONS_GEN, gen2);
	ASSERT_EQ(nfv_idx_word(gen2, 0), word(self->cons_word));
	ASSERT_EQ(LANE, nfv_lane_avail(&self->rx, LANE, &jump));
	for (i = 0; i < LANE; i++)
		ASSERT_TRUE(holds(&self->rx, i, 2000 + i));
	nfv_lane_release(&self->rx, LANE);
	ASSERT_EQ(LANE, nfv_lane_free(&tx2, LANE));
	ASSERT_EQ(0, jump);
	munmap(seg2, LANE_MAP);
}

TEST_F(lane, two_processes_one_million)
{
	const uint32_t total = 1000000;
	uint32_t got = 0, bad = 0, n, i;
	int jump = 0, status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		uint32_t sent = 0;

		while (sent < total) {
			n = nfv_lane_free(&self->tx, 16);
			for (i = 0; i < n && sent < total; i++)
				produce(&self->tx, sent++);
			nfv_lane_submit(&self->tx);
		}
		_exit(0);
	}
	while (got < total) {
		n = nfv_lane_avail(&self->rx, LANE, &jump);
		if (jump)
			break;
		for (i = 0; i < n; i++)
			if (!holds(&self->rx, i, got + i))
				bad++;
		nfv_lane_release(&self->rx, n);
		got += n;
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, jump);
	ASSERT_EQ(total, got);
	ASSERT_EQ(0u, bad);
	ASSERT_EQ(nfv_idx_word(CONS_GEN, total), word(self->seg_lane));
	ASSERT_EQ(nfv_idx_word(PROD_GEN, total), word(self->cons_word));
	ASSERT_EQ(0u, nfv_lane_avail(&self->rx, LANE, &jump));
}

/*
 * The custody log: the NF produces into its segment, nfvd consumes and
 * publishes its index in the tables (struct nfv_tables_fb).
 */
#define LOG_SIZE	64u

FIXTURE(log) {
	void *seg;			/* the NF's: producer word, entries */
	struct nfv_tables_fb *fb;	/* nfvd's */
	struct nfv_log g;
};

FIXTURE_SETUP(log)
{
	self->seg = map_shared(4096 + LOG_SIZE * sizeof(uint64_t));
	ASSERT_NE(MAP_FAILED, self->seg);
	self->fb = map_shared(WORD_MAP);
	ASSERT_NE(MAP_FAILED, self->fb);
	memset(&self->g, 0, sizeof(self->g));
	self->g.prod_word = self->seg;
	self->g.entries = (uint64_t *)((char *)self->seg + 4096);
	self->g.cons_word = &self->fb->log_cons;
	self->g.size = LOG_SIZE;
	self->g.mask = LOG_SIZE - 1;
}

FIXTURE_TEARDOWN(log)
{
	munmap(self->seg, 4096 + LOG_SIZE * sizeof(uint64_t));
	munmap(self->fb, WORD_MAP);
}

static uint32_t log_published(const struct nfv_log *g)
{
	return __atomic_load_n(g->prod_word, __ATOMIC_ACQUIRE);
}

/* nfvd has read up to @idx. */
static void nfvd_consumed(struct nfv_tables_fb *fb, uint32_t idx)
{
	__atomic_store_n(&fb->log_cons, idx, __ATOMIC_RELEASE);
}

static uint64_t entry(uint32_t i)
{
	return nfv_log_entry(i, NFV_LOG_SEND, (uint16_t)(i % 511 + 1));
}

TEST_F(log, empty_then_fifo)
{
	uint32_t i;

	ASSERT_EQ(LOG_SIZE, nfv_log_free(&self->g, 1));
	ASSERT_EQ(LOG_SIZE, nfv_log_free(&self->g, LOG_SIZE));
	for (i = 0; i < 10; i++)
		nfv_log_put(&self->g, entry(i));
	/* Not published before submit. */
	ASSERT_EQ(0u, log_published(&self->g));
	nfv_log_submit(&self->g);
	ASSERT_EQ(10u, log_published(&self->g));
	for (i = 0; i < 10; i++)
		EXPECT_EQ(entry(i), self->g.entries[i]);
	ASSERT_EQ(LOG_SIZE - 10, nfv_log_free(&self->g, 1));
	for (i = 10; i < 13; i++)
		nfv_log_put(&self->g, entry(i));
	ASSERT_EQ(10u, log_published(&self->g));
	nfv_log_submit(&self->g);
	ASSERT_EQ(13u, log_published(&self->g));
	EXPECT_EQ(entry(12), self->g.entries[12]);
}

TEST_F(log, full_and_wrap)
{
	uint32_t round, i, at = 0;

	for (round = 0; round < 5; round++) {
		ASSERT_EQ(LOG_SIZE, nfv_log_free(&self->g, LOG_SIZE));
		for (i = 0; i < LOG_SIZE; i++)
			nfv_log_put(&self->g, entry(at + i));
		nfv_log_submit(&self->g);
		ASSERT_EQ(0u, nfv_log_free(&self->g, 1));
		ASSERT_EQ(at + LOG_SIZE, log_published(&self->g));
		for (i = 0; i < LOG_SIZE; i++)
			ASSERT_EQ(entry(at + i),
				  self->g.entries[(at + i) & self->g.mask]);
		/* nfvd reads some: that much room. */
		nfvd_consumed(self->fb, at + 7);
		ASSERT_EQ(7u, nfv_log_free(&self->g, 1));
		at += LOG_SIZE;
		nfvd_consumed(self->fb, at);
		/* Off the boundary from the second round on. */
		if (round == 0) {
			ASSERT_EQ(LOG_SIZE, nfv_log_free(&self->g, LOG_SIZE));
			for (i = 0; i < 5; i++)
				nfv_log_put(&self->g, entry(at + i));
			nfv_log_submit(&self->g);
			at += 5;
			nfvd_consumed(self->fb, at);
		}
	}
}

TEST_F(log, index_wraps_at_2_32)
{
	const uint32_t start = 0xfffffff0u;
	uint32_t i;

	self->g.prod = self->g.cached_cons = start;
	nfvd_consumed(self->fb, start);
	__atomic_store_n(self->g.prod_word, start, __ATOMIC_RELEASE);
	/* Our index wrapped, nfvd's not yet. */
	for (i = 0; i < 20; i++)
		nfv_log_put(&self->g, entry(i));
	nfv_log_submit(&self->g);
	ASSERT_EQ(4u, log_published(&self->g));
	ASSERT_FALSE(nfv_log_half_full(&self->g));
	ASSERT_EQ(LOG_SIZE - 20, nfv_log_free(&self->g, 1));
	ASSERT_EQ(LOG_SIZE - 20, nfv_log_free(&self->g, LOG_SIZE));
	for (; i < LOG_SIZE; i++)
		nfv_log_put(&self->g, entry(i));
	nfv_log_submit(&self->g);
	ASSERT_EQ(start + LOG_SIZE, log_published(&self->g));
	ASSERT_EQ(0u, nfv_log_free(&self->g, 1));
	ASSERT_TRUE(nfv_log_half_full(&self->g));
	for (i = 0; i < LOG_SIZE; i++)
		ASSERT_EQ(entry(i),
			  self->g.entries[(start + i) & self->g.mask]);
	nfvd_consumed(self->fb, start + 8);
	ASSERT_EQ(8u, nfv_log_free(&self->g, 1));
	/* Both wrapped. */
	nfvd_consumed(self->fb, start + 40);
	ASSERT_EQ(40u, nfv_log_free(&self->g, 9));
	ASSERT_FALSE(nfv_log_half_full(&self->g));
}

/* Room promised to frames an NF holds is not room for anything else. */
TEST_F(log, reserved)
{
	uint32_t i;

	/* From the cached view. */
	self->g.reserved = 8;
	ASSERT_EQ(LOG_SIZE - 8, nfv_log_free(&self->g, 1));
	for (i = 0; i < 40; i++)
		nfv_log_put(&self->g, entry(i));
	nfv_log_submit(&self->g);
	/* Short of @want: looks again, still counts the promise. */
	ASSERT_EQ(LOG_SIZE - 48, nfv_log_free(&self->g, 20));
	ASSERT_EQ(0u, self->g.cached_cons);
	nfvd_consumed(self->fb, 30);
	ASSERT_EQ(LOG_SIZE - 18, nfv_log_free(&self->g, 20));
	ASSERT_EQ(30u, self->g.cached_cons);
	/* Promised more than is left: no room, not a wrapped count. */
	self->g.reserved = LOG_SIZE - 10;
	ASSERT_EQ(0u, nfv_log_free(&self->g, 1));
	self->g.reserved = LOG_SIZE - 9;
	ASSERT_EQ(0u, nfv_log_free(&self->g, 1));
	self->g.reserved = LOG_SIZE;
	ASSERT_EQ(0u, nfv_log_free(&self->g, 1));
	self->g.reserved = LOG_SIZE - 11;
	ASSERT_EQ(1u, nfv_log_free(&self->g, 1));
}

/* nfvd's index is read only when the cached view is short of @want. */
TEST_F(log, refresh_only_when_short)
{
	uint32_t i;

	for (i = 0; i < 10; i++)
		nfv_log_put(&self->g, entry(i));
	nfv_log_submit(&self->g);
	nfvd_consumed(self->fb, 10);
	ASSERT_EQ(LOG_SIZE - 10, nfv_log_free(&self->g, LOG_SIZE - 10));
	ASSERT_EQ(0u, self->g.cached_cons);
	ASSERT_EQ(LOG_SIZE, nfv_log_free(&self->g, LOG_SIZE - 9));
	ASSERT_EQ(10u, self->g.cached_cons);
}

/* nfvd's index beyond ours: trust nothing, even with room reserved. */
TEST_F(log, lying_consumer)
{
	uint32_t i;

	for (i = 0; i < 10; i++)
		nfv_log_put(&self->g, entry(i));
	nfv_log_submit(&self->g);
	nfvd_consumed(self->fb, 11);
	ASSERT_EQ(0u, nfv_log_free(&self->g, LOG_SIZE));
	/* A reservation larger than the lie would wrap the count back. */
	self->g.reserved = 16;
	nfvd_consumed(self->fb, 20);
	ASSERT_EQ(0u, nfv_log_free(&self->g, LOG_SIZE));
	/* Honest again. */
	nfvd_consumed(self->fb, 10);
	ASSERT_EQ(LOG_SIZE - 16, nfv_log_free(&self->g, LOG_SIZE));
}

/*
 * The lie, once seen, must not become the cached view: the next call
 * would trust it without looking.  Here the last honest view leaves no
 * room at all, so any room is the lie's.
 */
TEST_F(log, lying_consumer_not_cached)
{
	uint32_t i;

	for (i = 0; i < 10; i++)
		nfv_log_put(&self->g, entry(i));
	nfv_log_submit(&self->g);
	self->g.reserved = LOG_SIZE - 10;
	nfvd_consumed(self->fb, 20);
	ASSERT_EQ(0u, nfv_log_free(&self->g, 1));
	ASSERT_EQ(0u, nfv_log_free(&self->g, 1));
	/* Honest again: room as it says. */
	nfvd_consumed(self->fb, 10);
	ASSERT_EQ(10u, nfv_log_free(&self->g, 1));
}

TEST_F(log, half_full)
{
	uint32_t i;

	ASSERT_FALSE(nfv_log_half_full(&self->g));
	for (i = 0; i < LOG_SIZE / 2; i++)
		nfv_log_put(&self->g, entry(i));
	nfv_log_submit(&self->g);
	ASSERT_FALSE(nfv_log_half_full(&self->g));
	nfv_log_put(&self->g, entry(i));
	nfv_log_submit(&self->g);
	ASSERT_TRUE(nfv_log_half_full(&self->g));
	/* From the cached view: true until nfvd's index is looked at. */
	nfvd_consumed(self->fb, 1);
	ASSERT_TRUE(nfv_log_half_full(&self->g));
	ASSERT_EQ(LOG_SIZE - 32, nfv_log_free(&self->g, LOG_SIZE));
	ASSERT_FALSE(nfv_log_half_full(&self->g));
}

TEST_HARNESS_MAIN
