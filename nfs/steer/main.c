// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-steer: a flow director.  It sits on a default chain and sees the
 * first frames of each flow: the first rule of --rules matching the flow
 * names its chain, and nfv-steer asks the fabric for two exact rules
 * (nfv_flow_add(): the flow to that chain and, given a reply-chain, its
 * replies to that one; --idle MS idle timeout), so that the flow's later
 * frames skip it.
 *
 * The frames it sees itself follow the chain they came on (NFV_NEXT):
 * an NF has no action that moves a frame to another chain (libnfv.h:
 * NFV_NEXT, NFV_DROP, NFV_TO_SERVICE, NFV_OUT; a TO_SERVICE frame stays
 * on its chain).  So the first frames of a flow, up to when the fabric
 * has the rules, take the default chain; the rest take the flow's chain.
 *
 * Flows are remembered (libnfv's flow table, both directions one entry)
 * with their chain, so the rules of a flow are asked for once a second
 * at most, whatever the frames in flight (a rule that could not be sent,
 * nfvd's socket full, is tried again with the flow's next frame), and a
 * reply takes its flow's chain.  SIGHUP reloads the rule file (a bad one is refused with its
 * line and the old rules stay); flows already steered keep their chain
 * until their rules time out.  SIGUSR1 prints the counters as JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/nfv_match.h>
#include <nfv/ftable.h>
#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "rules.h"

#define NSEC		1000000000ull
#define STEER_FLOWS	65536		/* flows remembered at once */
#define STEER_RESEND_NS	NSEC		/* a flow's rules, once a second */

/* What nfv-steer remembers of a flow. */
struct steer_flow {
	uint64_t seen_ns;	/* last frame */
	uint64_t sent_ns;	/* rules last asked for; 0: never */
	uint16_t chain;		/* 0: no rule matched (default action) */
	uint16_t reply_chain;	/* its replies'; 0: none */
	bool fwd_swapped;	/* its first frame went against the key */
	uint8_t unsent;		/* STEER_DIR_* rules still to send */
};

/* The two rules of a flow: its own direction (its first frame's), its
 * replies'.
 */
#define STEER_DIR_FWD	(1u << 0)
#define STEER_DIR_REPLY	(1u << 1)

struct steer {
	struct nfv *nf;
	struct steer_table *table;	/* swapped between batches only */
	struct nfv_ftable *flows;
	const char *rules_path;
	uint32_t idle_ms;
	bool drop_unmatched;		/* --default-action drop */
	/* Counters, published to nfvd (nf_published). */
	uint64_t flows_steered, unmatched, rules_sent, rules_failed;
	uint64_t not_steerable, untracked, reloads, reload_errors;
};

static int send_rule(struct steer *s, const struct nfv_match *m,
		     uint16_t chain)
{
	if (nfv_flow_add(s->nf, m, chain, s->idle_ms) < 0) {
		s->rules_failed++;
		return -1;
	}
	s->rules_sent++;
	return 0;
}

/*
 * Send the rules @unsent (STEER_DIR_*) of @f, whose frame @pkt (match @m)
 * goes its way (@fwd) or is a reply.  The other direction's rule first:
 * once @pkt's own is in, its frames no longer come here to have a
 * missing one tried again.  Returns the rules not sent (-EAGAIN, nfvd's
 * socket full: the next frame tries again).
 */
static uint8_t send_rules(struct steer *s, struct nfv_pkt *pkt,
			  const struct nfv_match *m,
			  const struct steer_flow *f, uint8_t unsent, bool fwd)
{
	uint8_t own = fwd ? STEER_DIR_FWD : STEER_DIR_REPLY;
	uint8_t other = own ^ (STEER_DIR_FWD | STEER_DIR_REPLY);
	uint16_t own_chain = fwd ? f->chain : f->reply_chain;
	uint16_t other_chain = fwd ? f->reply_chain : f->chain;
	struct nfv_match r;

	if ((unsent & other) && other_chain) {
		if (nfv_pkt_match(pkt, true, &r)) {
			s->rules_failed++;
			return unsent;
		}
		if (send_rule(s, &r, other_chain))
			return unsent;
	}
	if ((unsent & own) && own_chain && send_rule(s, m, own_chain))
		return own;
	return 0;
}

/*
 * The chains of a flow seen for the first time (or again after --idle),
 * in the direction of this frame (@k).
 */
static void decide(struct steer *s, const struct nf_flow_key *k,
		   uint16_t in_port, struct steer_flow *f)
{
	struct steer_rule *r = steer_match(s->table, k, true, in_port);

	if (!r)
		return;
	r->flows++;
	s->flows_steered++;
	f->chain = r->chain;
	f->reply_chain = r->reply_chain;
}

/* A frame of a flow no rule matched. */
static uint32_t unmatched(struct steer *s)
{
	s->unmatched++;
	return s->drop_unmatched ? NFV_DROP : NFV_NEXT;
}

static uint32_t steer(struct nfv_pkt *pkt, void *ctx)
{
	struct steer *s = ctx;
	uint64_t now = nfv_batch_ns(s->nf);
	struct nfv_ftable_key key;
	struct nf_flow_key k, c;
	struct steer_flow *f;
	bool created, swapped;
	struct nfv_match m;

	/* No 5-tuple (ARP, a later fragment...): no rule can take it. */
	if (nfv_pkt_match(pkt, false, &m) || !nf_flow_key(pkt, &k)) {
		s->not_steerable++;
		return NFV_NEXT;
	}
	c = k;
	swapped = nf_flow_canon(&c);
	nf_ftable_key(&key, &c);
	f = nfv_ftable_insert(s->flows, &key, pkt->meta->hash, now, &created);
	if (!f) {
		/* Table full: steer it all the same, without the limit. */
		struct steer_rule *r = steer_match(s->table, &k, true,
						   pkt->meta->in_port);

		struct steer_flow one = { 0 };

		s->untracked++;
		if (!r)
			return unmatched(s);
		one.chain = r->chain;
		one.reply_chain = r->reply_chain;
		send_rules(s, pkt, &m, &one, STEER_DIR_FWD | STEER_DIR_REPLY,
			   true);
		return NFV_NEXT;
	}
	if (!created && now - f->seen_ns > s->idle_ms * 1000000ull)
		memset(f, 0, sizeof(*f));	/* idle: its rules are gone */
	if (!f->seen_ns) {
		decide(s, &k, pkt->meta->in_port, f);
		f->fwd_swapped = swapped;
	}
	f->seen_ns = now;
	if (!f->chain)
		return unmatched(s);
	/* Its frames still come a second later: refused, or gone. */
	if (!f->sent_ns || now - f->sent_ns >= STEER_RESEND_NS) {
		f->unsent = STEER_DIR_FWD | STEER_DIR_REPLY;
		f->sent_ns = now;
	}
	if (f->unsent)
		f->unsent = send_rules(s, pkt, &m, f, f->unsent,
				     swapped == f->fwd_swapped);
	return NFV_NEXT;
}

static int port_by_name(const char *dev, void *ctx)
{
	struct steer *s = ctx;

	return nfv_port_by_name(s->nf, dev);
}

static void reload(struct steer *s)
{
	struct steer_table *t;
	char err[512];

	t = steer_table_load(s->rules_path, port_by_name, s, err, sizeof(err));
	if (!t) {
		s->reload_errors++;
		fprintf(stderr, "nfv-steer: %s; keeping the old rules\n", err);
		return;
	}
	steer_table_free(s->table);
	s->table = t;
	s->reloads++;
	fprintf(stderr, "nfv-steer: reloaded %s: %u rules\n", s->rules_path,
		t->n_rules);
}

static void report(struct steer *s)
{
	struct nfv_ftable_stats st;

	nfv_ftable_stats(s->flows, &st);
	printf("{\"flows_steered\":%llu,\"unmatched\":%llu,\"rules_sent\":%llu,"
	       "\"rules_failed\":%llu,\"not_steerable\":%llu,\"untracked\":%llu,"
	       "\"flows\":%llu,\"reloads\":%llu,\"reload_errors\":%llu,",
	       (unsigned long long)s->flows_steered,
	       (unsigned long long)s->unmatched,
	       (unsigned long long)s->rules_sent,
	       (unsigned long long)s->rules_failed,
	       (unsigned long long)s->not_steerable,
	       (unsigned long long)s->untracked,
	       (unsigned long long)st.entries,
	       (unsigned long long)s->reloads,
	       (unsigned long long)s->reload_errors);
	steer_table_json(stdout, s->table);
	printf("}\n");
	fflush(stdout);
}

static struct nf_published published[] = {
	{ "flows_steered", NFV_COUNTER_TYPE_COUNTER,
	  "Flows a rule gave a chain.", NULL, false, -1 },
	{ "unmatched", NFV_COUNTER_TYPE_COUNTER,
	  "Frames of flows no rule matched (the default action).", NULL, false, -1 },
	{ "rules_sent", NFV_COUNTER_TYPE_COUNTER,
	  "Flow rules sent to nfvd (two a flow: it and its replies).",
	  NULL, false, -1 },
	{ "rules_failed", NFV_COUNTER_TYPE_COUNTER,
	  "Flow rules that could not be sent.", NULL, false, -1 },
	{ "not_steerable", NFV_COUNTER_TYPE_COUNTER,
	  "Frames without a TCP, UDP or ICMP 5-tuple, passed on.",
	  NULL, false, -1 },
	{ "untracked", NFV_COUNTER_TYPE_COUNTER,
	  "Frames of flows the flow table had no room for.", NULL, false, -1 },
	{ "reloads", NFV_COUNTER_TYPE_COUNTER, "Rule files reloaded.",
	  NULL, false, -1 },
	{ "reload_errors", NFV_COUNTER_TYPE_COUNTER,
	  "Rule files refused on reload.", NULL, false, -1 },
};

static void counters_register(struct steer *s)
{
	const uint64_t *v[] = {
		&s->flows_steered, &s->unmatched, &s->rules_sent,
		&s->rules_failed, &s->not_steerable, &s->untracked,
		&s->reloads, &s->reload_errors,
	};
	size_t i;

	for (i = 0; i < sizeof(published) / sizeof(published[0]); i++)
		published[i].v = v[i];
	nf_publish_register(s->nf, published,
			    sizeof(published) / sizeof(published[0]));
}

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	struct steer *s = ctx;

	if (events & NFV_EV_HUP)
		reload(s);
	if (events & NFV_EV_USR1)
		report(s);
	nfv_ftable_expire(s->flows, nf_now_ns(CLOCK_MONOTONIC), 4096);
	nf_publish_update(nf, published,
			  sizeof(published) / sizeof(published[0]));
}

static const char usage[] =
	"Steer options:\n"
	"  --rules FILE        rule file, required; reloaded on SIGHUP\n"
	"  --idle MS           idle timeout of the flow rules it installs\n"
	"                      (default 10000)\n"
	"  --default-action drop|forward\n"
	"                      flows no rule matches: dropped, or on along\n"
	"                      the default chain (default forward)\n"
	"\n"
	"Rule file: one rule per line, first match wins, '#' starts a comment:\n"
	"  MATCH chain ID\n"
	"  MATCH := [in DEV] [proto tcp|udp|icmp|icmpv6|sctp|N] [src PFX]\n"
	"           [dst PFX] [sport N[-M]] [dport N[-M]]\n"
	"nfvd's policy must grant the NF flow rules (\"flows chains N-M\").\n"
	"Counters are printed as JSON on SIGUSR1 and at exit.\n";

static int parse_args(struct steer *s, int argc, char **argv)
{
	const char *a;
	int i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (!strcmp(a, "--rules") && i + 1 < argc) {
			s->rules_path = argv[++i];
		} else if (!strcmp(a, "--idle") && i + 1 < argc) {
			if (nf_parse_u32(argv[++i], 1, 86400000, &s->idle_ms)) {
				fprintf(stderr, "nfv-steer: --idle: 1..86400000 ms\n");
				return -EINVAL;
			}
		} else if (!strcmp(a, "--default-action") && i + 1 < argc) {
			a = argv[++i];
			if (strcmp(a, "drop") && strcmp(a, "forward")) {
				fprintf(stderr, "nfv-steer: --default-action: drop or forward\n");
				return -EINVAL;
			}
			s->drop_unmatched = !strcmp(a, "drop");
		} else {
			fprintf(stderr, "nfv-steer: unknown argument \"%s\"\n", a);
			return -EINVAL;
		}
	}
	if (!s->rules_path) {
		fprintf(stderr, "nfv-steer: --rules FILE is required\n");
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct steer s = { .idle_ms = 10000 };
	struct nfv_args args;
	char err[512];
	int ret = 1;

	if (nfv_args_parse(&argc, argv, &args, "nfv-steer", usage) ||
	    parse_args(&s, argc, argv))
		return 1;
	s.flows = nfv_ftable_create(STEER_FLOWS, sizeof(struct steer_flow),
				    s.idle_ms * 1000000ull);
	if (!s.flows) {
		fprintf(stderr, "nfv-steer: flow table: %s\n", strerror(errno));
		return 1;
	}
	s.nf = nfv_init_args(&args);
	if (!s.nf)
		goto out;
	/* Ports are known once attached: "in DEV" resolves now. */
	s.table = steer_table_load(s.rules_path, port_by_name, &s, err,
				   sizeof(err));
	if (!s.table) {
		fprintf(stderr, "nfv-steer: %s\n", err);
		goto out;
	}
	fprintf(stderr, "nfv-steer: %s: %u rules, idle %u ms, default %s\n",
		s.rules_path, s.table->n_rules, s.idle_ms,
		s.drop_unmatched ? "drop" : "forward");
	counters_register(&s);
	LIBNFV_RUN_OPTS(run_opts, .tick = tick, .tick_ms = 1000,
			.flags = NF_RUN_SIGNALS | NFV_RUN_F_BATCH_TIME);
	ret = nfv_run_opts(s.nf, steer, &s, &run_opts) ? 1 : 0;
	report(&s);
out:
	nfv_close(s.nf);
	steer_table_free(s.table);
	nfv_ftable_free(s.flows);
	return ret;
}
