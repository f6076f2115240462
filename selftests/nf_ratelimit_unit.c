// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-ratelimit without traffic: the token bucket on a simulated clock
 * (burst, steady rate, bits, long idle), per-flow buckets shared by both
 * directions, separate for separate flows, and LRU replacement.
 */
#include "../nfs/ratelimit/limiter.c"

#include "kselftest_harness.h"
#include "nf_frames.h"

#define MS 1000000ull

TEST(burst_then_rate)
{
	struct tb_conf c;
	struct tb b;
	uint64_t t = 5000 * MS, passed = 0;
	int i;

	ASSERT_EQ(0, tb_conf_init(&c, 1000, 10, false));	/* 1000 pps */
	tb_init(&c, &b, t);
	for (i = 0; i < 10; i++)
		EXPECT_TRUE(tb_take(&c, &b, t, 100));
	EXPECT_FALSE(tb_take(&c, &b, t, 100));
	EXPECT_TRUE(tb_take(&c, &b, t + 1 * MS, 100));	/* one per ms */
	EXPECT_FALSE(tb_take(&c, &b, t + 1 * MS, 100));
	/* 5000 offered evenly over one second: the rate gets through. */
	t += 2 * MS;
	for (i = 0; i < 5000; i++)
		passed += tb_take(&c, &b, t + (uint64_t)i * 200000, 100);
	EXPECT_GE(passed, 999);
	EXPECT_LE(passed, 1001 + 10);
	/* Idle for an hour: just a full bucket, no more. */
	t += 3600000 * MS;
	passed = 0;
	for (i = 0; i < 100; i++)
		passed += tb_take(&c, &b, t, 100);
	EXPECT_EQ(10, passed);
}

TEST(bits)
{
	struct tb_conf c;
	struct tb b;
	uint64_t t = 0, bytes = 0;
	int i;

	/* 1 Mbit/s, burst 3000 bytes; 1250-byte frames = 100 per second. */
	ASSERT_EQ(0, tb_conf_init(&c, 1000000, 3000 * 8, true));
	tb_init(&c, &b, t);
	for (i = 0; i < 2000; i++)
		if (tb_take(&c, &b, t + (uint64_t)i * MS, 1250))
			bytes += 1250;
	/* 2 s at 125000 B/s plus the burst (2 frames fit in it). */
	EXPECT_GE(bytes, 250000);
	EXPECT_LE(bytes, 250000 + 3000);
	/* 10 Gbit/s: a 64-byte frame costs 51.2 ns, not 51 or 52. */
	ASSERT_EQ(0, tb_conf_init(&c, 10000000000ull, 1514 * 8, true));
	EXPECT_EQ(51200, tb_cost_ps(&c, 64));
}

static struct nfv_pkt *flow_frame(struct tframe *f, const char *src,
				  uint16_t sport, const char *dst,
				  uint16_t dport)
{
	struct nfv_pkt *pkt = tf_ipv4(f, IPPROTO_UDP, src, sport, dst, dport, 10);

	/* The classifier's hash is symmetric; any symmetric value will do. */
	pkt->meta->hash = tf_ip(src) ^ tf_ip(dst) ^ sport ^ dport;
	return pkt;
}

TEST(per_flow_buckets)
{
	struct limiter rl;
	struct tb_conf c;
	struct tframe f;
	int i, a = 0, b = 0, back = 0;

	ASSERT_EQ(0, tb_conf_init(&c, 10, 5, false));
	ASSERT_EQ(0, rl_init(&rl, &c, true, 1024, 1000 * MS));
	for (i = 0; i < 20; i++) {
		a += rl_handle(flow_frame(&f, "198.18.0.1", 1000, "198.18.0.2", 80),
			       &rl) == NFV_NEXT;
		b += rl_handle(flow_frame(&f, "198.18.0.1", 1001, "198.18.0.2", 80),
			       &rl) == NFV_NEXT;
	}
	EXPECT_EQ(5, a);	/* each flow its own burst */
	EXPECT_EQ(5, b);
	/* The reply direction shares its flow's (empty) bucket. */
	for (i = 0; i < 5; i++)
		back += rl_handle(flow_frame(&f, "198.18.0.2", 80, "198.18.0.1", 1000),
				  &rl) == NFV_NEXT;
	EXPECT_EQ(0, back);
	EXPECT_EQ(2, rl.st.flows);
	EXPECT_EQ(10, rl.st.passed);
	EXPECT_EQ(35, rl.st.dropped);
	rl_free(&rl);

	/* Aggregate: one bucket for everything. */
	ASSERT_EQ(0, rl_init(&rl, &c, false, 0, 1000 * MS));
	for (i = 0, a = 0; i < 20; i++)
		a += rl_handle(flow_frame(&f, "198.18.0.1", (uint16_t)(1000 + i),
					  "198.18.0.2", 80), &rl) == NFV_NEXT;
	EXPECT_EQ(5, a);
	rl_free(&rl);
}

TEST(lru_replacement)
{
	struct limiter rl;
	struct tb_conf c;
	struct tframe f;
	uint32_t i;

	ASSERT_EQ(0, tb_conf_init(&c, 10, 1, false));
	ASSERT_EQ(0, rl_init(&rl, &c, true, RL_PROBE, 0));
	ASSERT_EQ(RL_PROBE, rl.n_slots);
	/* More flows than slots, same hash: the oldest entry goes. */
	for (i = 0; i < RL_PROBE + 4; i++) {
		struct nfv_pkt *pkt = flow_frame(&f, "198.18.0.1",
						 (uint16_t)(2000 + i),
						 "198.18.0.2", 80);

		pkt->meta->hash = 7;
		rl.now = i * MS;
		EXPECT_EQ(NFV_NEXT, rl_handle(pkt, &rl));
	}
	EXPECT_EQ(RL_PROBE, rl.st.flows);
	EXPECT_EQ(4, rl.st.evicted);
	rl_free(&rl);
}

TEST_HARNESS_MAIN
