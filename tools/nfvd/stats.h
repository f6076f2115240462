/* SPDX-License-Identifier: GPL-2.0 */
/*
 * STATS_GET (stats.c).
 */
#ifndef __NFVD_STATS_H
#define __NFVD_STATS_H

#include "control.h"

extern const struct nfvd_obj stats_obj;

#endif /* __NFVD_STATS_H */
