// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-ids without traffic: the pattern grammar and its errors, both
 * matchers against a naive search on random data (same set of patterns
 * found, each once, at its first end offset), and the data path: flows
 * remembered both ways after a match, steered or dropped, tap references
 * never steered, flows forgotten after the timeout.
 */
#include "../nfs/ids/patterns.c"
#include "../nfs/ids/match_ac.c"
#include "../nfs/ids/match_hs.c"
#include "../nfs/ids/matcher.c"
#include "../nfs/ids/ids.c"

#include "kselftest_harness.h"
#include "nf_frames.h"

static int parse(const char *text, struct pattern_set *ps, char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret = patterns_parse(f, "pat.txt", ps, err, 256);

	fclose(f);
	return ret;
}

TEST(pattern_grammar)
{
	struct pattern_set ps;
	char err[256] = "";

	ASSERT_EQ(0, parse("# comment\n\n1:EVIL\n  # indented comment\n"
			   "2:|de ad|be|EF|\n3:hex:00 01ff\n4:a:b#c\n", &ps, err))
		TH_LOG("%s", err);
	ASSERT_EQ(4, ps.n);
	EXPECT_EQ(1, ps.p[0].id);
	EXPECT_EQ(3, ps.p[0].line);
	EXPECT_EQ(4, ps.p[0].len);
	EXPECT_EQ(0, memcmp("EVIL", ps.p[0].bytes, 4));
	EXPECT_EQ(5, ps.p[1].len);
	EXPECT_EQ(0, memcmp("\xde\xad" "be\xef", ps.p[1].bytes, 5));
	EXPECT_EQ(0, memcmp("\x00\x01\xff", ps.p[2].bytes, 3));
	EXPECT_EQ(0, memcmp("a:b#c", ps.p[3].bytes, 5));
	EXPECT_STREQ("|de ad|be|EF|", ps.p[1].text);
	patterns_free(&ps);
}

TEST(pattern_errors)
{
	static const char *const bad[][2] = {
		{ "1:ok\nEVIL\n", "pat.txt:2: expected ID:TEXT or ID:hex:HEX" },
		{ "0:zero\n", "pat.txt:1: invalid pattern id \"0\": must be 1..4294967295" },
		{ "x1:a\n", "pat.txt:1: invalid pattern id \"x1\": must be 1..4294967295" },
		{ "1:ok\n2:\n", "pat.txt:2: empty pattern" },
		{ "1:ab|4|\n", "pat.txt:1: invalid hex in \"ab|4|\"" },
		{ "1:ab|41\n", "pat.txt:1: unterminated |hex| in \"ab|41\"" },
		{ "1:hex:4g\n", "pat.txt:1: invalid hex \"4g\"" },
		{ "# nothing\n", "pat.txt:2: no patterns" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pattern_set ps;
		char err[256] = "";

		EXPECT_NE(0, parse(bad[i][0], &ps, err));
		EXPECT_STREQ(bad[i][1], err);
	}
}

struct found {
	size_t end[64];
	unsigned int count[64];
};

static int collect(unsigned int idx, size_t end, void *ctx)
{
	struct found *f = ctx;

	f->count[idx]++;
	if (f->count[idx] == 1)
		f->end[idx] = end;
	return 0;
}

/* First end offset of @p in @buf, 0 if absent. */
static size_t naive(const uint8_t *buf, size_t len, const struct pattern *p)
{
	size_t i;

	for (i = 0; i + p->len <= len; i++)
		if (!memcmp(buf + i, p->bytes, p->len))
			return i + p->len;
	return 0;
}

static void random_patterns(struct pattern_set *ps, unsigned int n,
			    unsigned int seed)
{
	unsigned int i, k;

	srand(seed);
	ps->n = n;
	ps->p = calloc(n, sizeof(*ps->p));
	for (i = 0; i < n; i++) {
		/* Short words over a 3-letter alphabet: lots of overlap,
		 * prefixes and suffixes of each other, duplicates.
		 */
		ps->p[i].len = 1 + rand() % 6;
		ps->p[i].bytes = malloc(ps->p[i].len);
		ps->p[i].text = strdup("x");
		ps->p[i].id = i + 1;
		for (k = 0; k < ps->p[i].len; k++)
			ps->p[i].bytes[k] = (uint8_t)("abc"[rand() % 3]);
	}
}

static void engines_agree(struct __test_metadata *_metadata,
			  enum matcher_kind kind)
{
	struct pattern_set ps;
	struct matcher m;
	uint8_t buf[512];
	char err[256] = "";
	unsigned int round, i;

	random_patterns(&ps, 40, 7);
	ASSERT_EQ(0, matcher_init(&m, &ps, kind, err, sizeof(err))) TH_LOG("%s", err);
	for (round = 0; round < 300; round++) {
		struct found f = { 0 };
		size_t len = (size_t)(rand() % (int)sizeof(buf));

		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)("abcd"[rand() % 4]);
		matcher_scan(&m, buf, len, collect, &f);
		for (i = 0; i < ps.n; i++) {
			size_t want = naive(buf, len, &ps.p[i]);

			ASSERT_EQ(want ? 1 : 0, f.count[i])
				TH_LOG("%s round %u pattern %u", m.ops->name, round, i);
			if (want)
				ASSERT_EQ(want, f.end[i]);
		}
	}
	matcher_fini(&m);
	patterns_free(&ps);
}

TEST(aho_corasick_matches_naive_search)
{
	engines_agree(_metadata, MATCHER_AC);
}

TEST(hyperscan_matches_naive_search)
{
	struct pattern_set ps;
	struct matcher m;
	char err[256] = "";

	random_patterns(&ps, 1, 1);
	if (matcher_init(&m, &ps, MATCHER_HYPERSCAN, err, sizeof(err))) {
		patterns_free(&ps);
#ifdef NFV_IDS_NO_HYPERSCAN
		/* nf_ids_fallback_unit: built without Hyperscan on purpose. */
		SKIP(return, "legit: the fallback build has no Hyperscan");
#else
		/* libhyperscan-dev is in tools/install-deps: not legitimate. */
		SKIP(return, "%s", err);
#endif
	}
	matcher_fini(&m);
	patterns_free(&ps);
	engines_agree(_metadata, MATCHER_HYPERSCAN);
}

static struct ids *new_ids(uint16_t steer, bool drop)
{
	static struct ids ids;
	char err[256];
	FILE *f;

	ids_free(&ids);
	memset(&ids, 0, sizeof(ids));
	f = fmemopen((void *)"1:EVIL\n2:hex:deadbeef\n", 22, "r");
	if (patterns_parse(f, "p", &ids.ps, err, sizeof(err)))
		return NULL;
	fclose(f);
	if (matcher_init(&ids.m, &ids.ps, MATCHER_AUTO, err, sizeof(err)) ||
	    ids_init(&ids, 16, 300 * 1000000000ull))
		return NULL;
	ids.steer_sid = steer;
	ids.drop = drop;
	ids.now = 1000000000ull;
	return &ids;
}

static struct nfv_pkt *udp(struct tframe *f, const char *src, uint16_t sport,
			   const char *dst, uint16_t dport, const char *msg)
{
	struct nfv_pkt *pkt = tf_ipv4(f, IPPROTO_UDP, src, sport, dst, dport,
				      (uint32_t)strlen(msg));

	memcpy(pkt->data + 42, msg, strlen(msg));
	return pkt;
}

TEST(matching_flows_remembered_and_steered)
{
	struct ids *ids = new_ids(9, false);
	struct nfv_pkt *pkt;
	struct tframe f;

	ASSERT_NE(NULL, ids);
	EXPECT_EQ(NFV_NEXT, ids_handle(udp(&f, "198.18.0.1", 5003, "198.18.0.2",
					   9000, "hello"), ids));
	EXPECT_EQ(NFV_TO_SERVICE(9), ids_handle(udp(&f, "198.18.0.1", 5003,
						    "198.18.0.2", 9000,
						    "xxEVILxx"), ids));
	/* The same flow, clean, both ways: still steered. */
	EXPECT_EQ(NFV_TO_SERVICE(9), ids_handle(udp(&f, "198.18.0.1", 5003,
						    "198.18.0.2", 9000, "ok"), ids));
	EXPECT_EQ(NFV_TO_SERVICE(9), ids_handle(udp(&f, "198.18.0.2", 9000,
						    "198.18.0.1", 5003, "ok"), ids));
	/* Another flow is not. */
	EXPECT_EQ(NFV_NEXT, ids_handle(udp(&f, "198.18.0.1", 5004, "198.18.0.2",
					   9000, "ok"), ids));
	/* Binary pattern; TCP payload after the TCP header only. */
	pkt = tf_ipv4(&f, IPPROTO_TCP, "198.18.0.1", 6000, "198.18.0.2", 80, 8);
	memcpy(pkt->data + 54, "\x01\xde\xad\xbe\xef\x02\x03\x04", 8);
	EXPECT_EQ(NFV_TO_SERVICE(9), ids_handle(pkt, ids));
	EXPECT_EQ(2, ids->st.alerts);
	EXPECT_EQ(2, ids->st.flagged);
	EXPECT_EQ(4, ids->st.steered);
	EXPECT_EQ(1, ids->ps.p[0].hits);
	EXPECT_EQ(1, ids->ps.p[1].hits);
	/* Idle past the timeout: forgotten. */
	EXPECT_EQ(2, ids_sweep(ids, ids->now + 301 * 1000000000ull));
	EXPECT_EQ(NFV_NEXT, ids_handle(udp(&f, "198.18.0.1", 5003, "198.18.0.2",
					   9000, "ok"), ids));
}

TEST(tap_and_drop)
{
	struct ids *ids = new_ids(9, false);
	struct tframe f;
	struct nfv_pkt *pkt;

	ASSERT_NE(NULL, ids);
	pkt = udp(&f, "198.18.0.1", 5005, "198.18.0.2", 9000, "EVIL");
	pkt->flags = NFV_PKT_F_TAP;
	EXPECT_EQ(NFV_NEXT, ids_handle(pkt, ids));	/* never steered */
	EXPECT_EQ(1, ids->st.alerts);
	EXPECT_EQ(1, ids->st.flagged);
	EXPECT_EQ(0, ids->st.steered);
	/* ...but the flow is known when the inline path sees it. */
	EXPECT_EQ(NFV_TO_SERVICE(9), ids_handle(udp(&f, "198.18.0.1", 5005,
						    "198.18.0.2", 9000, "ok"), ids));

	ids = new_ids(0, true);
	ASSERT_NE(NULL, ids);
	EXPECT_EQ(NFV_DROP, ids_handle(udp(&f, "198.18.0.1", 5006, "198.18.0.2",
					   9000, "EVIL"), ids));
	EXPECT_EQ(NFV_DROP, ids_handle(udp(&f, "198.18.0.2", 9000, "198.18.0.1",
					   5006, "fine"), ids));
	EXPECT_EQ(2, ids->st.dropped);
	ids = new_ids(0, false);
	ASSERT_NE(NULL, ids);
	EXPECT_EQ(NFV_NEXT, ids_handle(udp(&f, "198.18.0.1", 5007, "198.18.0.2",
					   9000, "EVIL"), ids));
	EXPECT_EQ(1, ids->st.alerts);
}

TEST_HARNESS_MAIN
