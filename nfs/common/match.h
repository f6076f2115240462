/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rule files of the NFs: the `nfvctl flow` MATCH grammar, parsed and
 * matched against a flow key, and the line reader around it.
 *
 *	MATCH := [in DEV] [proto tcp|udp|icmp|icmpv6|sctp|N] [src PFX]
 *		 [dst PFX] [sport N[-M]] [dport N[-M]]
 *
 * Every keyword at most once, in any order; ports only with proto tcp,
 * udp or sctp; an empty MATCH matches every frame.  A rule file has one
 * rule a line; '#' starts a comment; every error is "FILE:LINE: what".
 * What a rule is besides its MATCH (an action, a chain) is the NF's.
 */
#ifndef __NFS_COMMON_MATCH_H
#define __NFS_COMMON_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "flow.h"

#define NF_RULE_LINE_MAX	1024

/* Port id of a fabric netdev (nfv_port_by_name), negative if none. */
typedef int (*nf_port_fn)(const char *dev, void *ctx);

/* A rule file being read: where, and where errors go. */
struct nf_rules_ctx {
	const char *name;	/* the file name, in messages */
	unsigned int line;
	char *err;
	size_t err_len;
	nf_port_fn port_fn;	/* resolves "in DEV"; NULL: none do */
	void *port_ctx;
};

/*
 * The fields of a MATCH.  A rule embeds them with NF_MATCH_GROUP(), the
 * kernel's struct_group(): by name as a struct nf_match, and each field
 * as a member of the rule itself.
 */
#define NF_MATCH_FIELDS							\
	uint8_t family;		/* 0: any, 4 or 6 (implied by src/dst) */ \
	uint8_t proto;							\
	bool has_proto;							\
	bool has_src, has_dst;						\
	uint16_t in_port;	/* 0: any */				\
	uint16_t sport_lo, sport_hi;	/* host order; 0-0: any */	\
	uint16_t dport_lo, dport_hi;					\
	uint8_t src[16], src_mask[16];					\
	uint8_t dst[16], dst_mask[16];

struct nf_match {
	NF_MATCH_FIELDS
};

#define NF_MATCH_GROUP(name)						\
	union {								\
		struct { NF_MATCH_FIELDS };				\
		struct nf_match name;					\
	}

/* "NAME:LINE: " and the message into p->err; returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
int nf_rules_fail(struct nf_rules_ctx *p, const char *fmt, ...);

/* The MATCH words @tok[0..n) into @m (zeroed first): 0 or -EINVAL. */
int nf_match_parse(struct nf_rules_ctx *p, char **tok, int n,
		   struct nf_match *m);

/* Whether @m matches a frame of key @k (@is_ip: @k is valid) on @in_port. */
bool nf_match_test(const struct nf_match *m, const struct nf_flow_key *k,
		   bool is_ip, uint16_t in_port);

/* The words @tok[0..n) joined by single spaces, malloc()ed; NULL: ENOMEM. */
char *nf_words_join(char **tok, int n);

/* One rule: the words of a line with something on it. */
typedef int (*nf_rule_fn)(struct nf_rules_ctx *p, char **tok, int n,
			  void *arg);

/*
 * Read @f line by line: comments and blank lines skipped, each other
 * line split into words for @fn, which returns 0 or -EINVAL (with
 * nf_rules_fail()).  p->line ends at the number of lines read.
 * Returns 0 or -EINVAL with the message in p->err.
 */
int nf_rules_read(FILE *f, struct nf_rules_ctx *p, nf_rule_fn fn, void *arg);

#endif /* __NFS_COMMON_MATCH_H */
