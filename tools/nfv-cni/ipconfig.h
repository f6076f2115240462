/* SPDX-License-Identifier: GPL-2.0 */
/* IPAM's result, configured on the container's interface. */
#ifndef __NFV_CNI_IPCONFIG_H
#define __NFV_CNI_IPCONFIG_H

#include <stdint.h>
#include <jansson.h>

#include "rtnl.h"

/*
 * Put IPAM's @ipam result (its "ips" and "routes") on @ifindex in the
 * container's namespace (@ctr), and set @ifindex up; routes without a
 * gateway take the gateway of their family's address, as the reference
 * plugins do.  0, or -1 with the error recorded.
 */
int ipconfig_apply(struct rtnl *ctr, uint32_t ifindex, json_t *ipam);

#endif
