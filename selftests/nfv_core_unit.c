// SPDX-License-Identifier: GPL-2.0
/*
 * The semantic core both backends share (uapi/linux/nfv_match.h,
 * nfv_chain_rules.h), in user space: every check with its errno, message
 * and attribute; port ranges kept as given (sport 0-100 stays 0-100 in
 * the match, the key and the rule); v4 and v6 prefixes; exactness;
 * specificity and the scan order of the rules; the limits.
 */
#include <arpa/inet.h>
#include <string.h>

#include <linux/nfv_buckets.h>
#include <linux/nfv_chain_rules.h>
#include <linux/nfv_match.h>
#include <linux/nfv_classify.h>
#include <linux/nfv_nsh.h>

#include "nfv_reach.h"
#include "kselftest_harness.h"

#define GIVE(a, attr)	((a)->given |= NFV_GIVEN(attr))

/* A refusal: errno, word for word message, attribute, missing one. */
#define EXPECT_REFUSED(call, eno, text, at, mi) do {			\
	struct nfv_err *__e = &e;					\
	memset(__e, 0, sizeof(*__e));					\
	EXPECT_EQ(-(eno), (call));					\
	ASSERT_NE(NULL, __e->msg);					\
	EXPECT_STREQ(text, __e->msg);					\
	EXPECT_EQ(at, __e->attr);					\
	EXPECT_EQ(mi, __e->miss);					\
} while (0)

static uint8_t v4[4], v4b[4], v6[16];

static void addrs(void)
{
	inet_pton(AF_INET, "198.18.1.77", v4);
	inet_pton(AF_INET, "198.19.2.3", v4b);
	inet_pton(AF_INET6, "2001:db8:1:2:ff00::1", v6);
}

static void set_src(struct nfv_match_attrs *a, const void *addr,
		    uint32_t len)
{
	GIVE(a, NFV_A_FLOW_SRC);
	a->src = addr;
	a->src_len = len;
}

static void set_dst(struct nfv_match_attrs *a, const void *addr,
		    uint32_t len)
{
	GIVE(a, NFV_A_FLOW_DST);
	a->dst = addr;
	a->dst_len = len;
}

static void set_sport(struct nfv_match_attrs *a, uint16_t lo, uint16_t hi)
{
	GIVE(a, NFV_A_FLOW_SPORT);
	GIVE(a, NFV_A_FLOW_SPORT_MAX);
	a->sport = lo;
	a->sport_max = hi;
}

static void set_proto(struct nfv_match_attrs *a, uint8_t proto)
{
	GIVE(a, NFV_A_FLOW_PROTO);
	a->proto = proto;
}

/* A full TCP/IPv4 5-tuple 198.18.1.77:1000 -> 198.19.2.3:80. */
static void five_tuple(struct nfv_match_attrs *a)
{
	memset(a, 0, sizeof(*a));
	set_proto(a, IPPROTO_TCP);
	set_src(a, v4, 4);
	set_dst(a, v4b, 4);
	GIVE(a, NFV_A_FLOW_SPORT);
	a->sport = 1000;
	GIVE(a, NFV_A_FLOW_DPORT);
	a->dport = 80;
}

/* ---- checks of a match ---- */

TEST(match_in_port)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	GIVE(&a, NFV_A_FLOW_IN_IFINDEX);
	a.in_ifindex = 7;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), ENODEV,
		       "in: device is not a fabric port",
		       NFV_A_FLOW_IN_IFINDEX, 0);
	a.in_is_port = true;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(7, m.in_ifindex);
}

TEST(match_family)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	GIVE(&a, NFV_A_FLOW_FAMILY);
	a.family = 7;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EAFNOSUPPORT,
		       "family must be AF_INET or AF_INET6",
		       NFV_A_FLOW_FAMILY, 0);
	a.family = AF_INET6;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(AF_INET6, m.family);
	EXPECT_EQ(0, m.src_plen);
}

TEST(match_address_length)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	addrs();
	set_src(&a, v6, 5);
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "address must be 4 or 16 bytes", NFV_A_FLOW_SRC, 0);
	memset(&a, 0, sizeof(a));
	set_dst(&a, v6, 17);
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), ERANGE,
		       "address longer than 16 bytes", NFV_A_FLOW_DST, 0);
}

TEST(match_family_mismatch)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	addrs();
	GIVE(&a, NFV_A_FLOW_FAMILY);
	a.family = AF_INET6;
	set_src(&a, v4, 4);
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "address family mismatch", NFV_A_FLOW_SRC, 0);
	memset(&a, 0, sizeof(a));
	set_src(&a, v4, 4);
	set_dst(&a, v6, 16);
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "address family mismatch", NFV_A_FLOW_DST, 0);
}

TEST(match_prefix_v4)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	addrs();
	set_src(&a, v4, 4);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(AF_INET, m.family);
	EXPECT_EQ(32, m.src_plen);	/* absent: full length */
	EXPECT_EQ(0, m.dst_plen);
	EXPECT_EQ(0, memcmp(m.src, v4, 4));
	GIVE(&a, NFV_A_FLOW_SRC_PLEN);
	a.src_plen = 32;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	a.src_plen = 33;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), ERANGE,
		       "prefix length too long", NFV_A_FLOW_SRC_PLEN, 0);
	a.src_plen = 0;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(0, m.src_plen);
}

TEST(match_prefix_v6)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	addrs();
	set_dst(&a, v6, 16);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(AF_INET6, m.family);
	EXPECT_EQ(128, m.dst_plen);
	EXPECT_EQ(0, memcmp(m.dst, v6, 16));
	GIVE(&a, NFV_A_FLOW_DST_PLEN);
	a.dst_plen = 128;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	a.dst_plen = 129;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), ERANGE,
		       "prefix length too long", NFV_A_FLOW_DST_PLEN, 0);
}

TEST(match_prefix_without_address)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	GIVE(&a, NFV_A_FLOW_SRC_PLEN);
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "prefix length without an address",
		       NFV_A_FLOW_SRC_PLEN, 0);
	memset(&a, 0, sizeof(a));
	GIVE(&a, NFV_A_FLOW_DST_PLEN);
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "prefix length without an address",
		       NFV_A_FLOW_DST_PLEN, 0);
}

TEST(match_port_ranges)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	set_proto(&a, IPPROTO_TCP);
	GIVE(&a, NFV_A_FLOW_SPORT_MAX);
	a.sport_max = 100;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "port range without a low end",
		       NFV_A_FLOW_SPORT_MAX, 0);
	set_sport(&a, 101, 100);
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "port range is empty", NFV_A_FLOW_SPORT_MAX, 0);
	memset(&a, 0, sizeof(a));
	set_proto(&a, IPPROTO_UDP);
	GIVE(&a, NFV_A_FLOW_DPORT);
	GIVE(&a, NFV_A_FLOW_DPORT_MAX);
	a.dport = 9;
	a.dport_max = 8;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "port range is empty", NFV_A_FLOW_DPORT_MAX, 0);
	a.dport_max = 9;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(9, m.dport);
	EXPECT_EQ(9, m.dport_max);
	/* A low end alone is a single port. */
	memset(&a, 0, sizeof(a));
	set_proto(&a, IPPROTO_TCP);
	GIVE(&a, NFV_A_FLOW_SPORT);
	a.sport = 80;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(80, m.sport);
	EXPECT_EQ(80, m.sport_max);
	EXPECT_TRUE(nfv_match_has_sport(&m));
	EXPECT_FALSE(nfv_match_has_dport(&m));
}

/* The drift of issue 13: a range starting at 0 is a range. */
TEST(match_range_from_zero_kept)
{
	struct nfv_match_attrs a = {};
	struct nfv_prefix_rule r;
	struct nfv_match m;
	struct nfv_err e;

	set_proto(&a, IPPROTO_TCP);
	set_sport(&a, 0, 100);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(0, m.sport);
	EXPECT_EQ(100, m.sport_max);
	EXPECT_TRUE(nfv_match_has_sport(&m));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	EXPECT_EQ(8 + 16, nfv_match_specificity(&m));
	nfv_match_rule(&m, 0, 1, &r);
	EXPECT_EQ(0, r.sport_lo);
	EXPECT_EQ(100, r.sport_hi);
	EXPECT_EQ(0, r.dport_lo);
	EXPECT_EQ(0, r.dport_hi);
	/* The same for destination ports. */
	memset(&a, 0, sizeof(a));
	set_proto(&a, IPPROTO_UDP);
	GIVE(&a, NFV_A_FLOW_DPORT);
	GIVE(&a, NFV_A_FLOW_DPORT_MAX);
	a.dport_max = 100;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_TRUE(nfv_match_has_dport(&m));
	EXPECT_EQ(8 + 16, nfv_match_specificity(&m));
	nfv_match_rule(&m, 0, 1, &r);
	EXPECT_EQ(0, r.dport_lo);
	EXPECT_EQ(100, r.dport_hi);
	/* ... and so it needs a protocol with ports, like any range. */
	memset(&a, 0, sizeof(a));
	set_sport(&a, 0, 100);
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "ports need proto tcp, udp or sctp", 0, 0);
}

TEST(match_port_zero_is_any)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	set_sport(&a, 0, 0);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_has_sport(&m));
	EXPECT_EQ(0, nfv_match_specificity(&m));
}

TEST(match_ports_need_proto)
{
	static const uint8_t ok[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP };
	static const uint8_t bad[] = { 0, IPPROTO_ICMP, IPPROTO_ICMPV6, 47 };
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;
	size_t i;

	for (i = 0; i < sizeof(ok); i++) {
		memset(&a, 0, sizeof(a));
		set_proto(&a, ok[i]);
		GIVE(&a, NFV_A_FLOW_DPORT);
		a.dport = 53;
		EXPECT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	}
	for (i = 0; i < sizeof(bad); i++) {
		memset(&a, 0, sizeof(a));
		if (bad[i])
			set_proto(&a, bad[i]);
		GIVE(&a, NFV_A_FLOW_DPORT);
		a.dport = 53;
		EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
			       "ports need proto tcp, udp or sctp", 0, 0);
	}
}

/* Unused fields are zero: two requests for one rule compare equal. */
TEST(match_canonical)
{
	struct nfv_match_attrs a;
	struct nfv_match m1, m2;
	struct nfv_err e;

	addrs();
	five_tuple(&a);
	memset(&m1, 0xa5, sizeof(m1));
	memset(&m2, 0x5a, sizeof(m2));
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m1, &e));
	a.in_ifindex = 99;	/* not given: ignored */
	a.dst_plen = 3;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m2, &e));
	EXPECT_EQ(0, memcmp(&m1, &m2, sizeof(m1)));
	/* No hole the compiler adds (NSH's pad is a field, zeroed). */
	EXPECT_EQ(56, sizeof(struct nfv_match));
}

/* ---- exactness, specificity, encoding ---- */

TEST(exact)
{
	struct nfv_match_attrs a;
	struct nfv_match m;
	struct nfv_err e;

	addrs();
	five_tuple(&a);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_TRUE(nfv_match_is_exact(&m));
	/* v6 5-tuple */
	five_tuple(&a);
	set_src(&a, v6, 16);
	set_dst(&a, v6, 16);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_TRUE(nfv_match_is_exact(&m));
	/* each field missing or widened makes a prefix rule */
	five_tuple(&a);
	a.given &= ~NFV_GIVEN(NFV_A_FLOW_DPORT);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	five_tuple(&a);
	a.given &= ~NFV_GIVEN(NFV_A_FLOW_SPORT);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	five_tuple(&a);
	GIVE(&a, NFV_A_FLOW_DPORT_MAX);
	a.dport_max = 81;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	five_tuple(&a);
	GIVE(&a, NFV_A_FLOW_SPORT_MAX);
	a.sport_max = 1001;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	five_tuple(&a);
	GIVE(&a, NFV_A_FLOW_SRC_PLEN);
	a.src_plen = 31;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	five_tuple(&a);
	GIVE(&a, NFV_A_FLOW_DST_PLEN);
	a.dst_plen = 0;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	five_tuple(&a);
	set_src(&a, v6, 16);
	set_dst(&a, v6, 16);
	GIVE(&a, NFV_A_FLOW_DST_PLEN);
	a.dst_plen = 32;	/* full for v4, not for v6 */
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	five_tuple(&a);
	a.given &= ~NFV_GIVEN(NFV_A_FLOW_PROTO);
	a.given &= ~(NFV_GIVEN(NFV_A_FLOW_SPORT) | NFV_GIVEN(NFV_A_FLOW_DPORT));
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_FALSE(nfv_match_is_exact(&m));
	/* ICMP: exact without ports */
	five_tuple(&a);
	a.proto = IPPROTO_ICMP;
	a.given &= ~(NFV_GIVEN(NFV_A_FLOW_SPORT) | NFV_GIVEN(NFV_A_FLOW_DPORT));
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_TRUE(nfv_match_is_exact(&m));
	/* A match built by hand: no family, no exact rule. */
	memset(&m, 0, sizeof(m));
	m.proto = IPPROTO_ICMP;
	m.src_plen = m.dst_plen = 32;
	EXPECT_FALSE(nfv_match_is_exact(&m));
	m.family = AF_INET;
	EXPECT_TRUE(nfv_match_is_exact(&m));
	m.sport = m.sport_max = 5;	/* ICMP with ports: not exact */
	EXPECT_FALSE(nfv_match_is_exact(&m));
}

TEST(specificity)
{
	struct nfv_match m = {};

	EXPECT_EQ(0, nfv_match_specificity(&m));
	m.src_plen = 24;
	EXPECT_EQ(24, nfv_match_specificity(&m));
	m.dst_plen = 65;
	EXPECT_EQ(89, nfv_match_specificity(&m));
	m.proto = IPPROTO_UDP;
	EXPECT_EQ(97, nfv_match_specificity(&m));
	m.in_ifindex = 3;
	EXPECT_EQ(105, nfv_match_specificity(&m));
	m.sport_max = 1;
	EXPECT_EQ(121, nfv_match_specificity(&m));
	m.dport = 7;
	m.dport_max = 9;
	EXPECT_EQ(137, nfv_match_specificity(&m));
}

TEST(key)
{
	struct nfv_match_attrs a;
	struct nfv_flow_key k;
	struct nfv_match m;
	struct nfv_err e;

	addrs();
	five_tuple(&a);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	memset(&k, 0xff, sizeof(k));
	nfv_match_key(&m, 5, &k);
	EXPECT_EQ(0, memcmp(k.src, v4, 4));
	EXPECT_EQ(0, k.src[1] | k.src[2] | k.src[3]);
	EXPECT_EQ(0, memcmp(k.dst, v4b, 4));
	EXPECT_EQ(0, k.dst[1] | k.dst[2] | k.dst[3]);
	EXPECT_EQ(htons(1000), k.sport);	/* network order */
	EXPECT_EQ(htons(80), k.dport);
	EXPECT_EQ(5, k.in_port);
	EXPECT_EQ(IPPROTO_TCP, k.proto);
	EXPECT_EQ(AF_INET, k.family);
	/* v6 */
	five_tuple(&a);
	set_src(&a, v6, 16);
	set_dst(&a, v6, 16);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	nfv_match_key(&m, 0, &k);
	EXPECT_EQ(0, memcmp(k.src, v6, 16));
	EXPECT_EQ(0, memcmp(k.dst, v6, 16));
	EXPECT_EQ(AF_INET6, k.family);
	EXPECT_EQ(0, k.in_port);
}

TEST(rule_v4)
{
	struct nfv_match_attrs a = {};
	struct nfv_prefix_rule r;
	struct nfv_match m;
	struct nfv_err e;
	uint8_t want[4];

	addrs();
	set_proto(&a, IPPROTO_UDP);
	set_src(&a, v4, 4);
	GIVE(&a, NFV_A_FLOW_SRC_PLEN);
	a.src_plen = 20;		/* 198.18.1.77/20 -> 198.18.0.0 */
	set_sport(&a, 0, 100);
	GIVE(&a, NFV_A_FLOW_DPORT);
	GIVE(&a, NFV_A_FLOW_DPORT_MAX);
	a.dport = 1024;
	a.dport_max = 65535;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(0, memcmp(m.src, v4, 4));	/* the match keeps it */
	memset(&r, 0xff, sizeof(r));
	nfv_match_rule(&m, 3, 9, &r);
	EXPECT_EQ(htonl(0xfffff000), r.src_mask[0]);
	EXPECT_EQ(0, r.src_mask[1] | r.src_mask[2] | r.src_mask[3]);
	inet_pton(AF_INET, "198.18.0.0", want);
	EXPECT_EQ(0, memcmp(r.src, want, 4));
	EXPECT_EQ(0, r.src[1] | r.src[2] | r.src[3]);
	EXPECT_EQ(0, r.dst_mask[0] | r.dst[0]);	/* any destination */
	EXPECT_EQ(0, r.sport_lo);
	EXPECT_EQ(100, r.sport_hi);
	EXPECT_EQ(1024, r.dport_lo);
	EXPECT_EQ(65535, r.dport_hi);
	EXPECT_EQ(3, r.in_port);
	EXPECT_EQ(IPPROTO_UDP, r.proto);
	EXPECT_EQ(AF_INET, r.family);
	EXPECT_EQ(9, r.chain);
	EXPECT_EQ(0, r.nsh | r.si | r.spi);
}

TEST(rule_v6)
{
	struct nfv_match_attrs a = {};
	struct nfv_prefix_rule r;
	struct nfv_match m;
	struct nfv_err e;
	uint8_t want[16], mask[16];

	addrs();
	set_dst(&a, v6, 16);
	GIVE(&a, NFV_A_FLOW_DST_PLEN);
	a.dst_plen = 65;		/* 2001:db8:1:2:ff00::1/65 */
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	nfv_match_rule(&m, 0, 1, &r);
	inet_pton(AF_INET6, "ffff:ffff:ffff:ffff:8000::", mask);
	inet_pton(AF_INET6, "2001:db8:1:2:8000::", want);
	EXPECT_EQ(0, memcmp(r.dst_mask, mask, 16));
	EXPECT_EQ(0, memcmp(r.dst, want, 16));
	EXPECT_EQ(AF_INET6, r.family);
	/* Full length: the whole address, every mask bit. */
	a.dst_plen = 128;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	nfv_match_rule(&m, 0, 1, &r);
	memset(mask, 0xff, 16);
	EXPECT_EQ(0, memcmp(r.dst_mask, mask, 16));
	EXPECT_EQ(0, memcmp(r.dst, v6, 16));
	/* Odd lengths in every byte of the first word. */
	a.dst_plen = 9;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	nfv_match_rule(&m, 0, 1, &r);
	EXPECT_EQ(htonl(0xff800000), r.dst_mask[0]);
	EXPECT_EQ(0, r.dst_mask[1]);
}

/* Most specific first, insertion order among equals, 64 at most. */
TEST(rules_order)
{
	struct nfv_rules *rs = malloc(sizeof(*rs));
	struct nfv_match m[5] = {};
	int i;

	ASSERT_NE(NULL, rs);
	m[0].proto = IPPROTO_TCP;			/* 8 */
	m[1].src_plen = 24;				/* 24 */
	m[1].family = AF_INET;
	m[2].proto = IPPROTO_UDP;			/* 8, after m[0] */
	m[3].proto = IPPROTO_TCP;			/* 8 + 16 */
	m[3].sport_max = 100;
	m[4].in_ifindex = 2;				/* 8, after m[2] */
	nfv_rules_init(rs);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, nfv_rules_add(rs, &m[i], 0, 10 + i));
	ASSERT_EQ(5, rs->n);
	EXPECT_EQ(11, rs->rule[0].chain);
	EXPECT_EQ(13, rs->rule[1].chain);
	EXPECT_EQ(10, rs->rule[2].chain);
	EXPECT_EQ(12, rs->rule[3].chain);
	EXPECT_EQ(14, rs->rule[4].chain);
	EXPECT_EQ(0, rs->rule[5].chain);		/* the terminator */
	EXPECT_EQ(100, rs->rule[1].sport_hi);
	for (i = 5; i < NFV_PREFIX_RULES_MAX; i++)
		ASSERT_EQ(0, nfv_rules_add(rs, &m[0], 0, 1));
	EXPECT_EQ(-ENOSPC, nfv_rules_add(rs, &m[1], 0, 1));
	EXPECT_EQ(NFV_PREFIX_RULES_MAX, rs->n);
	EXPECT_EQ(11, rs->rule[0].chain);
	free(rs);
}

/* ---- limits of the flow tables ---- */

TEST(flow_admit)
{
	struct nfv_flow_room room = { .max_exact = 2 };
	struct nfv_match_attrs a;
	struct nfv_match exact, rule = { .proto = IPPROTO_TCP };
	struct nfv_err e;

	addrs();
	five_tuple(&a);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &exact, &e));
	EXPECT_REFUSED(nfv_flow_admit(&rule, 0, false, &room, &e), EINVAL,
		       "missing chain id", 0, NFV_A_FLOW_CHAIN);
	EXPECT_REFUSED(nfv_flow_admit(&rule, 1, true, &room, &e), EEXIST,
		       "a flow with this match exists", 0, 0);
	EXPECT_EQ(0, nfv_flow_admit(&exact, 1, false, &room, &e));
	EXPECT_EQ(0, nfv_flow_admit(&rule, 1, false, &room, &e));
	room.n_exact = 2;
	EXPECT_REFUSED(nfv_flow_admit(&exact, 1, false, &room, &e), ENOSPC,
		       "flow table full", 0, 0);
	EXPECT_EQ(0, nfv_flow_admit(&rule, 1, false, &room, &e));
	room.n_exact = 1;
	room.n_rules = NFV_PREFIX_RULES_MAX - 1;
	EXPECT_EQ(0, nfv_flow_admit(&rule, 1, false, &room, &e));
	room.n_rules = NFV_PREFIX_RULES_MAX;
	EXPECT_REFUSED(nfv_flow_admit(&rule, 1, false, &room, &e), ENOSPC,
		       "too many prefix rules (max 64)", 0, 0);
	EXPECT_EQ(0, nfv_flow_admit(&exact, 1, false, &room, &e));
	EXPECT_EQ(0, nfv_flow_del_check(true, &e));
	EXPECT_REFUSED(nfv_flow_del_check(false, &e), ENOENT,
		       "no such flow", 0, 0);
}

/* ---- hops and chains ---- */

TEST(hop)
{
	struct nfv_hop_attrs a = {};
	struct nfv_hop h;
	struct nfv_err e;

	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), EINVAL,
		       "hop without a type", 0, NFV_A_HOP_TYPE);
	GIVE(&a, NFV_A_HOP_TYPE);
	a.type = NFV_HOP_NONE;
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), EINVAL,
		       "unknown hop type", NFV_A_HOP_TYPE, 0);
	a.type = __NFV_HOP_TYPE_MAX;
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), EINVAL,
		       "unknown hop type", NFV_A_HOP_TYPE, 0);
	a.type = NFV_HOP_SERVICE;
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), EINVAL,
		       "service hop without a service id", 0,
		       NFV_A_HOP_SERVICE);
	a.type = NFV_HOP_TAP;
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), EINVAL,
		       "service hop without a service id", 0,
		       NFV_A_HOP_SERVICE);
	GIVE(&a, NFV_A_HOP_SERVICE);
	a.service = 12;
	ASSERT_EQ(0, nfv_hop_from_attrs(&a, &h, &e));
	EXPECT_EQ(NFV_HOP_TAP, h.type);
	EXPECT_EQ(12, h.arg);
	a.type = NFV_HOP_SERVICE;
	ASSERT_EQ(0, nfv_hop_from_attrs(&a, &h, &e));
	EXPECT_EQ(NFV_HOP_SERVICE, h.type);
	EXPECT_EQ(12, h.arg);

	memset(&a, 0, sizeof(a));
	GIVE(&a, NFV_A_HOP_TYPE);
	a.type = NFV_HOP_OUT;
	a.port = 3;		/* found, but no device was named */
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), EINVAL,
		       "out hop without a device", 0, NFV_A_HOP_IFINDEX);
	GIVE(&a, NFV_A_HOP_IFINDEX);
	a.port = 0;
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), ENODEV,
		       "out hop: device is not a fabric port", 0, 0);
	a.port = 3;
	ASSERT_EQ(0, nfv_hop_from_attrs(&a, &h, &e));
	EXPECT_EQ(NFV_HOP_OUT, h.type);
	EXPECT_EQ(3, h.arg);
	a.given = NFV_GIVEN(NFV_A_HOP_TYPE) | NFV_GIVEN(NFV_A_HOP_PORT);
	ASSERT_EQ(0, nfv_hop_from_attrs(&a, &h, &e));
	EXPECT_EQ(3, h.arg);

	memset(&a, 0, sizeof(a));
	GIVE(&a, NFV_A_HOP_TYPE);
	a.type = NFV_HOP_DROP;
	a.service = 9;		/* not given: ignored */
	ASSERT_EQ(0, nfv_hop_from_attrs(&a, &h, &e));
	EXPECT_EQ(NFV_HOP_DROP, h.type);
	EXPECT_EQ(0, h.arg);
}

/* Every bucket names a live replica, each about its share. */
static int buckets_ok(const struct nfv_service *s)
{
	int count[NFV_REPLICA_MAX] = { 0 }, i, r;

	for (i = 0; i < NFV_BUCKETS; i++) {
		for (r = 0; r < s->n_live; r++)
			if (s->buckets[i] == s->replicas[r])
				break;
		if (r == s->n_live)
			return 0;
		count[r]++;
	}
	for (r = 0; r < s->n_live; r++)
		if (count[r] > (NFV_BUCKETS + s->n_live - 1) / s->n_live)
			return 0;
	return 1;
}

TEST(replicas)
{
	struct nfv_service s = {};
	__u16 kept[NFV_BUCKETS];
	int i, moved = 0;

	ASSERT_EQ(0, nfv_replica_add(&s, 7));
	ASSERT_EQ(1, s.n_live);
	ASSERT_TRUE(buckets_ok(&s));
	ASSERT_EQ(1, nfv_replica_add(&s, 7));	/* back after a restart */
	ASSERT_EQ(1, s.n_live);
	ASSERT_EQ(0, nfv_replica_add(&s, 9));
	ASSERT_EQ(0, nfv_replica_add(&s, 11));
	ASSERT_TRUE(buckets_ok(&s));
	memcpy(kept, s.buckets, sizeof(kept));
	ASSERT_EQ(1, nfv_replica_del(&s, 42));	/* not a replica */
	ASSERT_EQ(3, s.n_live);
	ASSERT_EQ(0, nfv_replica_del(&s, 9));
	ASSERT_EQ(2, s.n_live);
	ASSERT_EQ(0, s.replicas[2]);
	ASSERT_TRUE(buckets_ok(&s));
	/* Only the flows of the replica that left move. */
	for (i = 0; i < NFV_BUCKETS; i++)
		if (kept[i] != 9 && s.buckets[i] != kept[i])
			moved++;
	ASSERT_EQ(0, moved);
	while (s.n_live < NFV_REPLICA_MAX)
		ASSERT_EQ(0, nfv_replica_add(&s, 100 + s.n_live));
	ASSERT_EQ(-ENOSPC, nfv_replica_add(&s, 99));
	while (s.n_live)
		ASSERT_EQ(0, nfv_replica_del(&s, s.replicas[0]));
	for (i = 0; i < NFV_BUCKETS; i++)
		ASSERT_EQ(0, s.buckets[i]);
}

TEST(chain_flags)
{
	struct nfv_err e;

	EXPECT_EQ(0, nfv_chain_flags_check(0, &e));
	EXPECT_EQ(0, nfv_chain_flags_check(NFV_CHAIN_F_NO_OVERRIDE, &e));
	EXPECT_REFUSED(nfv_chain_flags_check(__NFV_CHAIN_F_ALL + 1, &e),
		       EOPNOTSUPP, "unknown chain flags",
		       NFV_A_CHAIN_FLAGS, 0);
	EXPECT_REFUSED(nfv_chain_flags_check(1U << 31, &e), EOPNOTSUPP,
		       "unknown chain flags", NFV_A_CHAIN_FLAGS, 0);
}

TEST(chain_limits)
{
	struct nfv_chain c = {};
	struct nfv_err e;
	int i;

	for (i = 0; i < NFV_HOPS_MAX; i++)
		EXPECT_EQ(0, nfv_chain_hop_room(i, &e));
	EXPECT_REFUSED(nfv_chain_hop_room(NFV_HOPS_MAX, &e), E2BIG,
		       "too many hops (max 8)", 0, 0);

	EXPECT_REFUSED(nfv_chain_admit(&c, false, false, &e), EINVAL,
		       "chain without hops", 0, NFV_A_CHAIN_HOP);
	c.n_hops = NFV_HOPS_MAX + 1;
	EXPECT_REFUSED(nfv_chain_admit(&c, false, false, &e), E2BIG,
		       "too many hops (max 8)", 0, 0);
	c.n_hops = 2;
	c.hops[0].type = NFV_HOP_TAP;
	c.hops[1].type = NFV_HOP_DROP;
	EXPECT_REFUSED(nfv_chain_admit(&c, false, false, &e), EINVAL,
		       "a chain cannot start with a tap", 0, 0);
	c.hops[0].type = NFV_HOP_SERVICE;
	c.hops[1].type = NFV_HOP_TAP;	/* a tap later is fine */
	EXPECT_EQ(0, nfv_chain_admit(&c, false, false, &e));
	c.n_hops = NFV_HOPS_MAX;
	EXPECT_EQ(0, nfv_chain_admit(&c, false, false, &e));
	EXPECT_REFUSED(nfv_chain_admit(&c, true, false, &e), EEXIST,
		       "chain already exists", NFV_A_CHAIN_ID, 0);
	EXPECT_EQ(0, nfv_chain_admit(&c, true, true, &e));
	EXPECT_EQ(0, nfv_chain_admit(&c, false, true, &e));
	EXPECT_EQ(0, nfv_chain_del_check(true, &e));
	EXPECT_REFUSED(nfv_chain_del_check(false, &e), ENOENT,
		       "no such chain", NFV_A_CHAIN_ID, 0);
}

/* ---- NSH (RFC 8300): paths in rules, nsh hops ---- */

TEST(match_nsh)
{
	struct nfv_match_attrs a = {};
	struct nfv_match m;
	struct nfv_err e;

	GIVE(&a, NFV_A_FLOW_SI);
	a.si = 3;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "si without an spi", NFV_A_FLOW_SI, NFV_A_FLOW_SPI);
	GIVE(&a, NFV_A_FLOW_SPI);
	a.spi = NFV_SPI_MAX + 1;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), ERANGE,
		       "spi is 24 bits", NFV_A_FLOW_SPI, 0);
	a.spi = 100;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), EINVAL,
		       "spi needs an in port (a decap nsh port)", 0,
		       NFV_A_FLOW_IN_IFINDEX);
	GIVE(&a, NFV_A_FLOW_IN_IFINDEX);
	a.in_is_port = true;
	a.in_ifindex = 7;
	a.si = 0;
	EXPECT_REFUSED(nfv_match_from_attrs(&a, &m, &e), ERANGE,
		       "si is 1..255", NFV_A_FLOW_SI, 0);
	a.si = 254;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(NFV_RULE_NSH_SPI | NFV_RULE_NSH_SI, m.nsh);
	EXPECT_EQ(100u, m.spi);
	EXPECT_EQ(254, m.si);
	EXPECT_FALSE(nfv_match_is_exact(&m));
	a.given &= ~NFV_GIVEN(NFV_A_FLOW_SI);
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	EXPECT_EQ(NFV_RULE_NSH_SPI, m.nsh);
	EXPECT_EQ(0, m.si);
}

TEST(rule_match_nsh)
{
	struct nfv_match_attrs a = {};
	struct nfv_prefix_rule r;
	struct nfv_tuple t = {};
	struct nfv_match m;
	struct nfv_err e;
	__u16 spec;

	GIVE(&a, NFV_A_FLOW_IN_IFINDEX);
	GIVE(&a, NFV_A_FLOW_SPI);
	a.in_is_port = true;
	a.spi = 100;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	nfv_match_rule(&m, 2, 9, &r);
	/* Only frames that came in NSH, on that path, any SI. */
	EXPECT_EQ(0, nfv_rule_match(&r, &t, 2));
	t.nsh = 1;
	t.nsh_path = 100 << 8 | 7;
	EXPECT_EQ(1, nfv_rule_match(&r, &t, 2));
	EXPECT_EQ(0, nfv_rule_match(&r, &t, 3));
	t.nsh_path = 101 << 8 | 7;
	EXPECT_EQ(0, nfv_rule_match(&r, &t, 2));
	/* With an SI, only that SI; it ranks before the path's others. */
	spec = nfv_match_specificity(&m);
	GIVE(&a, NFV_A_FLOW_SI);
	a.si = 7;
	ASSERT_EQ(0, nfv_match_from_attrs(&a, &m, &e));
	nfv_match_rule(&m, 2, 9, &r);
	EXPECT_GT(nfv_match_specificity(&m), spec);
	t.nsh_path = 100 << 8 | 7;
	EXPECT_EQ(1, nfv_rule_match(&r, &t, 2));
	t.nsh_path = 100 << 8 | 6;
	EXPECT_EQ(0, nfv_rule_match(&r, &t, 2));
	/* A rule without an SPI never takes what came in NSH. */
	memset(&r, 0, sizeof(r));
	r.chain = 9;
	EXPECT_EQ(0, nfv_rule_match(&r, &t, 2));
	t.nsh = 0;
	EXPECT_EQ(1, nfv_rule_match(&r, &t, 2));
}

TEST(hop_nsh)
{
	struct nfv_hop_attrs a = {};
	struct nfv_chain c = {};
	struct nfv_hop h;
	struct nfv_err e;

	GIVE(&a, NFV_A_HOP_TYPE);
	GIVE(&a, NFV_A_HOP_IFINDEX);
	a.type = NFV_HOP_NSH;
	a.port = 4;
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), EINVAL,
		       "nsh hop without an spi", 0, NFV_A_HOP_SPI);
	GIVE(&a, NFV_A_HOP_SPI);
	a.spi = NFV_SPI_MAX + 1;
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), ERANGE,
		       "spi is 24 bits", NFV_A_HOP_SPI, 0);
	a.spi = NFV_SPI_MAX;
	a.port = 0;
	EXPECT_REFUSED(nfv_hop_from_attrs(&a, &h, &e), ENODEV,
		       "out hop: device is not a fabric port", 0, 0);
	a.port = 4;
	ASSERT_EQ(0, nfv_hop_from_attrs(&a, &h, &e));
	EXPECT_EQ(NFV_HOP_NSH, h.type);
	EXPECT_EQ(4, h.arg);

	/* Last, never first. */
	c.n_hops = 1;
	c.hops[0] = h;
	EXPECT_REFUSED(nfv_chain_admit(&c, false, false, &e), EINVAL,
		       "a chain cannot start with an nsh hop", 0, 0);
	c.n_hops = 3;
	c.hops[0].type = NFV_HOP_SERVICE;
	c.hops[1] = h;
	c.hops[2].type = NFV_HOP_DROP;
	EXPECT_REFUSED(nfv_chain_admit(&c, false, false, &e), EINVAL,
		       "an nsh hop ends its chain", 0, 0);
	c.n_hops = 2;
	EXPECT_EQ(0, nfv_chain_admit(&c, false, false, &e));
}

/*
 * An NF before an nsh hop transmits on that hop's port: nfvd gives it a
 * tx socket there even where the chains deny overrides.
 */
TEST(reach_nsh)
{
	struct nfv_chain chains[NFV_CHAIN_MAX + 1] = {};
	struct nfv_chain *c = &chains[1];
	struct nfv_reach r;

	c->n_hops = 2;
	c->flags = NFV_CHAIN_F_NO_OVERRIDE;
	c->hops[0].type = NFV_HOP_SERVICE;
	c->hops[0].arg = 7;
	c->hops[1].type = NFV_HOP_NSH;
	c->hops[1].arg = 3;
	nfv_reach_of(chains, 7, &r);
	EXPECT_FALSE(r.any);
	EXPECT_TRUE(nfv_reach_has_port(&r, 3));
	EXPECT_FALSE(nfv_reach_has_port(&r, 4));
	nfv_reach_of(chains, 8, &r);
	EXPECT_FALSE(nfv_reach_has_port(&r, 3));
	c->hops[1].type = NFV_HOP_OUT;
	nfv_reach_of(chains, 7, &r);
	EXPECT_TRUE(nfv_reach_has_port(&r, 3));
}

TEST(nsh_next)
{
	struct nfv_nsh_hdr h;
	__u8 ttl = 0, si = 0;

	/* A frame that did not come in NSH starts the path. */
	ASSERT_EQ(0, nfv_nsh_next(0, 0, 0, 1, &ttl, &si));
	EXPECT_EQ(63, ttl);
	EXPECT_EQ(254, si);
	/* NSH without DECAP, or DECAP without NSH: not from NSH. */
	ASSERT_EQ(0, nfv_nsh_next(NFV_META_F_NSH, 5 << 8 | 9, 2, 1, &ttl, &si));
	EXPECT_EQ(254, si);
	/* One that came in NSH goes on from where it was. */
	ASSERT_EQ(0, nfv_nsh_next(NFV_META_F_DECAP | NFV_META_F_NSH,
				  5 << 8 | 9, 40, 3, &ttl, &si));
	EXPECT_EQ(39, ttl);
	EXPECT_EQ(6, si);
	/* TTL or SI spent: refused; any metadata stays in range. */
	EXPECT_EQ(-1, nfv_nsh_next(NFV_META_F_DECAP | NFV_META_F_NSH,
				   5 << 8 | 9, 1, 1, &ttl, &si));
	EXPECT_EQ(-1, nfv_nsh_next(NFV_META_F_DECAP | NFV_META_F_NSH,
				   5 << 8 | 3, 40, 3, &ttl, &si));
	ASSERT_EQ(0, nfv_nsh_next(NFV_META_F_DECAP | NFV_META_F_NSH,
				  0xffffffff, 0xff, 0, &ttl, &si));
	EXPECT_EQ(62, ttl);
	EXPECT_EQ(255, si);
	EXPECT_EQ(-1, nfv_nsh_next(0, 0, 0, 255, &ttl, &si));

	/* What nfv_nsh_write() writes, nfv_nsh_valid() takes back. */
	nfv_nsh_write(&h, 63, 0x123456, 200);
	EXPECT_EQ(1, nfv_nsh_valid(&h));
	EXPECT_EQ(0, nfv_nsh_ver(&h));
	EXPECT_EQ(63, nfv_nsh_ttl(&h));
	EXPECT_EQ(2, nfv_nsh_words(&h));
	EXPECT_EQ(0x123456u << 8 | 200, nfv_nsh_path(&h));
	EXPECT_EQ(0x12, ((__u8 *)&h)[4]);	/* network order */
	EXPECT_EQ(200, ((__u8 *)&h)[7]);
	nfv_nsh_write(&h, 63, 0x123456, 0);
	EXPECT_EQ(0, nfv_nsh_valid(&h));	/* SI 0 */
	nfv_nsh_write(&h, 0, 0x123456, 1);
	EXPECT_EQ(0, nfv_nsh_valid(&h));	/* TTL 0 */
}

TEST_HARNESS_MAIN
