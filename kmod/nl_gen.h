/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kmod/generated/netlink.c (ynl-gen-c's, never edited) is compiled
 * with: Kbuild puts this header in front of it.
 *
 * compat.h gives it what the kernel at hand lacks (6.1: split ops, const
 * ranges).  And nfv's rule for flags attributes: unknown bits are refused
 * with -EOPNOTSUPP by the handler, which knows the mask (__NFV_*_F_ALL),
 * as OVS and WireGuard do; for a flags enum ynl-gen-c emits
 * NLA_POLICY_MASK, which would refuse them first with -EINVAL.  So the
 * policy keeps the type check only; every handler taking a flags
 * attribute (port and chain NEW) checks the mask.
 */
#ifndef _NFV_NL_GEN_H
#define _NFV_NL_GEN_H

#include "compat.h"

#undef NLA_POLICY_MASK
#define NLA_POLICY_MASK(tp, _mask) {					\
	.type = NLA_ENSURE_UINT_TYPE(tp) + BUILD_BUG_ON_ZERO(!(_mask)),	\
}

#endif /* _NFV_NL_GEN_H */
