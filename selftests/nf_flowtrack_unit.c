// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-flowtrack without traffic: both directions in one record with the
 * initiator kept, TCP flags, idle expiry, overflow, and the JSON dump.
 */
#include "../nfs/flowtrack/table.c"

#include "kselftest_harness.h"
#include "nf_frames.h"

#define SEC 1000000000ull

TEST(both_directions_one_record)
{
	struct ft_table t;
	struct ft_flow *a, *b;
	struct tframe f;
	int i;

	ASSERT_EQ(0, ft_init(&t, 16, 0));
	/* The initiator is the greater address: stored reversed. */
	for (i = 0; i < 3; i++) {
		a = ft_account(&t, tf_ipv4(&f, IPPROTO_UDP, "198.18.0.9", 4000,
					   "198.18.0.2", 53, 100), 10 * SEC + i);
		ASSERT_NE(NULL, a);
	}
	b = ft_account(&t, tf_ipv4(&f, IPPROTO_UDP, "198.18.0.2", 53,
				   "198.18.0.9", 4000, 20), 12 * SEC);
	EXPECT_EQ(a, b);
	EXPECT_TRUE(a->reversed);
	EXPECT_EQ(3, a->packets);
	EXPECT_EQ(3 * 142, a->bytes);
	EXPECT_EQ(1, a->reply_packets);
	EXPECT_EQ(62, a->reply_bytes);
	EXPECT_EQ(10 * SEC, a->first_ns);
	EXPECT_EQ(12 * SEC, a->last_ns);
	EXPECT_EQ(1, ft_n(&t));
	/* Another port: another flow. */
	b = ft_account(&t, tf_ipv4(&f, IPPROTO_UDP, "198.18.0.9", 4001,
				   "198.18.0.2", 53, 100), 12 * SEC);
	EXPECT_NE(a, b);
	EXPECT_EQ(2, ft_n(&t));
	ft_free(&t);
}

/* Frames a decap port unwrapped: the VLAN id / VNI is part of the key. */
TEST(decap_id_keeps_tenants_apart)
{
	struct ft_table t;
	struct ft_flow *a, *b, *c, *plain;
	struct tframe f;
	struct nfv_pkt *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	ASSERT_EQ(0, ft_init(&t, 16, 0));
	p = tf_ipv4(&f, IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 10);
	p->meta->flags |= NFV_META_F_DECAP;
	p->meta->decap_id = 100;
	a = ft_account(&t, p, 1 * SEC);
	/* The same addresses and ports in VLAN 200: another tenant. */
	p = tf_ipv4(&f, IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 10);
	p->meta->flags |= NFV_META_F_DECAP;
	p->meta->decap_id = 200;
	b = ft_account(&t, p, 1 * SEC);
	/* The reply in VLAN 100 is VLAN 100's flow. */
	p = tf_ipv4(&f, IPPROTO_UDP, "10.0.0.2", 53, "10.0.0.1", 5000, 10);
	p->meta->flags |= NFV_META_F_DECAP;
	p->meta->decap_id = 100;
	c = ft_account(&t, p, 2 * SEC);
	/* Not decapsulated (decap_id ignored without the flag). */
	p = tf_ipv4(&f, IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 10);
	p->meta->decap_id = 100;
	plain = ft_account(&t, p, 2 * SEC);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, plain);
	EXPECT_NE(a, b);
	EXPECT_EQ(a, c);
	EXPECT_NE(a, plain);
	EXPECT_NE(b, plain);
	EXPECT_EQ(1, a->reply_packets);
	EXPECT_EQ(0, b->reply_packets);
	EXPECT_EQ(3, ft_n(&t));
	out = open_memstream(&buf, &len);
	ft_json(out, &t, 0);
	fclose(out);
	EXPECT_NE(NULL, strstr(buf, "\"decap_id\":100"));
	EXPECT_NE(NULL, strstr(buf, "\"decap_id\":200"));
	/* Exactly two records carry one: the plain flow has none. */
	EXPECT_EQ(NULL, strstr(strstr(strstr(buf, "decap_id") + 1,
				      "decap_id") + 1, "decap_id"));
	free(buf);
	ft_free(&t);
}

TEST(tcp_flags_expiry_overflow)
{
	struct ft_table t;
	struct ft_flow *a;
	struct tframe f;
	struct nfv_pkt *p;

	ASSERT_EQ(0, ft_init(&t, 2, 5 * SEC));
	p = tf_ipv4(&f, IPPROTO_TCP, "198.18.0.1", 40000, "198.18.0.2", 80, 0);
	p->data[34 + 13] = 0x02;			/* SYN */
	a = ft_account(&t, p, 1 * SEC);
	p = tf_ipv4(&f, IPPROTO_TCP, "198.18.0.2", 80, "198.18.0.1", 40000, 0);
	p->data[34 + 13] = 0x12;			/* SYN-ACK */
	ft_account(&t, p, 1 * SEC);
	EXPECT_EQ(0x12, a->tcp_flags);
	ft_account(&t, tf_ipv4(&f, IPPROTO_UDP, "198.18.0.1", 1, "198.18.0.2", 2, 0),
		   4 * SEC);
	/* Full: a third flow is counted, not tracked. */
	EXPECT_EQ(NULL, ft_account(&t, tf_ipv4(&f, IPPROTO_UDP, "198.18.0.1", 3,
					       "198.18.0.2", 4, 0), 4 * SEC));
	EXPECT_EQ(1, t.overflow);
	/* At 7 s the TCP flow has been idle 6 s: swept; UDP stays. */
	EXPECT_EQ(1, ft_sweep(&t, 7 * SEC));
	EXPECT_EQ(1, ft_n(&t));
	EXPECT_NE(NULL, ft_account(&t, tf_ipv4(&f, IPPROTO_UDP, "198.18.0.1", 3,
					       "198.18.0.2", 4, 0), 7 * SEC));
	EXPECT_EQ(2, ft_n(&t));
	ft_free(&t);
}

TEST(json_names_the_initiator)
{
	struct ft_table t;
	struct tframe f;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	ASSERT_EQ(0, ft_init(&t, 16, 0));
	ft_account(&t, tf_ipv4(&f, IPPROTO_UDP, "198.18.0.9", 4000,
			       "198.18.0.2", 53, 100), 10 * SEC);
	ft_account(&t, tf_ipv4(&f, IPPROTO_UDP, "198.18.0.2", 53,
			       "198.18.0.9", 4000, 20), 11 * SEC + 5);
	out = open_memstream(&buf, &len);
	ft_json(out, &t, 1700000000 * (int64_t)SEC);
	fclose(out);
	EXPECT_NE(NULL, strstr(buf, "\"proto\":\"udp\",\"src\":\"198.18.0.9\",\"sport\":4000,"
				    "\"dst\":\"198.18.0.2\",\"dport\":53,\"in_port\":2,"
				    "\"packets\":1,\"bytes\":142,\"reply_packets\":1,"
				    "\"reply_bytes\":62,\"first_seen\":1700000010.000000000,"
				    "\"last_seen\":1700000011.000000005}")) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "\"n_flows\":1,")) TH_LOG("%s", buf);
	free(buf);
	ft_free(&t);
}

TEST_HARNESS_MAIN
