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

#include "closer.h"
#include "control.h"
#include "dpif.h"
#include "events.h"
#include "ledger.h"
#include "nf.h"
#include "nfvd.h"
#include "offload.h"
#include "port.h"
#include "recycle.h"
#include "segment.h"
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

/*
 * ---- pools ----
 *
 * A port has a pool per rx queue (umem.c: the owner socket, its fill and
 * completion rings), and a pool outlives its port (enum nfvd_pool_state):
 *
 *   USED      a port's; recycle() keeps its fill ring full.
 *   RELEASED  the port is gone: its classifier is off the device and the
 *             NFs' sockets on it are out of the XSKMAP, so no frame
 *             reaches the pool once every XDP run and NAPI poll begun
 *             before is over: the closer waits for that (closer_grace()).
 *   IDLE      then the frames in its fill ring are nfvd's again
 *             (recycle_void()).  The socket stays open: the kernel keeps
 *             one buffer pool per netdev queue, which the NFs' sockets on
 *             the device (retired, not closed) hold too, so a port added
 *             again on the device needs this very socket (a new one gets
 *             EBUSY).  It takes it back, USED, before its classifier is
 *             attached.
 *   CLOSED    its device gone (the kernel unbinds every socket on it: the
 *             pool takes nothing ever again), or its slot needed: socket
 *             closed, every frame of its fill ring back.  Frames the
 *             kernel had taken are in NFs' rx rings or lost (the rx
 *             census frees those); once the ledger has no frame of it,
 *             the slot is FREE for another pool.
 */

/* How often pools no port uses are looked at (their devices gone?). */
#define POOL_SWEEP_NS	(250 * 1000000ULL)

/* A CLOSED pool the ledger has nothing of any more: its slot FREE. */
static void pool_slot_free(struct nfvd *d, struct nfvd_pool *p)
{
	uint8_t index = p->index;
	int i, k, q;

	if (p->state != POOL_CLOSED || ledger_pool_refs(d, index))
		return;
	/* NFs' sockets on it (retired with its port) name it no more. */
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (!nf->id)
			continue;
		for (k = 0; k < nf->n_socks; k++)
			if (nf->socks[k].pool == p)
				nf->socks[k].pool = NULL;
		for (k = 0; k < NFV_PORT_MAX; k++) {
			if (nf->tx_pool[k] == index)
				nf->tx_pool[k] = 0xff;
			for (q = 0; q < NFV_QUEUE_MAX; q++)
				if (nf->rx_pool[k][q] == index)
					nf->rx_pool[k][q] = 0xff;
		}
	}
	memset(p, 0, sizeof(*p));
	p->index = index;
	p->fd = -1;
}

/*
 * Close pool @p, quiet (IDLE, or RELEASED with its grace over); @dead:
 * its device is gone.
 */
static void pool_close(struct nfvd *d, struct nfvd_pool *p, bool dead)
{
	uint32_t n;

	recycle_pool_comp(d, p);
	n = recycle_void(d, p, true);
	ledger_pool_closed(d, p->index, dead);
	pr_info("nfvd: pool %u (ifindex %u queue %u) closed%s, %u frames of its fill ring back\n",
		p->index, p->ifindex, p->queue, dead ? ", its device gone" : "",
		n);
	if (p->state == POOL_RELEASED)
		d->n_pools_released--;
	umem_pool_close(d, p);
	p->state = POOL_CLOSED;
	pool_slot_free(d, p);
	if (p->state == POOL_CLOSED && !d->pool_sweep_ns)
		d->pool_sweep_ns = nfvd_now_ns() + POOL_SWEEP_NS;
}

/* Pool @p's grace period is over: nothing takes from its fill ring. */
static void pool_settle(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t n;

	if (umem_pool_unbound(p)) {
		pool_close(d, p, true);
		return;
	}
	d->n_pools_released--;
	n = recycle_void(d, p, false);
	p->state = POOL_IDLE;
	pr_debug("nfvd: pool %u (ifindex %u queue %u) idle, %u frames of its fill ring back\n",
		 p->index, p->ifindex, p->queue, n);
	if (!d->pool_sweep_ns)
		d->pool_sweep_ns = nfvd_now_ns() + POOL_SWEEP_NS;
}

/* A slot for a new pool: FREE, never used, or made so (NULL: none). */
static struct nfvd_pool *pool_slot(struct nfvd *d)
{
	const int max = (int)(sizeof(d->pools) / sizeof(d->pools[0]));
	struct nfvd_pool *p;
	int i;

	for (i = 0; i < d->n_pools; i++) {
		p = &d->pools[i];
		pool_slot_free(d, p);
		if (p->state == POOL_FREE)
			return p;
	}
	if (d->n_pools < max) {
		p = &d->pools[d->n_pools];
		memset(p, 0, sizeof(*p));
		p->index = (uint8_t)d->n_pools;
		p->fd = -1;
		return p;
	}
	/* All taken: close pools no port uses, their devices may never
	 * come back (one that does gets a new pool once NFs let go of the
	 * kernel's).
	 */
	for (i = 0; i < d->n_pools; i++) {
		p = &d->pools[i];
		if (p->state != POOL_IDLE)
			continue;
		pool_close(d, p, umem_pool_unbound(p));
		if (p->state == POOL_FREE)
			return p;
	}
	return NULL;
}

struct nfvd_pool *port_pool_get(struct nfvd *d, uint32_t ifindex,
				uint16_t queue, int *err)
{
	struct nfvd_pool *p;
	int i;

	for (i = 0; i < d->n_pools; i++) {
		p = &d->pools[i];
		if (!p->bound || p->ifindex != ifindex || p->queue != queue)
			continue;
		if (p->state == POOL_USED)
			return p;
		/* Its device went, the ifindex is another's: not this. */
		if (umem_pool_unbound(p))
			continue;
		/* Still quiet: the classifier is attached after this. */
		if (p->state == POOL_RELEASED)
			d->n_pools_released--;	/* nothing given back */
		else
			recycle_unvoid(d, p);
		p->state = POOL_USED;
		d->n_pools_used++;
		return p;
	}
	p = pool_slot(d);
	if (!p) {
		*err = -ENOSPC;
		return NULL;
	}
	*err = umem_pool_open(d, p, ifindex, queue,
			      XDP_COPY | XDP_USE_NEED_WAKEUP);
	if (*err)
		return NULL;
	if (p->index == d->n_pools)
		d->n_pools++;
	p->state = POOL_USED;
	d->n_pools_used++;
	return p;
}

void port_pool_put(struct nfvd *d, struct nfvd_pool *p)
{
	if (!p || p->state != POOL_USED)
		return;
	d->n_pools_used--;
	d->n_pools_released++;
	p->state = POOL_RELEASED;
	/* Without a socket (a test's pool) no kernel to wait for. */
	p->grace = p->fd >= 0 ? closer_grace(d) : 0;
	if (!p->grace)
		pool_settle(d, p);
}

void port_pools_tick(struct nfvd *d)
{
	uint64_t now;
	bool sweep, any = false;
	int i;

	if (!d->n_pools_released && !d->pool_sweep_ns)
		return;
	now = nfvd_now_ns();
	sweep = d->pool_sweep_ns && now >= d->pool_sweep_ns;
	if (!d->n_pools_released && !sweep)
		return;
	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (p->state == POOL_RELEASED && closer_passed(d, p->grace))
			pool_settle(d, p);
		else if (sweep && p->state == POOL_IDLE &&
			 umem_pool_unbound(p))
			pool_close(d, p, true);
		else if (sweep)
			pool_slot_free(d, p);
		any |= p->state == POOL_IDLE || p->state == POOL_CLOSED;
	}
	if (!any)
		d->pool_sweep_ns = 0;
	else if (sweep || !d->pool_sweep_ns)
		d->pool_sweep_ns = now + POOL_SWEEP_NS;
}

/* Give back the pools of port @p (none taken: NULL). */
static void port_pools_put(struct nfvd *d, struct nfvd_port *p)
{
	int i;

	for (i = 0; i < NFV_QUEUE_MAX; i++) {
		port_pool_put(d, p->pools[i]);
		p->pools[i] = NULL;
	}
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
			REQ_ERR(req, err == -ENOSPC ? "too many buffer pools" :
				"cannot create AF_XDP socket on device");
			port_pools_put(d, p);
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
	err = segment_up(d, p);
	if (err)
		pr_warn("nfvd: port %s: no segmenter, super-frames for NFs are dropped: %s\n",
			p->name, strerror(-err));
	recycle(d);	/* fill the new pools */
	nf_port_added(d, p);
	pr_info("nfvd: port %s id %u queues %u %s\n", p->name, p->id,
		p->n_queues, mode == NFV_PORT_MODE_GENERIC ? "generic" : "native");
	events_port(d, p, false);
	return 0;
fail:
	p->id = 0;
	port_pools_put(d, p);
	return err;
}

int port_del(struct nfvd *d, struct nfvd_port *p)
{
	uint32_t xdp_flags = p->mode == NFV_PORT_MODE_GENERIC ?
			     XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	events_port(d, p, true);
	segment_stop(d, p);
	offload_port_down(d, p);
	bpf_xdp_detach((int)p->ifindex, xdp_flags, NULL);
	nf_port_removed(d, p);
	d->dp->port_clear(d, p);
	/* Nothing redirects to its pools' sockets now: after a grace period
	 * their fill rings are nfvd's again (port_pool_put()).
	 */
	port_pools_put(d, p);
	segment_down(d, p);
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
