// SPDX-License-Identifier: GPL-2.0
/*
 * IPAM's result on the container's interface: each address of "ips",
 * the link up, each route of "routes".
 */
#include <errno.h>
#include <string.h>

#include "addr.h"
#include "ipconfig.h"
#include "error.h"
#include "link.h"

/* The gateway of the first address of @family that has one. */
static int family_gateway(json_t *ips, int family, struct ipnet *gw)
{
	size_t i;
	json_t *ip;

	json_array_foreach(ips, i, ip) {
		const char *s = json_string_value(json_object_get(ip, "gateway"));

		if (s && !ipnet_parse(s, false, gw) && gw->family == family)
			return 0;
	}
	return -1;
}

static int apply_ips(struct rtnl *ctr, uint32_t ifindex, json_t *ips)
{
	struct ipnet a;
	size_t i;
	json_t *ip;
	int err;

	json_array_foreach(ips, i, ip) {
		const char *s = json_string_value(json_object_get(ip, "address"));

		if (!s || ipnet_parse(s, true, &a))
			return cni_fail(CNI_ERR_DECODE, s,
					"IPAM result: ips[%zu]: invalid \"address\"", i);
		err = addr_add(ctr, ifindex, &a);
		if (err)
			return cni_fail(CNI_ERR_IO, s,
					"cannot add address %s: %s", s, strerror(-err));
	}
	return 0;
}

static int apply_routes(struct rtnl *ctr, uint32_t ifindex, json_t *ips,
			json_t *routes)
{
	struct ipnet dst, gw;
	size_t i;
	json_t *r;
	int err;

	json_array_foreach(routes, i, r) {
		const char *d = json_string_value(json_object_get(r, "dst"));
		const char *g = json_string_value(json_object_get(r, "gw"));
		bool via;

		if (!d || ipnet_parse(d, true, &dst) ||
		    (g && (ipnet_parse(g, false, &gw) || gw.family != dst.family)))
			return cni_fail(CNI_ERR_DECODE, d,
					"IPAM result: routes[%zu]: invalid \"dst\" or \"gw\"", i);
		via = g || !family_gateway(ips, dst.family, &gw);
		err = route_add(ctr, ifindex, &dst, via ? &gw : NULL);
		if (err)
			return cni_fail(CNI_ERR_IO, d, "cannot add route to %s: %s",
					d, strerror(-err));
	}
	return 0;
}

int ipconfig_apply(struct rtnl *ctr, uint32_t ifindex, json_t *ipam)
{
	json_t *ips = json_object_get(ipam, "ips");
	json_t *routes = json_object_get(ipam, "routes");
	int err;

	if ((ips && !json_is_array(ips)) || (routes && !json_is_array(routes)))
		return cni_fail(CNI_ERR_DECODE, NULL,
				"IPAM result: \"ips\" and \"routes\" must be arrays");
	if (apply_ips(ctr, ifindex, ips))
		return -1;
	err = link_up(ctr, ifindex);
	if (err)
		return cni_fail(CNI_ERR_IO, NULL, "cannot set the container's interface up: %s",
				strerror(-err));
	return apply_routes(ctr, ifindex, ips, routes);
}
