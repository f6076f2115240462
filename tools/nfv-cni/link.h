/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The veth pair of an attachment: its host end, a fabric port, in the
 * fabric's namespace; its container end, CNI_IFNAME, in the container's.
 */
#ifndef __NFV_CNI_LINK_H
#define __NFV_CNI_LINK_H

#include <net/if.h>
#include <stdint.h>

#include "rtnl.h"

#define LINK_MAC_STR	18	/* "aa:bb:cc:dd:ee:ff" */

/*
 * The host end's name, "nfv" and 11 hex digits of a hash of @network,
 * @container_id and @ifname: the same on ADD, CHECK and DEL, without
 * state on disk, and different for each attachment (the spec's key).
 */
void link_host_name(const char *network, const char *container_id,
		    const char *ifname, char name[IF_NAMESIZE]);

/*
 * A veth pair: @host in @r's namespace, its peer @peer created directly
 * in the namespace @nsfd.  0 or -errno (-EEXIST: a name is taken).
 */
int link_veth_add(struct rtnl *r, const char *host, const char *peer,
		  int nsfd);
/* Delete @name (and so its peer); 0, or -ENODEV when there is none. */
int link_del(struct rtnl *r, const char *name);
/*
 * Look @name up: its ifindex, and its MAC address as text in @mac (may be
 * NULL); @kind (may be NULL) is set to its IFLA_INFO_KIND or "".
 * 0, or -ENODEV when there is none.
 */
int link_get(struct rtnl *r, const char *name, uint32_t *ifindex,
	     char mac[LINK_MAC_STR], char kind[16]);
/* Set @ifindex up; 0 or -errno. */
int link_up(struct rtnl *r, uint32_t ifindex);

#endif
