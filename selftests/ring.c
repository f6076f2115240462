// SPDX-License-Identifier: GPL-2.0
/*
 * The SPSC rings NFs share (libnfv/ring.h): order, wrap-around, full and
 * empty, cross-process use, and a producer that lies about its index.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ring.h"

#define SIZE 64

FIXTURE(ring) {
	struct nfv_lane_hdr *hdr;
	struct nfv_desc *descs;
	struct nfv_ring prod, cons;
};

FIXTURE_SETUP(ring)
{
	/* Shared anonymous memory: the same as a memfd for this purpose. */
	self->hdr = mmap(NULL, 4096 + SIZE * sizeof(struct nfv_desc),
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	ASSERT_NE(MAP_FAILED, self->hdr);
	self->descs = (struct nfv_desc *)((char *)self->hdr + 4096);
	nfv_ring_init(&self->prod, self->hdr, self->descs, SIZE);
	nfv_ring_init(&self->cons, self->hdr, self->descs, SIZE);
}

FIXTURE_TEARDOWN(ring)
{
	munmap(self->hdr, 4096 + SIZE * sizeof(struct nfv_desc));
}

static void produce(struct nfv_ring *r, uint64_t v)
{
	nfv_ring_desc(r, r->cached_prod)->addr = v;
	r->cached_prod++;
}

TEST_F(ring, empty_then_fifo)
{
	int jump = 0;
	uint32_t n, i;

	ASSERT_EQ(0, nfv_ring_avail(&self->cons, SIZE, &jump));
	ASSERT_EQ(10, nfv_ring_free(&self->prod, 10));
	for (i = 0; i < 10; i++)
		produce(&self->prod, 100 + i);
	/* Not visible before submit. */
	ASSERT_EQ(0, nfv_ring_avail(&self->cons, SIZE, &jump));
	nfv_ring_submit(&self->prod);
	n = nfv_ring_avail(&self->cons, SIZE, &jump);
	ASSERT_EQ(10, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(100 + i,
			  nfv_ring_desc(&self->cons, self->cons.cached_cons + i)->addr);
	nfv_ring_release(&self->cons, n);
	ASSERT_EQ(0, jump);
}

TEST_F(ring, full_and_wrap)
{
	int jump = 0;
	uint32_t round, i, n;

	for (round = 0; round < 5; round++) {
		ASSERT_EQ(SIZE, nfv_ring_free(&self->prod, SIZE + 5));
		for (i = 0; i < SIZE; i++)
			produce(&self->prod, round * 1000 + i);
		nfv_ring_submit(&self->prod);
		ASSERT_EQ(0, nfv_ring_free(&self->prod, 1));
		n = nfv_ring_avail(&self->cons, SIZE, &jump);
		ASSERT_EQ(SIZE, n);
		for (i = 0; i < n; i++)
			ASSERT_EQ(round * 1000 + i,
				  nfv_ring_desc(&self->cons,
						self->cons.cached_cons + i)->addr);
		nfv_ring_release(&self->cons, n);
	}
	ASSERT_EQ(0, jump);
}

TEST_F(ring, index_wraps_at_2_32)
{
	int jump = 0;

	self->hdr->prod = self->hdr->cons = 0xfffffff0u;
	nfv_ring_init(&self->prod, self->hdr, self->descs, SIZE);
	nfv_ring_init(&self->cons, self->hdr, self->descs, SIZE);
	for (int i = 0; i < 32; i++)
		produce(&self->prod, i);
	nfv_ring_submit(&self->prod);
	ASSERT_EQ(32, nfv_ring_avail(&self->cons, SIZE, &jump));
	ASSERT_EQ(31, nfv_ring_desc(&self->cons, self->cons.cached_cons + 31)->addr);
	ASSERT_EQ(0, jump);
}

/*
 * A consumer that cached part of the ring sees what was published after
 * its last look when it asks for more than it cached: it must not take
 * "fewer than asked" for "drained" (a lost wakeup: the lane's pending
 * bit is dropped and the entries wait for the next burst).
 */
TEST_F(ring, short_cache_looks_again)
{
	int jump = 0;
	uint32_t i;

	for (i = 0; i < 40; i++)
		produce(&self->prod, i);
	nfv_ring_submit(&self->prod);
	ASSERT_EQ(32, nfv_ring_avail(&self->cons, 32, &jump));
	nfv_ring_release(&self->cons, 32);
	for (i = 40; i < 44; i++)
		produce(&self->prod, i);
	nfv_ring_submit(&self->prod);
	/* 8 cached, 4 more published: all 12. */
	ASSERT_EQ(12, nfv_ring_avail(&self->cons, 32, &jump));
	EXPECT_EQ(43, nfv_ring_desc(&self->cons, self->cons.cached_cons + 11)->addr);
	nfv_ring_release(&self->cons, 12);
	ASSERT_EQ(0, nfv_ring_avail(&self->cons, 32, &jump));
	ASSERT_EQ(0, jump);
}

TEST_F(ring, hostile_producer_index_jump)
{
	int jump = 0;

	/* A producer claims far more entries than the ring holds. */
	__atomic_store_n(&self->hdr->prod, 5000, __ATOMIC_RELEASE);
	ASSERT_EQ(0, nfv_ring_avail(&self->cons, SIZE, &jump));
	ASSERT_EQ(1, jump);
	/* The consumer resynchronised: nothing is followed, later entries
	 * are consumed normally.
	 */
	ASSERT_EQ(5000, self->hdr->cons);
	self->prod.cached_prod = 5000;
	self->prod.cached_cons = 5000;
	produce(&self->prod, 42);
	nfv_ring_submit(&self->prod);
	jump = 0;
	ASSERT_EQ(1, nfv_ring_avail(&self->cons, SIZE, &jump));
	ASSERT_EQ(42, nfv_ring_desc(&self->cons, self->cons.cached_cons)->addr);
	ASSERT_EQ(0, jump);
}

TEST_F(ring, hostile_consumer_index)
{
	/* A consumer that moves cons past prod must not make room. */
	__atomic_store_n(&self->hdr->cons, 1000, __ATOMIC_RELEASE);
	self->prod.cached_prod = 0;
	self->prod.cached_cons = 0;
	ASSERT_EQ(SIZE, nfv_ring_free(&self->prod, SIZE));
	self->prod.cached_prod = SIZE;
	ASSERT_EQ(0, nfv_ring_free(&self->prod, 1));
}

TEST_F(ring, two_processes_one_million)
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
			n = nfv_ring_free(&self->prod, 16);
			for (i = 0; i < n && sent < total; i++)
				produce(&self->prod, sent++);
			nfv_ring_submit(&self->prod);
		}
		_exit(0);
	}
	while (got < total) {
		n = nfv_ring_avail(&self->cons, SIZE, &jump);
		for (i = 0; i < n; i++)
			if (nfv_ring_desc(&self->cons,
					  self->cons.cached_cons + i)->addr !=
			    got + i)
				bad++;
		nfv_ring_release(&self->cons, n);
		got += n;
	}
	waitpid(pid, &status, 0);
	ASSERT_EQ(total, got);
	ASSERT_EQ(0, bad);
	ASSERT_EQ(0, jump);
}

TEST_HARNESS_MAIN
