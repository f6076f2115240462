// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-arp's logic on frames fed to the handler: the reply built in place
 * (Ethernet and ARP fields), out of the ingress port, VLAN tags kept;
 * requests for other addresses, gratuitous ARP, replies, malformed ARP
 * and non-ARP frames pass untouched.
 */
#include "../nfs/arp/responder.c"

#include "kselftest_harness.h"
#include "nf_frames.h"

static const uint8_t asker[6] = { 0x02, 0xaa, 0, 0, 0, 1 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t ours[6] = { 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a };

/* An ARP request from 198.18.0.1 (asker) for @target; @vlan: tagged. */
static struct nfv_pkt *request(struct tframe *f, const char *target,
			       bool vlan)
{
	uint8_t *p = f->chunk + TF_HEADROOM;
	uint32_t off = 12;

	memset(f->chunk, 0, sizeof(f->chunk));
	memcpy(p, bcast, 6);
	memcpy(p + 6, asker, 6);
	if (vlan) {
		p[12] = 0x81; p[13] = 0x00; p[14] = 0x00; p[15] = 0x2a;
		off += 4;
	}
	p[off] = 0x08; p[off + 1] = 0x06;
	p += off + 2;
	p[0] = 0; p[1] = 1;		/* Ethernet */
	p[2] = 0x08; p[3] = 0;		/* IPv4 */
	p[4] = 6; p[5] = 4;
	p[6] = 0; p[7] = 1;		/* request */
	memcpy(p + 8, asker, 6);
	inet_pton(AF_INET, "198.18.0.1", p + 14);
	inet_pton(AF_INET, target, p + 24);
	tf_reset(f, 60);		/* padded to the Ethernet minimum */
	f->pkt.meta->in_port = 3;
	return &f->pkt;
}

static struct arp_responder *responder(void)
{
	static struct arp_responder r;

	memset(&r, 0, sizeof(r));
	arp_add(&r, tf_ip("198.18.0.50"), ours);
	arp_add(&r, tf_ip("198.18.0.51"), NULL);
	return &r;
}

static void check_reply(struct __test_metadata *_metadata, uint8_t *p,
			uint32_t arp_off, const uint8_t *mac, const char *addr)
{
	uint8_t *a = p + arp_off;
	uint8_t want[4];

	inet_pton(AF_INET, addr, want);
	EXPECT_EQ(0, memcmp(p, asker, 6));		/* eth dst: the asker */
	EXPECT_EQ(0, memcmp(p + 6, mac, 6));		/* eth src: us */
	EXPECT_EQ(2, a[7]);				/* reply */
	EXPECT_EQ(0, memcmp(a + 8, mac, 6));		/* sha */
	EXPECT_EQ(0, memcmp(a + 14, want, 4));		/* spa */
	EXPECT_EQ(0, memcmp(a + 18, asker, 6));		/* tha */
	inet_pton(AF_INET, "198.18.0.1", want);
	EXPECT_EQ(0, memcmp(a + 24, want, 4));		/* tpa */
}

TEST(answers_out_of_the_ingress_port)
{
	struct arp_responder *r = responder();
	static const uint8_t derived[6] = { 0x02, 0, 198, 18, 0, 51 };
	struct tframe f;
	struct nfv_pkt *pkt;

	pkt = request(&f, "198.18.0.50", false);
	ASSERT_EQ(NFV_OUT(3), arp_handle(pkt, r));
	EXPECT_EQ(60, pkt->len);
	check_reply(_metadata, pkt->data, 14, ours, "198.18.0.50");
	pkt = request(&f, "198.18.0.51", false);
	ASSERT_EQ(NFV_OUT(3), arp_handle(pkt, r));
	check_reply(_metadata, pkt->data, 14, derived, "198.18.0.51");
	EXPECT_EQ(2, r->st.replies);
	EXPECT_EQ(1, r->e[0].replies);
}

TEST(vlan_tag_kept)
{
	struct arp_responder *r = responder();
	struct tframe f;
	struct nfv_pkt *pkt = request(&f, "198.18.0.50", true);

	ASSERT_EQ(NFV_OUT(3), arp_handle(pkt, r));
	EXPECT_EQ(0x81, pkt->data[12]);
	EXPECT_EQ(0x2a, pkt->data[15]);
	check_reply(_metadata, pkt->data, 18, ours, "198.18.0.50");
}

TEST(everything_else_untouched)
{
	struct arp_responder *r = responder();
	struct tframe f, orig;
	struct nfv_pkt *pkt;

	/* Not ours. */
	pkt = request(&f, "198.18.0.99", false);
	orig = f;
	EXPECT_EQ(NFV_NEXT, arp_handle(pkt, r));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	/* Gratuitous: sender = target, even for our address. */
	pkt = request(&f, "198.18.0.1", false);
	orig = f;
	EXPECT_EQ(NFV_NEXT, arp_handle(pkt, r));
	EXPECT_EQ(0, memcmp(orig.chunk, f.chunk, sizeof(f.chunk)));
	/* A reply. */
	pkt = request(&f, "198.18.0.50", false);
	pkt->data[21] = 2;
	EXPECT_EQ(NFV_NEXT, arp_handle(pkt, r));
	/* Malformed: hlen 8; cut short. */
	pkt = request(&f, "198.18.0.50", false);
	pkt->data[18] = 8;
	EXPECT_EQ(NFV_NEXT, arp_handle(pkt, r));
	pkt = request(&f, "198.18.0.50", false);
	pkt->len = 14 + 20;
	EXPECT_EQ(NFV_NEXT, arp_handle(pkt, r));
	/* No ingress port: nowhere to answer. */
	pkt = request(&f, "198.18.0.50", false);
	pkt->meta->in_port = 0;
	EXPECT_EQ(NFV_NEXT, arp_handle(pkt, r));
	/* IPv4. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.0.1", 1, "198.18.0.50", 2, 10);
	EXPECT_EQ(NFV_NEXT, arp_handle(pkt, r));
	EXPECT_EQ(1, r->st.not_ours);
	EXPECT_EQ(2, r->st.ignored);
	EXPECT_EQ(2, r->st.malformed);
	EXPECT_EQ(1, r->st.no_port);
	EXPECT_EQ(1, r->st.other);
	EXPECT_EQ(0, r->st.replies);
}

TEST(addresses)
{
	struct arp_responder r = { 0 };
	unsigned int i;

	EXPECT_EQ(0, arp_add(&r, tf_ip("198.18.0.50"), NULL));
	EXPECT_EQ(-EEXIST, arp_add(&r, tf_ip("198.18.0.50"), ours));
	for (i = 1; i < ARP_ADDRS_MAX; i++)
		EXPECT_EQ(0, arp_add(&r, htonl(0xc6130000 + i), NULL));
	EXPECT_EQ(-E2BIG, arp_add(&r, tf_ip("198.18.1.1"), NULL));
}

TEST_HARNESS_MAIN
