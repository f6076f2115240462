// SPDX-License-Identifier: GPL-2.0
/*
 * libnfv's checksums (libnfv/pkt.c, nfv/pkt.h) against an independent
 * oracle (tf_sum() in nf_frames.h: RFC 1071 byte by byte): every length
 * and alignment of nfv_csum_partial(), the full TCP/UDP checksum that
 * completes CHECKSUM_PARTIAL frames (nfv_l4_csum()) for every payload
 * length, the IPv4 header checksum with options, and the incremental
 * updates of address and port rewrites (NAT, LB).
 *
 * The NF tests build their frames with nfv_l4_csum() and check them with
 * the oracle; these go through the lengths they do not: a sum that drops
 * the last byte of a tail of 2, 4 or 6 bytes passes a frame whose L4
 * length is a multiple of 8.
 */
#include <stdlib.h>
#include <linux/ipv6.h>

#include "nf_frames.h"
#include "kselftest_harness.h"

static uint32_t rnd_state = 0x6e6676;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* nfv_csum_partial() sums words as they sit in memory: compare folded. */
static uint16_t nfv_folded(const void *buf, uint32_t len, uint32_t sum)
{
	return ntohs(nfv_csum_fold(nfv_csum_partial(buf, len, sum)));
}

TEST(partial_every_length_and_alignment)
{
	uint8_t buf[256 + 8];
	uint32_t off, len, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd() | 1;	/* no zero byte to lose unseen */
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 256; len++)
			ASSERT_EQ(tf_fold(tf_sum(buf + off, len, 0)),
				  nfv_folded(buf + off, len, 0))
				TH_LOG("offset %u length %u", off, len);
}

TEST(partial_all_ones_and_carries)
{
	uint8_t buf[4096];
	uint32_t len;

	/* The worst case for carries: every word 0xffff, long buffers. */
	memset(buf, 0xff, sizeof(buf));
	for (len = 1; len <= sizeof(buf); len = len * 3 + 1)
		ASSERT_EQ(tf_fold(tf_sum(buf, len, 0)), nfv_folded(buf, len, 0))
			TH_LOG("length %u", len);
}

TEST(partial_chained)
{
	uint8_t buf[200];
	uint32_t a, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	/* A sum carried from an even-length first part goes on unchanged. */
	for (a = 0; a <= 100; a += 2)
		ASSERT_EQ(tf_fold(tf_sum(buf, sizeof(buf), 0)),
			  nfv_folded(buf + a, sizeof(buf) - a,
				     nfv_csum_partial(buf, a, 0)))
			TH_LOG("split at %u", a);
}

TEST(ipv4_header_with_options)
{
	uint8_t hdr[60];
	struct iphdr *ip = (struct iphdr *)hdr;
	uint32_t ihl, i;

	for (ihl = 5; ihl <= 15; ihl++) {
		for (i = 0; i < sizeof(hdr); i++)
			hdr[i] = (uint8_t)rnd();
		ip->version = 4;
		ip->ihl = ihl;
		nfv_ipv4_csum(ip);
		ASSERT_EQ(0xffff, tf_fold(tf_sum(ip, ihl * 4, 0)))
			TH_LOG("ihl %u", ihl);
	}
}

/* nfv_l4_csum() over every payload length, TCP and UDP, both families. */
TEST(l4_every_payload_length)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct tframe f;
	struct nfv_pkt *pkt;
	uint32_t pl, k;

	for (k = 0; k < 2; k++) {
		for (pl = 0; pl <= 300; pl++) {
			pkt = tf_ipv4(&f, protos[k], "198.18.0.1", 1000 + pl,
				      "198.18.0.2", 53, pl);
			ASSERT_TRUE(tf_csum_ok(pkt))
				TH_LOG("IPv4 proto %u payload %u", protos[k], pl);
			pkt = tf_ipv6(&f, protos[k], "fd00:198:18::1", 1000 + pl,
				      "fd00:198:18::2", 53, pl);
			ASSERT_TRUE(tf_csum6_ok(pkt))
				TH_LOG("IPv6 proto %u payload %u", protos[k], pl);
		}
	}
}

/* What a veth sender leaves (CHECKSUM_PARTIAL), completed from scratch. */
TEST(l4_completes_a_partial_checksum)
{
	struct tframe f;
	struct nfv_pkt *pkt;
	struct udphdr *uh;
	uint32_t pl, sum;

	for (pl = 1; pl <= 64; pl++) {
		pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.1", 4000,
			      "198.18.0.2", 4001, pl);
		uh = (struct udphdr *)(pkt->data + 34);
		sum = tf_sum(pkt->data + 26, 8, 0) + IPPROTO_UDP + 8 + pl;
		uh->check = htons(tf_fold(sum));	/* not inverted */
		ASSERT_FALSE(tf_csum_ok(pkt));
		ASSERT_EQ(0, nfv_l4_csum(pkt));
		ASSERT_TRUE(tf_csum_ok(pkt)) TH_LOG("payload %u", pl);
		ASSERT_NE(0, uh->check);
	}
}

/*
 * A UDP checksum that computes to 0 goes out as 0xffff: 0 means "no
 * checksum" (RFC 768), and the receiver would not check it.  The first
 * payload word is chosen so that the sum comes out so.
 */
TEST(l4_udp_zero_sent_as_ffff)
{
	struct tframe f;
	struct nfv_pkt *pkt;
	struct udphdr *uh;
	uint8_t *pl;
	uint32_t v, sum;
	int found = 0;

	for (v = 0; v <= 0xffff; v++) {
		pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.1", 4000,
			      "198.18.0.2", 4001, 6);
		uh = (struct udphdr *)(pkt->data + 34);
		pl = (uint8_t *)(uh + 1);
		pl[0] = (uint8_t)(v >> 8);
		pl[1] = (uint8_t)v;
		uh->check = 0;
		sum = tf_sum(pkt->data + 26, 8, 0) + IPPROTO_UDP + 14;
		if (tf_fold(tf_sum(uh, 14, sum)) != 0xffff)
			continue;
		found++;
		ASSERT_EQ(0, nfv_l4_csum(pkt));
		EXPECT_EQ(0xffff, uh->check) TH_LOG("payload word %#x", v);
		EXPECT_TRUE(tf_csum_ok(pkt));
	}
	ASSERT_NE(0, found);
}

/* Incremental updates (RFC 1624) against a recomputation. */
TEST(rewrites_keep_checksums_valid)
{
	struct tframe f;
	struct nfv_pkt *pkt;
	struct iphdr *ip;
	uint16_t *sport;
	uint32_t i;

	for (i = 0; i < 4000; i++) {
		uint8_t proto = i & 1 ? IPPROTO_TCP : IPPROTO_UDP;

		pkt = tf_ipv4(&f, proto, "198.18.0.1", (uint16_t)rnd(),
			      "198.18.0.2", (uint16_t)rnd(), i % 97);
		ip = (struct iphdr *)(pkt->data + 14);
		sport = (uint16_t *)(pkt->data + 34);
		nfv_ipv4_set_addr(pkt, i & 2 ? &ip->saddr : &ip->daddr, rnd());
		nfv_l4_set_port(pkt, sport + (i >> 2 & 1), (uint16_t)rnd());
		ASSERT_TRUE(tf_csum_ok(pkt)) TH_LOG("rewrite %u", i);
		if (proto == IPPROTO_UDP)
			ASSERT_NE(0, *(uint16_t *)(pkt->data + 40));
	}
}

TEST_HARNESS_MAIN
