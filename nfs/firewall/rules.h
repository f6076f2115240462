/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Firewall rule tables: parsed from a file, matched first-match-wins.
 *
 *	# comment
 *	allow in f0 proto udp dst 198.18.0.0/24 dport 9000-9100
 *	deny src 198.18.0.7
 *	default allow
 *
 * MATCH is the grammar of `nfvctl flow`: in DEV, proto tcp|udp|icmp|
 * icmpv6|sctp|N, src PFX, dst PFX, sport N[-M], dport N[-M], parsed
 * and matched by nfs/common/match.c, which nfv-steer shares.  A table is
 * immutable once parsed except for its counters; a reload parses a new
 * one and the NF swaps the pointer between batches.
 */
#ifndef __NFV_FIREWALL_RULES_H
#define __NFV_FIREWALL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/match.h"

#define FW_RULES_MAX	4096

enum fw_action {
	FW_ALLOW,
	FW_DENY,
};

struct fw_rule {
	uint8_t action;		/* enum fw_action */
	NF_MATCH_GROUP(m);	/* the MATCH (nfs/common/match.h) */
	unsigned int line;	/* in the rule file */
	char *match;		/* the MATCH as written, normalised spaces */
	uint64_t packets, bytes;
};

struct fw_table {
	struct fw_rule *rules;
	unsigned int n_rules;
	uint8_t default_action;
	unsigned int default_line;
	uint64_t default_packets, default_bytes;
};

/*
 * Parse rules from @f; @name is the file name used in messages.  Returns
 * the table, or NULL with "NAME:LINE: what" in @err.
 */
struct fw_table *fw_table_parse(FILE *f, const char *name, nf_port_fn port_fn,
				void *port_ctx, char *err, size_t err_len);
struct fw_table *fw_table_load(const char *path, nf_port_fn port_fn,
			       void *port_ctx, char *err, size_t err_len);
void fw_table_free(struct fw_table *t);

/*
 * Carry counters from @old into @t for rules that did not change (same
 * action and match, matched in order), so a reload keeps history.
 */
void fw_table_carry(struct fw_table *t, const struct fw_table *old);

/* First matching rule for @k arriving on @in_port; NULL: the default. */
struct fw_rule *fw_match(struct fw_table *t, const struct nf_flow_key *k,
			 bool is_ip, uint16_t in_port);

/* Text ("rule 1 line 3 allow MATCH packets N bytes M") and JSON. */
void fw_table_print(FILE *f, const struct fw_table *t);
void fw_table_json(FILE *f, const struct fw_table *t);

#endif /* __NFV_FIREWALL_RULES_H */
