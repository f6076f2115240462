// SPDX-License-Identifier: GPL-2.0
/*
 * CHECK: the attachment is still what ADD made: the host end exists and
 * is a fabric port with the configured default chain, the container's
 * interface exists and holds every address of prevResult on it, and the
 * IPAM plugin's own CHECK passes.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "cmd.h"
#include "error.h"
#include "fabric.h"
#include "ipam.h"
#include "link.h"
#include "netns.h"

static int check_links(struct cni_ctx *x, struct rtnl *host, struct rtnl *ctr,
		       uint32_t *ctr_index)
{
	char kind[16];
	uint32_t ifindex;

	if (link_get(host, x->host_if, &ifindex, NULL, kind) ||
	    strcmp(kind, "veth"))
		return cni_fail(NFV_CNI_ERR_CHECK, x->host_if,
				"host interface %s is gone", x->host_if);
	if (link_get(ctr, x->env.ifname, ctr_index, NULL, kind) ||
	    strcmp(kind, "veth"))
		return cni_fail(NFV_CNI_ERR_CHECK, x->env.ifname,
				"container interface %s is gone", x->env.ifname);
	return 0;
}

static int check_port(struct cni_ctx *x, struct fabric *f)
{
	uint16_t chain;
	int err;

	err = fabric_port_chain(f, x->host_if, &chain);
	if (err == -ENODEV)
		return cni_fail(NFV_CNI_ERR_CHECK, x->host_if,
				"%s is not a fabric port", x->host_if);
	if (err)
		return -1;
	if (chain != x->conf.chain)
		return cni_fail(NFV_CNI_ERR_CHECK, x->host_if,
				"port %s: default chain %u, not %u", x->host_if,
				chain, x->conf.chain);
	return 0;
}

/* prevResult's addresses on the container's interface (interface 1). */
static int check_addrs(struct cni_ctx *x, struct rtnl *ctr, uint32_t ifindex)
{
	json_t *ips = json_object_get(x->conf.prev_result, "ips"), *ip;
	struct ipnet a;
	size_t i;

	json_array_foreach(ips, i, ip) {
		const char *s = json_string_value(json_object_get(ip, "address"));
		json_t *iface = json_object_get(ip, "interface");

		if (iface && json_integer_value(iface) != 1)
			continue;
		if (!s || ipnet_parse(s, true, &a))
			return cni_fail(CNI_ERR_DECODE, s,
					"prevResult: ips[%zu]: invalid \"address\"", i);
		if (addr_has(ctr, ifindex, &a) != 1)
			return cni_fail(NFV_CNI_ERR_CHECK, s,
					"%s does not hold %s", x->env.ifname, s);
	}
	return 0;
}

int cmd_check(struct cni_ctx *x)
{
	struct rtnl host = { 0 }, ctr = { 0 };
	struct fabric *f = NULL;
	uint32_t ifindex;
	int nsfd, err;

	if (!x->conf.prev_result)
		return cni_fail(CNI_ERR_CONFIG, "prevResult",
				"CHECK needs the ADD result as \"prevResult\"");
	nsfd = netns_open(x->env.netns);
	if (nsfd < 0)
		return cni_fail(CNI_ERR_ENV, x->env.netns,
				"cannot open CNI_NETNS %s: %s", x->env.netns,
				strerror(-nsfd));
	err = rtnl_open(&host) ?: netns_rtnl_open(nsfd, &ctr);
	if (err) {
		cni_fail(CNI_ERR_IO, NULL, "route netlink: %s", strerror(-err));
		goto out;
	}
	f = fabric_open(x->conf.socket, false);
	if (!f || check_links(x, &host, &ctr, &ifindex) || check_port(x, f) ||
	    check_addrs(x, &ctr, ifindex))
		goto out;
	ipam_exec(&x->conf, "CHECK", NULL);
out:
	fabric_close(f);
	rtnl_close(&ctr);
	rtnl_close(&host);
	close(nsfd);
	return cni_failed() ? -1 : 0;
}
