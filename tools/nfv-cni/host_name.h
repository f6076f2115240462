/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __NFV_CNI_HOST_NAME_H
#define __NFV_CNI_HOST_NAME_H

#include <net/if.h>
#include <stdint.h>

/*
 * The host end's name, "nfv" and 11 hex digits of a hash of @network,
 * @container_id and @ifname: the same on ADD, CHECK and DEL, without
 * state on disk, and different for each attachment (the spec's key).
 */
void link_host_name(const char *network, const char *container_id,
		    const char *ifname, char name[IF_NAMESIZE]);

#endif
