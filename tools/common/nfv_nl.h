/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attributes checked against the generated tables (nfv_nl_policy.h):
 * nfvd's requests, nfvctl's replies.  One parser, libmnl underneath.
 */
#ifndef __NFV_NL_H
#define __NFV_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <libmnl/libmnl.h>

#include "nfv_nl_policy.h"

/* nfv_nl_parse() flags */
#define NFV_NL_REQUEST	0x1	/* only what some request carries */
#define NFV_NL_LENIENT	0x2	/* replies: skip unknown attributes, last
				 * one wins, types checked, nothing else */

struct nfv_nl_err {
	const struct nlattr *attr;	/* the offending one, or NULL */
	const char *msg;
};

/* libmnl's type of attribute @type of @set; MNL_TYPE_UNSPEC: none. */
enum mnl_attr_data_type nfv_nl_mnl_type(const struct nfv_nl_set *set,
					unsigned int type);
/* The spec's name of attribute @type of @set, or NULL. */
const char *nfv_nl_name(const struct nfv_nl_set *set, unsigned int type);

/*
 * Take the attributes in @start..@len apart into @tb[0..set->maxattr],
 * each checked against @set: unknown, duplicated (unless multi-attr, when
 * the first is kept), mistyped, too long or out-of-range ones are refused
 * with -EINVAL or -ERANGE and @e set.  NLA_POLICY_MASK is left to the
 * caller, whose message names the flags.
 */
int nfv_nl_parse(const struct nfv_nl_set *set, const void *start,
		 size_t len, unsigned int flags, const struct nlattr **tb,
		 struct nfv_nl_err *e);

/*
 * The attributes in @start..@len fill it: the last may lack its padding,
 * but no byte follows it (the kernel's strict validation; libmnl's
 * iterators run to NLMSG_ALIGN of the end and would take such bytes for
 * one more header).  nfv_nl_parse() refuses what this refuses.
 */
bool nfv_nl_fills(const void *start, size_t len);

#endif /* __NFV_NL_H */
