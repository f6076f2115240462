// SPDX-License-Identifier: GPL-2.0
/*
 * Fabric ports.  The module keeps the port table ("nfv_ports" and the
 * devmap); attaching the XDP program and opening the AF_XDP owner sockets
 * of a port's queues is nfvd's job (it owns the UMEM), which it does when
 * it sees the port's PORT_EVENT on "events".
 *
 * A port names its netdev by ifindex, without holding it: a netdev that
 * goes away takes its port with it (netdev notifier), with an event.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "fabric.h"
#include "netlink.h"
#include "port.h"
#include "tables.h"

/* Called with fab->lock held. */
struct nfv_port *nfv_port_find(struct nfv_fabric *fab, int ifindex,
			       const char *name)
{
	int i;

	lockdep_assert_held(&fab->lock);
	for (i = 1; i < NFV_PORT_MAX; i++) {
		struct nfv_port *p = &fab->ports[i];

		if (!p->id)
			continue;
		if (ifindex && p->ifindex == ifindex)
			return p;
		if (!ifindex && name && !strcmp(p->name, name))
			return p;
	}
	return NULL;
}

/* Port id of a netdev, 0 if it is not a port.  Called with fab->lock. */
u16 nfv_port_id(struct nfv_fabric *fab, int ifindex)
{
	struct nfv_port *p = ifindex ? nfv_port_find(fab, ifindex, NULL) : NULL;

	return p ? p->id : 0;
}

/* Called with RTNL and then fab->lock held. */
struct nfv_port *nfv_port_add(struct nfv_fabric *fab,
			      const struct nfv_port_req *req,
			      struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct nfv_port *p = NULL;
	int i, err;

	ASSERT_RTNL();
	lockdep_assert_held(&fab->lock);
	if (req->name)
		dev = __dev_get_by_name(fab->net, req->name);
	else
		dev = __dev_get_by_index(fab->net, req->ifindex);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such device in the fabric's netns");
		return ERR_PTR(-ENODEV);
	}
	if (nfv_port_find(fab, dev->ifindex, NULL)) {
		NL_SET_ERR_MSG(extack, "device is already a fabric port");
		return ERR_PTR(-EEXIST);
	}
	for (i = 1; i < NFV_PORT_MAX; i++) {
		if (!fab->ports[i].id) {
			p = &fab->ports[i];
			break;
		}
	}
	if (!p) {
		NL_SET_ERR_MSG(extack, "too many ports");
		return ERR_PTR(-ENOSPC);
	}
	p->id = i;
	p->ifindex = dev->ifindex;
	strscpy(p->name, dev->name, sizeof(p->name));
	p->mode = req->mode;
	p->default_chain = req->default_chain;
	p->flags = req->flags;
	if (req->mode == NFV_PORT_MODE_GENERIC)
		p->flags |= NFV_PORT_F_GENERIC;
	p->decap = req->decap;
	p->has_vni = req->has_vni;
	p->vxlan_port = req->vxlan_port;
	p->vni = req->vni;
	p->queues = clamp_t(u32, dev->real_num_rx_queues, 1, NFV_QUEUE_MAX);

	err = nfv_tables_port(fab, p);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot write the ports map");
		memset(p, 0, sizeof(*p));
		return ERR_PTR(err);
	}
	nfv_fabric_changed(fab);
	nfv_netlink_notify_port(fab, p, false);
	return p;
}

/* Called with fab->lock held. */
int nfv_port_del(struct nfv_fabric *fab, struct nfv_port *p)
{
	lockdep_assert_held(&fab->lock);
	nfv_tables_port_clear(fab, p);
	nfv_fabric_changed(fab);
	nfv_netlink_notify_port(fab, p, true);
	memset(p, 0, sizeof(*p));
	return 0;
}

static int port_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nfv_fabric *fab;
	struct nfv_port *p;

	if (event != NETDEV_UNREGISTER && event != NETDEV_CHANGENAME)
		return NOTIFY_DONE;
	fab = nfv_fabric(dev_net(dev));
	mutex_lock(&fab->lock);
	if (!fab->alive)
		goto out;
	p = nfv_port_find(fab, dev->ifindex, NULL);
	if (!p)
		goto out;
	if (event == NETDEV_UNREGISTER) {
		nfv_port_del(fab, p);
	} else {
		strscpy(p->name, dev->name, sizeof(p->name));
		nfv_fabric_changed(fab);
		nfv_netlink_notify_port(fab, p, false);
	}
out:
	mutex_unlock(&fab->lock);
	return NOTIFY_DONE;
}

static struct notifier_block port_netdev_nb = {
	.notifier_call = port_netdev_event,
};

int nfv_port_init(void)
{
	return register_netdevice_notifier(&port_netdev_nb);
}

void nfv_port_uninit(void)
{
	unregister_netdevice_notifier(&port_netdev_nb);
}
