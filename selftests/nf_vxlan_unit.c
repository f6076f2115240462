// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-vxlan without traffic: encap then decap gives the original frame
 * back byte for byte, with the metadata moved along with the data and
 * pkt->addr following; outer headers as RFC 7348 wants; the headroom
 * runs out cleanly; decap checks port, flag, VNI and checksum, completes
 * a partial inner checksum and parses the inner frame like the
 * classifier.
 */
#include "../nfs/vxlan/vxlan.c"

#include "kselftest_harness.h"
#include "nf_frames.h"

static void setup(struct vxlan *enc, struct vxlan *dec)
{
	memset(enc, 0, sizeof(*enc));
	memset(dec, 0, sizeof(*dec));
	enc->vni = 42;
	enc->vni_set = true;
	enc->local = tf_ip("198.18.0.1");
	enc->remote = tf_ip("198.18.0.2");
	enc->port = htons(VXLAN_PORT);
	memcpy(enc->dst_mac, tf_mac_b, 6);
	enc->dst_mac_set = true;
	dec->decap = true;
	dec->port = htons(VXLAN_PORT);
	dec->vni = 42;
	dec->vni_set = true;
}

TEST(round_trip)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP };
	struct vxlan enc, dec;
	unsigned int p;

	setup(&enc, &dec);
	for (p = 0; p < 3; p++) {
		struct tframe f, orig;
		struct nfv_pkt *pkt;
		struct nfv_xdp_meta m0;
		struct udphdr *uh;
		struct iphdr *ip;
		uint8_t *v;

		pkt = tf_ipv4(&f, protos[p], "198.18.2.1", 5000, "198.18.2.2",
			      9500, 1000);
		pkt->meta->hash = 0xdeadbeef;
		pkt->meta->hop = 1;
		orig = f;
		m0 = *pkt->meta;

		ASSERT_EQ(NFV_NEXT, vxlan_handle(pkt, &enc));
		/* Data, metadata and addr moved 50 bytes to the front. */
		ASSERT_EQ(f.chunk + TF_HEADROOM - 50, pkt->data);
		ASSERT_EQ((uint8_t *)pkt->meta, pkt->data - sizeof(*pkt->meta));
		ASSERT_EQ(orig.pkt.addr - 50, pkt->addr);
		ASSERT_EQ(orig.pkt.len + 50, pkt->len);
		EXPECT_EQ(m0.hash, pkt->meta->hash);
		EXPECT_EQ(m0.chain, pkt->meta->chain);
		EXPECT_EQ(m0.hop, pkt->meta->hop);
		EXPECT_EQ(m0.in_port, pkt->meta->in_port);
		EXPECT_EQ(NFV_META_MAGIC, pkt->meta->magic);
		EXPECT_EQ(14, pkt->meta->l3_off);
		EXPECT_EQ(34, pkt->meta->l4_off);
		EXPECT_EQ(IPPROTO_UDP, pkt->meta->l4_proto);
		/* Outer headers. */
		EXPECT_EQ(0, memcmp(pkt->data, tf_mac_b, 6));
		EXPECT_EQ(0, memcmp(pkt->data + 6, tf_mac_a, 6));	/* inner's */
		ip = tf_ip4(pkt);
		EXPECT_EQ(tf_ip("198.18.0.1"), ip->saddr);
		EXPECT_EQ(tf_ip("198.18.0.2"), ip->daddr);
		EXPECT_EQ(pkt->len - 14, ntohs(ip->tot_len));
		EXPECT_TRUE(tf_csum_ok(pkt));			/* IP; UDP is 0 */
		uh = (struct udphdr *)(ip + 1);
		EXPECT_EQ(4789, ntohs(uh->dest));
		EXPECT_EQ(49152 + 0xdeadbeef % 16384, ntohs(uh->source));
		EXPECT_EQ(pkt->len - 34, ntohs(uh->len));
		EXPECT_EQ(0, uh->check);
		v = (uint8_t *)(uh + 1);
		EXPECT_EQ(0x08, v[0]);
		EXPECT_EQ(0, v[4]);
		EXPECT_EQ(0, v[5]);
		EXPECT_EQ(42, v[6]);
		EXPECT_EQ(0, v[7]);
		EXPECT_EQ(0, memcmp(v + 8, orig.chunk + TF_HEADROOM, orig.pkt.len));

		ASSERT_EQ(NFV_NEXT, vxlan_handle(pkt, &dec));
		ASSERT_EQ(orig.pkt.addr, pkt->addr);
		ASSERT_EQ(orig.pkt.data, pkt->data);
		ASSERT_EQ(orig.pkt.meta, pkt->meta);
		ASSERT_EQ(orig.pkt.len, pkt->len);
		EXPECT_EQ(0, memcmp(orig.chunk + TF_HEADROOM, pkt->data, pkt->len));
		EXPECT_EQ(0, memcmp(&m0, pkt->meta, sizeof(m0)));
	}
	EXPECT_EQ(3, enc.st.encap);
	EXPECT_EQ(3, dec.st.decap);
}

TEST(headroom_runs_out)
{
	struct vxlan enc, dec;
	struct tframe f;
	struct nfv_pkt *pkt;
	int i;

	setup(&enc, &dec);
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.2.1", 1, "198.18.2.2", 2, 10);
	/* 256 - 16 bytes of metadata: room for 4 encapsulations. */
	for (i = 0; i < 4; i++)
		ASSERT_EQ(NFV_NEXT, vxlan_handle(pkt, &enc));
	EXPECT_EQ(NFV_DROP, vxlan_handle(pkt, &enc));
	EXPECT_EQ(1, enc.st.no_headroom);
	EXPECT_EQ(TF_HEADROOM - 200, pkt->addr % TF_CHUNK);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(NFV_NEXT, vxlan_handle(pkt, &dec));
	EXPECT_EQ(TF_HEADROOM, pkt->addr % TF_CHUNK);
	EXPECT_EQ(34, pkt->meta->l4_off);
}

TEST(decap_checks)
{
	struct vxlan enc, dec;
	struct tframe f;
	struct nfv_pkt *pkt;
	struct udphdr *uh;

	setup(&enc, &dec);
	/* Not VXLAN: untouched. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.2.1", 1, "198.18.2.2", 2, 10);
	EXPECT_EQ(NFV_NEXT, vxlan_handle(pkt, &dec));
	EXPECT_EQ(TF_HEADROOM, pkt->addr % TF_CHUNK);
	EXPECT_EQ(1, dec.st.not_vxlan);
	/* Another VNI. */
	enc.vni = 43;
	vxlan_handle(pkt, &enc);
	EXPECT_EQ(NFV_DROP, vxlan_handle(pkt, &dec));
	EXPECT_EQ(1, dec.st.bad_vni);
	/* Any VNI when none is set. */
	dec.vni_set = false;
	EXPECT_EQ(NFV_NEXT, vxlan_handle(pkt, &dec));
	/* A wrong outer UDP checksum; then a right one. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.2.1", 1, "198.18.2.2", 2, 10);
	vxlan_handle(pkt, &enc);
	uh = (struct udphdr *)(pkt->data + 34);
	uh->check = htons(0x1234);
	EXPECT_EQ(NFV_DROP, vxlan_handle(pkt, &dec));
	EXPECT_EQ(1, dec.st.bad_csum);
	nfv_l4_csum(pkt);
	EXPECT_EQ(NFV_NEXT, vxlan_handle(pkt, &dec));
	/* No I flag. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.2.1", 1, "198.18.2.2", 2, 10);
	vxlan_handle(pkt, &enc);
	pkt->data[42] = 0;
	EXPECT_EQ(NFV_DROP, vxlan_handle(pkt, &dec));
	EXPECT_EQ(1, dec.st.malformed);
}

/* The pseudo-header sum of the frame inside an encapsulated one. */
static uint16_t inner_pseudo_sum(struct nfv_pkt *pkt, uint32_t l4_len)
{
	struct nfv_xdp_meta im = *pkt->meta;
	struct nfv_pkt in = *pkt;

	in.data += VXLAN_ENCAP_LEN;
	in.len -= VXLAN_ENCAP_LEN;
	in.meta = &im;
	vxlan_parse_meta(&in);
	return pseudo_sum(&in, l4_len);
}

TEST(inner_partial_checksum_completed)
{
	struct vxlan enc, dec;
	struct tframe f;
	struct nfv_pkt *pkt;
	uint16_t *check, full;

	setup(&enc, &dec);
	pkt = tf_ipv4(&f, IPPROTO_TCP, "198.18.2.1", 40000, "198.18.2.2", 80, 300);
	/* As a sender with checksum offload leaves it: pseudo header only. */
	check = (uint16_t *)(pkt->data + 34 + 16);
	*check = pseudo_sum(pkt, 20 + 300);
	ASSERT_FALSE(tf_csum_ok(pkt));
	vxlan_handle(pkt, &enc);
	ASSERT_EQ(NFV_NEXT, vxlan_handle(pkt, &dec));
	EXPECT_TRUE(tf_csum_ok(pkt));
	EXPECT_EQ(1, dec.st.csum_fixed);
	/*
	 * Local checksum offload: the outer UDP checksum is computed as if
	 * the inner one were complete while the inner one is still partial.
	 */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.2.1", 40001, "198.18.2.2", 81, 200);
	check = (uint16_t *)(pkt->data + 34 + 6);
	full = *check;
	vxlan_handle(pkt, &enc);
	nfv_l4_csum(pkt);				/* outer, over the full inner */
	check = (uint16_t *)(pkt->data + 50 + 34 + 6);
	ASSERT_EQ(full, *check);
	*check = inner_pseudo_sum(pkt, 8 + 200);	/* inner partial again */
	ASSERT_EQ(NFV_NEXT, vxlan_handle(pkt, &dec));
	EXPECT_EQ(0, dec.st.bad_csum);
	EXPECT_EQ(2, dec.st.csum_fixed);
	EXPECT_TRUE(tf_csum_ok(pkt));
	/* A full, valid checksum is left alone. */
	pkt = tf_ipv4(&f, IPPROTO_UDP, "198.18.2.1", 40000, "198.18.2.2", 80, 300);
	vxlan_handle(pkt, &enc);
	vxlan_handle(pkt, &dec);
	EXPECT_EQ(2, dec.st.csum_fixed);
	EXPECT_TRUE(tf_csum_ok(pkt));
}

TEST(parse_inner_ipv6_and_vlan)
{
	struct tframe f;
	struct nfv_pkt *pkt;
	uint8_t *p;

	memset(f.chunk, 0, sizeof(f.chunk));
	tf_reset(&f, 18 + 40 + 8 + 8);
	p = f.pkt.data;
	p[12] = 0x81; p[13] = 0x00;
	p[16] = 0x86; p[17] = 0xdd;
	p[18] = 0x60;
	p[18 + 5] = 16;			/* payload: 8 hop-by-hop + 8 UDP */
	p[18 + 6] = 0;			/* next: hop-by-hop */
	p[58] = 17;			/* hop-by-hop: next UDP, len 0 */
	pkt = &f.pkt;
	vxlan_parse_meta(pkt);
	EXPECT_EQ(18, pkt->meta->l3_off);
	EXPECT_EQ(18 + 40 + 8, pkt->meta->l4_off);
	EXPECT_EQ(17, pkt->meta->l4_proto);
	EXPECT_EQ(NFV_META_F_IPV6 | NFV_META_F_VLAN, pkt->meta->flags);
	/* ARP: no L3 for the classifier. */
	p[16] = 0x08; p[17] = 0x06;
	vxlan_parse_meta(pkt);
	EXPECT_EQ(0, pkt->meta->l3_off);
	EXPECT_EQ(0, pkt->meta->l4_off);
}

TEST_HARNESS_MAIN
