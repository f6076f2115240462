// SPDX-License-Identifier: GPL-2.0
/*
 * Firewall rules: a rule file of ACTION MATCH lines (the MATCH is
 * nfs/common/match.c's), first match, counters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json.h"
#include "rules.h"

static int parse_action(const char *s, uint8_t *action)
{
	if (!strcmp(s, "allow"))
		*action = FW_ALLOW;
	else if (!strcmp(s, "deny"))
		*action = FW_DENY;
	else
		return -EINVAL;
	return 0;
}

void fw_table_free(struct fw_table *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->n_rules; i++)
		free(t->rules[i].match);
	free(t->rules);
	free(t);
}

struct parse_state {
	struct fw_table *t;
	bool done;		/* "default" seen */
};

/* One rule: ACTION MATCH, or "default ACTION" as the last. */
static int parse_line(struct nf_rules_ctx *p, char **tok, int n, void *arg)
{
	struct parse_state *st = arg;
	struct fw_table *t = st->t;
	struct fw_rule *r;

	if (st->done)
		return nf_rules_fail(p, "rule after \"default\" (it must be the last rule)");
	if (!strcmp(tok[0], "default")) {
		if (n != 2 || parse_action(tok[1], &t->default_action))
			return nf_rules_fail(p, "expected \"default allow\" or \"default deny\"");
		t->default_line = p->line;
		st->done = true;
		return 0;
	}
	if (t->n_rules >= FW_RULES_MAX)
		return nf_rules_fail(p, "too many rules (at most %d)", FW_RULES_MAX);
	r = &t->rules[t->n_rules];
	memset(r, 0, sizeof(*r));
	if (parse_action(tok[0], &r->action))
		return nf_rules_fail(p, "unknown action \"%s\": allow, deny or default",
				     tok[0]);
	if (nf_match_parse(p, tok + 1, n - 1, &r->m))
		return -EINVAL;
	r->line = p->line;
	r->match = nf_words_join(tok + 1, n - 1);
	if (!r->match)
		return nf_rules_fail(p, "out of memory");
	t->n_rules++;
	return 0;
}

struct fw_table *fw_table_parse(FILE *f, const char *name, nf_port_fn port_fn,
				void *port_ctx, char *err, size_t err_len)
{
	struct nf_rules_ctx p = { .name = name, .err = err, .err_len = err_len,
				  .port_fn = port_fn, .port_ctx = port_ctx };
	struct parse_state st = { 0 };
	struct fw_table *t;

	t = calloc(1, sizeof(*t));
	if (t)
		t->rules = calloc(FW_RULES_MAX, sizeof(*t->rules));
	if (!t || !t->rules) {
		nf_rules_fail(&p, "out of memory");
		goto err;
	}
	st.t = t;
	if (nf_rules_read(f, &p, parse_line, &st))
		goto err;
	if (!st.done) {
		p.line++;
		nf_rules_fail(&p, "missing \"default allow|deny\" as the last rule");
		goto err;
	}
	return t;
err:
	fw_table_free(t);
	return NULL;
}

struct fw_table *fw_table_load(const char *path, nf_port_fn port_fn,
			       void *port_ctx, char *err, size_t err_len)
{
	struct fw_table *t;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	t = fw_table_parse(f, path, port_fn, port_ctx, err, err_len);
	fclose(f);
	return t;
}

void fw_table_carry(struct fw_table *t, const struct fw_table *old)
{
	unsigned int i, j = 0;

	/* Walk both in order: an unchanged rule keeps its counters. */
	for (i = 0; i < t->n_rules; i++) {
		unsigned int k;

		for (k = j; k < old->n_rules; k++) {
			const struct fw_rule *o = &old->rules[k];

			if (o->action == t->rules[i].action &&
			    !strcmp(o->match, t->rules[i].match)) {
				t->rules[i].packets = o->packets;
				t->rules[i].bytes = o->bytes;
				j = k + 1;
				break;
			}
		}
	}
	if (t->default_action == old->default_action) {
		t->default_packets = old->default_packets;
		t->default_bytes = old->default_bytes;
	}
}

struct fw_rule *fw_match(struct fw_table *t, const struct nf_flow_key *k,
			 bool is_ip, uint16_t in_port)
{
	unsigned int i;

	for (i = 0; i < t->n_rules; i++)
		if (nf_match_test(&t->rules[i].m, k, is_ip, in_port))
			return &t->rules[i];
	return NULL;
}

static const char *action_name(uint8_t a)
{
	return a == FW_ALLOW ? "allow" : "deny";
}

void fw_table_print(FILE *f, const struct fw_table *t)
{
	unsigned int i;

	for (i = 0; i < t->n_rules; i++) {
		const struct fw_rule *r = &t->rules[i];

		fprintf(f, "rule %u line %u %s%s%s packets %llu bytes %llu\n",
			i + 1, r->line, action_name(r->action),
			*r->match ? " " : "", r->match,
			(unsigned long long)r->packets,
			(unsigned long long)r->bytes);
	}
	fprintf(f, "default %s packets %llu bytes %llu\n",
		action_name(t->default_action),
		(unsigned long long)t->default_packets,
		(unsigned long long)t->default_bytes);
}

void fw_table_json(FILE *f, const struct fw_table *t)
{
	unsigned int i;

	fprintf(f, "\"rules\":[");
	for (i = 0; i < t->n_rules; i++) {
		const struct fw_rule *r = &t->rules[i];

		fprintf(f, "%s{\"rule\":%u,\"line\":%u,\"action\":\"%s\",\"match\":",
			i ? "," : "", i + 1, r->line, action_name(r->action));
		nf_json_string(f, r->match);
		fprintf(f, ",\"packets\":%llu,\"bytes\":%llu}",
			(unsigned long long)r->packets,
			(unsigned long long)r->bytes);
	}
	fprintf(f, "],\"default\":{\"line\":%u,\"action\":\"%s\",\"packets\":%llu,\"bytes\":%llu}",
		t->default_line, action_name(t->default_action),
		(unsigned long long)t->default_packets,
		(unsigned long long)t->default_bytes);
}
