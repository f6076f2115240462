/* SPDX-License-Identifier: GPL-2.0 */
/* The CNI specification versions nfv-cni speaks. */
#ifndef __NFV_CNI_VERSION_H
#define __NFV_CNI_VERSION_H

#include <stdbool.h>
#include <string.h>

#define CNI_VERSION_LATEST	"1.0.0"

/*
 * Only 1.0.0: its result and its CHECK are what this plugin builds
 * (0.4.0's result differs in "version" fields; nobody here needs it).
 */
static inline bool cni_version_supported(const char *v)
{
	return !strcmp(v, CNI_VERSION_LATEST);
}

#endif
