// SPDX-License-Identifier: GPL-2.0
/*
 * nf_ids_unit again, built without Hyperscan: the fallback alone must build,
 * and "auto" must pick Aho-Corasick (the Hyperscan case skips).
 */
#define NFV_IDS_NO_HYPERSCAN
#include "nf_ids_unit.c"
