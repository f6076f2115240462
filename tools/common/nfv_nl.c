// SPDX-License-Identifier: GPL-2.0
/*
 * The one attribute validator of nfvd and nfvctl, over the tables
 * tools/ynl-regen generates from uapi/nfv.yaml (nfv_nl_policy.c).
 */
#include <errno.h>
#include <string.h>

#include "nfv_nl.h"

static const struct nla_policy *policy_of(const struct nfv_nl_set *set,
					  unsigned int type)
{
	if (type > set->maxattr || set->policy[type].type == NLA_UNSPEC)
		return NULL;
	return &set->policy[type];
}

static enum mnl_attr_data_type mnl_type(const struct nla_policy *p)
{
	switch (p->type) {
	case NLA_U8:		return MNL_TYPE_U8;
	case NLA_U16:		return MNL_TYPE_U16;
	case NLA_U32:		return MNL_TYPE_U32;
	case NLA_U64:		return MNL_TYPE_U64;
	case NLA_STRING:	return MNL_TYPE_STRING;
	case NLA_NUL_STRING:	return MNL_TYPE_NUL_STRING;
	case NLA_FLAG:		return MNL_TYPE_FLAG;
	case NLA_NESTED:	return MNL_TYPE_NESTED;
	case NLA_BINARY:	return MNL_TYPE_BINARY;
	}
	return MNL_TYPE_UNSPEC;	/* not in nfv's spec: refused as unknown */
}

enum mnl_attr_data_type nfv_nl_mnl_type(const struct nfv_nl_set *set,
					unsigned int type)
{
	const struct nla_policy *p = policy_of(set, type);

	return p ? mnl_type(p) : MNL_TYPE_UNSPEC;
}

const char *nfv_nl_name(const struct nfv_nl_set *set, unsigned int type)
{
	return type <= set->maxattr ? set->attrs[type].name : NULL;
}

/* The limits of an integer policy, as the kernel's nla_get_range_unsigned. */
static void int_range(const struct nla_policy *p, uint64_t *min,
		      uint64_t *max)
{
	static const uint64_t type_max[] = {
		[NLA_U8] = UINT8_MAX, [NLA_U16] = UINT16_MAX,
		[NLA_U32] = UINT32_MAX, [NLA_U64] = UINT64_MAX,
	};

	*min = 0;
	*max = p->type < NLA_ARRAY_SIZE(type_max) ? type_max[p->type] :
	       UINT16_MAX;
	switch (p->validation_type) {
	case NLA_VALIDATE_RANGE:
		*min = (uint64_t)p->min;
		*max = (uint64_t)p->max;
		break;
	case NLA_VALIDATE_MIN:
		*min = (uint64_t)p->min;
		break;
	case NLA_VALIDATE_MAX:
		*max = (uint64_t)p->max;
		break;
	case NLA_VALIDATE_RANGE_PTR:
		*min = p->range->min;
		*max = p->range->max;
		break;
	}
}

static int fail(struct nfv_nl_err *e, const struct nlattr *a, int err,
		const char *msg)
{
	e->attr = a;
	e->msg = msg;
	return err;
}

static int check(const struct nla_policy *p, const struct nlattr *a,
		 struct nfv_nl_err *e)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	uint64_t v, min, max;

	if (mnl_attr_validate(a, mnl_type(p)) < 0)
		return fail(e, a, -EINVAL, "attribute has the wrong type");
	switch (p->type) {
	case NLA_U8:
		v = mnl_attr_get_u8(a);
		break;
	case NLA_U16:
		v = mnl_attr_get_u16(a);
		break;
	case NLA_U32:
		v = mnl_attr_get_u32(a);
		break;
	case NLA_U64:
		v = mnl_attr_get_u64(a);
		break;
	case NLA_NUL_STRING:
	case NLA_STRING:
		/* .len: the longest string, without its NUL */
		if (p->len && len > p->len + (p->type == NLA_NUL_STRING))
			return fail(e, a, -EINVAL, "string too long");
		return 0;
	case NLA_BINARY:
		if (p->validation_type == NLA_VALIDATE_NONE)
			return 0;
		int_range(p, &min, &max);
		if (len < min || len > max)
			return fail(e, a, -EINVAL,
				    "attribute has the wrong length");
		return 0;
	default:
		return 0;
	}
	if (p->validation_type == NLA_VALIDATE_NONE ||
	    p->validation_type == NLA_VALIDATE_MASK)
		return 0;
	int_range(p, &min, &max);
	if (v < min || v > max)
		return fail(e, a, -ERANGE, "value out of range");
	return 0;
}

bool nfv_nl_fills(const void *start, size_t len)
{
	const char *end = (const char *)start + len;
	const struct nlattr *a = start;

	while (mnl_attr_ok(a, (int)(end - (const char *)a)))
		a = mnl_attr_next(a);
	return (const char *)a >= end;
}

int nfv_nl_parse(const struct nfv_nl_set *set, const void *start,
		 size_t len, unsigned int flags, const struct nlattr **tb,
		 struct nfv_nl_err *e)
{
	const char *end = (const char *)start + len;
	const struct nlattr *a;
	int err;

	memset(tb, 0, sizeof(*tb) * ((size_t)set->maxattr + 1));
	for (a = start; mnl_attr_ok(a, (int)(end - (const char *)a));
	     a = mnl_attr_next(a)) {
		uint16_t t = mnl_attr_get_type(a);
		const struct nla_policy *p = policy_of(set, t);

		if (flags & NFV_NL_LENIENT) {
			if (!p || mnl_type(p) == MNL_TYPE_UNSPEC)
				continue;	/* newer server: ignore */
			if (mnl_attr_validate(a, mnl_type(p)) < 0)
				return fail(e, a, -EPROTO,
					    "attribute has the wrong type");
			tb[t] = a;
			continue;
		}
		if (!p || mnl_type(p) == MNL_TYPE_UNSPEC ||
		    ((flags & NFV_NL_REQUEST) && !set->attrs[t].request))
			return fail(e, a, -EINVAL, "unknown attribute");
		if (tb[t] && !set->attrs[t].multi)
			return fail(e, a, -EINVAL, "duplicate attribute");
		err = check(p, a, e);
		if (err)
			return err;
		if (!tb[t])
			tb[t] = a;
	}
	/*
	 * The last attribute may lack its padding (a is then past end), but
	 * nothing may follow it: as the kernel's strict validation, which
	 * refuses even 1 to 3 bytes, and they would be a header to libmnl's
	 * iterators, which run to NLMSG_ALIGN of the end.
	 */
	if ((const char *)a < end)
		return fail(e, NULL, -EINVAL, end - (const char *)a >= 4 ?
			    "truncated attribute" :
			    "bytes leftover after parsing attributes");
	return 0;
}
