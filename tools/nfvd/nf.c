// SPDX-License-Identifier: GPL-2.0
/*
 * NF lifecycle: attach, ready, death and frame reclaim.
 *
 * An NF is attached while its connection to nfvd is open.  When it closes
 * (exit, crash, kill -9: the kernel closes the socket for us) the NF is
 * taken out of every replica set and the XSKMAP at once, and after a grace
 * period, long enough for any NF that read the old tables to finish its
 * batch, every frame it held is reclaimed:
 *
 *   1. its return ring is drained (validated, like always);
 *   2. frames in its rx rings that it never took (owner says nfvd) are
 *      taken back, then nfvd closes its copies of the sockets;
 *   3. frames on lanes into it are taken back and the lanes emptied;
 *   4. frames on lanes out of it are left to their (live) consumers;
 *   5. every other frame whose owner is the dead NF is taken back.
 *
 * Ids are handed out round robin, so an id comes back only after all
 * others were used.  Lanes out of a dead NF are only emptied, never
 * reset, since their live consumers cache the indices; lanes into it are
 * reset (memory given back, see lanes_release()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "nfvd.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define NF_RX_SIZE	2048
#define NF_TX_SIZE	2048
#define REAP_GRACE_NS	(20 * 1000 * 1000ULL)

static uint32_t ret_ring_size(uint32_t frames)
{
	uint32_t n = 1;

	while (n < frames)
		n <<= 1;
	return n;
}

static void *map_xsk_ring(int fd, off_t pgoff, const struct xdp_ring_offset *o,
			  uint32_t size, size_t *len, struct xsk_ring_cons *r)
{
	void *p;

	*len = o->desc + (size_t)size * sizeof(struct xdp_desc);
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, pgoff);
	if (p == MAP_FAILED)
		return NULL;
	r->mask = size - 1;
	r->size = size;
	r->producer = (uint32_t *)((char *)p + o->producer);
	r->consumer = (uint32_t *)((char *)p + o->consumer);
	r->flags = (uint32_t *)((char *)p + o->flags);
	r->ring = (char *)p + o->desc;
	return p;
}

static void sock_close(struct nfvd_nf_sock *s)
{
	if (s->rx_map)
		munmap(s->rx_map, s->rx_map_len);
	if (s->tx_map)
		munmap(s->tx_map, s->tx_map_len);
	if (s->fd >= 0)
		close(s->fd);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* A socket for the NF: ring sizes set, rings mapped by us, not bound. */
static int sock_create(struct nfvd_nf *nf, uint16_t port, uint16_t queue)
{
	unsigned int rx = NF_RX_SIZE, tx = NF_TX_SIZE;
	struct nfvd_nf_sock *s;
	struct xdp_mmap_offsets off;
	socklen_t optlen = sizeof(off);

	if (nf->n_socks == (int)(sizeof(nf->socks) / sizeof(nf->socks[0])))
		return -ENOSPC;
	s = &nf->socks[nf->n_socks];
	memset(s, 0, sizeof(*s));
	s->port = port;
	s->queue = queue;
	s->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -errno;
	if (setsockopt(s->fd, SOL_XDP, XDP_RX_RING, &rx, sizeof(rx)) ||
	    setsockopt(s->fd, SOL_XDP, XDP_TX_RING, &tx, sizeof(tx)) ||
	    getsockopt(s->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen))
		goto fail;
	s->rx_map = map_xsk_ring(s->fd, XDP_PGOFF_RX_RING, &off.rx, rx,
				 &s->rx_map_len, &s->rx);
	s->tx_map = map_xsk_ring(s->fd, XDP_PGOFF_TX_RING, &off.tx, tx,
				 &s->tx_map_len, (struct xsk_ring_cons *)&s->tx);
	if (!s->rx_map || !s->tx_map)
		goto fail;
	nf->n_socks++;
	return 0;
fail:
	{
		int err = -errno;

		sock_close(s);
		return err;
	}
}

static struct nfvd_pool *pool_of(struct nfvd *d, uint16_t port, uint16_t queue)
{
	struct nfvd_port *p;

	if (!port || port >= NFV_PORT_MAX || queue >= NFV_QUEUE_MAX)
		return NULL;
	p = &d->ports[port];
	if (!p->id || queue >= p->n_queues)
		return NULL;
	return p->pools[queue];
}

static int sock_bind(struct nfvd *d, struct nfvd_nf *nf, struct nfvd_nf_sock *s)
{
	struct nfvd_pool *pool = pool_of(d, s->port, s->queue);
	struct sockaddr_xdp sxdp = { .sxdp_family = AF_XDP };
	int err;

	if (!pool)
		return -ENODEV;
	sxdp.sxdp_ifindex = pool->ifindex;
	sxdp.sxdp_queue_id = pool->queue;
	sxdp.sxdp_flags = XDP_SHARED_UMEM;
	sxdp.sxdp_shared_umem_fd = (uint32_t)pool->fd;
	if (bind(s->fd, (struct sockaddr *)&sxdp, sizeof(sxdp)))
		return -errno;
	s->bound = true;
	err = tables_xsk_set(d, nf->id, s->port, s->queue, s->fd);
	if (err)
		pr_warn("nfvd: nf %u: xskmap: %s\n", nf->id, strerror(-err));
	return err;
}

static void put_sock_attr(struct nlmsghdr *nlh, struct nfvd *d,
			  const struct nfvd_nf_sock *s)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, NFV_A_NF_SOCK);

	mnl_attr_put_u16(nlh, NFV_A_SOCK_PORT, s->port);
	mnl_attr_put_u16(nlh, NFV_A_SOCK_QUEUE, s->queue);
	mnl_attr_put_u32(nlh, NFV_A_SOCK_IFINDEX, d->ports[s->port].ifindex);
	mnl_attr_put_u32(nlh, NFV_A_SOCK_RX_SIZE, NF_RX_SIZE);
	mnl_attr_put_u32(nlh, NFV_A_SOCK_TX_SIZE, NF_TX_SIZE);
	mnl_attr_nest_end(nlh, n);
}

static int alloc_id(struct nfvd *d)
{
	int i;

	for (i = 0; i < NFV_NF_MAX - 1; i++) {
		int id = 1 + (d->next_nf_id + i) % (NFV_NF_MAX - 1);

		if (!d->nfs[id].id) {
			d->next_nf_id = (uint16_t)id;
			return id;
		}
	}
	return -ENOSPC;
}

static void nf_free(struct nfvd *d, struct nfvd_nf *nf)
{
	int i;

	for (i = 0; i < nf->n_socks; i++)
		sock_close(&nf->socks[i]);
	if (nf->priv)
		munmap(nf->priv, nf->priv_size);
	if (nf->private_fd >= 0)
		close(nf->private_fd);
	if (nf->doorbell >= 0)
		close(nf->doorbell);
	if (nf->id) {
		kbackend_nf_release(d, nf->id);
		struct nfv_tables_nf *t = &d->tables->nfs[nf->id];

		/* gen stays: it tells peers the next holder of this id. */
		__atomic_store_n(&t->state, 0, __ATOMIC_RELEASE);
		t->service = 0;
		t->flags = 0;
		t->pid = 0;
	}
	memset(nf, 0, sizeof(*nf));
	nf->private_fd = nf->doorbell = -1;
}

static int attach_parse(struct nfvd_req *req, uint16_t *service,
			const char **name, uint32_t *flags)
{
	const struct nlattr *a;

	*service = 0;
	*name = NULL;
	*flags = 0;
	mnl_attr_for_each(a, req->nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case NFV_A_NF_SERVICE:
			if (mnl_attr_validate(a, MNL_TYPE_U16) < 0) {
				REQ_ERR_ATTR(req, a, "service: expected u16");
				return -EINVAL;
			}
			*service = mnl_attr_get_u16(a);
			if (!*service || *service > NFV_SERVICE_MAX) {
				REQ_ERR_ATTR(req, a,
					     "service id out of range 1..1023");
				return -ERANGE;
			}
			break;
		case NFV_A_NF_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
			    mnl_attr_get_payload_len(a) > NFV_NAME_LEN) {
				REQ_ERR_ATTR(req, a, "name: bad string");
				return -EINVAL;
			}
			*name = mnl_attr_get_str(a);
			break;
		case NFV_A_NF_FLAGS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
				REQ_ERR_ATTR(req, a, "flags: expected u32");
				return -EINVAL;
			}
			*flags = mnl_attr_get_u32(a);
			if (*flags & ~(uint32_t)__NFV_NF_F_ALL) {
				REQ_ERR_ATTR(req, a, "unknown NF flags");
				return -EOPNOTSUPP;
			}
			break;
		case NFV_A_NF_BATCH:
			break;
		default:
			REQ_ERR_ATTR(req, a, "unknown attribute");
			return -EINVAL;
		}
	}
	if (!*service) {
		REQ_ERR(req, "missing service id");
		return -EINVAL;
	}
	return 0;
}

int nf_attach(struct nfvd_req *req)
{
	struct nfvd *d = req->d;
	struct nfvd_client *c = req->c;
	int fds[NFV_MAX_FDS], n_fds = 0, umem_fd = -1, i, q, id, err;
	int dev_fd = -1, n_roles = NFV_FD_NF_DEV;
	char buf[NFV_MSG_MAX];
	struct nfvd_nf *nf, *back;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const char *name;
	uint16_t service;
	uint32_t flags;

	if (c->nf) {
		REQ_ERR(req, "this connection already attached an NF");
		return -EBUSY;
	}
	err = attach_parse(req, &service, &name, &flags);
	if (err)
		return err;
	{
		static char why[128];

		err = policy_check(d, c, service, flags & NFV_NF_F_READONLY,
				   why, sizeof(why));
		if (err) {
			pr_warn("nfvd: refused attach from pid %d: %s\n",
				c->pid, why);
			REQ_ERR(req, why);
			return err;
		}
	}
	/* Up before nfvd restarted: same id, its buckets kept for it. */
	back = state_claim(d, c->pid, service, name);
	if (!back && d->tables->services[service].n_live >= NFV_REPLICA_MAX) {
		REQ_ERR(req, "service already has the maximum of 16 replicas");
		return -ENOSPC;
	}
	/* With nfv.ko the module gives the id (it selects XSKMAP slots). */
	id = d->kern ? kbackend_nf_open(req, service, flags, name, &dev_fd)
		     : back ? back->id : alloc_id(d);
	if (id < 0) {
		if (!d->kern)
			REQ_ERR(req, "too many NF instances");
		return id;
	}
	nf = &d->nfs[id];
	memset(nf, 0, sizeof(*nf));
	nf->private_fd = nf->doorbell = -1;
	nf->id = (uint16_t)id;
	nf->service = service;
	nf->flags = flags;
	nf->state = NFV_NF_STATE_ATTACHING;
	nf->pid = c->pid;
	nf->client = c;
	snprintf(nf->name, sizeof(nf->name), "%s", name ? name : "");

	nf->priv_size = nfv_private_size(ret_ring_size(d->cfg.frames),
					 d->cfg.frames);
	nf->private_fd = memfd_create("nfv-private", MFD_CLOEXEC);
	if (nf->private_fd < 0 ||
	    ftruncate(nf->private_fd, (off_t)nf->priv_size))
		goto errno_fail;
	nf->priv = mmap(NULL, nf->priv_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, nf->private_fd, 0);
	if (nf->priv == MAP_FAILED) {
		nf->priv = NULL;
		goto errno_fail;
	}
	nf->priv->magic = NFV_SHM_MAGIC;
	nf->priv->version = NFV_SHM_VERSION;
	nf->priv->ret_size = ret_ring_size(d->cfg.frames);
	nf->priv->tap_held_off = nfv_private_tap_off(nf->priv->ret_size);
	nfv_ring_init(&nf->ret, &nf->priv->ret, nf->priv->ret_ring,
		      nf->priv->ret_size);
	nf->doorbell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (nf->doorbell < 0)
		goto errno_fail;

	for (i = 1; i < NFV_PORT_MAX; i++) {
		for (q = 0; d->ports[i].id && q < d->ports[i].n_queues; q++) {
			err = sock_create(nf, (uint16_t)i, (uint16_t)q);
			if (err) {
				REQ_ERR(req, "cannot create AF_XDP socket");
				goto fail;
			}
		}
	}

	/* A read-only NF gets a read-only open of the UMEM: it cannot map
	 * it writable, whatever it tries.
	 */
	if (flags & NFV_NF_F_READONLY) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", d->umem_memfd);
		umem_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (umem_fd < 0)
			goto errno_fail;
	}
	fds[n_fds++] = umem_fd >= 0 ? umem_fd : d->umem_memfd;
	fds[n_fds++] = d->tables_fd;
	fds[n_fds++] = d->handoff_fd;
	fds[n_fds++] = nf->private_fd;
	fds[n_fds++] = nf->doorbell;
	fds[n_fds++] = d->doorbell;
	if (dev_fd >= 0) {
		fds[n_fds++] = dev_fd;
		n_roles++;
	}

	nlh = control_reply_start(req, buf, NFV_CMD_NF_ATTACH, 0);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, nf->id);
	mnl_attr_put_u32(nlh, NFV_A_NF_FRAMES, d->cfg.frames);
	mnl_attr_put_u32(nlh, NFV_A_NF_FRAME_SIZE, d->cfg.frame_size);
	nest = mnl_attr_nest_start(nlh, NFV_A_NF_FDS);
	for (i = 0; i < n_roles; i++)
		mnl_attr_put_u32(nlh, (uint16_t)(i + 1), (uint32_t)i);
	mnl_attr_nest_end(nlh, nest);
	for (i = 0; i < nf->n_socks; i++) {
		put_sock_attr(nlh, d, &nf->socks[i]);
		fds[n_fds++] = nf->socks[i].fd;
	}
	d->tables->nfs[id].gen++;
	tables_nf_write(d, nf);
	c->nf = id;
	err = control_reply(req, nlh, fds, n_fds);
	if (umem_fd >= 0)
		close(umem_fd);
	if (err) {
		c->nf = 0;
		if (back)
			tables_service_del(d, service, (uint16_t)id);
		nf_free(d, nf);
		return err;
	}
	pr_info("nfvd: nf %d (%s) service %u pid %d attaching%s\n", id,
		nf->name, service, nf->pid, back ? " (back after a restart)" : "");
	return 1;	/* replied */

errno_fail:
	err = -errno;
	REQ_ERR(req, "out of resources");
fail:
	if (umem_fd >= 0)
		close(umem_fd);
	if (back)
		tables_service_del(d, service, (uint16_t)id);
	nf_free(d, nf);
	return err;
}

static struct nfvd_nf *client_nf(struct nfvd_req *req)
{
	struct nfvd_nf *nf;

	if (!req->c->nf) {
		REQ_ERR(req, "not an attached NF");
		return NULL;
	}
	nf = &req->d->nfs[req->c->nf];
	return nf->id ? nf : NULL;
}

int nf_ready(struct nfvd_req *req)
{
	struct nfvd *d = req->d;
	struct nfvd_nf *nf = client_nf(req);
	int i, err;

	if (!nf)
		return -ENOENT;
	for (i = 0; i < nf->n_socks; i++) {
		struct nfvd_nf_sock *s = &nf->socks[i];

		if (s->bound || !s->port)
			continue;
		err = sock_bind(d, nf, s);
		if (err) {
			pr_warn("nfvd: nf %u: bind port %u queue %u: %s\n",
				nf->id, s->port, s->queue, strerror(-err));
			s->port = 0;	/* retired */
		}
	}
	if (nf->state == NFV_NF_STATE_ATTACHING) {
		err = d->kern ? kbackend_nf_ready(d, nf) :
				tables_service_add(d, nf->service, nf->id);
		if (err) {
			REQ_ERR(req, "cannot join the service's replicas");
			return err;
		}
		nf->state = NFV_NF_STATE_UP;
		tables_nf_write(d, nf);
		state_nf_changed(d, nf, true);
		control_notify(d, NFV_CMD_NF_EVENT, nf->id);
		pr_info("nfvd: nf %u up\n", nf->id);
	}
	return 0;
}

int nf_doorbell(struct nfvd_req *req)
{
	struct nfvd *d = req->d;
	struct nfvd_nf *self = client_nf(req);
	const struct nlattr *a;
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	int peer = -1;
	uint32_t gen = 0;

	if (!self)
		return -ENOENT;
	mnl_attr_for_each(a, req->nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == NFV_A_NF_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			peer = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) == NFV_A_NF_DOORBELL &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			gen = mnl_attr_get_u32(a);
	}
	if (peer <= 0 || peer >= NFV_NF_MAX || !d->nfs[peer].id ||
	    d->nfs[peer].state == NFV_NF_STATE_DEAD ||
	    d->nfs[peer].doorbell < 0 ||
	    d->tables->nfs[peer].gen != gen) {
		REQ_ERR(req, "no such NF");
		return -ENOENT;
	}
	nlh = control_reply_start(req, buf, NFV_CMD_NF_GET, 0);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, (uint16_t)peer);
	return control_reply(req, nlh, &d->nfs[peer].doorbell, 1) ?: 1;
}

static void take_down(struct nfvd *d, struct nfvd_nf *nf)
{
	int i;

	for (i = 0; i < nf->n_socks; i++)
		if (nf->socks[i].bound && nf->socks[i].port)
			tables_xsk_clear(d, nf->id, nf->socks[i].port,
					 nf->socks[i].queue);
	/* Not only when up: an NF back after a restart is in its service
	 * (its buckets kept) from the start.
	 */
	tables_service_del(d, nf->service, nf->id);
	nf->state = NFV_NF_STATE_DEAD;
	tables_nf_write(d, nf);
	/* Not READY yet: our copy of its /dev/nfv file keeps it alive. */
	kbackend_nf_release(d, nf->id);
}

void nf_client_gone(struct nfvd *d, struct nfvd_client *c)
{
	struct nfvd_nf *nf;

	if (!c->nf)
		return;
	nf = &d->nfs[c->nf];
	c->nf = 0;
	if (nf->id)
		nf_gone(d, nf);
}

void nf_gone(struct nfvd *d, struct nfvd_nf *nf)
{
	if (nf->state == NFV_NF_STATE_DEAD)
		return;
	take_down(d, nf);
	state_nf_changed(d, nf, false);
	if (nf->client)
		nf->client->nf = 0;
	nf->client = NULL;
	nf->rx = nf->priv->cnt.rx;
	nf->tx = nf->priv->cnt.tx;
	nf->drop = nf->priv->cnt.drop;
	nf->next = nf->priv->cnt.next;
	nf->reclaim_at_ns = nfvd_now_ns() + REAP_GRACE_NS;
	{
		struct timespec ts;

		/* Wall-clock time, for tests measuring how fast we react. */
		clock_gettime(CLOCK_REALTIME, &ts);
		pr_info("nfvd: nf %u (%s) gone at %lld.%09ld, out of its replica set; reclaiming its frames\n",
			nf->id, nf->name, (long long)ts.tv_sec, ts.tv_nsec);
	}
	control_notify(d, NFV_CMD_NF_EVENT, nf->id);
}

static int drain_ret(struct nfvd *d, struct nfvd_nf *nf)
{
	int jump = 0, moved = 0;
	uint32_t n, i;

	while ((n = nfv_ring_avail(&nf->ret, 1024, &jump)) > 0) {
		for (i = 0; i < n; i++) {
			uint64_t addr = *nfv_ring_addr(&nf->ret,
						       nf->ret.cached_cons + i);
			uint32_t f = (uint32_t)(addr / d->cfg.frame_size);

			/* Base addresses of frames this NF holds, only. */
			if ((addr & (d->cfg.frame_size - 1)) ||
			    addr >= d->umem_size || d->owner[f] != nf->id ||
			    umem_frame_put(d, addr)) {
				nf->bad_desc++;
				d->bad_desc++;
			}
		}
		nfv_ring_release(&nf->ret, n);
		moved += (int)n;
	}
	if (jump) {
		nf->bad_desc++;
		d->bad_desc++;
	}
	return moved;
}

int nf_drain_returns(struct nfvd *d)
{
	int i, moved = 0;

	for (i = 1; i < NFV_NF_MAX; i++)
		if (d->nfs[i].id && d->nfs[i].state != NFV_NF_STATE_DEAD &&
		    d->nfs[i].priv)
			moved += drain_ret(d, &d->nfs[i]);
	return moved;
}

/*
 * Drop a hold of a dead NF on a frame; free it if that was the last one
 * (a tap may still look at it: then the tap frees it).
 */
static void reclaim_frame(struct nfvd *d, uint64_t addr)
{
	if (addr >= d->umem_size ||
	    !nfv_frame_put(d->refs, (uint32_t)(addr / d->cfg.frame_size)))
		return;
	if (!umem_frame_put(d, addr & ~(uint64_t)(d->cfg.frame_size - 1)))
		d->reclaimed++;
}

static void handoff_punch(struct nfvd *d, const void *p, size_t len)
{
	off_t off = (const char *)p - (const char *)d->handoff;

	if (fallocate(d->handoff_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      off, (off_t)len) && !d->punch_warned) {
		pr_warn("nfvd: cannot give lane memory back: %s\n",
			strerror(errno));
		d->punch_warned = true;
	}
}

/*
 * Give lane memory back.  The handoff memfd is sparse, and without this
 * every lane an NF pair ever used would keep its pages for good: the
 * segment would grow with NF churn up to its whole NFV_NF_MAX^2 layout.
 * Punched pages read as zeroes; a page comes back on the next write.
 *
 * An empty lane's descriptors mean nothing (only [cons, prod) does), so
 * they can go as soon as nobody may write to the lane: lanes out of a
 * reaped NF (@all false: only the descriptors of lane (@c, @p)).  Its
 * header must stay, the live consumer caches its indices.
 *
 * Lanes into a reaped NF (@all true: the whole row of consumer @c) lose
 * their headers too, i.e. start again from 0/0: no consumer reads them,
 * no producer writes them (the id is in no table after the grace
 * period), and a producer re-reads a lane's header whenever the
 * consumer's generation changes, which it does before the id's next
 * holder is in any table (libnfv's out_lane(), PROTOCOL.md "Lanes").
 */
static void lanes_release(struct nfvd *d, uint32_t c, uint32_t p, bool all)
{
	size_t descs = (size_t)NFV_LANE_SIZE * sizeof(struct nfv_desc);

	if (!all) {
		handoff_punch(d, nfv_lane_descs(d->handoff, c, p), descs);
		return;
	}
	handoff_punch(d, nfv_lane_hdr(d->handoff, c, 0),
		      NFV_NF_MAX * sizeof(struct nfv_lane_hdr));
	handoff_punch(d, nfv_lane_descs(d->handoff, c, 0), NFV_NF_MAX * descs);
}

static void reclaim(struct nfvd *d, struct nfvd_nf *nf)
{
	uint8_t *excluded = calloc(d->cfg.frames, 1);
	uint32_t id = nf->id, f, i;
	int k;

	/* Frames it sent are done: take the completions first. */
	umem_recycle(d);
	drain_ret(d, nf);

	/* 2. rx rings: frames the kernel gave it that it never took. */
	for (k = 0; k < nf->n_socks; k++) {
		struct nfvd_nf_sock *s = &nf->socks[k];
		uint32_t cons, prod;

		if (!s->rx_map)
			continue;
		cons = __atomic_load_n(s->rx.consumer, __ATOMIC_ACQUIRE);
		prod = __atomic_load_n(s->rx.producer, __ATOMIC_ACQUIRE);
		if (prod - cons > s->rx.size)
			cons = prod - s->rx.size;	/* NF scribbled */
		for (; cons != prod; cons++) {
			const struct xdp_desc *desc =
				xsk_ring_cons__rx_desc(&s->rx, cons);
			uint64_t a = desc->addr;

			if (a < d->umem_size &&
			    d->owner[a / d->cfg.frame_size] == NFV_OWNER_NFVD)
				reclaim_frame(d, a);
		}
		sock_close(s);
	}
	nf->n_socks = 0;

	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfv_lane_hdr *h;
		uint32_t cons, prod;

		/* Lanes from a reaped producer still hold what it sent us. */
		if (!d->nfs[i].id &&
		    !(nf->orphan_lanes[i / 64] & (1ULL << (i % 64))))
			continue;
		/* 4. lanes out of it: the consumer's now (it takes them back
		 * in 3. should it die before it read them).
		 */
		if (i != id && d->nfs[i].id) {
			h = nfv_lane_hdr(d->handoff, i, id);
			cons = __atomic_load_n(&h->cons, __ATOMIC_ACQUIRE);
			prod = __atomic_load_n(&h->prod, __ATOMIC_ACQUIRE);
			if (cons != prod)
				d->nfs[i].orphan_lanes[id / 64] |= 1ULL << (id % 64);
			else	/* nobody writes it until the id is reused */
				lanes_release(d, i, id, false);
			if (prod - cons <= NFV_LANE_SIZE && excluded) {
				struct nfv_desc *descs =
					nfv_lane_descs(d->handoff, i, id);

				for (; cons != prod; cons++) {
					uint64_t a = descs[cons &
						(NFV_LANE_SIZE - 1)].addr;

					if (a < d->umem_size)
						excluded[a / d->cfg.frame_size] = 1;
				}
			}
		}
		/* 3. lanes into it, from i: take back and empty. */
		h = nfv_lane_hdr(d->handoff, id, i);
		cons = __atomic_load_n(&h->cons, __ATOMIC_ACQUIRE);
		prod = __atomic_load_n(&h->prod, __ATOMIC_ACQUIRE);
		if (prod - cons <= NFV_LANE_SIZE) {
			struct nfv_desc *descs = nfv_lane_descs(d->handoff, id, i);

			for (; cons != prod; cons++) {
				const struct nfv_desc *dc =
					&descs[cons & (NFV_LANE_SIZE - 1)];
				uint64_t a = dc->addr;

				/* A tap reference, or a frame i held. */
				if (a < d->umem_size &&
				    ((dc->flags & NFV_DESC_F_TAP) ||
				     d->owner[a / d->cfg.frame_size] == i))
					reclaim_frame(d, a);
			}
		}
		__atomic_store_n(&h->cons, prod, __ATOMIC_RELEASE);
	}
	/*
	 * Every lane into it is empty now (those from producers not seen
	 * above were emptied when their producer was reaped, or are orphans
	 * taken back just now), and no producer picks it any more (grace
	 * period): its whole row can go.
	 */
	lanes_release(d, id, 0, true);

	/* Tap references it held. */
	if (nf->priv) {
		const uint64_t *held = (const uint64_t *)((const char *)nf->priv +
					nf->priv->tap_held_off);

		for (f = 0; f < d->cfg.frames; f++)
			if (held[f / 64] & (1ULL << (f % 64)))
				reclaim_frame(d, (uint64_t)f * d->cfg.frame_size);
	}

	/* 5. everything else it held. */
	for (f = 0; f < d->cfg.frames; f++) {
		if (d->owner[f] == id && d->frame_state[f] == FRAME_OUT &&
		    !(excluded && excluded[f]))
			reclaim_frame(d, (uint64_t)f * d->cfg.frame_size);
	}
	free(excluded);
}

void nf_reap(struct nfvd *d)
{
	uint64_t now = nfvd_now_ns();
	int i;

	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (!nf->id || nf->state != NFV_NF_STATE_DEAD ||
		    nf->reclaim_at_ns > now)
			continue;
		reclaim(d, nf);
		pr_info("nfvd: nf %u reclaimed, %u frames free\n", nf->id,
			d->n_free);
		nf_free(d, nf);
	}
}

uint64_t nf_next_reap_ns(struct nfvd *d)
{
	uint64_t next = 0;
	int i;

	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (nf->id && nf->state == NFV_NF_STATE_DEAD &&
		    (!next || nf->reclaim_at_ns < next))
			next = nf->reclaim_at_ns;
	}
	return next;
}

void nf_port_added(struct nfvd *d, struct nfvd_port *p)
{
	int i, q;

	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];
		int fds[NFV_QUEUE_MAX], n = 0, first = nf->n_socks;
		char buf[NFV_MSG_MAX];
		struct nlmsghdr *nlh;

		if (!nf->id || nf->state == NFV_NF_STATE_DEAD || !nf->client)
			continue;
		for (q = 0; q < p->n_queues; q++) {
			if (sock_create(nf, p->id, (uint16_t)q))
				break;
			fds[n++] = nf->socks[nf->n_socks - 1].fd;
		}
		if (!n)
			continue;
		nlh = nfv_msg_start(buf, NFV_CMD_NF_SOCKET, 0, 0);
		nlh->nlmsg_flags = 0;
		for (q = first; q < nf->n_socks; q++)
			put_sock_attr(nlh, d, &nf->socks[q]);
		if (nfv_msg_send(nf->client->fd, nlh, nlh->nlmsg_len, fds, n) < 0)
			pr_warn("nfvd: nf %u: cannot send new socket\n", nf->id);
	}
}

void nf_port_removed(struct nfvd *d, struct nfvd_port *p)
{
	int i, k;

	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		for (k = 0; nf->id && k < nf->n_socks; k++) {
			struct nfvd_nf_sock *s = &nf->socks[k];

			if (s->port != p->id)
				continue;
			if (s->bound)
				tables_xsk_clear(d, nf->id, s->port, s->queue);
			/* Kept for reclaim, out of every table. */
			s->port = 0;
		}
	}
}

uint32_t nf_frames_held(struct nfvd *d, uint16_t id)
{
	uint32_t f, n = 0;

	for (f = 0; f < d->cfg.frames; f++)
		if (d->owner[f] == id && d->frame_state[f] == FRAME_OUT)
			n++;
	return n;
}

void nf_forget(struct nfvd *d, struct nfvd_nf *nf)
{
	nf_free(d, nf);
}
