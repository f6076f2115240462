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
 * icmpv6|sctp|N, src PFX, dst PFX, sport N[-M], dport N[-M].  A table is
 * immutable once parsed except for its counters; a reload parses a new
 * one and the NF swaps the pointer between batches.
 */
#ifndef __NFV_FIREWALL_RULES_H
#define __NFV_FIREWALL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/flow.h"

#define FW_RULES_MAX	4096
#define FW_LINE_MAX	1024

enum fw_action {
	FW_ALLOW,
	FW_DENY,
};

struct fw_rule {
	uint8_t action;		/* enum fw_action */
	uint8_t family;		/* 0: any, 4 or 6 (implied by src/dst) */
	uint8_t proto;
	bool has_proto;
	bool has_src, has_dst;
	uint16_t in_port;	/* 0: any */
	uint16_t sport_lo, sport_hi;	/* host order; 0-0: any */
	uint16_t dport_lo, dport_hi;
	uint8_t src[16], src_mask[16];
	uint8_t dst[16], dst_mask[16];
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

/* Port id of a fabric netdev (nfv_port_by_name), negative if none. */
typedef int (*fw_port_fn)(const char *dev, void *ctx);

/*
 * Parse rules from @f; @name is the file name used in messages.  Returns
 * the table, or NULL with "NAME:LINE: what" in @err.
 */
struct fw_table *fw_table_parse(FILE *f, const char *name, fw_port_fn port_fn,
				void *port_ctx, char *err, size_t err_len);
struct fw_table *fw_table_load(const char *path, fw_port_fn port_fn,
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
