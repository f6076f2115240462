/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels nfv.ko is built for: Debian's 6.1 (the
 * one the test VM boots) and 6.12.  Kbuild probes the headers and defines
 * NFV_HAVE_* (feature tests, not version numbers); everything else is
 * written once.
 */
#ifndef _NFV_COMPAT_H
#define _NFV_COMPAT_H

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/*
 * Split ops (6.2): generated/netlink.c's nfv_nl_ops[] has a do and a
 * dump entry per command.  6.1 has only struct genl_ops, one entry per
 * command: there the table is of this struct (the 6.12 layout, less the
 * pre/post hooks the spec does not use) and nfv_netlink_init() folds it
 * into genl_ops (nfv_fold_split_ops()).
 */
#ifndef NFV_HAVE_GENL_SPLIT_OPS
struct genl_split_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};
#endif

/*
 * 6.1's struct nla_policy points at a non-const range, which the kernel
 * never writes; the generated ranges are const.
 */
#ifndef NFV_HAVE_CONST_NLA_RANGE
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_TYPE(tp),				\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/*
 * 6.12 exports bpf_map_get() to the BPF_INTERNAL namespace (6.1 to all);
 * importing a namespace nobody exports is harmless.  6.13 made the
 * argument a string.
 */
#ifdef NFV_HAVE_IMPORT_NS_STRING
#define NFV_IMPORT_BPF_NS()	MODULE_IMPORT_NS("BPF_INTERNAL")
#else
#define NFV_IMPORT_BPF_NS()	MODULE_IMPORT_NS(BPF_INTERNAL)
#endif

#endif /* _NFV_COMPAT_H */
