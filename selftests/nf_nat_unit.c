// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-nat without traffic: port allocation (preservation, next-fit,
 * exhaustion), connection lookup and filtering, timeouts per protocol
 * and TCP state, and translation of UDP, TCP, ICMP echo and ICMP errors
 * with every checksum recomputed from scratch.
 */
#include "../nfs/nat/portalloc.c"
#include "../nfs/nat/ct.c"
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
	for (i = 0; i < 4; i++)
		EXPECT_TRUE(ct.conns[i].used);
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
	EXPECT_NE(5555, tf_sport(pkt));
	EXPECT_EQ(2, nat->st.in);
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

TEST_HARNESS_MAIN
