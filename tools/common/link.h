/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Links over route netlink: veth pairs (nfv-cni's attachments, nfvd's
 * segmenters), their lookup, deletion, MTU and up state.
 */
#ifndef __NFV_LINK_H
#define __NFV_LINK_H

#include <net/if.h>
#include <stdint.h>

#include "rtnl.h"

#define LINK_MAC_STR	18	/* "aa:bb:cc:dd:ee:ff" */

/*
 * A veth pair: @host in @r's namespace, its peer @peer created directly
 * in the namespace @nsfd (-1: @r's too), both with MTU @mtu (0: the
 * default).  0 or -errno (-EEXIST: a name is taken).
 */
int link_veth_add(struct rtnl *r, const char *host, const char *peer,
		  int nsfd, uint32_t mtu);
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
