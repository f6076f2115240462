// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace fabric instances.  The instance lives in the
 * namespace's net_generic area, so it stays addressable until the very
 * end of the namespace's teardown (netdev unregistration comes after our
 * exit method and still calls our notifier, which then sees !alive).
 */
#include <linux/slab.h>
#include <net/netns/generic.h>

#include "fabric.h"
#include "flow.h"
#include "tables.h"

static unsigned int nfv_net_id __read_mostly;

struct nfv_fabric *nfv_fabric(struct net *net)
{
	return net_generic(net, nfv_net_id);
}

static int __net_init fabric_net_init(struct net *net)
{
	struct nfv_fabric *fab = nfv_fabric(net);
	int err;

	mutex_init(&fab->lock);
	fab->net = net;
	fab->chains = kvcalloc(NFV_CHAIN_MAX + 1, sizeof(*fab->chains),
			       GFP_KERNEL);
	fab->services = kvcalloc(NFV_SERVICE_MAX + 1,
				 sizeof(*fab->services), GFP_KERNEL);
	if (!fab->chains || !fab->services) {
		err = -ENOMEM;
		goto err_free;
	}
	err = nfv_flows_create(fab);
	if (err)
		goto err_free;
	fab->alive = true;
	return 0;

err_free:
	kvfree(fab->services);
	kvfree(fab->chains);
	return err;
}

static void __net_exit fabric_net_exit(struct net *net)
{
	struct nfv_fabric *fab = nfv_fabric(net);

	/*
	 * No NF can be attached: each holds a reference on the namespace.
	 * No netlink request can be running: its socket holds one too.
	 */
	mutex_lock(&fab->lock);
	fab->alive = false;
	nfv_tables_unbind(fab);
	nfv_flows_destroy(fab);
	memset(fab->ports, 0, sizeof(fab->ports));
	kvfree(fab->services);
	kvfree(fab->chains);
	fab->services = NULL;
	fab->chains = NULL;
	mutex_unlock(&fab->lock);
}

static struct pernet_operations fabric_net_ops = {
	.init = fabric_net_init,
	.exit = fabric_net_exit,
	.id = &nfv_net_id,
	.size = sizeof(struct nfv_fabric),
};

int nfv_fabric_init(void)
{
	return register_pernet_subsys(&fabric_net_ops);
}

void nfv_fabric_uninit(void)
{
	unregister_pernet_subsys(&fabric_net_ops);
}
