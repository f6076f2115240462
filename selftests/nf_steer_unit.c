// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-steer rule tables without traffic: "MATCH chain ID" lines (the
 * MATCH grammar is nfs/common/match.c's, shared with nfv-firewall),
 * every error naming its line, comments, and the chain chosen per tuple
 * (first match wins).
 */
#include "../nfs/steer/rules.c"

#include "kselftest_harness.h"
#include "nf_rules_test.h"

static struct steer_table *parse(const char *text, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct steer_table *t;

	t = steer_table_parse(f, "steer.rules", fake_port, NULL, err, len);
	fclose(f);
	return t;
}

/* The chain @t gives a UDP/TCP flow arriving on port 2; 0: none. */
static int chain_of(struct steer_table *t, struct nf_flow_key k)
{
	struct steer_rule *r = steer_match(t, &k, true, 2);

	return r ? r->chain : 0;
}

TEST(parses_rules_and_comments)
{
	char err[256] = "";
	struct steer_table *t = parse(
		"# flows to chains\n"
		"\n"
		"   \t\n"
		"proto udp dport 5000 chain 2   # trailing comment\n"
		"chain 7 in f0 proto tcp src 198.18.0.0/24 sport 1000-2000\n"
		"src fd00:198:18::/64 chain 4095\n"
		"chain 3\n", err, sizeof(err));

	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	ASSERT_EQ(4, t->n_rules);
	EXPECT_EQ(4, t->rules[0].line);
	EXPECT_EQ(2, t->rules[0].chain);
	EXPECT_EQ(17, t->rules[0].m.proto);
	EXPECT_EQ(5000, t->rules[0].m.dport_lo);
	EXPECT_EQ(5000, t->rules[0].m.dport_hi);
	EXPECT_STREQ("proto udp dport 5000", t->rules[0].match);
	EXPECT_EQ(7, t->rules[1].chain);
	EXPECT_EQ(2, t->rules[1].m.in_port);
	EXPECT_EQ(1000, t->rules[1].m.sport_lo);
	EXPECT_EQ(2000, t->rules[1].m.sport_hi);
	EXPECT_STREQ("in f0 proto tcp src 198.18.0.0/24 sport 1000-2000",
		     t->rules[1].match);
	EXPECT_EQ(6, t->rules[2].m.family);
	EXPECT_EQ(4095, t->rules[2].chain);
	EXPECT_EQ(3, t->rules[3].chain);
	EXPECT_STREQ("", t->rules[3].match);
	EXPECT_EQ(7, t->rules[3].line);
	steer_table_free(t);
}

TEST(empty_file_has_no_rules)
{
	char err[256] = "";
	struct steer_table *t = parse("# nothing\n\n", err, sizeof(err));

	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	EXPECT_EQ(0, t->n_rules);
	EXPECT_EQ(0, chain_of(t, key4("198.18.0.1", "198.18.0.2", 17, 1, 2)));
	steer_table_free(t);
}

struct bad_case {
	const char *text;
	const char *err;
};

TEST(errors_name_the_line)
{
	static const struct bad_case cases[] = {
		{ "chain 2\n# ok\n\nproto udp dport 5000\n",
		  "steer.rules:4: missing \"chain ID\"" },
		{ "proto udp chain\n",
		  "steer.rules:1: \"chain\" needs a value" },
		{ "chain 0\n",
		  "steer.rules:1: invalid chain id \"0\": 1..4095" },
		{ "chain 4096\n",
		  "steer.rules:1: invalid chain id \"4096\": 1..4095" },
		{ "chain -1\n",
		  "steer.rules:1: invalid chain id \"-1\": 1..4095" },
		{ "chain 2x\n",
		  "steer.rules:1: invalid chain id \"2x\": 1..4095" },
		{ "chain 2 proto tcp chain 3\n",
		  "steer.rules:1: \"chain\" given twice" },
		{ "chain 1\n\nfrm 198.18.0.1 chain 2\n",
		  "steer.rules:3: unknown keyword \"frm\"" },
		{ "dport 80 chain 2\n",
		  "steer.rules:1: ports need \"proto tcp|udp|sctp\"" },
		{ "proto udp dport 90-80 chain 2\n",
		  "steer.rules:1: invalid dport \"90-80\": empty range" },
		{ "src 198.18.0.1 dst fd00::1 chain 2\n",
		  "steer.rules:1: src and dst of different families" },
		{ "dst 198.18.0.0/33 chain 2\n",
		  "steer.rules:1: invalid dst prefix length \"33\": must be 0..32" },
		{ "proto udp proto tcp chain 2\n",
		  "steer.rules:1: \"proto\" given twice" },
		{ "\n\nin eth9 chain 2\n",
		  "steer.rules:3: unknown port \"eth9\" (not a fabric port)" },
		{ "allow proto udp chain 2\n",
		  "steer.rules:1: unknown keyword \"allow\"" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		struct steer_table *t = parse(cases[i].text, err, sizeof(err));

		EXPECT_EQ(NULL, t) TH_LOG("case %u accepted", i);
		EXPECT_STREQ(cases[i].err, err);
		steer_table_free(t);
	}
}

TEST(first_match_wins)
{
	char err[256];
	struct steer_table *t = parse(
		"proto udp dport 5000 chain 2\n"
		"proto udp dport 5000-5010 chain 4\n"
		"proto udp sport 10000-10499 chain 5\n"
		"src 198.18.0.7 chain 6\n"
		"in f1 chain 8\n"
		"proto udp chain 3\n", err, sizeof(err));
	struct nf_flow_key k;
	struct steer_rule *r;

	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	EXPECT_EQ(2, chain_of(t, key4("198.18.0.1", "198.18.0.2", 17, 10000, 5000)));
	EXPECT_EQ(4, chain_of(t, key4("198.18.0.1", "198.18.0.2", 17, 10000, 5001)));
	EXPECT_EQ(4, chain_of(t, key4("198.18.0.1", "198.18.0.2", 17, 10000, 5010)));
	EXPECT_EQ(5, chain_of(t, key4("198.18.0.1", "198.18.0.2", 17, 10000, 5011)));
	EXPECT_EQ(5, chain_of(t, key4("198.18.0.1", "198.18.0.2", 17, 10499, 6000)));
	EXPECT_EQ(3, chain_of(t, key4("198.18.0.1", "198.18.0.2", 17, 10500, 6000)));
	/* TCP: the UDP rules never match, the source rule does. */
	EXPECT_EQ(6, chain_of(t, key4("198.18.0.7", "198.18.0.2", 6, 10000, 5000)));
	EXPECT_EQ(0, chain_of(t, key4("198.18.0.8", "198.18.0.2", 6, 10000, 5000)));
	/* "in f1" (port 1): any frame arriving there, before "proto udp". */
	k = key4("198.18.0.2", "198.18.0.1", 17, 80, 9);
	r = steer_match(t, &k, true, 1);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(8, r->chain);
	EXPECT_EQ(5, r->line);
	EXPECT_EQ(3, chain_of(t, k));
	steer_table_free(t);
}

TEST(ipv6_and_prefixes)
{
	char err[256];
	struct steer_table *t = parse(
		"dst 198.18.128.0/17 chain 2\n"
		"src fd00:198:18::/64 proto tcp chain 3\n"
		"proto tcp chain 4\n", err, sizeof(err));
	struct nf_flow_key k = { .family = 6, .proto = 6 };

	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	inet_pton(AF_INET6, "fd00:198:18::1", k.src);
	inet_pton(AF_INET6, "fd00:198:18::2", k.dst);
	EXPECT_EQ(3, chain_of(t, k));
	inet_pton(AF_INET6, "fd00:198:19::1", k.src);
	EXPECT_EQ(4, chain_of(t, k));
	EXPECT_EQ(2, chain_of(t, key4("198.18.0.1", "198.18.200.1", 17, 1, 2)));
	EXPECT_EQ(0, chain_of(t, key4("198.18.0.1", "198.18.127.255", 17, 1, 2)));
	EXPECT_EQ(4, chain_of(t, key4("198.18.0.1", "198.18.127.255", 6, 1, 2)));
	steer_table_free(t);
}

TEST(too_many_rules)
{
	size_t cap = (STEER_RULES_MAX + 2) * 40, len = 0;
	char *text = malloc(cap), err[256];
	struct steer_table *t;
	int i;

	ASSERT_NE(NULL, text);
	for (i = 0; i < STEER_RULES_MAX; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"proto udp dport %d chain 2\n", i + 1);
	t = parse(text, err, sizeof(err));
	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	EXPECT_EQ(STEER_RULES_MAX, t->n_rules);
	steer_table_free(t);
	snprintf(text + len, cap - len, "chain 3\n");
	t = parse(text, err, sizeof(err));
	EXPECT_EQ(NULL, t);
	EXPECT_STREQ("steer.rules:4097: too many rules (at most 4096)", err);
	free(text);
}

TEST(long_line_refused)
{
	char text[NF_RULE_LINE_MAX + 64], err[256];
	struct steer_table *t;

	memset(text, ' ', sizeof(text));
	memcpy(text, "chain 2", 7);
	strcpy(text + sizeof(text) - 2, "\n");
	t = parse(text, err, sizeof(err));
	EXPECT_EQ(NULL, t);
	EXPECT_STREQ("steer.rules:1: line longer than 1024 characters", err);
}

TEST_HARNESS_MAIN
