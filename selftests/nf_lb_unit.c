// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-lb without traffic: the Maglev table is balanced, independent of
 * the order backends are given in, and moves few flows when a backend
 * comes or goes; the rewrite keeps every checksum valid both ways.
 */
#include "../nfs/lb/maglev.c"
#include "../nfs/lb/lb.c"

#include "kselftest_harness.h"
#include "nf_frames.h"

static void names_of(char buf[][24], const char **names, unsigned int n,
		     unsigned int skip)
{
	unsigned int i, j = 0;

	for (i = 0; i < n; i++) {
		if (i == skip)
			continue;
		snprintf(buf[j], 24, "198.18.1.%u:80", i + 1);
		names[j] = buf[j];
		j++;
	}
}

TEST(balanced)
{
	static const unsigned int sizes[] = { 1, 2, 3, 7, 10, 64, 256 };
	char buf[MAGLEV_MAX][24];
	const char *names[MAGLEV_MAX];
	unsigned int s, i, count[MAGLEV_MAX];
	struct maglev mg;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		unsigned int n = sizes[s], lo = MAGLEV_M, hi = 0;

		names_of(buf, names, n, ~0u);
		ASSERT_EQ(0, maglev_build(&mg, names, n, MAGLEV_M));
		memset(count, 0, sizeof(count));
		for (i = 0; i < MAGLEV_M; i++) {
			ASSERT_LT(mg.table[i], n);
			count[mg.table[i]]++;
		}
		for (i = 0; i < n; i++) {
			lo = count[i] < lo ? count[i] : lo;
			hi = count[i] > hi ? count[i] : hi;
		}
		/* Round-robin filling: shares differ by at most one. */
		EXPECT_LE(hi - lo, 1) TH_LOG("%u backends: %u..%u", n, lo, hi);
		maglev_free(&mg);
	}
}

TEST(order_does_not_matter)
{
	const char *a[] = { "198.18.1.1:80", "198.18.1.2:80", "198.18.1.3:80" };
	const char *b[] = { "198.18.1.3:80", "198.18.1.1:80", "198.18.1.2:80" };
	struct maglev ma, mb;
	unsigned int i, diff = 0;

	ASSERT_EQ(0, maglev_build(&ma, a, 3, MAGLEV_M));
	ASSERT_EQ(0, maglev_build(&mb, b, 3, MAGLEV_M));
	for (i = 0; i < MAGLEV_M; i++)
		diff += strcmp(a[ma.table[i]], b[mb.table[i]]) != 0;
	EXPECT_EQ(0, diff);
	maglev_free(&ma);
	maglev_free(&mb);
}

/*
 * Remove backend k of n: its entries move (they must), and of the rest
 * only a few.  The paper measures well under 2% extra for M >> 100 N.
 */
TEST(removal_moves_few_flows)
{
	char buf_all[16][24], buf_less[16][24];
	const char *all[16], *less[16];
	unsigned int i, moved = 0, owned = 0, n = 10, k = 4;
	struct maglev before, after;

	names_of(buf_all, all, n, ~0u);
	names_of(buf_less, less, n, k);
	ASSERT_EQ(0, maglev_build(&before, all, n, MAGLEV_M));
	ASSERT_EQ(0, maglev_build(&after, less, n - 1, MAGLEV_M));
	for (i = 0; i < MAGLEV_M; i++) {
		if (before.table[i] == k) {
			owned++;
			continue;
		}
		moved += strcmp(all[before.table[i]], less[after.table[i]]) != 0;
	}
	TH_LOG("removed backend owned %u entries; %u others moved (%.2f%%)",
	       owned, moved, 100.0 * moved / MAGLEV_M);
	EXPECT_LT(moved, MAGLEV_M * 2 / 100);
	maglev_free(&before);
	maglev_free(&after);
}

TEST(addition_moves_about_one_share)
{
	char buf_all[16][24], buf_less[16][24];
	const char *all[16], *less[16];
	unsigned int i, moved = 0, n = 10;
	struct maglev before, after;

	names_of(buf_less, less, n, n - 1);	/* 9 backends */
	names_of(buf_all, all, n, ~0u);		/* the 10th comes */
	ASSERT_EQ(0, maglev_build(&before, less, n - 1, MAGLEV_M));
	ASSERT_EQ(0, maglev_build(&after, all, n, MAGLEV_M));
	for (i = 0; i < MAGLEV_M; i++)
		moved += strcmp(less[before.table[i]], all[after.table[i]]) != 0;
	TH_LOG("%.2f%% of entries moved, ideal %.2f%%", 100.0 * moved / MAGLEV_M,
	       100.0 / n);
	EXPECT_LT(moved, MAGLEV_M / n + MAGLEV_M * 2 / 100);
	maglev_free(&before);
	maglev_free(&after);
}

static struct lb *new_lb(void)
{
	static struct lb lb;

	maglev_free(&lb.mg);
	memset(&lb, 0, sizeof(lb));
	lb_set_vip(&lb, "198.18.0.100:7000");
	lb_add_backend(&lb, "198.18.0.2:8001");
	lb_add_backend(&lb, "198.18.0.3:8002");
	lb_add_backend(&lb, "198.18.0.4:8003");
	if (lb_init(&lb))
		return NULL;
	return &lb;
}

TEST(rewrite_both_ways)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	struct lb *lb = new_lb();
	struct tframe f;
	unsigned int p, sport, seen = 0;

	ASSERT_NE(NULL, lb);
	for (p = 0; p < 2; p++) {
		for (sport = 20000; sport < 20200; sport++) {
			struct nfv_pkt *pkt;
			uint32_t client = tf_ip("198.18.0.1");
			unsigned int b = lb_pick(lb, protos[p], (uint8_t *)&client,
						 htons((uint16_t)sport));
			struct lb_backend *be = &lb->backends[b];
			char a[INET_ADDRSTRLEN];

			/* In: the VIP becomes the backend. */
			pkt = tf_ipv4(&f, protos[p], "198.18.0.1", (uint16_t)sport,
				      "198.18.0.100", 7000, 100 + sport % 50);
			ASSERT_EQ(NFV_NEXT, lb_handle(pkt, lb));
			ASSERT_EQ(0, memcmp(be->addr, &tf_ip4(pkt)->daddr, 4));
			ASSERT_EQ(ntohs(be->port), tf_dport(pkt));
			ASSERT_EQ(sport, tf_sport(pkt));
			ASSERT_TRUE(tf_csum_ok(pkt));
			/* Again: the same backend (no state, same hash). */
			pkt = tf_ipv4(&f, protos[p], "198.18.0.1", (uint16_t)sport,
				      "198.18.0.100", 7000, 10);
			lb_handle(pkt, lb);
			ASSERT_EQ(0, memcmp(be->addr, &tf_ip4(pkt)->daddr, 4));
			/* Out: the backend's reply leaves as the VIP. */
			inet_ntop(AF_INET, &be->addr, a, sizeof(a));
			pkt = tf_ipv4(&f, protos[p], a, ntohs(be->port),
				      "198.18.0.1", (uint16_t)sport, 33);
			ASSERT_EQ(NFV_NEXT, lb_handle(pkt, lb));
			ASSERT_EQ(0, memcmp(lb->vip_addr, &tf_ip4(pkt)->saddr, 4));
			ASSERT_EQ(7000, tf_sport(pkt));
			ASSERT_EQ(sport, tf_dport(pkt));
			ASSERT_TRUE(tf_csum_ok(pkt));
			seen |= 1u << b;
		}
	}
	EXPECT_EQ(7, seen);	/* 400 flows reach all three backends */
	EXPECT_EQ(800, lb->backends[0].packets + lb->backends[1].packets +
		       lb->backends[2].packets);
	EXPECT_EQ(400, lb->backends[0].reply_packets +
		       lb->backends[1].reply_packets +
		       lb->backends[2].reply_packets);
}

TEST(other_traffic_untouched)
{
	struct lb *lb = new_lb();
	struct tframe f, orig;
	struct nfv_pkt *pkt;

	ASSERT_NE(NULL, lb);
	/* Right address, wrong port; a non-backend source; ICMP. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.1", 5000, "198.18.0.100", 7001, 20);
	orig = f;
	EXPECT_EQ(NFV_NEXT, lb_handle(pkt, lb));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.2", 8002, "198.18.0.1", 5000, 20);
	orig = f;
	EXPECT_EQ(NFV_NEXT, lb_handle(pkt, lb));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	pkt = tf_ipv4(&f, IPPROTO_ICMP, "198.18.0.1", 1, "198.18.0.100", 1, 20);
	EXPECT_EQ(NFV_NEXT, lb_handle(pkt, lb));
	EXPECT_EQ(2, lb->other);
	EXPECT_EQ(1, lb->no_l4);
}

static struct lb *new_lb6(void)
{
	static struct lb lb;

	maglev_free(&lb.mg);
	memset(&lb, 0, sizeof(lb));
	if (lb_set_vip(&lb, "[fd00:198:18::100]:7000") ||
	    lb_add_backend(&lb, "[fd00:198:18::2]:8001") ||
	    lb_add_backend(&lb, "[fd00:198:18::3]:8002") ||
	    lb_add_backend(&lb, "[fd00:198:18::4]:8003") || lb_init(&lb))
		return NULL;
	return &lb;
}

TEST(ipv6_rewrite_both_ways)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	struct lb *lb = new_lb6();
	struct tframe f;
	unsigned int p, sport, seen = 0;
	struct in6_addr client;

	ASSERT_NE(NULL, lb);
	ASSERT_EQ(6, lb->family);
	inet_pton(AF_INET6, "fd00:198:18::1", &client);
	for (p = 0; p < 2; p++) {
		for (sport = 20000; sport < 20200; sport++) {
			unsigned int b = lb_pick(lb, protos[p], client.s6_addr,
						 htons((uint16_t)sport));
			struct lb_backend *be = &lb->backends[b];
			char a[INET6_ADDRSTRLEN];
			struct nfv_pkt *pkt;

			/* In: the VIP becomes the backend, checksum follows. */
			pkt = tf_ipv6(&f, protos[p], "fd00:198:18::1", (uint16_t)sport,
				      "fd00:198:18::100", 7000, 100 + sport % 50);
			ASSERT_TRUE(tf_csum6_ok(pkt));
			ASSERT_EQ(NFV_NEXT, lb_handle(pkt, lb));
			ASSERT_EQ(0, memcmp(be->addr, &tf_ip6(pkt)->daddr, 16));
			ASSERT_TRUE(tf_addr6_is(&tf_ip6(pkt)->saddr, "fd00:198:18::1"));
			ASSERT_EQ(ntohs(be->port), tf_dport(pkt));
			ASSERT_EQ(sport, tf_sport(pkt));
			ASSERT_TRUE(tf_csum6_ok(pkt));
			/* Again: the same backend. */
			pkt = tf_ipv6(&f, protos[p], "fd00:198:18::1", (uint16_t)sport,
				      "fd00:198:18::100", 7000, 10);
			lb_handle(pkt, lb);
			ASSERT_EQ(0, memcmp(be->addr, &tf_ip6(pkt)->daddr, 16));
			/* Out: the reply leaves as the VIP. */
			inet_ntop(AF_INET6, be->addr, a, sizeof(a));
			pkt = tf_ipv6(&f, protos[p], a, ntohs(be->port),
				      "fd00:198:18::1", (uint16_t)sport, 33);
			ASSERT_EQ(NFV_NEXT, lb_handle(pkt, lb));
			ASSERT_TRUE(tf_addr6_is(&tf_ip6(pkt)->saddr, "fd00:198:18::100"));
			ASSERT_EQ(7000, tf_sport(pkt));
			ASSERT_EQ(sport, tf_dport(pkt));
			ASSERT_TRUE(tf_csum6_ok(pkt));
			seen |= 1u << b;
		}
	}
	EXPECT_EQ(7, seen);
	EXPECT_EQ(800, lb->backends[0].packets + lb->backends[1].packets +
		       lb->backends[2].packets);
	EXPECT_EQ(400, lb->backends[0].reply_packets +
		       lb->backends[1].reply_packets +
		       lb->backends[2].reply_packets);
	EXPECT_EQ(0, lb->other);
}

/*
 * A UDP checksum that comes out 0 after the rewrite is sent as 0xffff.
 * One backend: the rewrite adds a fixed amount, so the 65535 source
 * ports sweep every checksum value and hit that case.
 */
TEST(ipv6_udp_checksum_never_zero)
{
	static struct lb lb;
	unsigned int sport, zero_seen = 0;
	struct tframe f;

	memset(&lb, 0, sizeof(lb));
	ASSERT_EQ(0, lb_set_vip(&lb, "[fd00:198:18::100]:7000"));
	ASSERT_EQ(0, lb_add_backend(&lb, "[fd00:198:18::2]:8001"));
	ASSERT_EQ(0, lb_init(&lb));
	for (sport = 1; sport <= 65535; sport++) {
		struct nfv_pkt *pkt = tf_ipv6(&f, IPPROTO_UDP, "fd00:198:18::1",
					      (uint16_t)sport, "fd00:198:18::100",
					      7000, 0);
		struct udphdr *uh = (struct udphdr *)(pkt->data + 54);

		lb_handle(pkt, &lb);
		ASSERT_NE(0, uh->check);
		ASSERT_TRUE(tf_csum6_ok(pkt));
		zero_seen += uh->check == 0xffff;
	}
	EXPECT_GE(zero_seen, 1) TH_LOG("no rewrite summed to 0");
	lb_free(&lb);
}

TEST(ipv6_other_traffic_untouched)
{
	struct lb *lb = new_lb6();
	struct tframe f, orig;
	struct nfv_pkt *pkt;

	ASSERT_NE(NULL, lb);
	/* Wrong port; a non-backend source; ICMPv6; IPv4 to the v4 twin. */
	pkt = tf_ipv6(&f, IPPROTO_UDP, "fd00:198:18::1", 5000, "fd00:198:18::100", 7001, 20);
	orig = f;
	EXPECT_EQ(NFV_NEXT, lb_handle(pkt, lb));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	pkt = tf_ipv6(&f, IPPROTO_UDP, "fd00:198:18::5", 8002, "fd00:198:18::1", 5000, 20);
	orig = f;
	EXPECT_EQ(NFV_NEXT, lb_handle(pkt, lb));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	pkt = tf_ipv6(&f, IPPROTO_ICMPV6, "fd00:198:18::1", 1, "fd00:198:18::100", 1, 20);
	orig = f;
	EXPECT_EQ(NFV_NEXT, lb_handle(pkt, lb));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.1", 5000, "198.18.0.100", 7000, 20);
	orig = f;
	EXPECT_EQ(NFV_NEXT, lb_handle(pkt, lb));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	EXPECT_EQ(3, lb->other);
	EXPECT_EQ(1, lb->no_l4);
}

TEST(families_do_not_mix)
{
	static struct lb lb;

	memset(&lb, 0, sizeof(lb));
	ASSERT_EQ(0, lb_set_vip(&lb, "[fd00:198:18::100]:80"));
	ASSERT_EQ(0, lb_add_backend(&lb, "[fd00:198:18::2]:80"));
	ASSERT_EQ(0, lb_add_backend(&lb, "198.18.0.3:80"));
	EXPECT_EQ(-EAFNOSUPPORT, lb_init(&lb));
	EXPECT_EQ(-EINVAL, lb_set_vip(&lb, "fd00:198:18::100:80"));
	EXPECT_EQ(-EINVAL, lb_set_vip(&lb, "[fd00:198:18::100]80"));
	EXPECT_EQ(-EINVAL, lb_set_vip(&lb, "[198.18.0.1]:80"));
	EXPECT_EQ(-EINVAL, lb_set_vip(&lb, "[fd00::1]:0"));
	EXPECT_EQ(-EEXIST, lb_add_backend(&lb, "[fd00:198:18:0::2]:80"));
	/* Names are canonical: the Maglev table does not depend on spelling. */
	EXPECT_STREQ("[fd00:198:18::2]:80", lb.backends[0].name);
	EXPECT_STREQ("198.18.0.3:80", lb.backends[1].name);
}

TEST_HARNESS_MAIN
