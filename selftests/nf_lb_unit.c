// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-lb without traffic: the Maglev table is balanced, independent of
 * the order backends are given in, and moves few flows when a backend
 * comes or goes; the rewrite keeps every checksum valid both ways.
 */
#include "../nfs/lb/maglev.c"
#include "../nfs/lb/lb.c"
#include "../nfs/lb/icmp.c"

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

/* ---- ICMP errors (nfs/lb/icmp.c) ---- */

/*
 * An ICMP (@family 4) or ICMPv6 error @type/@code from @src to @dst that
 * quotes the first @qlen bytes (from the IP header on) of @quoted.
 */
static struct nfv_pkt *icmp_error(struct tframe *f, int family, uint8_t type,
				  uint8_t code, const char *src,
				  const char *dst, const struct nfv_pkt *quoted,
				  uint32_t qlen)
{
	struct nfv_pkt *pkt;
	uint8_t q[256], *icmp;
	uint32_t sum = 0;

	memcpy(q, quoted->data + 14, qlen);
	if (family == 4)
		pkt = tf_ipv4(f, IPPROTO_ICMP, src, 0, dst, 0, qlen);
	else
		pkt = tf_ipv6(f, IPPROTO_ICMPV6, src, 0, dst, 0, qlen);
	icmp = pkt->data + pkt->meta->l4_off;
	icmp[0] = type;
	icmp[1] = code;
	memset(icmp + 2, 0, 6);
	if (type == (family == 4 ? ICMP_DEST_UNREACH : ICMPV6_PKT_TOOBIG))
		icmp[6] = 0x05, icmp[7] = 0x78;		/* MTU 1400 */
	memcpy(icmp + 8, q, qlen);
	if (family == 6) {
		sum = nfv_csum_partial(&tf_ip6(pkt)->saddr, 32, 0);
		sum += htons(IPPROTO_ICMPV6);
		sum += htons((uint16_t)(8 + qlen));
	}
	*(uint16_t *)(icmp + 2) =
		(uint16_t)~nfv_csum_fold(nfv_csum_partial(icmp, 8 + qlen, sum));
	return pkt;
}

/* @src's frame into @dst, its packet pointing into @dst. */
static struct nfv_pkt *tf_copy(struct tframe *dst, const struct tframe *src)
{
	memcpy(dst, src, sizeof(*dst));
	dst->pkt.data = dst->chunk + TF_HEADROOM;
	dst->pkt.meta = (struct nfv_xdp_meta *)(dst->pkt.data -
						sizeof(*dst->pkt.meta));
	return &dst->pkt;
}

/* @f goes on (NFV_NEXT) with not one byte changed. */
static bool passes_untouched(struct lb *lb, struct tframe *f)
{
	static struct tframe before;

	memcpy(&before, f, sizeof(before));
	return lb_handle(&f->pkt, lb) == NFV_NEXT &&
	       !memcmp(before.chunk, f->chunk, sizeof(f->chunk));
}

static const uint8_t *quote_of(const struct nfv_pkt *pkt)
{
	return pkt->data + pkt->meta->l4_off + 8;
}

/*
 * A client's datagram to the VIP goes to a backend, which answers with
 * port unreachable (full quote, UDP) or a router in front of it with
 * fragmentation needed (quote cut after 8 bytes of TCP): the client gets
 * its own datagram back in the quote, byte for byte, from the VIP.  A
 * reply that a router on the client's side cannot forward: the error to
 * the VIP goes to the backend that sent the reply, quoting it as sent.
 */
TEST(icmp_errors_translated_both_ways)
{
	static const struct {
		int family;
		const char *client, *vip, *router;
		uint8_t unreach, unreach_code, too_big, too_big_code;
	} fam[] = {
		{ 4, "198.18.0.1", "198.18.0.100", "198.18.0.254",
		  ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
		  ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED },
		{ 6, "fd00:198:18::1", "fd00:198:18::100", "fd00:198:18::fe",
		  ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH,
		  ICMPV6_PKT_TOOBIG, 0 },
	};
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	unsigned int i, p, sport;

	for (i = 0; i < 2; i++) {
		struct lb *lb = fam[i].family == 4 ? new_lb() : new_lb6();
		uint32_t hl = fam[i].family == 4 ? 20 : 40;
		int af = fam[i].family == 4 ? AF_INET : AF_INET6;

		ASSERT_NE(NULL, lb);
		for (p = 0; p < 2; p++) {
			for (sport = 30000; sport < 30020; sport++) {
				struct tframe orig, sent, err;
				struct nfv_pkt *o, *s, *e;
				char baddr[INET6_ADDRSTRLEN];
				struct lb_backend *b;
				uint8_t caddr[16];
				uint32_t qlen;

				inet_pton(af, fam[i].client, caddr);
				b = &lb->backends[lb_pick(lb, protos[p], caddr,
							  htons((uint16_t)sport))];
				inet_ntop(af, b->addr, baddr, sizeof(baddr));
				/* UDP: all of it quoted; TCP: 8 bytes of it. */
				qlen = protos[p] == IPPROTO_UDP ? hl + 8 + 60 : hl + 8;

				/* Client -> VIP, as sent; then as rewritten. */
				o = fam[i].family == 4 ?
				    tf_ipv4(&orig, protos[p], fam[i].client, (uint16_t)sport,
					    fam[i].vip, 7000, 60) :
				    tf_ipv6(&orig, protos[p], fam[i].client, (uint16_t)sport,
					    fam[i].vip, 7000, 60);
				s = tf_copy(&sent, &orig);
				ASSERT_EQ(NFV_NEXT, lb_handle(s, lb));
				/* The backend: port unreachable. */
				e = icmp_error(&err, fam[i].family, fam[i].unreach,
					       fam[i].unreach_code, baddr,
					       fam[i].client, s, qlen);
				ASSERT_EQ(NFV_NEXT, lb_handle(e, lb));
				ASSERT_EQ(0, memcmp(quote_of(e), o->data + 14, qlen))
					TH_LOG("family %d proto %u: the quote is not the client's datagram",
					       fam[i].family, protos[p]);
				if (fam[i].family == 4) {
					ASSERT_EQ(0, memcmp(&tf_ip4(e)->saddr, lb->vip_addr, 4));
					ASSERT_TRUE(tf_csum_ok(e));
				} else {
					ASSERT_TRUE(tf_addr6_is(&tf_ip6(e)->saddr, fam[i].vip));
					ASSERT_TRUE(tf_csum6_ok(e));
				}
				/* A router in front of it: only the quote changes. */
				e = icmp_error(&err, fam[i].family, fam[i].too_big,
					       fam[i].too_big_code, fam[i].router,
					       fam[i].client, s, hl + 8);
				ASSERT_EQ(NFV_NEXT, lb_handle(e, lb));
				ASSERT_EQ(0, memcmp(quote_of(e), o->data + 14, hl + 8));
				if (fam[i].family == 4) {
					ASSERT_EQ(tf_ip(fam[i].router), tf_ip4(e)->saddr);
					ASSERT_TRUE(tf_csum_ok(e));
				} else {
					ASSERT_TRUE(tf_addr6_is(&tf_ip6(e)->saddr, fam[i].router));
					ASSERT_TRUE(tf_csum6_ok(e));
				}

				/* Backend -> client reply, as sent; as rewritten. */
				o = fam[i].family == 4 ?
				    tf_ipv4(&orig, protos[p], baddr, ntohs(b->port),
					    fam[i].client, (uint16_t)sport, 60) :
				    tf_ipv6(&orig, protos[p], baddr, ntohs(b->port),
					    fam[i].client, (uint16_t)sport, 60);
				s = tf_copy(&sent, &orig);
				ASSERT_EQ(NFV_NEXT, lb_handle(s, lb));
				/* A router on the client's side: too big. */
				e = icmp_error(&err, fam[i].family, fam[i].too_big,
					       fam[i].too_big_code, fam[i].router,
					       fam[i].vip, s, qlen);
				ASSERT_EQ(NFV_NEXT, lb_handle(e, lb));
				ASSERT_EQ(0, memcmp(quote_of(e), o->data + 14, qlen))
					TH_LOG("family %d proto %u: the quote is not the backend's reply",
					       fam[i].family, protos[p]);
				if (fam[i].family == 4) {
					ASSERT_EQ(0, memcmp(&tf_ip4(e)->daddr, b->addr, 4));
					ASSERT_TRUE(tf_csum_ok(e));
				} else {
					ASSERT_TRUE(tf_addr6_is(&tf_ip6(e)->daddr, baddr));
					ASSERT_TRUE(tf_csum6_ok(e));
				}
			}
		}
		EXPECT_EQ(2 * 2 * 20, lb->icmp_to_clients);
		EXPECT_EQ(2 * 20, lb->icmp_to_backends);
	}
}

/* Errors that are not about the VIP's traffic, or cut short: untouched. */
TEST(icmp_errors_not_ours_untouched)
{
	struct tframe q, e;
	struct lb *lb = new_lb();
	struct nfv_pkt *qp, *ep;

	ASSERT_NE(NULL, lb);
	/* A datagram between two other hosts. */
	qp = tf_ipv4(&q, IPPROTO_UDP, "198.18.0.1", 5000, "198.18.0.9", 7000, 20);
	ep = icmp_error(&e, 4, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
			"198.18.0.9", "198.18.0.1", qp, 48);
	EXPECT_TRUE(passes_untouched(lb, &e));
	/* To a backend's address but another port. */
	qp = tf_ipv4(&q, IPPROTO_UDP, "198.18.0.1", 5000, "198.18.0.2", 9999, 20);
	ep = icmp_error(&e, 4, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
			"198.18.0.2", "198.18.0.1", qp, 48);
	EXPECT_TRUE(passes_untouched(lb, &e));
	/* Ours, but the quote stops before the ports. */
	qp = tf_ipv4(&q, IPPROTO_UDP, "198.18.0.1", 5000, "198.18.0.2", 8001, 20);
	ep = icmp_error(&e, 4, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
			"198.18.0.2", "198.18.0.1", qp, 22);
	EXPECT_TRUE(passes_untouched(lb, &e));
	/* Ours, but the frame is shorter than its IP header says. */
	ep = icmp_error(&e, 4, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
			"198.18.0.2", "198.18.0.1", qp, 48);
	ep->len -= 10;
	EXPECT_TRUE(passes_untouched(lb, &e));
	/* An echo reply from a backend is not an error. */
	ep = tf_ipv4(&e, IPPROTO_ICMP, "198.18.0.2", 1, "198.18.0.1", 1, 20);
	ep->data[ep->meta->l4_off] = ICMP_ECHOREPLY;
	EXPECT_TRUE(passes_untouched(lb, &e));
	EXPECT_EQ(0, lb->icmp_to_clients + lb->icmp_to_backends);
}

TEST_HARNESS_MAIN
