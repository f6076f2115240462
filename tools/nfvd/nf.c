// SPDX-License-Identifier: GPL-2.0
/*
 * NF lifecycle: attach, ready, peers, death and frame reclaim.
 *
 * An NF is attached while its connection to nfvd is open.  It gets:
 *  - the UMEM (a read-only open if it is --readonly);
 *  - the tables (sealed: read-only for everyone but nfvd);
 *  - its own segment, which it maps read-write before it says READY;
 *    nfvd then seals it (F_SEAL_FUTURE_WRITE), so the NF's mapping is
 *    the only writable one there will ever be: nfvd and peers map it
 *    read-only;
 *  - an rx socket (rx ring only) per (port, queue), and a tx socket (tx
 *    ring only) per port its chains may send to, none if it is
 *    read-only.  Sockets come unbound (their rings cannot be mapped
 *    once bound) and nfvd binds them at READY, after checking that an
 *    rx socket has not grown a tx ring meanwhile.
 * Every memfd is mode 0000 and owned by nobody an NF can be
 * (NFVD_SHM_UID): no reopen through /proc/self/fd, no chmod.
 *
 * When its connection closes (exit, crash, kill -9: the kernel closes
 * the socket for us) the NF is taken out of every replica set and the
 * XSKMAP at once, and after a grace period, long enough for any NF that
 * read the old tables to finish its batch, the ledger takes back its
 * frames (ledger.c: every log drained first).  What it had sent that a
 * live consumer will still take stays on its lane, and its slot (id,
 * segment) waits for that before it is reused.
 *
 * Ids are handed out round robin, so an id comes back only after all
 * others were used.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "client.h"
#include "control.h"
#include "dpif.h"
#include "closer.h"
#include "events.h"
#include "flow_owner.h"
#include "ledger.h"
#include "nf.h"
#include "nfstats.h"
#include "nfvd.h"
#include "policy.h"
#include "recycle.h"
#include "state.h"
#include "tables.h"
#include "umem.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define NF_RX_SIZE	2048
#define REAP_GRACE_NS	(20 * 1000 * 1000ULL)

void nf_slot_init(struct nfvd_nf *nf)
{
	memset(nf, 0, sizeof(*nf));
	nf->seg_fd = nf->doorbell = nf->pidfd = -1;
	memset(nf->rx_pool, 0xff, sizeof(nf->rx_pool));
	memset(nf->tx_pool, 0xff, sizeof(nf->tx_pool));
}

/*
 * Our copy of an NF's socket, closed: counters read and ring unmapped
 * here, the close() itself on the closer's thread (it waits for an RCU
 * grace period, closer.c); @d NULL: inline.
 */
static void sock_close(struct nfvd *d, struct nfvd_nf_sock *s)
{
	if (s->pool)
		s->pool->ring_full_closed += umem_sock_ring_full(s);
	if (s->rx_map)
		munmap(s->rx_map, s->rx_map_len);
	if (s->fd >= 0 && d)
		closer_close(d, s->fd);
	else if (s->fd >= 0)
		close(s->fd);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* An unbound socket for the NF with one ring: rx (we map it, for
 * reclaim) or tx.
 */
static int sock_create(struct nfvd_nf *nf, uint16_t port, uint16_t queue,
		       bool tx)
{
	unsigned int size = tx ? NFVD_NF_TX_SIZE : NF_RX_SIZE;
	struct nfvd_nf_sock *s;
	struct xdp_mmap_offsets off;
	socklen_t optlen = sizeof(off);
	void *p;

	if (nf->n_socks == (int)(sizeof(nf->socks) / sizeof(nf->socks[0])))
		return -ENOSPC;
	s = &nf->socks[nf->n_socks];
	memset(s, 0, sizeof(*s));
	s->port = s->pool_port = port;
	s->queue = queue;
	s->tx = tx;
	s->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -errno;
	if (setsockopt(s->fd, SOL_XDP, tx ? XDP_TX_RING : XDP_RX_RING, &size,
		       sizeof(size)) ||
	    getsockopt(s->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen))
		goto fail;
	if (!tx) {
		s->rx_map_len = off.rx.desc + (size_t)size *
					      sizeof(struct xdp_desc);
		p = mmap(NULL, s->rx_map_len, PROT_READ | PROT_WRITE,
			 MAP_SHARED, s->fd, XDP_PGOFF_RX_RING);
		if (p == MAP_FAILED)
			goto fail;
		s->rx_map = p;
		s->rx.mask = size - 1;
		s->rx.size = size;
		s->rx.producer = (uint32_t *)((char *)p + off.rx.producer);
		s->rx.consumer = (uint32_t *)((char *)p + off.rx.consumer);
		s->rx.flags = (uint32_t *)((char *)p + off.rx.flags);
		s->rx.ring = (char *)p + off.rx.desc;
	}
	nf->n_socks++;
	return 0;
fail:
	{
		int err = -errno;

		sock_close(NULL, s);
		return err;
	}
}

static struct nfvd_pool *pool_of(struct nfvd *d, uint16_t port, uint16_t queue)
{
	struct nfvd_port *p;

	if (!port || port >= NFV_PORT_MAX || queue >= NFV_QUEUE_MAX)
		return NULL;
	p = &d->ports[port];
	if (!p->id || queue >= port_n_pools(p))
		return NULL;
	return p->pools[queue];
}

/*
 * Whether an rx socket grew a tx ring while the NF had it unbound (it
 * may call setsockopt on it).  Before bind: mapping the tx ring fails
 * without one.  After: sendto() says ENOBUFS without one.
 */
static bool sock_has_tx(const struct nfvd_nf_sock *s, bool bound)
{
	void *p;

	if (bound) {
		/* ENOBUFS: no tx ring.  ENETDOWN and the like say nothing;
		 * the look before bind stands then.
		 */
		if (sendto(s->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
			return true;
		return errno == EAGAIN || errno == EBUSY;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, s->fd, XDP_PGOFF_TX_RING);
	if (p == MAP_FAILED)
		return false;
	munmap(p, 4096);
	return true;
}

static int sock_bind(struct nfvd *d, struct nfvd_nf *nf, struct nfvd_nf_sock *s)
{
	struct nfvd_pool *pool = pool_of(d, s->port, s->queue);
	struct sockaddr_xdp sxdp = { .sxdp_family = AF_XDP };
	int err;

	if (!pool)
		return -ENODEV;
	if (!s->tx && sock_has_tx(s, false))
		return -EPERM;
	sxdp.sxdp_ifindex = pool->ifindex;
	sxdp.sxdp_queue_id = pool->queue;
	sxdp.sxdp_flags = XDP_SHARED_UMEM;
	sxdp.sxdp_shared_umem_fd = (uint32_t)pool->fd;
	if (bind(s->fd, (struct sockaddr *)&sxdp, sizeof(sxdp)))
		return -errno;
	s->bound = true;
	s->pool = pool;
	if (s->tx) {
		nf->tx_pool[s->pool_port] = pool->index;
		nf->n_tx_socks++;
		return 0;
	}
	nf->rx_pool[s->pool_port][s->queue] = pool->index;
	/* It may have raced us to setsockopt between the look and bind. */
	if (sock_has_tx(s, true))
		return -EPERM;
	if (nf->over)
		return 0;	/* enters the XSKMAP when back under budget */
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
	mnl_attr_put_u32(nlh, NFV_A_SOCK_RX_SIZE, s->tx ? 0 : NF_RX_SIZE);
	mnl_attr_put_u32(nlh, NFV_A_SOCK_TX_SIZE, s->tx ? NFVD_NF_TX_SIZE : 0);
	mnl_attr_nest_end(nlh, n);
}

/* The sockets an NF needs on port @p: rx per queue, tx if it may send. */
static int socks_for_port(struct nfvd_nf *nf, const struct nfvd_port *p)
{
	bool want_tx = !(nf->flags & NFV_NF_F_READONLY) &&
		       nfv_reach_has_port(&nf->reach, p->id);
	int q, i, err;

	for (q = 0; q < port_n_pools(p); q++) {
		for (i = 0; i < nf->n_socks; i++)
			if (nf->socks[i].port == p->id && !nf->socks[i].tx &&
			    nf->socks[i].queue == q)
				break;
		if (i < nf->n_socks)
			continue;
		err = sock_create(nf, p->id, (uint16_t)q, false);
		if (err)
			return err;
	}
	for (i = 0; i < nf->n_socks; i++)
		if (nf->socks[i].port == p->id && nf->socks[i].tx)
			return 0;
	return want_tx ? sock_create(nf, p->id, 0, true) : 0;
}

static void nf_free(struct nfvd *d, struct nfvd_nf *nf)
{
	int i;

	for (i = 0; i < nf->n_socks; i++)
		sock_close(d, &nf->socks[i]);
	if (nf->seg) {
		ledger_nf_del(d, nf);
		munmap((void *)nf->seg, d->lay.size);
	}
	if (nf->seg_fd >= 0)
		close(nf->seg_fd);
	if (nf->doorbell >= 0)
		close(nf->doorbell);
	if (nf->pidfd >= 0)
		close(nf->pidfd);
	free(nf->tap);
	free(nf->transit_from);
	nfstats_free(nf);
	if (nf->id && nf->state == NFV_NF_STATE_DEAD)
		d->n_dying--;
	if (nf->id) {
		dp_nf_release(d, nf->id);
		struct nfv_tables_nf *t = &d->tables->nfs[nf->id];

		/* gen stays: it tells peers the next holder of this id. */
		__atomic_store_n(&t->state, 0, __ATOMIC_RELEASE);
		t->service = 0;
		t->flags = 0;
		t->pid = 0;
		memset(&d->tables->fb[nf->id], 0, sizeof(d->tables->fb[0]));
		__atomic_add_fetch(&d->tables->gen, 1, __ATOMIC_RELEASE);
	}
	nf_slot_init(nf);
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

/* The NF's segment: sized, headed, its size sealed; nobody else's. */
static int seg_create(struct nfvd *d, struct nfvd_nf *nf)
{
	struct nfv_seg_hdr h = {
		.magic = NFV_SHM_MAGIC,
		.version = NFV_SHM_VERSION,
		.n_frames = d->cfg.frames,
	};

	nf->seg_fd = memfd_create("nfv-seg", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (nf->seg_fd < 0)
		return -errno;
	if (ftruncate(nf->seg_fd, (off_t)d->lay.size) ||
	    pwrite(nf->seg_fd, &h, sizeof(h), 0) != sizeof(h) ||
	    fcntl(nf->seg_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW))
		return -errno;
	umem_shm_protect(nf->seg_fd);
	return 0;
}

/* Seal it (the NF has mapped it) and map our read-only view. */
static int seg_seal(struct nfvd *d, struct nfvd_nf *nf)
{
	void *p;

	if (fcntl(nf->seg_fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_SEAL))
		return -errno;
	p = mmap(NULL, d->lay.size, PROT_READ, MAP_SHARED, nf->seg_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	nf->seg = p;
	ledger_nf_add(d, nf);
	return 0;
}

/* An NF attaching: the reserved id of its earlier self, if any. */
static struct nfvd_nf *nf_claim(struct nfvd *d, int pid, uint16_t service,
				const char *name)
{
	int i;

	if (!d->reserve_until_ns)
		return NULL;
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (nf->reserved && nf->pid == pid && nf->service == service &&
		    !strncmp(nf->name, name ? name : "", sizeof(nf->name)))
			return nf;
	}
	return NULL;
}

/* NFs that did not come back in time leave their services. */
void nf_reserve_tick(struct nfvd *d)
{
	int i;

	if (!d->reserve_until_ns || nfvd_now_ns() < d->reserve_until_ns)
		return;
	d->reserve_until_ns = 0;
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (!nf->reserved)
			continue;
		pr_info("nfvd: nf %u (%s) pid %d did not come back\n", nf->id,
			nf->name, nf->pid);
		tables_service_del(d, nf->service, nf->id);
		state_nf_changed(d, nf, false);
		nf_forget(d, nf);
	}
}

int nf_attach(struct nfvd_req *req)
{
	struct nfvd *d = req->d;
	struct nfvd_client *c = req->c;
	int fds[NFV_MAX_FDS], n_fds = 0, i, id, err;
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
	if (c->uid == NFVD_SHM_UID) {
		REQ_ERR(req, "this uid owns nfvd's shared memory");
		return -EPERM;
	}
	/* Up before nfvd restarted: same id, its buckets kept for it. */
	back = nf_claim(d, c->pid, service, name);
	if (!back && d->tables->services[service].n_live >= NFV_REPLICA_MAX) {
		REQ_ERR(req, "service already has the maximum of 16 replicas");
		return -ENOSPC;
	}
	/* The datapath gives the id (nfv.ko selects XSKMAP slots). */
	id = d->dp->nf_open(req, back, service, flags, name, &dev_fd);
	if (id < 0)
		return id;
	nf = &d->nfs[id];
	nf_slot_init(nf);
	nf->id = (uint16_t)id;
	nf->service = service;
	nf->flags = flags;
	nf->state = NFV_NF_STATE_ATTACHING;
	nf->pid = c->pid;
	nf->client = c;
	snprintf(nf->name, sizeof(nf->name), "%s", name ? name : "");
	nf->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	nfv_reach_of(d->tables->chains, service, &nf->reach);

	ledger_nf_fresh(d, (uint16_t)id);
	nf->tap = calloc(d->cfg.frames, sizeof(*nf->tap));
	nf->transit_from = calloc(NFV_NF_MAX, sizeof(*nf->transit_from));
	if (!nf->tap || !nf->transit_from) {
		errno = ENOMEM;
		goto errno_fail;
	}
	err = seg_create(d, nf);
	if (err) {
		errno = -err;
		goto errno_fail;
	}
	nf->doorbell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (nf->doorbell < 0)
		goto errno_fail;

	for (i = 1; i < NFV_PORT_MAX; i++) {
		if (!d->ports[i].id)
			continue;
		err = socks_for_port(nf, &d->ports[i]);
		if (err) {
			REQ_ERR(req, "cannot create AF_XDP socket");
			goto fail;
		}
	}

	/* A read-only NF gets a read-only open of the UMEM: it cannot map
	 * it writable, nor reopen it (mode 0000, not its uid).
	 */
	fds[n_fds++] = flags & NFV_NF_F_READONLY ? d->umem_ro_fd
						 : d->umem_memfd;
	fds[n_fds++] = d->tables_fd;
	fds[n_fds++] = nf->seg_fd;
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
	nf->gen = ++d->tables->nfs[id].gen;
	memset(&d->tables->fb[id], 0, sizeof(d->tables->fb[0]));
	tables_nf_write(d, nf);
	c->nf = id;
	err = control_reply(req, nlh, fds, n_fds);
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

/* It tampered with what we gave it (a tx ring on an rx socket). */
static void nf_hostile(struct nfvd *d, struct nfvd_nf *nf, const char *what)
{
	pr_warn("nfvd: nf %u (%s) pid %d: %s: killing it\n", nf->id, nf->name,
		nf->pid, what);
	nf_kill(nf);
	nf_gone(d, nf);
}

int nf_ready(struct nfvd_req *req)
{
	struct nfvd *d = req->d;
	struct nfvd_nf *nf = client_nf(req);
	int i, err;

	if (!nf)
		return -ENOENT;
	if (nf->state == NFV_NF_STATE_DEAD) {
		REQ_ERR(req, "NF is gone");
		return -ENOENT;
	}
	if (!nf->seg) {
		err = seg_seal(d, nf);
		if (err) {
			REQ_ERR(req, "cannot seal the NF's segment");
			return err;
		}
	}
	for (i = 0; i < nf->n_socks; i++) {
		struct nfvd_nf_sock *s = &nf->socks[i];

		if (s->bound || !s->port)
			continue;
		err = sock_bind(d, nf, s);
		if (err == -EPERM) {
			nf_hostile(d, nf, "an rx socket grew a tx ring");
			REQ_ERR(req, "rx sockets have no tx ring");
			return err;
		}
		if (err) {
			pr_warn("nfvd: nf %u: bind port %u queue %u: %s\n",
				nf->id, s->port, s->queue, strerror(-err));
			s->port = 0;	/* retired */
		}
	}
	if (nf->state == NFV_NF_STATE_ATTACHING) {
		err = d->dp->nf_ready(d, nf);
		if (err) {
			REQ_ERR(req, "cannot join the service's replicas");
			return err;
		}
		nf->state = NFV_NF_STATE_UP;
		tables_nf_write(d, nf);
		state_nf_changed(d, nf, true);
		events_nf(d, nf);
		pr_info("nfvd: nf %u up\n", nf->id);
	}
	return 0;
}

/*
 * NF_GET with DOORBELL: a peer's doorbell and segment, to an NF the
 * chains connect it to (either way: the asker may send to it, or it to
 * the asker).  A dead peer's still counts while its lanes hold frames.
 */
int nf_doorbell(struct nfvd_req *req)
{
	struct nfvd *d = req->d;
	struct nfvd_nf *self = client_nf(req), *p;
	const struct nlattr *a;
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	int peer = -1, fds[2];
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
	p = peer > 0 && peer < NFV_NF_MAX ? &d->nfs[peer] : NULL;
	if (!p || !p->id || !p->seg || p->gen != gen ||
	    (p->state == NFV_NF_STATE_DEAD && !ledger_nf_zombie(d, p))) {
		REQ_ERR(req, "no such NF");
		return -ENOENT;
	}
	if (p != self && !nfv_reach_has_svc(&self->reach, p->service) &&
	    !nfv_reach_has_svc(&p->reach, self->service)) {
		REQ_ERR(req, "no chain connects these NFs");
		return -EPERM;
	}
	p->granted_to[self->id / 64] |= 1ULL << (self->id % 64);
	fds[0] = p->doorbell;
	fds[1] = p->seg_fd;
	nlh = control_reply_start(req, buf, NFV_CMD_NF_GET, 0);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, (uint16_t)peer);
	return control_reply(req, nlh, fds, 2) ?: 1;
}

static void take_down(struct nfvd *d, struct nfvd_nf *nf)
{
	int i;

	for (i = 0; i < nf->n_socks; i++)
		if (nf->socks[i].bound && nf->socks[i].port &&
		    !nf->socks[i].tx)
			tables_xsk_clear(d, nf->id, nf->socks[i].port,
					 nf->socks[i].queue);
	/* Not only when up: an NF back after a restart is in its service
	 * (its buckets kept) from the start.
	 */
	tables_service_del(d, nf->service, nf->id);
	nf->state = NFV_NF_STATE_DEAD;
	tables_nf_write(d, nf);
	/* Not READY yet: our copy of its /dev/nfv file keeps it alive. */
	dp_nf_release(d, nf->id);
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

const struct nfv_nf_counters *nf_counters(struct nfvd *d, struct nfvd_nf *nf)
{
	if (nf->seg && nf->state != NFV_NF_STATE_DEAD)
		memcpy(&nf->last, nf->seg + d->lay.counters, sizeof(nf->last));
	return &nf->last;
}

void nf_gone(struct nfvd *d, struct nfvd_nf *nf)
{
	if (nf->state == NFV_NF_STATE_DEAD)
		return;
	nf_counters(d, nf);
	take_down(d, nf);
	flow_owner_nf_gone(d, nf);
	d->n_dying++;
	state_nf_changed(d, nf, false);
	if (nf->client)
		nf->client->nf = 0;
	nf->client = NULL;
	nf->reclaim_at_ns = nfvd_now_ns() + REAP_GRACE_NS;
	{
		struct timespec ts;

		/* Wall-clock time, for tests measuring how fast we react. */
		clock_gettime(CLOCK_REALTIME, &ts);
		pr_info("nfvd: nf %u (%s) gone at %lld.%09ld, out of its replica set; reclaiming its frames\n",
			nf->id, nf->name, (long long)ts.tv_sec, ts.tv_nsec);
	}
	events_nf(d, nf);
}

static void reap(struct nfvd *d, struct nfvd_nf *nf)
{
	int k;

	/* Everything it and its peers logged, every completion, first. */
	recycle(d);
	ledger_nf_reclaim(d, nf);
	for (k = 0; k < nf->n_socks; k++)
		sock_close(d, &nf->socks[k]);
	nf->n_socks = 0;
	/* What its rx rings held went with them: the census finds it. */
	d->census_at_ns = nfvd_now_ns();
	nf->reaped = true;
	if (ledger_nf_zombie(d, nf))
		pr_info("nfvd: nf %u: %u frames it sent still on their way; its id waits\n",
			nf->id, nf->transit_out + nf->owed_out);
}

void nf_reap(struct nfvd *d)
{
	uint64_t now = nfvd_now_ns();
	int i;

	if (!d->n_dying)
		return;
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (!nf->id || nf->state != NFV_NF_STATE_DEAD ||
		    nf->reclaim_at_ns > now)
			continue;
		if (!nf->reaped)
			reap(d, nf);
		else
			ledger_nf_reap_out(d, nf);
		if (ledger_nf_zombie(d, nf))
			continue;
		pr_info("nfvd: nf %u reclaimed, %u frames free\n", nf->id,
			d->n_free);
		nf_free(d, nf);
	}
}

uint64_t nf_next_reap_ns(struct nfvd *d)
{
	uint64_t next = 0;
	int i;

	if (!d->n_dying)
		return 0;
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];
		uint64_t at;

		if (!nf->id || nf->state != NFV_NF_STATE_DEAD)
			continue;
		/* Waiting for consumers: look again now and then. */
		at = nf->reaped ? nfvd_now_ns() + 50 * 1000000ULL
				: nf->reclaim_at_ns;
		if (!next || at < next)
			next = at;
	}
	return next;
}

/* Hand an NF the sockets made since @first. */
static void send_socks(struct nfvd *d, struct nfvd_nf *nf, int first)
{
	int fds[NFV_MAX_FDS], n = 0, k;
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;

	if (first == nf->n_socks)
		return;
	nlh = nfv_msg_start(buf, NFV_CMD_NF_SOCKET, 0, 0);
	nlh->nlmsg_flags = 0;
	for (k = first; k < nf->n_socks; k++) {
		put_sock_attr(nlh, d, &nf->socks[k]);
		fds[n++] = nf->socks[k].fd;
	}
	if (client_send(d, nf->client, nlh, fds, n) < 0)
		pr_warn("nfvd: nf %u: cannot send new sockets\n", nf->id);
}

void nf_port_added(struct nfvd *d, struct nfvd_port *p)
{
	int i;

	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];
		int first = nf->n_socks;

		if (!nf->id || nf->state == NFV_NF_STATE_DEAD || !nf->client)
			continue;
		if (socks_for_port(nf, p))
			pr_warn("nfvd: nf %u: no sockets on port %s\n",
				nf->id, p->name);
		send_socks(d, nf, first);
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
			if (s->bound && !s->tx)
				tables_xsk_clear(d, nf->id, s->port, s->queue);
			/* Kept for reclaim, out of every table. */
			s->port = 0;
		}
	}
}

void nf_chains_changed(struct nfvd *d)
{
	int i, k;

	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];
		int first = nf->n_socks;

		if (!nf->id || nf->state == NFV_NF_STATE_DEAD)
			continue;
		nfv_reach_of(d->tables->chains, nf->service, &nf->reach);
		if (!nf->client || (nf->flags & NFV_NF_F_READONLY))
			continue;
		for (k = 1; k < NFV_PORT_MAX; k++)
			if (d->ports[k].id &&
			    nfv_reach_has_port(&nf->reach, (uint16_t)k) &&
			    socks_for_port(nf, &d->ports[k]))
				pr_warn("nfvd: nf %u: no tx socket on port %s\n",
					nf->id, d->ports[k].name);
		send_socks(d, nf, first);
	}
}

void nf_forget(struct nfvd *d, struct nfvd_nf *nf)
{
	nf_free(d, nf);
}

/* ---- the control side: NF_ATTACH, NF_READY, NF_GET ---- */

void nf_put(struct nfvd *d, struct nlmsghdr *nlh, struct nfvd_nf *nf)
{
	/* The NF's own word on itself (it may lie), then nfvd's. */
	const struct nfv_nf_counters *c = nf_counters(d, nf);

	mnl_attr_put_u16(nlh, NFV_A_NF_ID, nf->id);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, nf->service);
	mnl_attr_put_strz(nlh, NFV_A_NF_NAME, nf->name);
	mnl_attr_put_u32(nlh, NFV_A_NF_PID, (uint32_t)nf->pid);
	mnl_attr_put_u32(nlh, NFV_A_NF_FLAGS, nf->flags);
	mnl_attr_put_u8(nlh, NFV_A_NF_STATE, nf->state);
	mnl_attr_put_u64(nlh, NFV_A_NF_RX, c->rx);
	mnl_attr_put_u64(nlh, NFV_A_NF_TX, c->tx);
	mnl_attr_put_u64(nlh, NFV_A_NF_DROP, c->drop);
	mnl_attr_put_u64(nlh, NFV_A_NF_NEXT, c->next);
	mnl_attr_put_u64(nlh, NFV_A_NF_BAD_DESC, c->bad_desc);
	mnl_attr_put_u32(nlh, NFV_A_NF_HELD, ledger_held(d, nf->id));
	mnl_attr_put_u64(nlh, NFV_A_NF_RING_FULL, c->ring_full);
	mnl_attr_put_u64(nlh, NFV_A_NF_NO_REPLICA, c->no_replica);
	mnl_attr_put_u64(nlh, NFV_A_NF_OVERRIDE_DENIED, c->override_denied);
	mnl_attr_put_u64(nlh, NFV_A_NF_CSUM_FIXED, c->csum_fixed);
	mnl_attr_put_u64(nlh, NFV_A_NF_TAP_OVERFLOW, c->tap_overflow);
	mnl_attr_put_u64(nlh, NFV_A_NF_LOOP_DROP, c->loop_drop);
	mnl_attr_put_u64(nlh, NFV_A_NF_OVERRUN, c->overrun);
	mnl_attr_put_u64(nlh, NFV_A_NF_REFUSED, nf->refused);
	mnl_attr_put_u32(nlh, NFV_A_NF_BUDGET, ledger_budget(d));
	mnl_attr_put_u64(nlh, NFV_A_NF_BUDGET_HITS, nf->budget_hits);
	mnl_attr_put_u32(nlh, NFV_A_NF_FLOW_RULES, nf->n_flows);
	mnl_attr_put_u64(nlh, NFV_A_NF_FLOW_RULES_REFUSED, nf->flows_refused);
	mnl_attr_put_u64(nlh, NFV_A_NF_BP_WAITS, c->bp_waits);
	mnl_attr_put_u64(nlh, NFV_A_NF_BP_TIMEOUTS, c->bp_timeouts);
	mnl_attr_put_u64(nlh, NFV_A_NF_SCHED_SWITCHES, c->sched_switches);
}

static int cmd_nf(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_NF_MAX + 1];
	struct nfvd *d = req->d;
	char buf[NFV_MSG_MAX];
	int err;

	if (cmd == NFV_CMD_NF_ATTACH)
		return nf_attach(req);
	/* NF_GET and NF_READY carry nfvd's own attributes (DOORBELL). */
	err = parse_attrs(req, NULL, &nfv_nf_nl_set, 0, tb);
	if (err)
		return err;
	if (cmd == NFV_CMD_NF_READY)
		return nf_ready(req);
	if (tb[NFV_A_NF_DOORBELL])
		return nf_doorbell(req);
	if (!is_dump(req)) {
		struct nlmsghdr *nlh;
		uint16_t id = tb[NFV_A_NF_ID] ?
			      mnl_attr_get_u16(tb[NFV_A_NF_ID]) : 0;

		if (!tb[NFV_A_NF_ID]) {
			REQ_ERR(req, "missing NF id");
			return -EINVAL;
		}
		if (!id || !d->nfs[id].id) {
			REQ_ERR(req, "no such NF");
			return -ENOENT;
		}
		nlh = control_reply_start(req, buf, NFV_CMD_NF_GET, 0);
		nf_put(d, nlh, &d->nfs[id]);
		return control_reply(req, nlh, NULL, 0) ?: 1;
	}
	return control_dump_start(req, NFV_CMD_NF_GET);
}

/* An NF's attach counts against its uid's cap; then its READY is due. */
static int nf_doit(struct nfvd_req *req, uint8_t cmd)
{
	struct nfvd_client *c = req->c;
	static char why[128];
	int err;

	switch (cmd) {
	case NFV_CMD_NF_ATTACH:
		err = client_nf_cap(req->d, c, why, sizeof(why));
		if (err) {
			REQ_ERR(req, why);
			return err;
		}
		err = cmd_nf(req, cmd);
		if (err >= 0 && c->nf)
			client_nf_attached(req->d, c);	/* READY is due */
		return err;
	case NFV_CMD_NF_READY:
		err = cmd_nf(req, cmd);
		if (!err)
			c->attach_ns = 0;
		return err;
	default:
		return cmd_nf(req, cmd);
	}
}

static struct nlmsghdr *nf_dump(struct nfvd_req *req, struct nfvd_dump *dp,
				void *buf)
{
	struct nfvd *d = req->d;
	struct nlmsghdr *nlh = NULL;

	for (; !nlh && dp->pos < NFV_NF_MAX; dp->pos++) {
		if (!d->nfs[dp->pos].id)
			continue;
		nlh = control_reply_start(req, buf, dp->cmd, NLM_F_MULTI);
		nf_put(d, nlh, &d->nfs[dp->pos]);
	}
	return nlh;
}

const struct nfvd_obj nf_obj = {
	.doit = nf_doit,
	.dump = nf_dump,
};
