// SPDX-License-Identifier: GPL-2.0
/*
 * libnfv flow table: insert/lookup/delete/expire, refusal when full and
 * at the probe bound, counters, both directions of a flow, decap_id
 * separation, per-table seeds, and the collision flood (keys that all
 * carry one classifier hash cost O(1) per operation).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <nfv/ftable.h>

#include "kselftest_harness.h"

#define SEC	1000000000ull

struct val {
	uint64_t packets;
	uint32_t tag;
};

static struct nfv_ftable_key key4(uint32_t src, uint16_t sport, uint32_t dst,
				  uint16_t dport)
{
	struct nfv_ftable_key k;

	memset(&k, 0, sizeof(k));
	k.family = 4;
	k.proto = IPPROTO_UDP;
	src = htonl(src);
	dst = htonl(dst);
	memcpy(k.src, &src, 4);
	memcpy(k.dst, &dst, 4);
	k.sport = htons(sport);
	k.dport = htons(dport);
	return k;
}

/* Endpoints ordered: what an NF keeping one entry per flow does. */
static struct nfv_ftable_key canon(struct nfv_ftable_key k)
{
	uint8_t a[16];
	uint16_t p;

	if (memcmp(k.src, k.dst, 16) < 0 ||
	    (!memcmp(k.src, k.dst, 16) && ntohs(k.sport) <= ntohs(k.dport)))
		return k;
	memcpy(a, k.src, 16);
	memcpy(k.src, k.dst, 16);
	memcpy(k.dst, a, 16);
	p = k.sport;
	k.sport = k.dport;
	k.dport = p;
	return k;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SEC + ts.tv_nsec;
}

TEST(insert_lookup_delete)
{
	struct nfv_ftable *t = nfv_ftable_create(100, sizeof(struct val), 0);
	struct nfv_ftable_key k = key4(0xc6120001, 1000, 0xc6120002, 80);
	struct nfv_ftable_stats st;
	struct val *v, *w;
	bool created;

	ASSERT_NE(NULL, t);
	errno = 0;
	EXPECT_EQ(NULL, nfv_ftable_lookup(t, &k, NFV_FTABLE_NO_HINT));
	EXPECT_EQ(ENOENT, errno);
	v = nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 5, &created);
	ASSERT_NE(NULL, v);
	EXPECT_TRUE(created);
	EXPECT_EQ(0, v->packets);		/* zeroed */
	v->packets = 7;
	/* Found again, with or without a hint, by insert and lookup. */
	w = nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 9, &created);
	EXPECT_EQ(v, w);
	EXPECT_FALSE(created);
	EXPECT_EQ(9, nfv_ftable_last_ns(t, v));
	EXPECT_EQ(v, nfv_ftable_lookup(t, &k, NFV_FTABLE_NO_HINT));
	EXPECT_EQ(0, memcmp(&k, nfv_ftable_key_of(t, v), sizeof(k)));
	EXPECT_EQ(7, ((struct val *)nfv_ftable_lookup(t, &k,
				NFV_FTABLE_NO_HINT))->packets);
	/* Any hint finds the same entry: it only caches. */
	EXPECT_EQ(v, nfv_ftable_insert(t, &k, 1234, 9, NULL));
	EXPECT_EQ(v, nfv_ftable_lookup(t, &k, 1234));
	EXPECT_EQ(v, nfv_ftable_lookup(t, &k, 99));
	EXPECT_EQ(0, nfv_ftable_delete(t, v));
	/* A stale hint cache entry finds nothing. */
	EXPECT_EQ(NULL, nfv_ftable_lookup(t, &k, 1234));
	EXPECT_EQ(-EINVAL, nfv_ftable_delete(t, v));	/* not live */
	EXPECT_EQ(NULL, nfv_ftable_lookup(t, &k, NFV_FTABLE_NO_HINT));
	nfv_ftable_stats(t, &st);
	EXPECT_EQ(0, st.entries);
	EXPECT_EQ(100, st.capacity);
	EXPECT_EQ(1, st.inserts);
	EXPECT_EQ(1, st.deleted);
	EXPECT_EQ(6, st.hits);		/* 2 inserts, 4 lookups */
	EXPECT_EQ(4, st.misses);	/* 3 lookups, 1 insert */
	EXPECT_EQ(0, st.refusals);
	nfv_ftable_free(t);
}

TEST(bad_arguments)
{
	errno = 0;
	EXPECT_EQ(NULL, nfv_ftable_create(0, 8, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, nfv_ftable_create(1u << 27, 8, 0));
	EXPECT_EQ(NULL, nfv_ftable_create(16, 1u << 20, 0));
}

TEST(full_table_refused)
{
	struct nfv_ftable *t = nfv_ftable_create(50, sizeof(struct val), 0);
	struct nfv_ftable_key k;
	struct nfv_ftable_stats st;
	void *v;
	int i;

	ASSERT_NE(NULL, t);
	for (i = 0; i < 50; i++) {
		k = key4(0xc6120001, (uint16_t)i, 0xc6120002, 80);
		ASSERT_NE(NULL, nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 0,
						  NULL));
	}
	k = key4(0xc6120001, 999, 0xc6120002, 80);
	errno = 0;
	EXPECT_EQ(NULL, nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 0, NULL));
	EXPECT_EQ(ENOSPC, errno);
	nfv_ftable_stats(t, &st);
	EXPECT_EQ(50, st.entries);
	EXPECT_EQ(1, st.refusals);
	EXPECT_EQ(1, st.refused_full);
	/* An existing key is still found; a freed slot is reused. */
	k = key4(0xc6120001, 3, 0xc6120002, 80);
	v = nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 0, NULL);
	ASSERT_NE(NULL, v);
	EXPECT_EQ(0, nfv_ftable_delete(t, v));
	k = key4(0xc6120001, 999, 0xc6120002, 80);
	EXPECT_NE(NULL, nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 0, NULL));
	nfv_ftable_free(t);
}

TEST(expire_by_age_incremental)
{
	struct nfv_ftable *t = nfv_ftable_create(64, sizeof(struct val),
						 10 * SEC);
	struct nfv_ftable_key k;
	struct nfv_ftable_stats st;
	void *v;
	int i, n;

	ASSERT_NE(NULL, t);
	for (i = 0; i < 40; i++) {
		k = key4(0xc6120001, (uint16_t)i, 0xc6120002, 80);
		/* Even ports seen at 1 s, odd ones at 5 s. */
		ASSERT_NE(NULL, nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT,
						  (i & 1 ? 5 : 1) * SEC, NULL));
	}
	EXPECT_EQ(0, nfv_ftable_expire(t, 11 * SEC, 0));	/* 10 s: kept */
	/* 8 pool entries at a time: the pool is 64, 20 of them old. */
	for (n = 0, i = 0; i < 8; i++)
		n += nfv_ftable_expire(t, 11 * SEC + 1, 8);
	EXPECT_EQ(20, n);
	k = key4(0xc6120001, 2, 0xc6120002, 80);
	EXPECT_EQ(NULL, nfv_ftable_lookup(t, &k, NFV_FTABLE_NO_HINT));
	k = key4(0xc6120001, 3, 0xc6120002, 80);
	v = nfv_ftable_lookup(t, &k, NFV_FTABLE_NO_HINT);
	ASSERT_NE(NULL, v);
	nfv_ftable_touch(t, v, 15 * SEC);
	EXPECT_EQ(19, nfv_ftable_expire(t, 16 * SEC, 0));
	EXPECT_EQ(v, nfv_ftable_lookup(t, &k, NFV_FTABLE_NO_HINT));
	nfv_ftable_stats(t, &st);
	EXPECT_EQ(39, st.expired);
	EXPECT_EQ(1, st.entries);
	nfv_ftable_free(t);
	/* max_age 0: never. */
	t = nfv_ftable_create(4, 0, 0);
	ASSERT_NE(NULL, t);
	ASSERT_NE(NULL, nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 0, NULL));
	EXPECT_EQ(0, nfv_ftable_expire(t, ~0ull, 0));
	nfv_ftable_free(t);
}

TEST(iterate_and_delete_while_iterating)
{
	struct nfv_ftable *t = nfv_ftable_create(32, sizeof(struct val), 0);
	struct nfv_ftable_key k;
	struct val *v;
	int i, seen = 0, sum = 0;

	ASSERT_NE(NULL, t);
	for (i = 0; i < 20; i++) {
		k = key4(0xc6120001, (uint16_t)i, 0xc6120002, 80);
		v = nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 0, NULL);
		ASSERT_NE(NULL, v);
		v->tag = (uint32_t)i;
	}
	for (v = NULL; (v = nfv_ftable_next(t, v)); ) {
		seen++;
		sum += (int)v->tag;
		if (v->tag & 1)
			EXPECT_EQ(0, nfv_ftable_delete(t, v));
	}
	EXPECT_EQ(20, seen);
	EXPECT_EQ(190, sum);
	for (seen = 0, v = NULL; (v = nfv_ftable_next(t, v)); seen++)
		EXPECT_EQ(0, v->tag & 1);
	EXPECT_EQ(10, seen);
	nfv_ftable_free(t);
}

TEST(both_directions_and_decap_id)
{
	struct nfv_ftable *t = nfv_ftable_create(16, sizeof(struct val), 0);
	struct nfv_ftable_key fwd = key4(0xc6120009, 4000, 0xc6120002, 53);
	struct nfv_ftable_key rev = key4(0xc6120002, 53, 0xc6120009, 4000);
	struct nfv_ftable_key a, b, c;
	void *v, *w, *x, *y;

	ASSERT_NE(NULL, t);
	/* The classifier's hash is the same both ways; so is the canon key. */
	a = canon(fwd);
	b = canon(rev);
	v = nfv_ftable_insert(t, &a, 0xabcd, 0, NULL);
	ASSERT_NE(NULL, v);
	EXPECT_EQ(v, nfv_ftable_insert(t, &b, 0xabcd, 0, NULL));
	/* Directional keys are two entries. */
	w = nfv_ftable_insert(t, &fwd, NFV_FTABLE_NO_HINT, 0, NULL);
	x = nfv_ftable_insert(t, &rev, NFV_FTABLE_NO_HINT, 0, NULL);
	ASSERT_NE(NULL, w);
	ASSERT_NE(NULL, x);
	EXPECT_NE(w, x);
	/* Same tuple, other tenant (decap id), or decap vs plain: apart. */
	c = a;
	c.flags = NFV_FTABLE_KEY_F_DECAP;
	c.decap_id = 100;
	y = nfv_ftable_insert(t, &c, 0xabcd, 0, NULL);
	ASSERT_NE(NULL, y);
	EXPECT_NE(v, y);
	c.decap_id = 200;
	EXPECT_NE(y, nfv_ftable_insert(t, &c, 0xabcd, 0, NULL));
	c.decap_id = 0;
	EXPECT_NE(v, nfv_ftable_insert(t, &c, 0xabcd, 0, NULL));
	c.decap_id = 100;
	EXPECT_EQ(y, nfv_ftable_lookup(t, &c, 0xabcd));
	nfv_ftable_free(t);
}

/* Two tables hash the same keys differently: the seed is per table. */
TEST(seed_per_table)
{
	struct nfv_ftable *t1 = nfv_ftable_create(16, 0, 0);
	struct nfv_ftable *t2 = nfv_ftable_create(16, 0, 0);
	struct nfv_ftable_key k;
	int i, differ = 0;

	ASSERT_NE(NULL, t1);
	ASSERT_NE(NULL, t2);
	for (i = 0; i < 8; i++) {
		k = key4(0xc6120001, (uint16_t)i, 0xc6120002, 80);
		differ += nfv_ftable_hash(t1, &k) != nfv_ftable_hash(t2, &k);
	}
	EXPECT_EQ(8, differ);
	nfv_ftable_free(t1);
	nfv_ftable_free(t2);
}

/*
 * The probe bound: keys that share both buckets (found by trying the
 * keyed hash, which only a holder of the table can compute) fill 16
 * slots, and the 17th is refused, not placed further away.
 */
static bool in_pair(struct nfv_ftable *t, const struct nfv_ftable_key *k,
		    uint32_t b1, uint32_t b2)
{
	uint64_t h = nfv_ftable_hash(t, k);
	uint32_t mask = nfv_ftable_buckets(t) - 1;

	return ((h >> 32) & mask) == b1 && (h & mask) == b2;
}

TEST(probe_bound_refuses)
{
	struct nfv_ftable *t = nfv_ftable_create(64, sizeof(struct val), 0);
	struct nfv_ftable_stats st;
	struct nfv_ftable_key k;
	uint32_t port, n = 0;

	ASSERT_NE(NULL, t);
	ASSERT_EQ(16, nfv_ftable_buckets(t));	/* 64 entries: 128 slots */
	for (port = 1; n < 17 && port < 65535; port++) {
		k = key4(0xc6120001, (uint16_t)port, 0xc6120002, 80);
		if (!in_pair(t, &k, 3, 8) && !in_pair(t, &k, 8, 3))
			continue;
		errno = 0;
		if (n < 16) {
			ASSERT_NE(NULL, nfv_ftable_insert(t, &k, 7, 0, NULL));
		} else {
			EXPECT_EQ(NULL, nfv_ftable_insert(t, &k, 7, 0, NULL));
			EXPECT_EQ(EBUSY, errno);
		}
		n++;
	}
	ASSERT_EQ(17, n);
	nfv_ftable_stats(t, &st);
	EXPECT_EQ(16, st.entries);
	EXPECT_EQ(1, st.refusals);
	EXPECT_EQ(0, st.refused_full);
	/*
	 * Another key with the same hint but a bucket of room still gets
	 * in.  Not one whose two buckets are both among the full ones: a
	 * pair (3, 3) or (8, 8) is as full as (3, 8) (the seed is random:
	 * seen failing in make check when such a key came first).
	 */
	for (port = 1; port < 65535; port++) {
		k = key4(0xc6120002, (uint16_t)port, 0xc6120002, 80);
		if (!in_pair(t, &k, 3, 8) && !in_pair(t, &k, 8, 3) &&
		    !in_pair(t, &k, 3, 3) && !in_pair(t, &k, 8, 8) &&
		    !nfv_ftable_lookup(t, &k, 7))
			break;
	}
	EXPECT_NE(NULL, nfv_ftable_insert(t, &k, 7, 0, NULL));
	nfv_ftable_free(t);
}

/*
 * Entries moved to make room are still found: fill a small table to its
 * capacity with random keys.
 */
TEST(full_load_random_keys)
{
	struct nfv_ftable *t = nfv_ftable_create(4096, sizeof(struct val), 0);
	struct nfv_ftable_stats st;
	struct nfv_ftable_key k;
	struct val *v;
	uint32_t i;

	ASSERT_NE(NULL, t);
	for (i = 0; i < 4096; i++) {
		k = key4(0x0a000000 + i * 7919, (uint16_t)i, 0xc6120002, 80);
		v = nfv_ftable_insert(t, &k, NFV_FTABLE_NO_HINT, 0, NULL);
		ASSERT_NE(NULL, v);
		v->tag = i;
	}
	for (i = 0; i < 4096; i++) {
		k = key4(0x0a000000 + i * 7919, (uint16_t)i, 0xc6120002, 80);
		v = nfv_ftable_lookup(t, &k, NFV_FTABLE_NO_HINT);
		ASSERT_NE(NULL, v);
		EXPECT_EQ(i, v->tag);
	}
	nfv_ftable_stats(t, &st);
	EXPECT_EQ(4096, st.entries);
	EXPECT_EQ(0, st.refusals);
	nfv_ftable_free(t);
}

#define FLOOD_N		100000
#define FLOOD_RUNS	3
/*
 * Keys that all carry one hint miss the hint cache (one compare) and pay
 * the keyed hash and their two buckets, where random keys hit the cache;
 * a chained or unbounded-probing table costs N/2 compares per operation,
 * i.e. 50000x at N = 1e5.  Measured here: 0.6-1.1 (machine loaded).  The
 * bound, 1/10, leaves room for noise and is still 5000x from O(N).
 */
#define FLOOD_MIN_RATIO	0.1

/* ops/s of inserting then looking up @n keys, the best of FLOOD_RUNS. */
static double flood_rate(bool collide, uint32_t *refused, uint32_t *entries)
{
	double best = 0;
	int run;

	for (run = 0; run < FLOOD_RUNS; run++) {
		struct nfv_ftable *t = nfv_ftable_create(2 * FLOOD_N,
							 sizeof(struct val), 0);
		struct nfv_ftable_stats st;
		struct nfv_ftable_key k;
		uint64_t t0, dt;
		uint32_t i;

		if (!t)
			return 0;
		t0 = now_ns();
		for (i = 0; i < FLOOD_N; i++) {
			k = key4(0x0a000000 + i, (uint16_t)(i * 31),
				 0xc6120002, 80);
			/* Collide: one classifier hash for all. */
			nfv_ftable_insert(t, &k, collide ? 0x5eed : i * 2654435761u,
					  0, NULL);
		}
		for (i = 0; i < FLOOD_N; i++) {
			k = key4(0x0a000000 + i, (uint16_t)(i * 31),
				 0xc6120002, 80);
			nfv_ftable_lookup(t, &k, collide ? 0x5eed : i * 2654435761u);
		}
		dt = now_ns() - t0;
		nfv_ftable_stats(t, &st);
		*refused = (uint32_t)st.refusals;
		*entries = (uint32_t)st.entries;
		if (2e9 * FLOOD_N / (double)dt > best)
			best = 2e9 * FLOOD_N / (double)dt;
		nfv_ftable_free(t);
	}
	return best;
}

TEST(collision_flood_bounded)
{
	uint32_t ref_c = 0, ref_r = 0, n_c = 0, n_r = 0;
	double r = flood_rate(false, &ref_r, &n_r);
	double c = flood_rate(true, &ref_c, &n_c);

	TH_LOG("N=%u: random %.2f Mops/s, colliding %.2f Mops/s, ratio %.3f, "
	       "refused %u/%u", FLOOD_N, r / 1e6, c / 1e6, c / r, ref_r, ref_c);
	ASSERT_GT(r, 0);
	/* All colliding keys got in: they spread over their keyed bucket. */
	EXPECT_EQ(0, ref_c);
	EXPECT_EQ(0, ref_r);
	EXPECT_EQ(FLOOD_N, n_c);	/* each key its own entry */
	EXPECT_EQ(FLOOD_N, n_r);
	EXPECT_GE(c / r, FLOOD_MIN_RATIO);
}

/*
 * Prefetching is a hint to the CPU only: any hint, stage, or table state
 * (deleted entries behind the hint cache) leaves every answer as it was.
 */
TEST(prefetch_changes_nothing)
{
	struct nfv_ftable *t = nfv_ftable_create(4096, sizeof(struct val), 0);
	struct val *v[1000];
	struct nfv_ftable_key k;
	uint32_t i;

	ASSERT_NE(NULL, t);
	nfv_ftable_prefetch(NULL, 1, 1);
	nfv_ftable_prefetch(t, NFV_FTABLE_NO_HINT, 1);
	for (i = 0; i < 1000; i++) {
		k = key4(0xc6120001, (uint16_t)(1000 + i), 0xc6120002, 80);
		v[i] = nfv_ftable_insert(t, &k, i * 2654435761u, 1, NULL);
		ASSERT_NE(NULL, v[i]);
		v[i]->packets = i;
	}
	for (i = 0; i < 500; i += 2)
		nfv_ftable_delete(t, v[i]);
	for (i = 0; i < 100000; i++) {
		nfv_ftable_prefetch(t, i * 40503u, 0);
		nfv_ftable_prefetch(t, i * 40503u, 1);
	}
	for (i = 0; i < 1000; i++) {
		k = key4(0xc6120001, (uint16_t)(1000 + i), 0xc6120002, 80);
		nfv_ftable_prefetch(t, i * 2654435761u, 0);
		nfv_ftable_prefetch(t, i * 2654435761u, 1);
		if (i < 500 && !(i % 2)) {
			EXPECT_EQ(NULL, nfv_ftable_lookup(t, &k, i * 2654435761u));
		} else {
			EXPECT_EQ(v[i], nfv_ftable_lookup(t, &k, i * 2654435761u));
			EXPECT_EQ(i, v[i]->packets);
		}
	}
	nfv_ftable_free(t);
}

TEST_HARNESS_MAIN
