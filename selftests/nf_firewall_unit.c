// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-firewall rule tables without traffic: the grammar (every error
 * names its line), first-match semantics, ports and prefixes, IPv6, and
 * counters carried across a reload.
 */
#include "../nfs/firewall/rules.c"

#include "kselftest_harness.h"
#include "nf_rules_test.h"

static struct fw_table *parse(const char *text, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct fw_table *t;

	t = fw_table_parse(f, "rules.txt", fake_port, NULL, err, len);
	fclose(f);
	return t;
}

TEST(parses_every_keyword)
{
	char err[256] = "";
	struct fw_table *t = parse(
		"# a comment line\n"
		"\n"
		"allow in f0 proto udp src 198.18.0.0/24 dst 198.18.0.2 sport 1000-2000 dport 9000 # trailing\n"
		"deny proto icmp\n"
		"  deny   src fd00:198:18::/64  \n"
		"allow\n"
		"default deny\n", err, sizeof(err));

	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	ASSERT_EQ(4, t->n_rules);
	EXPECT_EQ(FW_DENY, t->default_action);
	EXPECT_EQ(7, t->default_line);
	EXPECT_EQ(3, t->rules[0].line);
	EXPECT_EQ(2, t->rules[0].in_port);
	EXPECT_EQ(17, t->rules[0].proto);
	EXPECT_EQ(4, t->rules[0].family);
	EXPECT_EQ(1000, t->rules[0].sport_lo);
	EXPECT_EQ(2000, t->rules[0].sport_hi);
	EXPECT_EQ(9000, t->rules[0].dport_lo);
	EXPECT_EQ(9000, t->rules[0].dport_hi);
	EXPECT_STREQ("in f0 proto udp src 198.18.0.0/24 dst 198.18.0.2 sport 1000-2000 dport 9000",
		     t->rules[0].match);
	EXPECT_EQ(1, t->rules[1].proto);
	EXPECT_EQ(6, t->rules[2].family);
	EXPECT_STREQ("src fd00:198:18::/64", t->rules[2].match);
	EXPECT_STREQ("", t->rules[3].match);
	fw_table_free(t);
}

struct bad_case {
	const char *text;
	const char *err;
};

TEST(errors_name_the_line)
{
	static const struct bad_case cases[] = {
		{ "allow proto udp\n# ok\nallow frm 198.18.0.1\ndefault allow\n",
		  "rules.txt:3: unknown keyword \"frm\"" },
		{ "allow proto udp\n",
		  "rules.txt:2: missing \"default allow|deny\" as the last rule" },
		{ "default deny\nallow proto tcp\n",
		  "rules.txt:2: rule after \"default\" (it must be the last rule)" },
		{ "permit proto tcp\ndefault deny\n",
		  "rules.txt:1: unknown action \"permit\": allow, deny or default" },
		{ "allow dport 80\ndefault deny\n",
		  "rules.txt:1: ports need \"proto tcp|udp|sctp\"" },
		{ "allow proto icmp dport 80\ndefault deny\n",
		  "rules.txt:1: ports need \"proto tcp|udp|sctp\"" },
		{ "allow dst 198.18.0.0/33\ndefault deny\n",
		  "rules.txt:1: invalid dst prefix length \"33\": must be 0..32" },
		{ "allow src 198.18.0.300\ndefault deny\n",
		  "rules.txt:1: invalid src address \"198.18.0.300\"" },
		{ "allow src 198.18.0.1 dst fd00::1\ndefault deny\n",
		  "rules.txt:1: src and dst of different families" },
		{ "allow proto tcp proto udp\ndefault deny\n",
		  "rules.txt:1: \"proto\" given twice" },
		{ "allow proto\ndefault deny\n",
		  "rules.txt:1: \"proto\" needs a value" },
		{ "allow proto tcp dport 90-80\ndefault deny\n",
		  "rules.txt:1: invalid dport \"90-80\": empty range" },
		{ "allow proto tcp dport 0\ndefault deny\n",
		  "rules.txt:1: invalid dport \"0\": N or N-M with 1..65535" },
		{ "allow proto xyz\ndefault deny\n",
		  "rules.txt:1: invalid proto \"xyz\": tcp, udp, icmp, icmpv6, sctp or 0..255" },
		{ "\n\nallow in eth9\ndefault deny\n",
		  "rules.txt:3: unknown port \"eth9\" (not a fabric port)" },
		{ "default maybe\n",
		  "rules.txt:1: expected \"default allow\" or \"default deny\"" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		struct fw_table *t = parse(cases[i].text, err, sizeof(err));

		EXPECT_EQ(NULL, t) TH_LOG("case %u accepted", i);
		EXPECT_STREQ(cases[i].err, err);
		fw_table_free(t);
	}
}

TEST(first_match_wins)
{
	char err[256];
	struct fw_table *t = parse(
		"deny proto udp dport 9001\n"
		"allow proto udp dst 198.18.0.0/24 dport 9000-9010\n"
		"deny src 198.18.0.7\n"
		"allow in f1\n"
		"default deny\n", err, sizeof(err));
	struct nf_flow_key k;
	struct fw_rule *r;

	ASSERT_NE(NULL, t);
	k = key4("198.18.0.1", "198.18.0.2", 17, 5000, 9001);
	r = fw_match(t, &k, true, 2);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, r->line);
	k.dport = htons(9005);
	EXPECT_EQ(&t->rules[1], fw_match(t, &k, true, 2));
	k.dport = htons(9011);
	EXPECT_EQ(NULL, fw_match(t, &k, true, 2));	/* default */
	/* Ports never match a TCP frame on a UDP rule. */
	k = key4("198.18.0.1", "198.18.0.2", 6, 5000, 9005);
	EXPECT_EQ(NULL, fw_match(t, &k, true, 2));
	k = key4("198.18.0.7", "198.18.1.2", 6, 5000, 9005);
	EXPECT_EQ(&t->rules[2], fw_match(t, &k, true, 2));
	/* "in f1" (port 1) matches anything arriving there, even non-IP. */
	k = key4("198.18.0.1", "198.18.1.2", 1, 0, 0);
	EXPECT_EQ(&t->rules[3], fw_match(t, &k, true, 1));
	EXPECT_EQ(&t->rules[3], fw_match(t, &k, false, 1));
	EXPECT_EQ(NULL, fw_match(t, &k, false, 2));
	fw_table_free(t);
}

TEST(prefixes_and_ipv6)
{
	char err[256];
	struct fw_table *t = parse(
		"allow src fd00:198:18::/64 proto udp\n"
		"deny dst 198.18.128.0/17\n"
		"allow proto udp\n"
		"default deny\n", err, sizeof(err));
	struct nf_flow_key k = { .family = 6, .proto = 17 };

	ASSERT_NE(NULL, t);
	inet_pton(AF_INET6, "fd00:198:18::1", k.src);
	inet_pton(AF_INET6, "fd00:198:18::2", k.dst);
	EXPECT_EQ(&t->rules[0], fw_match(t, &k, true, 2));
	inet_pton(AF_INET6, "fd00:198:19::1", k.src);
	/* An IPv4 prefix never matches IPv6; "proto udp" matches both. */
	EXPECT_EQ(&t->rules[2], fw_match(t, &k, true, 2));
	k = key4("198.18.0.1", "198.18.200.1", 17, 1, 2);
	EXPECT_EQ(&t->rules[1], fw_match(t, &k, true, 2));
	k = key4("198.18.0.1", "198.18.127.255", 17, 1, 2);
	EXPECT_EQ(&t->rules[2], fw_match(t, &k, true, 2));
	k.proto = 6;
	EXPECT_EQ(NULL, fw_match(t, &k, true, 2));
	fw_table_free(t);
}

TEST(reload_carries_counters_of_unchanged_rules)
{
	char err[256];
	struct fw_table *old = parse("allow proto udp\ndeny proto tcp\ndefault deny\n",
				     err, sizeof(err));
	struct fw_table *t = parse("deny proto icmp\nallow proto udp\ndeny proto tcp dport 1\ndefault deny\n",
				   err, sizeof(err));

	ASSERT_NE(NULL, old);
	ASSERT_NE(NULL, t);
	old->rules[0].packets = 10;
	old->rules[0].bytes = 1000;
	old->rules[1].packets = 5;
	old->default_packets = 7;
	fw_table_carry(t, old);
	EXPECT_EQ(0, t->rules[0].packets);
	EXPECT_EQ(10, t->rules[1].packets);
	EXPECT_EQ(1000, t->rules[1].bytes);
	EXPECT_EQ(0, t->rules[2].packets);	/* changed: starts at 0 */
	EXPECT_EQ(7, t->default_packets);
	fw_table_free(old);
	fw_table_free(t);
}

TEST(long_files)
{
	size_t cap = (FW_RULES_MAX + 2) * 32, len = 0;
	char *text = malloc(cap), err[256];
	struct fw_table *t;
	int i;

	ASSERT_NE(NULL, text);
	for (i = 0; i < FW_RULES_MAX; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"deny proto udp dport %d\n", i + 1);
	snprintf(text + len, cap - len, "default allow\n");
	t = parse(text, err, sizeof(err));
	ASSERT_NE(NULL, t) TH_LOG("%s", err);
	EXPECT_EQ(FW_RULES_MAX, t->n_rules);
	fw_table_free(t);
	snprintf(text + len, cap - len, "deny proto tcp\ndefault allow\n");
	t = parse(text, err, sizeof(err));
	EXPECT_EQ(NULL, t);
	EXPECT_STREQ("rules.txt:4097: too many rules (at most 4096)", err);
	free(text);
}

TEST_HARNESS_MAIN
