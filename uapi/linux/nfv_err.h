/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * How the semantic core (nfv_match.h, nfv_chain_rules.h) says no.
 *
 * A check returns a negative errno and fills a struct nfv_err: the text
 * both backends hand back (nfv.ko as the extack message, nfvd as the
 * NLMSGERR_ATTR_MSG of its reply) and the attribute it is about, so the
 * same request gets the same answer, word for word, from either backend.
 * Plain C on the uapi types: it builds in the kernel and in user space.
 */
#ifndef _UAPI_LINUX_NFV_ERR_H
#define _UAPI_LINUX_NFV_ERR_H

#include <linux/types.h>

/* "8" for NFV_HOPS_MAX: limits spelled into messages from the contract. */
#define __NFV_STR(x)	#x
#define NFV_STR(x)	__NFV_STR(x)

/* Bit of attribute @attr in a "given" mask of an nfv_*_attrs struct. */
#define NFV_GIVEN(attr)	(1U << (attr))

/**
 * struct nfv_err - why a check failed
 * @msg: the message, a string constant; NULL while nothing failed
 * @attr: the attribute (of the set being checked) the message is
 *	about, 0 for the request as a whole or the enclosing nest
 * @miss: an attribute that is required and missing, 0 for none
 */
struct nfv_err {
	const char *msg;
	__u16 attr;
	__u16 miss;
};

/**
 * nfv_fail() - record a refusal
 * @e: where to record it
 * @err: the negative errno to return
 * @msg: the message, a string constant
 * @attr: the attribute the message is about, or 0
 * @miss: the required attribute that is missing, or 0
 *
 * Return: @err, so that checks read ``return nfv_fail(e, -EINVAL, ...)``.
 */
static inline int nfv_fail(struct nfv_err *e, int err, const char *msg,
			   __u16 attr, __u16 miss)
{
	e->msg = msg;
	e->attr = attr;
	e->miss = miss;
	return err;
}

#endif /* _UAPI_LINUX_NFV_ERR_H */
