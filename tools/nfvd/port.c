// SPDX-License-Identifier: GPL-2.0
/*
 * Fabric ports: a netdev with the classifier attached and one buffer pool
 * (owner socket, fill and completion rings) per rx queue served.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "nfvd.h"

struct nfvd_port *port_find(struct nfvd *d, uint32_t ifindex,
			    const char *name)
{
	int i;

	for (i = 1; i < NFV_PORT_MAX; i++) {
		struct nfvd_port *p = &d->ports[i];

		if (!p->id)
			continue;
		if (ifindex && p->ifindex == ifindex)
			return p;
		if (!ifindex && name && !strcmp(p->name, name))
			return p;
	}
	return NULL;
}

static uint16_t count_rx_queues(const char *name)
{
	char path[128];
	struct dirent *e;
	uint16_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", name);
	dir = opendir(path);
	if (!dir)
		return 1;
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "rx-", 3))
			n++;
	closedir(dir);
	if (!n)
		n = 1;
	return n > NFV_QUEUE_MAX ? NFV_QUEUE_MAX : n;
}

struct nfvd_pool *port_pool_get(struct nfvd *d, uint32_t ifindex,
				uint16_t queue, int *err)
{
	struct nfvd_pool *p;
	int i;

	for (i = 0; i < d->n_pools; i++) {
		p = &d->pools[i];
		if (p->bound && p->ifindex == ifindex && p->queue == queue)
			return p;
	}
	if (d->n_pools == (int)(sizeof(d->pools) / sizeof(d->pools[0]))) {
		*err = -ENOSPC;
		return NULL;
	}
	p = &d->pools[d->n_pools];
	p->index = (uint8_t)d->n_pools;
	*err = umem_pool_open(d, p, ifindex, queue,
			      XDP_COPY | XDP_USE_NEED_WAKEUP);
	if (*err)
		return NULL;
	d->n_pools++;
	return p;
}

int port_add(struct nfvd *d, struct nfvd_req *req, uint32_t ifindex,
	     const char *name, uint8_t mode, uint16_t default_chain,
	     uint32_t flags, uint16_t want_id,
	     const struct nfvd_decap *decap)
{
	char ifname[IF_NAMESIZE];
	struct nfvd_port *p = NULL;
	uint32_t xdp_flags;
	int i, err;

	/* The name is authoritative: nfvctl may live in another netns. */
	if (name) {
		ifindex = if_nametoindex(name);
		if (!ifindex) {
			REQ_ERR(req, "no such device in the fabric's netns");
			return -ENODEV;
		}
	}
	if (!if_indextoname(ifindex, ifname)) {
		REQ_ERR(req, "no such device in the fabric's netns");
		return -ENODEV;
	}
	if (port_find(d, ifindex, NULL)) {
		REQ_ERR(req, "device is already a fabric port");
		return -EEXIST;
	}
	if (want_id && want_id < NFV_PORT_MAX && !d->ports[want_id].id)
		p = &d->ports[want_id];
	for (i = 1; !p && i < NFV_PORT_MAX; i++) {
		if (!d->ports[i].id) {
			p = &d->ports[i];
			break;
		}
	}
	if (!p) {
		REQ_ERR(req, "too many ports");
		return -ENOSPC;
	}
	memset(p, 0, sizeof(*p));
	p->ifindex = ifindex;
	snprintf(p->name, sizeof(p->name), "%s", ifname);
	p->mode = mode;
	p->default_chain = default_chain;
	p->flags = flags | (mode == NFV_PORT_MODE_GENERIC ?
			    NFV_PORT_F_GENERIC : 0);
	if (decap)
		p->decap = *decap;
	p->n_queues = count_rx_queues(ifname);

	/* Pools first: a frame redirected to a socket needs a fill ring. */
	for (i = 0; i < p->n_queues; i++) {
		p->pools[i] = port_pool_get(d, ifindex, (uint16_t)i, &err);
		if (!p->pools[i]) {
			REQ_ERR(req, "cannot create AF_XDP socket on device");
			return err;
		}
	}
	p->id = (uint16_t)(p - d->ports);
	err = tables_port_write(d, p);
	if (err) {
		REQ_ERR(req, "cannot write port table");
		goto fail;
	}
	xdp_flags = mode == NFV_PORT_MODE_GENERIC ? XDP_FLAGS_SKB_MODE
						  : XDP_FLAGS_DRV_MODE;
	/* On a free hook, or in place of the classifier of a gone nfvd. */
	err = stale_attach(d, ifindex, xdp_flags);
	if (err) {
		REQ_ERR(req, err == -EBUSY || err == -EEXIST ?
			"device already has an XDP program" :
			"cannot attach XDP program to device");
		tables_port_clear(d, p);
		goto fail;
	}
	umem_recycle(d);	/* fill the new pools */
	nf_port_added(d, p);
	pr_info("nfvd: port %s id %u queues %u %s\n", p->name, p->id,
		p->n_queues, mode == NFV_PORT_MODE_GENERIC ? "generic" : "native");
	control_notify(d, NFV_CMD_PORT_EVENT, p->id);
	return 0;
fail:
	p->id = 0;
	return err;
}

int port_del(struct nfvd *d, struct nfvd_port *p)
{
	uint32_t xdp_flags = p->mode == NFV_PORT_MODE_GENERIC ?
			     XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	uint16_t id = p->id;

	bpf_xdp_detach((int)p->ifindex, xdp_flags, NULL);
	nf_port_removed(d, p);
	tables_port_clear(d, p);
	/* The pools stay: the kernel keeps one per queue anyway, and the
	 * frames in their fill rings stay accounted as "fill".
	 */
	memset(p, 0, sizeof(*p));
	control_notify(d, NFV_CMD_PORT_EVENT, id);
	return 0;
}
