/* SPDX-License-Identifier: GPL-2.0 */
/* The ADD result (CNI 1.0.0, "Success"). */
#ifndef __NFV_CNI_RESULT_H
#define __NFV_CNI_RESULT_H

#include <jansson.h>

#include "cmd.h"

/*
 * @ipam's ips (on interface 1, the container's), routes and dns, and
 * the two interfaces; NULL with the error recorded.
 */
json_t *result_build(const struct cni_ctx *x, json_t *ipam,
		     const char *host_mac, const char *ctr_mac);

#endif
