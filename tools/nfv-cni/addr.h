/* SPDX-License-Identifier: GPL-2.0 */
/* Addresses and routes on the container's interface (RTM_NEWADDR/ROUTE). */
#ifndef __NFV_CNI_ADDR_H
#define __NFV_CNI_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "rtnl.h"

struct ipnet {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t plen;
};

/*
 * "198.19.40.2/24" (@cidr) or "198.19.40.1" (!@cidr, a full-length
 * prefix) into @n; 0 or -EINVAL.
 */
int ipnet_parse(const char *s, bool cidr, struct ipnet *n);

/* @a on @ifindex; 0 or -errno (-EEXIST: it is there already). */
int addr_add(struct rtnl *r, uint32_t ifindex, const struct ipnet *a);
/* Whether @ifindex holds @a (address and prefix length); 0/1 or -errno. */
int addr_has(struct rtnl *r, uint32_t ifindex, const struct ipnet *a);
/*
 * A route to @dst through @gw (NULL: on the link) out of @ifindex;
 * 0 or -errno.
 */
int route_add(struct rtnl *r, uint32_t ifindex, const struct ipnet *dst,
	      const struct ipnet *gw);

#endif
