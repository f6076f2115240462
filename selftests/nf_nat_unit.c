// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-nat without traffic: port allocation (preservation, next-fit,
 * exhaustion), connection lookup and filtering, timeouts per protocol
 * and TCP state, and translation of UDP, TCP, ICMP echo and ICMP errors
 * with every checksum recomputed from scratch.  IPv6: prefix translation
 * (RFC 6296) checked against the RFC's example, reversible and
 * checksum-neutral for every prefix length, on UDP, TCP, ICMPv6 echo and
 * errors; the pass/drop policy for the rest, counted.
 */
#include "../nfs/nat/portalloc.c"
#include "../nfs/nat/ct.c"
#include "../nfs/nat/nptv6.c"
#include "../nfs/nat/nat.c"

#include "kselftest_harness.h"
#include "nf_frames.h"

#define SEC 1000000000ull

TEST(portalloc_preserves_then_next_fit)
{
	struct portalloc pa;
	int i;

	ASSERT_EQ(0, pa_init(&pa, 1024, 1031));	/* 8 ports */
	EXPECT_EQ(1030, pa_get(&pa, 1030));	/* the original port */
	EXPECT_EQ(1024, pa_get(&pa, 1030));	/* taken: next fit */
	EXPECT_EQ(1025, pa_get(&pa, 80));	/* out of range: next fit */
	pa_put(&pa, 1024);
	/* Next fit: a port just freed is reused last. */
	EXPECT_EQ(1026, pa_get(&pa, 0));
	for (i = 0; i < 5; i++)
		EXPECT_NE(-ENOSPC, pa_get(&pa, 0));
	EXPECT_EQ(8, pa.used);
	EXPECT_EQ(-ENOSPC, pa_get(&pa, 1030));
	pa_put(&pa, 1027);
	EXPECT_EQ(1027, pa_get(&pa, 0));
	pa_put(&pa, 999);			/* not ours: ignored */
	EXPECT_EQ(8, pa.used);
	pa_free(&pa);
}

TEST(portalloc_full_range)
{
	struct portalloc pa;
	uint32_t n = 0;
	int p, last = 0;

	ASSERT_EQ(0, pa_init(&pa, 1, 65535));
	while ((p = pa_get(&pa, 0)) > 0) {
		ASSERT_GT(p, last);		/* every port once, in order */
		last = p;
		n++;
	}
	EXPECT_EQ(65535, n);
	pa_put(&pa, 40000);
	EXPECT_EQ(40000, pa_get(&pa, 0));
	pa_free(&pa);
}

static const struct ct_timeouts tos = {
	.udp = 30 * SEC, .tcp = 7440 * SEC, .tcp_trans = 240 * SEC,
	.tcp_rst = 10 * SEC, .icmp = 30 * SEC,
};

TEST(ct_filtering_and_timeouts)
{
	uint32_t in = tf_ip("198.18.0.1"), rem = tf_ip("198.18.0.2");
	struct ct_conn *c, *d;
	struct ct ct;
	uint64_t t = 1000 * SEC;

	ASSERT_EQ(0, ct_init(&ct, 16, 2000, 2999, &tos));
	c = ct_out(&ct, CT_UDP, in, htons(5000), rem, htons(53), t);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(2000, ntohs(c->ext_port));	/* 5000 out of range */
	EXPECT_EQ(c, ct_out(&ct, CT_UDP, in, htons(5000), rem, htons(53), t));
	/* Another remote: another connection, another port. */
	d = ct_out(&ct, CT_UDP, in, htons(5000), rem, htons(54), t);
	ASSERT_NE(NULL, d);
	EXPECT_NE(c->ext_port, d->ext_port);
	EXPECT_EQ(c, ct_in(&ct, CT_UDP, c->ext_port, rem, htons(53), t));
	/* Endpoint-dependent filtering. */
	EXPECT_EQ(NULL, ct_in(&ct, CT_UDP, c->ext_port, rem, htons(55), t));
	EXPECT_EQ(NULL, ct_in(&ct, CT_UDP, c->ext_port, tf_ip("198.18.0.9"),
			      htons(53), t));
	EXPECT_EQ(NULL, ct_in(&ct, CT_TCP, c->ext_port, rem, htons(53), t));
	/* Idle for the UDP timeout: gone, its port free again. */
	d->last = t + 20 * SEC;
	EXPECT_EQ(1, ct_sweep(&ct, t + 31 * SEC));
	EXPECT_EQ(NULL, ct_in(&ct, CT_UDP, c->ext_port, rem, htons(53), t + 31 * SEC));
	EXPECT_EQ(1, ct.n);
	EXPECT_EQ(1, ct.pa[CT_UDP].used);
	EXPECT_EQ(1, ct.st.expired);
	ct_free(&ct);
}

TEST(ct_tcp_states)
{
	uint32_t in = tf_ip("198.18.0.1"), rem = tf_ip("198.18.0.2");
	struct ct_conn *c;
	struct ct ct;
	uint64_t t = 1000 * SEC;

	ASSERT_EQ(0, ct_init(&ct, 16, 2000, 2999, &tos));
	c = ct_out(&ct, CT_TCP, in, htons(40000), rem, htons(80), t);
	ASSERT_NE(NULL, c);
	ct_tcp_update(c, 0x02, true);			/* SYN */
	EXPECT_EQ(CT_TCP_NEW, c->state);
	EXPECT_TRUE(ct_expired(&ct, c, t + 241 * SEC));	/* transitory */
	ct_tcp_update(c, 0x12, false);			/* SYN-ACK */
	EXPECT_EQ(CT_TCP_EST, c->state);
	EXPECT_FALSE(ct_expired(&ct, c, t + 7000 * SEC));
	EXPECT_TRUE(ct_expired(&ct, c, t + 7441 * SEC));
	ct_tcp_update(c, 0x11, true);			/* FIN-ACK */
	EXPECT_EQ(CT_TCP_CLOSING, c->state);
	EXPECT_TRUE(ct_expired(&ct, c, t + 241 * SEC));
	ct_tcp_update(c, 0x04, false);			/* RST */
	EXPECT_EQ(CT_TCP_RESET, c->state);
	EXPECT_FALSE(ct_expired(&ct, c, t + 9 * SEC));
	EXPECT_TRUE(ct_expired(&ct, c, t + 11 * SEC));
	ct_free(&ct);
}

TEST(ct_table_full_and_ports_exhausted)
{
	uint32_t in = tf_ip("198.18.0.1"), rem = tf_ip("198.18.0.2");
	struct ct_conn *c;
	struct ct ct;
	int i;

	ASSERT_EQ(0, ct_init(&ct, 4, 3000, 3001, &tos));
	EXPECT_NE(NULL, ct_out(&ct, CT_UDP, in, htons(1), rem, htons(9), 0));
	EXPECT_NE(NULL, ct_out(&ct, CT_UDP, in, htons(2), rem, htons(9), 0));
	EXPECT_EQ(NULL, ct_out(&ct, CT_UDP, in, htons(3), rem, htons(9), 0));
	EXPECT_EQ(1, ct.st.no_port);
	/* Ports are per protocol. */
	EXPECT_NE(NULL, ct_out(&ct, CT_TCP, in, htons(3), rem, htons(9), 0));
	EXPECT_NE(NULL, ct_out(&ct, CT_TCP, in, htons(4), rem, htons(9), 0));
	EXPECT_EQ(NULL, ct_out(&ct, CT_ICMP, in, htons(5), rem, 0, 0));
	EXPECT_EQ(1, ct.st.full);
	for (i = 0, c = NULL; (c = nfv_ftable_next(ct.conns, c)); i++)
		;
	EXPECT_EQ(4, i);
	EXPECT_EQ(4, ct.n);
	ct_free(&ct);
}

static struct nat *new_nat(uint16_t lo, uint16_t hi)
{
	static struct nat nat;

	ct_free(&nat.ct);
	memset(&nat, 0, sizeof(nat));
	nat.external = tf_ip("198.18.1.1");
	nat.inside_port = 2;
	nat.now = 1000 * SEC;
	if (ct_init(&nat.ct, 1024, lo, hi, &tos))
		return NULL;
	return &nat;
}

TEST(udp_and_tcp_both_ways)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	struct nat *nat = new_nat(1024, 65535);
	struct nfv_pkt *pkt;
	struct tframe f;
	unsigned int p;
	uint16_t ext2;

	ASSERT_NE(NULL, nat);
	for (p = 0; p < 2; p++) {
		uint16_t ext;

		pkt = tf_ipv4(&f, protos[p], "198.18.0.1", 5555, "198.18.0.2",
			      9000, 100);
		pkt->meta->in_port = 2;
		ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
		EXPECT_EQ(tf_ip("198.18.1.1"), tf_ip4(pkt)->saddr);
		EXPECT_EQ(tf_ip("198.18.0.2"), tf_ip4(pkt)->daddr);
		ext = tf_sport(pkt);
		EXPECT_EQ(5555, ext);			/* port preserved */
		EXPECT_EQ(9000, tf_dport(pkt));
		EXPECT_TRUE(tf_csum_ok(pkt));
		/* The reply, from the outside port. */
		pkt = tf_ipv4(&f, protos[p], "198.18.0.2", 9000, "198.18.1.1",
			      ext, 60);
		pkt->meta->in_port = 1;
		ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
		EXPECT_EQ(tf_ip("198.18.0.1"), tf_ip4(pkt)->daddr);
		EXPECT_EQ(5555, tf_dport(pkt));
		EXPECT_TRUE(tf_csum_ok(pkt));
		/* Unsolicited: another remote port. */
		pkt = tf_ipv4(&f, protos[p], "198.18.0.2", 9001, "198.18.1.1",
			      ext, 60);
		pkt->meta->in_port = 1;
		EXPECT_EQ(NFV_DROP, nat_handle(pkt, nat));
	}
	/* A second inside host with the same source port: another port. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.3", 5555, "198.18.0.2", 9000, 10);
	ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	ext2 = tf_sport(pkt);
	EXPECT_NE(5555, ext2);
	/* Its reply goes to its own port: the inside one, not the outside. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.2", 9000, "198.18.1.1", ext2, 10);
	pkt->meta->in_port = 1;
	ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	EXPECT_EQ(tf_ip("198.18.0.3"), tf_ip4(pkt)->daddr);
	EXPECT_EQ(5555, tf_dport(pkt));
	EXPECT_TRUE(tf_csum_ok(pkt));
	EXPECT_EQ(3, nat->st.in);
	EXPECT_EQ(3, nat->st.out);
	EXPECT_EQ(2, nat->st.in_no_conn);
	/* Not to the external address, or not IPv4: untouched. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.2", 9000, "198.18.0.50", 1, 10);
	pkt->meta->in_port = 1;
	EXPECT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	EXPECT_EQ(tf_ip("198.18.0.50"), tf_ip4(pkt)->daddr);
	EXPECT_EQ(1, nat->st.passed);
}

TEST(icmp_echo_by_id)
{
	struct nat *nat = new_nat(1024, 1100);
	struct nfv_pkt *pkt;
	struct icmphdr *ih;
	struct tframe f;
	uint16_t id;

	ASSERT_NE(NULL, nat);
	/* Echo request id 77 (below the range: gets a port-range id). */
	pkt = tf_ipv4(&f, IPPROTO_ICMP, "198.18.0.1", 77, "198.18.0.2", 1, 56);
	ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	ih = (struct icmphdr *)(pkt->data + 34);
	id = ntohs(ih->un.echo.id);
	EXPECT_GE(id, 1024);
	EXPECT_EQ(tf_ip("198.18.1.1"), tf_ip4(pkt)->saddr);
	EXPECT_TRUE(tf_csum_ok(pkt));
	/* The reply comes back with that id. */
	pkt = tf_ipv4(&f, IPPROTO_ICMP, "198.18.0.2", id, "198.18.1.1", 1, 56);
	ih = (struct icmphdr *)(pkt->data + 34);
	ih->type = ICMP_ECHOREPLY;
	ih->checksum = 0;
	ih->checksum = (uint16_t)~nfv_csum_fold(nfv_csum_partial(ih, 64, 0));
	pkt->meta->in_port = 1;
	ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	EXPECT_EQ(77, ntohs(ih->un.echo.id));
	EXPECT_EQ(tf_ip("198.18.0.1"), tf_ip4(pkt)->daddr);
	EXPECT_TRUE(tf_csum_ok(pkt));
}

TEST(icmp_error_quotes_translated)
{
	struct nat *nat = new_nat(1024, 65535);
	struct tframe f, out, orig;
	struct nfv_pkt *pkt;
	struct iphdr *ip, *q;
	struct icmphdr *ih;
	uint16_t ext;
	uint32_t qlen;

	ASSERT_NE(NULL, nat);
	pkt = tf_ipv4(&out, IPPROTO_UDP, "198.18.0.1", 40000, "198.18.0.2",
		      9999, 32);
	ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	ext = tf_sport(pkt);
	/* Port unreachable from 198.18.0.2 quoting the datagram sent. */
	qlen = pkt->len - 14;
	pkt = tf_ipv4(&f, IPPROTO_ICMP, "198.18.0.2", 0, "198.18.1.1", 0,
		      qlen);
	ip = tf_ip4(pkt);
	ih = (struct icmphdr *)(ip + 1);
	memset(ih, 0, sizeof(*ih));
	ih->type = ICMP_DEST_UNREACH;
	ih->code = ICMP_PORT_UNREACH;
	memcpy(ih + 1, out.pkt.data + 14, qlen);
	ih->checksum = (uint16_t)~nfv_csum_fold(nfv_csum_partial(ih, 8 + qlen, 0));
	pkt->meta->in_port = 1;
	ASSERT_TRUE(tf_csum_ok(pkt));
	ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	EXPECT_EQ(tf_ip("198.18.0.1"), ip->daddr);
	EXPECT_TRUE(tf_csum_ok(pkt));
	q = (struct iphdr *)(ih + 1);
	EXPECT_EQ(tf_ip("198.18.0.1"), q->saddr);
	EXPECT_EQ(40000, ntohs(*(uint16_t *)((uint8_t *)q + 20)));
	/* The quote is the original datagram again, checksums included. */
	tf_ipv4(&orig, IPPROTO_UDP, "198.18.0.1", 40000, "198.18.0.2", 9999, 32);
	EXPECT_EQ(0, memcmp(orig.pkt.data + 14, q, qlen));
	EXPECT_EQ(1, nat->st.icmp_errors);
	EXPECT_NE(0, ext);
	/* An error quoting something we never sent: dropped. */
	q->saddr = tf_ip("198.18.1.1");
	*(uint16_t *)((uint8_t *)q + 20) = htons(1);
	ip->daddr = tf_ip("198.18.1.1");
	EXPECT_EQ(NFV_DROP, nat_handle(pkt, nat));
}

static bool addr6_is(const uint8_t *a, const char *s)
{
	return tf_addr6_is((const struct in6_addr *)a, s);
}

/* The example mapping of RFC 6296, and the way back. */
TEST(nptv6_rfc6296_example)
{
	struct nptv6 n;
	struct in6_addr a;

	ASSERT_EQ(0, nptv6_parse(&n, "fd01:203:405::/48=2001:db8:1::/48"));
	inet_pton(AF_INET6, "fd01:203:405:1::1234", &a);
	ASSERT_TRUE(nptv6_match(&n, a.s6_addr, n.inside));
	ASSERT_TRUE(nptv6_map(&n, a.s6_addr, true));
	EXPECT_TRUE(addr6_is(a.s6_addr, "2001:db8:1:d550::1234"));
	ASSERT_TRUE(nptv6_match(&n, a.s6_addr, n.external));
	ASSERT_TRUE(nptv6_map(&n, a.s6_addr, false));
	EXPECT_TRUE(addr6_is(a.s6_addr, "fd01:203:405:1::1234"));
}

static uint16_t addr_sum(const uint8_t *a)
{
	return nfv_csum_fold(nfv_csum_partial(a, 16, 0));
}

/* Every length 1..64: out and back is the identity, the sum never moves. */
TEST(nptv6_reversible_and_neutral)
{
	static const char *const pairs[] = {
		"fd00::/8=2000::/8", "fd00:198::/37=2001:db8::/37",
		"fd00:198:18::/48=fd00:198:1a::/48",
		"fd00:198:18:ab00::/56=2001:db8:7:1200::/56",
		"fd00:198:18:1::/64=2001:db8:ffff:fffe::/64",
	};
	unsigned int p, i, mapped = 0, unmappable = 0;
	uint32_t seed = 12345;
	struct nptv6 n;

	for (p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		ASSERT_EQ(0, nptv6_parse(&n, pairs[p])) TH_LOG("%s", pairs[p]);
		for (i = 0; i < 20000; i++) {
			uint8_t a[16], orig[16];
			unsigned int b;

			memcpy(a, n.inside, 16);
			for (b = n.len; b < 128; b++) {
				seed = seed * 1103515245 + 12345;
				if (seed >> 31)
					a[b / 8] |= (uint8_t)(0x80 >> (b % 8));
			}
			/* The awkward ones: words to adjust that are 0xffff. */
			if (i % 97 == 0 && n.len <= 48)
				memset(a + 6, 0xff, 2);
			else if (i % 97 == 0)
				memset(a + 8, 0xff, i % 2 ? 2 : 8);
			memcpy(orig, a, 16);
			ASSERT_TRUE(nptv6_match(&n, a, n.inside));
			if (!nptv6_map(&n, a, true)) {
				unmappable++;
				ASSERT_EQ(0, memcmp(a, orig, 16));
				continue;
			}
			mapped++;
			ASSERT_TRUE(nptv6_match(&n, a, n.external));
			ASSERT_FALSE(nptv6_match(&n, a, n.inside));
			ASSERT_EQ(addr_sum(orig) % 0xffff, addr_sum(a) % 0xffff);
			ASSERT_TRUE(nptv6_map(&n, a, false));
			ASSERT_EQ(0, memcmp(a, orig, 16)) TH_LOG("%s #%u", pairs[p], i);
		}
	}
	TH_LOG("%u mapped and back, %u unmappable (word 0xffff)", mapped, unmappable);
	EXPECT_GT(unmappable, 0);
}

TEST(nptv6_parse_errors)
{
	struct nptv6 n;

	EXPECT_EQ(-EINVAL, nptv6_parse(&n, "fd00::/48=2001:db8::/56"));
	EXPECT_EQ(-EINVAL, nptv6_parse(&n, "fd00::/80=2001:db8::/80"));
	EXPECT_EQ(-EINVAL, nptv6_parse(&n, "fd00::1/48=2001:db8::/48"));
	EXPECT_EQ(-EINVAL, nptv6_parse(&n, "fd00::/48"));
	EXPECT_EQ(-EINVAL, nptv6_parse(&n, "fd00::/48=fd00::/48"));
	EXPECT_EQ(-EINVAL, nptv6_parse(&n, "198.18.0.0/16=198.19.0.0/16"));
	EXPECT_FALSE(n.on);
	EXPECT_EQ(0, nptv6_parse(&n, "fd00:198:18::/48=fd00:198:1a::/48"));
	EXPECT_TRUE(n.on);
}

static struct nat *new_nat6(const char *npt, bool drop)
{
	struct nat *nat = new_nat(1024, 65535);

	if (!nat || (npt && nptv6_parse(&nat->npt, npt)))
		return NULL;
	nat->ipv6_drop = drop;
	return nat;
}

TEST(nptv6_udp_tcp_icmp_both_ways)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMPV6 };
	struct nat *nat = new_nat6("fd00:198:18::/48=fd00:198:1a::/48", false);
	struct tframe f, orig;
	struct nfv_pkt *pkt;
	char ext[INET6_ADDRSTRLEN];
	unsigned int p;

	ASSERT_NE(NULL, nat);
	for (p = 0; p < 3; p++) {
		pkt = tf_ipv6(&f, protos[p], "fd00:198:18:5::1", 5555,
			      "2001:db8::2", 9000, 100);
		pkt->meta->in_port = 2;
		memcpy(&orig, &f, sizeof(f));
		ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
		inet_ntop(AF_INET6, &tf_ip6(pkt)->saddr, ext, sizeof(ext));
		EXPECT_STREQ("fd00:198:1a:3::1", ext);	/* 5 + 0x18 - 0x1a */
		EXPECT_TRUE(addr6_is(tf_ip6(pkt)->daddr.s6_addr, "2001:db8::2"));
		/* Checksum-neutral: L4 untouched, every checksum still right. */
		EXPECT_EQ(0, memcmp(orig.chunk + TF_HEADROOM + 54,
				    f.chunk + TF_HEADROOM + 54, pkt->len - 54));
		EXPECT_TRUE(tf_csum6_ok(pkt));
		/* The reply to the external address. */
		pkt = tf_ipv6(&f, protos[p], "2001:db8::2", 9000, ext, 5555, 60);
		pkt->meta->in_port = 1;
		ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
		EXPECT_TRUE(addr6_is(tf_ip6(pkt)->daddr.s6_addr, "fd00:198:18:5::1"));
		EXPECT_TRUE(tf_csum6_ok(pkt));
	}
	EXPECT_EQ(3, nat->st.npt_out);
	EXPECT_EQ(3, nat->st.npt_in);
	EXPECT_EQ(0, nat->ct.n);		/* stateless */
	/* Neither inside prefix out, nor external prefix in: passes. */
	pkt = tf_ipv6(&f, IPPROTO_UDP, "2001:db8::2", 9000, "fd00:198:18:5::1", 1, 10);
	pkt->meta->in_port = 1;
	memcpy(&orig, &f, sizeof(f));	/* not "orig = f": in_port was set by another type */
	EXPECT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	EXPECT_EQ(1, nat->st.ipv6_passed);
	/* Subnet word 0xffff: cannot be mapped, dropped and counted. */
	pkt = tf_ipv6(&f, IPPROTO_UDP, "fd00:198:18:ffff::1", 1, "2001:db8::2", 1, 10);
	EXPECT_EQ(NFV_DROP, nat_handle(pkt, nat));
	EXPECT_EQ(1, nat->st.npt_unmappable);
}

/* Port unreachable from outside about a datagram the inside sent. */
TEST(nptv6_icmp_error_quote)
{
	struct nat *nat = new_nat6("fd00:198:18::/48=fd00:198:1a::/48", false);
	struct tframe f, out;
	struct nfv_pkt *pkt;
	struct icmp6hdr *ih;
	struct ipv6hdr *q;
	char ext[INET6_ADDRSTRLEN];
	uint32_t qlen, sum;

	ASSERT_NE(NULL, nat);
	pkt = tf_ipv6(&out, IPPROTO_UDP, "fd00:198:18::1", 40000, "2001:db8::2", 9999, 32);
	ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	inet_ntop(AF_INET6, &tf_ip6(pkt)->saddr, ext, sizeof(ext));
	qlen = pkt->len - 14;
	pkt = tf_ipv6(&f, IPPROTO_ICMPV6, "2001:db8::2", 0, ext, 0, qlen);
	ih = (struct icmp6hdr *)(pkt->data + 54);
	memset(ih, 0, sizeof(*ih));
	ih->icmp6_type = ICMPV6_DEST_UNREACH;
	ih->icmp6_code = ICMPV6_PORT_UNREACH;
	memcpy(ih + 1, out.pkt.data + 14, qlen);
	sum = nfv_csum_partial(&tf_ip6(pkt)->saddr, 32, 0);
	sum += htons(IPPROTO_ICMPV6);
	sum += htons((uint16_t)(8 + qlen));
	ih->icmp6_cksum = (uint16_t)~nfv_csum_fold(nfv_csum_partial(ih, 8 + qlen, sum));
	pkt->meta->in_port = 1;
	ASSERT_TRUE(tf_csum6_ok(pkt));
	ASSERT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	EXPECT_TRUE(addr6_is(tf_ip6(pkt)->daddr.s6_addr, "fd00:198:18::1"));
	q = (struct ipv6hdr *)(ih + 1);
	EXPECT_TRUE(addr6_is(q->saddr.s6_addr, "fd00:198:18::1"));
	EXPECT_TRUE(tf_csum6_ok(pkt));
	/* The quote is the datagram as the inside host sent it. */
	tf_ipv6(&out, IPPROTO_UDP, "fd00:198:18::1", 40000, "2001:db8::2", 9999, 32);
	EXPECT_EQ(0, memcmp(out.pkt.data + 14, q, qlen));
}

TEST(ipv6_policy_pass_or_drop)
{
	struct nat *nat = new_nat6(NULL, false);
	struct tframe f, orig;
	struct nfv_pkt *pkt;

	ASSERT_NE(NULL, nat);
	pkt = tf_ipv6(&f, IPPROTO_UDP, "fd00:198:18::1", 5, "fd00:198:18::2", 6, 10);
	orig = f;
	EXPECT_EQ(NFV_NEXT, nat_handle(pkt, nat));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	EXPECT_EQ(1, nat->st.ipv6_passed);
	EXPECT_EQ(0, nat->st.passed);
	nat->ipv6_drop = true;
	pkt = tf_ipv6(&f, IPPROTO_TCP, "fd00:198:18::1", 5, "fd00:198:18::2", 6, 10);
	EXPECT_EQ(NFV_DROP, nat_handle(pkt, nat));
	pkt = tf_ipv6(&f, IPPROTO_ICMPV6, "fd00:198:18::2", 5, "fd00:198:18::1", 6, 10);
	pkt->meta->in_port = 1;
	EXPECT_EQ(NFV_DROP, nat_handle(pkt, nat));
	EXPECT_EQ(2, nat->st.ipv6_dropped);
	EXPECT_EQ(0, nat->st.out + nat->st.in);
}

TEST_HARNESS_MAIN
