/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-steer's rule table: which chain a new flow goes to.
 *
 *	# comment
 *	proto udp dport 5000 chain 2 reply-chain 5
 *	in f0 src 198.18.0.0/24 chain 3
 *	chain 4				(an empty MATCH: every flow)
 *
 * A rule is `nfvctl flow add`'s arguments: MATCH (nfs/common/match.h)
 * and "chain ID" (1..NFV_CHAIN_MAX), anywhere among MATCH's keywords,
 * and optionally "reply-chain ID": the chain of the flow's replies (a
 * chain ends at an out port, so the replies need their own; without
 * one they are left to their port's default chain);
 * first match wins, a flow no rule matches gets the NF's default
 * action.  A table is immutable once parsed except for its counters.
 */
#ifndef __NFV_STEER_RULES_H
#define __NFV_STEER_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/match.h"

#define STEER_RULES_MAX	4096

struct steer_rule {
	struct nf_match m;
	uint16_t chain;
	uint16_t reply_chain;	/* 0: none */
	unsigned int line;	/* in the rule file */
	char *match;		/* the rule as written, normalised spaces */
	uint64_t flows;		/* flows it steered */
};

struct steer_table {
	struct steer_rule *rules;
	unsigned int n_rules;
};

/*
 * Parse rules from @f; @name is the file name used in messages.  Returns
 * the table, or NULL with "NAME:LINE: what" in @err.
 */
struct steer_table *steer_table_parse(FILE *f, const char *name,
				      nf_port_fn port_fn, void *port_ctx,
				      char *err, size_t err_len);
struct steer_table *steer_table_load(const char *path, nf_port_fn port_fn,
				     void *port_ctx, char *err,
				     size_t err_len);
void steer_table_free(struct steer_table *t);

/* First rule matching @k arriving on @in_port; NULL: none. */
struct steer_rule *steer_match(struct steer_table *t,
			       const struct nf_flow_key *k, bool is_ip,
			       uint16_t in_port);

/* The rules and their flows as JSON members: "rules":[...]. */
void steer_table_json(FILE *f, const struct steer_table *t);

#endif /* __NFV_STEER_RULES_H */
