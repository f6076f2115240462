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

#include "control.h"
#include "dpif.h"
#include "events.h"
#include "nf.h"
#include "nfvd.h"
#include "offload.h"
#include "port.h"
#include "recycle.h"
#include "stale.h"
#include "tables.h"
#include "umem.h"

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
	err = d->dp->port_write(d, p);
	if (err) {
		REQ_ERR(req, "cannot write port table");
		goto fail;
	}
	xdp_flags = mode == NFV_PORT_MODE_GENERIC ? XDP_FLAGS_SKB_MODE
						  : XDP_FLAGS_DRV_MODE;
	offload_port_prepare(d, p->name);
	/* On a free hook, or in place of the classifier of a gone nfvd. */
	err = stale_attach(d, ifindex, xdp_flags);
	if (err) {
		REQ_ERR(req, err == -EBUSY || err == -EEXIST ?
			"device already has an XDP program" :
			"cannot attach XDP program to device");
		d->dp->port_clear(d, p);
		goto fail;
	}
	offload_port_up(d, p);
	recycle(d);	/* fill the new pools */
	nf_port_added(d, p);
	pr_info("nfvd: port %s id %u queues %u %s\n", p->name, p->id,
		p->n_queues, mode == NFV_PORT_MODE_GENERIC ? "generic" : "native");
	events_port(d, p, false);
	return 0;
fail:
	p->id = 0;
	return err;
}

int port_del(struct nfvd *d, struct nfvd_port *p)
{
	uint32_t xdp_flags = p->mode == NFV_PORT_MODE_GENERIC ?
			     XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	events_port(d, p, true);
	offload_port_down(d, p);
	bpf_xdp_detach((int)p->ifindex, xdp_flags, NULL);
	nf_port_removed(d, p);
	d->dp->port_clear(d, p);
	/* The pools stay: the kernel keeps one per queue anyway, and the
	 * frames in their fill rings stay accounted as "fill".
	 */
	memset(p, 0, sizeof(*p));
	return 0;
}

/* ---- the control side: PORT_NEW, PORT_DEL, PORT_GET ---- */

void port_put(struct nfvd *d, struct nlmsghdr *nlh,
	      const struct nfvd_port *p, bool stats)
{
	mnl_attr_put_u32(nlh, NFV_A_PORT_IFINDEX, p->ifindex);
	mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, p->name);
	mnl_attr_put_u16(nlh, NFV_A_PORT_ID, p->id);
	mnl_attr_put_u8(nlh, NFV_A_PORT_MODE, p->mode);
	mnl_attr_put_u16(nlh, NFV_A_PORT_DEFAULT_CHAIN, p->default_chain);
	mnl_attr_put_u32(nlh, NFV_A_PORT_FLAGS, p->flags);
	mnl_attr_put_u32(nlh, NFV_A_PORT_QUEUES, p->n_queues);
	mnl_attr_put_u8(nlh, NFV_A_PORT_DECAP, p->decap.kind);
	if (p->decap.kind == NFV_PORT_DECAP_VXLAN)
		mnl_attr_put_u16(nlh, NFV_A_PORT_VXLAN_PORT,
				 p->decap.vxlan_port);
	if (p->decap.has_vni)
		mnl_attr_put_u32(nlh, NFV_A_PORT_VNI, p->decap.vni);
	if (stats) {
		uint64_t cnt[__NFV_XDP_COUNTER_MAX];
		struct nlattr *n;
		int i;

		if (tables_port_stats(d, p->id, cnt))
			return;
		n = mnl_attr_nest_start(nlh, NFV_A_PORT_STATS);
		for (i = 0; i < __NFV_XDP_COUNTER_MAX; i++)
			mnl_attr_put_u64(nlh, NFV_XDP_CNT_ATTR(i), cnt[i]);
		mnl_attr_nest_end(nlh, n);
	}
}

/* The port a request names; NULL with *err set (as nfv.ko's) if none. */
static struct nfvd_port *lookup_port(struct nfvd_req *req,
				     const struct nlattr **tb, int *err)
{
	struct nfvd_port *p;

	if (tb[NFV_A_PORT_NAME])
		p = port_find(req->d, 0, mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
	else if (tb[NFV_A_PORT_IFINDEX])
		p = port_find(req->d, mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]),
			      NULL);
	else {
		REQ_ERR(req, "missing port ifindex or name");
		*err = -EINVAL;
		return NULL;
	}
	if (!p) {
		REQ_ERR(req, "no such port");
		*err = -ENODEV;
	}
	return p;
}

/* DECAP, VXLAN_PORT and VNI of PORT_NEW; the range checks are done. */
static int parse_decap(struct nfvd_req *req, const struct nlattr **tb,
		       struct nfvd_decap *dc)
{
	memset(dc, 0, sizeof(*dc));
	if (tb[NFV_A_PORT_DECAP])
		dc->kind = mnl_attr_get_u8(tb[NFV_A_PORT_DECAP]);
	if (dc->kind != NFV_PORT_DECAP_VXLAN) {
		const struct nlattr *a = tb[NFV_A_PORT_VXLAN_PORT] ?:
					 tb[NFV_A_PORT_VNI];

		if (a) {
			REQ_ERR_ATTR(req, a,
				     "vxlan port and vni need decap vxlan");
			return -EINVAL;
		}
		return 0;
	}
	dc->vxlan_port = tb[NFV_A_PORT_VXLAN_PORT] ?
			 mnl_attr_get_u16(tb[NFV_A_PORT_VXLAN_PORT]) :
			 NFV_VXLAN_PORT_DEFAULT;
	if (tb[NFV_A_PORT_VNI]) {
		dc->has_vni = true;
		dc->vni = mnl_attr_get_u32(tb[NFV_A_PORT_VNI]);
	}
	return 0;
}

static int cmd_port(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	struct nfvd *d = req->d;
	char buf[NFV_MSG_MAX];
	struct nfvd_port *p;
	int err;

	/* A port's id only in the state file's replay (restore.c). */
	err = parse_attrs(req, NULL, &nfv_port_nl_set, NFV_NL_REQUEST, tb);
	if (err)
		return err;
	switch (cmd) {
	case NFV_CMD_PORT_NEW: {
		uint32_t flags = tb[NFV_A_PORT_FLAGS] ?
				 mnl_attr_get_u32(tb[NFV_A_PORT_FLAGS]) : 0;
		struct nfvd_decap decap;

		if (!is_admin(req))
			return -EPERM;
		if (!tb[NFV_A_PORT_IFINDEX] && !tb[NFV_A_PORT_NAME]) {
			REQ_ERR(req, "missing port ifindex or name");
			return -EINVAL;
		}
		if (flags & ~(uint32_t)__NFV_PORT_F_ALL) {
			REQ_ERR_ATTR(req, tb[NFV_A_PORT_FLAGS],
				     "unknown port flags");
			return -EOPNOTSUPP;
		}
		err = parse_decap(req, tb, &decap);
		if (err)
			return err;
		return port_add(d, req,
				tb[NFV_A_PORT_IFINDEX] ?
				mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]) : 0,
				tb[NFV_A_PORT_NAME] ?
				mnl_attr_get_str(tb[NFV_A_PORT_NAME]) : NULL,
				tb[NFV_A_PORT_MODE] ?
				mnl_attr_get_u8(tb[NFV_A_PORT_MODE]) : 0,
				tb[NFV_A_PORT_DEFAULT_CHAIN] ?
				mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]) : 0,
				flags & ~(uint32_t)NFV_PORT_F_GENERIC,
				tb[NFV_A_PORT_ID] ?
				mnl_attr_get_u16(tb[NFV_A_PORT_ID]) : 0,
				&decap);
	}
	case NFV_CMD_PORT_DEL:
		if (!is_admin(req))
			return -EPERM;
		p = lookup_port(req, tb, &err);
		if (!p)
			return err;
		return port_del(d, p);
	default:
		break;
	}
	/* GET */
	if (!is_dump(req)) {
		struct nlmsghdr *nlh;

		p = lookup_port(req, tb, &err);
		if (!p)
			return err;
		nlh = control_reply_start(req, buf, NFV_CMD_PORT_GET, 0);
		port_put(d, nlh, p, true);
		return control_reply(req, nlh, NULL, 0) ?: 1;
	}
	return control_dump_start(req, NFV_CMD_PORT_GET);
}

static struct nlmsghdr *port_dump(struct nfvd_req *req, struct nfvd_dump *dp,
				  void *buf)
{
	struct nfvd *d = req->d;
	struct nlmsghdr *nlh = NULL;

	for (; !nlh && dp->pos < NFV_PORT_MAX; dp->pos++) {
		if (!d->ports[dp->pos].id)
			continue;
		nlh = control_reply_start(req, buf, dp->cmd, NLM_F_MULTI);
		port_put(d, nlh, &d->ports[dp->pos], true);
	}
	return nlh;
}

const struct nfvd_obj port_obj = {
	.doit = cmd_port,
	.dump = port_dump,
};
