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

/*
 * The genl API moved under us (6.2 split ops, pre_doit signatures, dump
 * info layout), but struct genl_ops with per-op policies and plain
 * doit/dumpit, which netlink.c uses, exists unchanged in both.
 */

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
