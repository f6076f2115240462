// SPDX-License-Identifier: GPL-2.0
/* nfv-steer rules: MATCH chain ID lines, first match. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/nfv_genl.h>

#include "../common/json.h"
#include "rules.h"

void steer_table_free(struct steer_table *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->n_rules; i++)
		free(t->rules[i].match);
	free(t->rules);
	free(t);
}

static int parse_chain(struct nf_rules_ctx *p, const char *s, uint16_t *chain)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = *s >= '0' && *s <= '9' ? strtoul(s, &end, 10) : 0;
	if (!v || errno || *end || v > NFV_CHAIN_MAX)
		return nf_rules_fail(p, "invalid chain id \"%s\": 1..%d", s,
				     NFV_CHAIN_MAX);
	*chain = (uint16_t)v;
	return 0;
}

/*
 * MATCH with "chain ID" (and "reply-chain ID") among its keywords, as
 * `nfvctl flow add` takes "chain ID".
 */
static int parse_line(struct nf_rules_ctx *p, char **tok, int n, void *arg)
{
	struct steer_table *t = arg;
	struct steer_rule *r;
	char *match[NF_RULE_LINE_MAX / 2];
	int i, m = 0;

	if (t->n_rules >= STEER_RULES_MAX)
		return nf_rules_fail(p, "too many rules (at most %d)",
				     STEER_RULES_MAX);
	r = &t->rules[t->n_rules];
	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++) {
		uint16_t *dst;

		/* Keywords are at even places, their values at odd ones. */
		if (m % 2 || (strcmp(tok[i], "chain") &&
			      strcmp(tok[i], "reply-chain"))) {
			match[m++] = tok[i];
			continue;
		}
		dst = tok[i][0] == 'c' ? &r->chain : &r->reply_chain;
		if (*dst)
			return nf_rules_fail(p, "\"%s\" given twice", tok[i]);
		if (i + 1 == n)
			return nf_rules_fail(p, "\"%s\" needs a value", tok[i]);
		if (parse_chain(p, tok[++i], dst))
			return -EINVAL;
	}
	if (nf_match_parse(p, match, m, &r->m))
		return -EINVAL;
	if (!r->chain)
		return nf_rules_fail(p, "missing \"chain ID\"");
	r->line = p->line;
	r->match = nf_words_join(match, m);
	if (!r->match)
		return nf_rules_fail(p, "out of memory");
	t->n_rules++;
	return 0;
}

struct steer_table *steer_table_parse(FILE *f, const char *name,
				      nf_port_fn port_fn, void *port_ctx,
				      char *err, size_t err_len)
{
	struct nf_rules_ctx p = { .name = name, .err = err, .err_len = err_len,
				  .port_fn = port_fn, .port_ctx = port_ctx };
	struct steer_table *t;

	t = calloc(1, sizeof(*t));
	if (t)
		t->rules = calloc(STEER_RULES_MAX, sizeof(*t->rules));
	if (!t || !t->rules) {
		nf_rules_fail(&p, "out of memory");
		goto err;
	}
	if (nf_rules_read(f, &p, parse_line, t))
		goto err;
	return t;
err:
	steer_table_free(t);
	return NULL;
}

struct steer_table *steer_table_load(const char *path, nf_port_fn port_fn,
				     void *port_ctx, char *err, size_t err_len)
{
	struct steer_table *t;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	t = steer_table_parse(f, path, port_fn, port_ctx, err, err_len);
	fclose(f);
	return t;
}

struct steer_rule *steer_match(struct steer_table *t,
			       const struct nf_flow_key *k, bool is_ip,
			       uint16_t in_port)
{
	unsigned int i;

	for (i = 0; i < t->n_rules; i++)
		if (nf_match_test(&t->rules[i].m, k, is_ip, in_port))
			return &t->rules[i];
	return NULL;
}

void steer_table_json(FILE *f, const struct steer_table *t)
{
	unsigned int i;

	fprintf(f, "\"rules\":[");
	for (i = 0; i < t->n_rules; i++) {
		const struct steer_rule *r = &t->rules[i];

		fprintf(f, "%s{\"rule\":%u,\"line\":%u,\"chain\":%u,"
			"\"reply_chain\":%u,\"match\":",
			i ? "," : "", i + 1, r->line, r->chain, r->reply_chain);
		nf_json_string(f, r->match);
		fprintf(f, ",\"flows\":%llu}", (unsigned long long)r->flows);
	}
	fprintf(f, "]");
}
