// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-firewall: first-match allow/deny rules (the `nfvctl flow` match
 * grammar) with per-rule counters.  Allowed frames follow their chain,
 * denied ones are dropped.
 *
 * SIGHUP reloads the rule file: it is parsed into a new table, and the
 * table pointer is swapped between batches, so no frame is lost or
 * judged by half a table; a bad file is refused with its line number
 * and the old table stays.  SIGUSR1 prints the counters (and writes
 * --stats-json FILE); they are printed at exit too.
 *
 * --offload: a TCP or UDP frame an "allow" rule (or the default) lets
 * through gives its flow, in its direction, a verdict (libnfv's
 * nfv_flow_offload()): the firewall has judged it.  Once the chain's
 * other NFs agree, its frames go port to port and are counted by
 * `nfvctl offload show`, no longer here.  A reload takes every verdict
 * back first, so that the new rules judge every flow again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <nfv/libnfv.h>

#include "../common/nf.h"
#include "rules.h"

/* Rules whose hits nfvd gets (NFV_NF_COUNTERS_MAX less 3 of our own). */
#define FW_PUBLISHED_RULES	28

struct firewall {
	struct nfv *nf;
	struct fw_table *table;		/* swapped between batches only */
	const char *rules_path;
	const char *stats_json;
	uint64_t reloads, reload_errors;
	bool offload;
	uint64_t verdicts;		/* verdicts given (--offload) */
	/* Own counters published to nfvd (libnfv): hits of the first
	 * FW_PUBLISHED_RULES rules by number, the default's, reloads.
	 */
	int c_rule[FW_PUBLISHED_RULES], c_default, c_reloads, c_reload_errors;
	unsigned int n_c_rule;		/* rules registered so far */
};

static uint32_t allow(struct firewall *fw, struct nfv_pkt *pkt,
		      const struct nf_flow_key *k, bool ip)
{
	if (fw->offload && ip &&
	    (k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP) &&
	    !nfv_flow_offload(fw->nf, pkt, 0))
		fw->verdicts++;
	return NFV_NEXT;
}

static int port_by_name(const char *dev, void *ctx)
{
	struct firewall *fw = ctx;

	return nfv_port_by_name(fw->nf, dev);
}

static uint32_t filter(struct nfv_pkt *pkt, void *ctx)
{
	struct firewall *fw = ctx;
	struct fw_table *t = fw->table;
	struct nf_flow_key k;
	struct fw_rule *r;
	bool ip = nf_flow_key(pkt, &k);

	r = fw_match(t, &k, ip, pkt->meta->in_port);
	if (r) {
		r->packets++;
		r->bytes += pkt->len;
		return r->action == FW_ALLOW ? allow(fw, pkt, &k, ip) : NFV_DROP;
	}
	t->default_packets++;
	t->default_bytes += pkt->len;
	return t->default_action == FW_ALLOW ? allow(fw, pkt, &k, ip) : NFV_DROP;
}

static void reload(struct firewall *fw)
{
	struct fw_table *t;
	char err[512];

	t = fw_table_load(fw->rules_path, port_by_name, fw, err, sizeof(err));
	if (!t) {
		fw->reload_errors++;
		fprintf(stderr, "nfv-firewall: %s; keeping the old rules\n", err);
		return;
	}
	fw_table_carry(t, fw->table);
	fw_table_free(fw->table);
	fw->table = t;
	fw->reloads++;
	/* Flows offloaded on the old rules are judged by the new ones. */
	if (fw->offload && nfv_offload_revoke(fw->nf))
		fprintf(stderr, "nfv-firewall: cannot take offloaded flows back: %s\n",
			strerror(errno));
	fprintf(stderr, "nfv-firewall: reloaded %s: %u rules, default %s\n",
		fw->rules_path, t->n_rules,
		t->default_action == FW_ALLOW ? "allow" : "deny");
}

static void stats_json(FILE *f, void *ctx)
{
	struct firewall *fw = ctx;

	fprintf(f, "{\"rules_file\":\"%s\",\"reloads\":%llu,\"reload_errors\":%llu,\"verdicts\":%llu,",
		fw->rules_path, (unsigned long long)fw->reloads,
		(unsigned long long)fw->reload_errors,
		(unsigned long long)fw->verdicts);
	fw_table_json(f, fw->table);
	fprintf(f, "}\n");
}

static void report(struct firewall *fw)
{
	int err;

	fw_table_print(stdout, fw->table);
	fflush(stdout);
	if (fw->stats_json) {
		err = nf_write_file(fw->stats_json, stats_json, fw);
		if (err)
			fprintf(stderr, "nfv-firewall: %s: %s\n", fw->stats_json,
				strerror(-err));
	}
}

static void counters_register(struct firewall *fw)
{
	fw->c_default = nf_counter(fw->nf, "default_hits",
				   NFV_COUNTER_TYPE_COUNTER,
				   "Frames no rule matched (the default action).",
				   NULL, NULL);
	fw->c_reloads = nf_counter(fw->nf, "reloads", NFV_COUNTER_TYPE_COUNTER,
				   "Rule files reloaded.", NULL, NULL);
	fw->c_reload_errors = nf_counter(fw->nf, "reload_errors",
					 NFV_COUNTER_TYPE_COUNTER,
					 "Rule files refused on reload.",
					 NULL, NULL);
}

/*
 * Each rule number gets its counter when a table first has it; numbers a
 * reload removed count 0 (no counter is ever taken back).
 */
static void counters_update(struct firewall *fw)
{
	const struct fw_table *t = fw->table;
	unsigned int i;
	char rule[16];

	for (; fw->n_c_rule < t->n_rules && fw->n_c_rule < FW_PUBLISHED_RULES;
	     fw->n_c_rule++) {
		snprintf(rule, sizeof(rule), "%u", fw->n_c_rule + 1);
		fw->c_rule[fw->n_c_rule] =
			nf_counter(fw->nf, "rule_hits", NFV_COUNTER_TYPE_COUNTER,
				   "Frames that matched the rule (by number, the first 28).",
				   "rule", rule);
	}
	for (i = 0; i < fw->n_c_rule; i++)
		nfv_counter_set(fw->nf, fw->c_rule[i],
				i < t->n_rules ? t->rules[i].packets : 0);
	nfv_counter_set(fw->nf, fw->c_default, t->default_packets);
	nfv_counter_set(fw->nf, fw->c_reloads, fw->reloads);
	nfv_counter_set(fw->nf, fw->c_reload_errors, fw->reload_errors);
}

static void tick(struct nfv *nf, uint32_t events, void *ctx)
{
	struct firewall *fw = ctx;

	if (events & NFV_EV_HUP)
		reload(fw);
	if (events & NFV_EV_USR1)
		report(fw);
	counters_update(fw);
}

static const char usage[] =
	"Firewall options:\n"
	"  --rules FILE        rule file, required; reloaded on SIGHUP\n"
	"  --stats-json FILE   write the counters as JSON on SIGUSR1 and at exit\n"
	"  --offload           give allowed TCP/UDP flows an offload verdict\n"
	"                      (each direction on its own); a reload takes\n"
	"                      them back\n"
	"\n"
	"Rule file: one rule per line, first match wins, '#' starts a comment:\n"
	"  allow|deny MATCH\n"
	"  default allow|deny          (the last rule, required)\n"
	"  MATCH := [in DEV] [proto tcp|udp|icmp|icmpv6|sctp|N] [src PFX]\n"
	"           [dst PFX] [sport N[-M]] [dport N[-M]]\n"
	"Counters are printed on SIGUSR1 and at exit.\n";

int main(int argc, char **argv)
{
	struct firewall fw = { 0 };
	struct nfv_args args;
	char err[512];
	int i, ret;

	if (nfv_args_parse(&argc, argv, &args, "nfv-firewall", usage))
		return 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rules") && i + 1 < argc) {
			fw.rules_path = argv[++i];
		} else if (!strcmp(argv[i], "--stats-json") && i + 1 < argc) {
			fw.stats_json = argv[++i];
		} else if (!strcmp(argv[i], "--offload")) {
			fw.offload = true;
		} else {
			fprintf(stderr, "nfv-firewall: unknown argument \"%s\"\n",
				argv[i]);
			return 1;
		}
	}
	if (!fw.rules_path) {
		fprintf(stderr, "nfv-firewall: --rules FILE is required\n");
		return 1;
	}
	fw.nf = nfv_init_args(&args);
	if (!fw.nf)
		return 1;
	/* Ports are known once attached: "in DEV" resolves now. */
	fw.table = fw_table_load(fw.rules_path, port_by_name, &fw, err,
				 sizeof(err));
	if (!fw.table) {
		fprintf(stderr, "nfv-firewall: %s\n", err);
		nfv_close(fw.nf);
		return 1;
	}
	fprintf(stderr, "nfv-firewall: %s: %u rules, default %s\n",
		fw.rules_path, fw.table->n_rules,
		fw.table->default_action == FW_ALLOW ? "allow" : "deny");
	counters_register(&fw);
	counters_update(&fw);
	LIBNFV_RUN_OPTS(run_opts, .flags = NF_RUN_SIGNALS,
			.tick = tick);
	ret = nfv_run_opts(fw.nf, filter, &fw, &run_opts);
	report(&fw);
	nfv_close(fw.nf);
	fw_table_free(fw.table);
	return ret ? 1 : 0;
}
