// SPDX-License-Identifier: GPL-2.0
/*
 * ADD: everything that can be refused is asked first (the namespace, nfvd,
 * the chain), then veth, IPAM, addresses, port, each undone in reverse
 * when a later step fails.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "error.h"
#include "fabric.h"
#include "ipam.h"
#include "ipconfig.h"
#include "link.h"
#include "netns.h"
#include "result.h"

/* The container's end: its MAC, IPAM's addresses and routes. */
static int container_setup(struct cni_ctx *x, struct rtnl *ctr, json_t *ipam,
			   char mac[LINK_MAC_STR])
{
	uint32_t ifindex;
	int err;

	err = link_get(ctr, x->env.ifname, &ifindex, mac, NULL);
	if (err)
		return cni_fail(CNI_ERR_IO, x->env.ifname,
				"%s not found in the container after creating it: %s",
				x->env.ifname, strerror(-err));
	return ipconfig_apply(ctr, ifindex, ipam);
}

static int host_setup(struct cni_ctx *x, struct rtnl *host,
		      char mac[LINK_MAC_STR])
{
	uint32_t ifindex;
	int err;

	err = link_get(host, x->host_if, &ifindex, mac, NULL) ?:
	      link_up(host, ifindex);
	if (err)
		return cni_fail(CNI_ERR_IO, x->host_if,
				"cannot set %s up: %s", x->host_if, strerror(-err));
	return 0;
}

static int veth_add(struct cni_ctx *x, struct rtnl *host, int nsfd)
{
	int err = link_veth_add(host, x->host_if, x->env.ifname, nsfd, 0);

	if (err == -EEXIST)
		return cni_fail(CNI_ERR_IO, x->host_if,
				"%s or the container's %s exists already: is the container attached?",
				x->host_if, x->env.ifname);
	if (err)
		return cni_fail(CNI_ERR_IO, NULL, "cannot create veth %s/%s: %s",
				x->host_if, x->env.ifname, strerror(-err));
	return 0;
}

int cmd_add(struct cni_ctx *x)
{
	char host_mac[LINK_MAC_STR], ctr_mac[LINK_MAC_STR];
	struct rtnl host = { 0 }, ctr = { 0 };
	struct fabric *f = NULL;
	json_t *ipam = NULL;
	int nsfd, err;

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
	if (!f || fabric_chain_check(f, x->conf.chain))
		goto out;

	if (veth_add(x, &host, nsfd))
		goto out;
	if (ipam_exec(&x->conf, "ADD", &ipam))
		goto err_veth;
	if (container_setup(x, &ctr, ipam, ctr_mac) ||
	    host_setup(x, &host, host_mac))
		goto err_ipam;
	x->result = result_build(x, ipam, host_mac, ctr_mac);
	if (!x->result)
		goto err_ipam;
	if (fabric_port_add(f, x->host_if, x->conf.chain, x->conf.steer_arp))
		goto err_result;
	goto out;

err_result:
	json_decref(x->result);
	x->result = NULL;
err_ipam:
	ipam_exec(&x->conf, "DEL", NULL);
err_veth:
	link_del(&host, x->host_if);
out:
	json_decref(ipam);
	fabric_close(f);
	rtnl_close(&ctr);
	rtnl_close(&host);
	close(nsfd);
	return cni_failed() ? -1 : 0;
}
