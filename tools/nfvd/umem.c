// SPDX-License-Identifier: GPL-2.0
/*
 * The UMEM and its rings: fill, completion, and the owner sockets' tx
 * rings.  Where each frame is, is the ledger's (ledger.c): this file moves
 * frames between the ledger and the kernel's rings and tells the ledger
 * what the kernel did (took a fill entry, completed a transmission).
 *
 * One pool per (port, queue): the owner socket with the pool's fill and
 * completion rings, opened and closed here; when, is port.c's (a pool
 * outlives its port: the kernel keeps one buffer pool per netdev queue).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "closer.h"
#include "nfvd.h"
#include "umem.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define OWNER_RX_SIZE	64
#define OWNER_TX_SIZE	2048

void umem_shm_protect(int fd)
{
	static bool warned;

	/* No reopen through /proc/self/fd, no chmod back, by any NF. */
	if ((fchown(fd, NFVD_SHM_UID, NFVD_SHM_UID) || fchmod(fd, 0)) &&
	    !warned) {
		pr_warn("nfvd: cannot make shared memory private (%s): NFs could reopen it writable\n",
			strerror(errno));
		warned = true;
	}
}

int umem_init(struct nfvd *d)
{
	char path[64];

	d->umem_fd = d->umem_ro_fd = -1;
	d->umem_size = (uint64_t)d->cfg.frames * d->cfg.frame_size;
	/* Huge pages when the system has some configured (fewer TLB misses
	 * on a large UMEM); ordinary shared memory otherwise.
	 */
	d->umem_memfd = memfd_create("nfv-umem", MFD_CLOEXEC | MFD_HUGETLB);
	if (d->umem_memfd >= 0 &&
	    ftruncate(d->umem_memfd, (off_t)d->umem_size)) {
		close(d->umem_memfd);
		d->umem_memfd = -1;
	}
	if (d->umem_memfd >= 0) {
		d->umem_huge = true;
	} else {
		d->umem_memfd = memfd_create("nfv-umem", MFD_CLOEXEC);
		if (d->umem_memfd < 0)
			return -errno;
		if (ftruncate(d->umem_memfd, (off_t)d->umem_size))
			return -errno;
	}
	d->umem = mmap(NULL, d->umem_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, d->umem_memfd, 0);
	if (d->umem == MAP_FAILED && d->umem_huge) {
		/* Not enough huge pages after all: fall back. */
		close(d->umem_memfd);
		d->umem_huge = false;
		d->umem_memfd = memfd_create("nfv-umem", MFD_CLOEXEC);
		if (d->umem_memfd < 0 ||
		    ftruncate(d->umem_memfd, (off_t)d->umem_size))
			return -errno;
		d->umem = mmap(NULL, d->umem_size, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_POPULATE, d->umem_memfd, 0);
	}
	if (d->umem == MAP_FAILED) {
		d->umem = NULL;
		return -errno;
	}
	/* The read-only NFs' open, made while we still may; then nobody. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", d->umem_memfd);
	d->umem_ro_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->umem_ro_fd < 0)
		return -errno;
	umem_shm_protect(d->umem_memfd);
	return 0;
}

/* A pool's rings, unmapped (fill, completion, nfvd's tx). */
static void pool_unmap(struct nfvd_pool *p)
{
	if (p->fill_map)
		munmap(p->fill_map, p->fill_map_len);
	if (p->comp_map)
		munmap(p->comp_map, p->comp_map_len);
	if (p->tx_map)
		munmap(p->tx_map, p->tx_map_len);
	p->fill_map = p->comp_map = p->tx_map = NULL;
}

void umem_fini(struct nfvd *d)
{
	int i;

	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		pool_unmap(p);
		if (p->fd >= 0)
			close(p->fd);
	}
	if (d->umem)
		munmap(d->umem, d->umem_size);
	if (d->umem_memfd >= 0)
		close(d->umem_memfd);
	if (d->umem_ro_fd >= 0)
		close(d->umem_ro_fd);
}

static void *map_ring(int fd, off_t pgoff, const struct xdp_ring_offset *off,
		      uint32_t size, size_t entry, size_t *len,
		      struct xsk_ring_cons *r)
{
	void *p;

	*len = off->desc + (size_t)size * entry;
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		 fd, pgoff);
	if (p == MAP_FAILED)
		return NULL;
	r->mask = size - 1;
	r->size = size;
	r->producer = (uint32_t *)((char *)p + off->producer);
	r->consumer = (uint32_t *)((char *)p + off->consumer);
	r->flags = (uint32_t *)((char *)p + off->flags);
	r->ring = (char *)p + off->desc;
	return p;
}

/*
 * A socket to share the UMEM from: bound, and its device still there.
 * The kernel unbinds an AF_XDP socket whose netdev goes away (a pod's
 * veth deleted), and refuses to share a UMEM through an unbound one
 * (EBADF): the socket that registered the UMEM may be gone that way.
 * -1: none (no pool, or all their devices gone): register it again.
 */
static int umem_share_fd(struct nfvd *d)
{
	char name[IF_NAMESIZE];
	int i;

	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (p->bound && p->fd >= 0 && if_indextoname(p->ifindex, name))
			return p->fd;
	}
	return -1;
}

int umem_pool_open(struct nfvd *d, struct nfvd_pool *p, uint32_t ifindex,
		   uint16_t queue, uint32_t bind_flags)
{
	struct sockaddr_xdp sxdp = {
		.sxdp_family = AF_XDP,
		.sxdp_ifindex = ifindex,
		.sxdp_queue_id = queue,
	};
	unsigned int fill = UMEM_FILL_SIZE, comp = NFVD_COMP_SIZE, rx = OWNER_RX_SIZE;
	unsigned int tx = OWNER_TX_SIZE;
	uint8_t index = p->index;
	struct xdp_mmap_offsets off;
	socklen_t optlen = sizeof(off);
	int err, share = umem_share_fd(d);

	memset(p, 0, sizeof(*p));
	p->index = index;
	p->ifindex = ifindex;
	p->queue = queue;
	p->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		return -errno;
	if (share < 0) {
		struct xdp_umem_reg reg = {
			.addr = (uintptr_t)d->umem,
			.len = d->umem_size,
			.chunk_size = d->cfg.frame_size,
			.headroom = 0,
		};

		if (setsockopt(p->fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof(reg)))
			goto fail;
	}
	if (setsockopt(p->fd, SOL_XDP, XDP_UMEM_FILL_RING, &fill, sizeof(fill)) ||
	    setsockopt(p->fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &comp,
		       sizeof(comp)) ||
	    setsockopt(p->fd, SOL_XDP, XDP_RX_RING, &rx, sizeof(rx)) ||
	    (!queue && setsockopt(p->fd, SOL_XDP, XDP_TX_RING, &tx,
				  sizeof(tx))) ||
	    getsockopt(p->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen))
		goto fail;
	p->fill_map = map_ring(p->fd, XDP_UMEM_PGOFF_FILL_RING, &off.fr, fill,
			       sizeof(uint64_t), &p->fill_map_len,
			       (struct xsk_ring_cons *)&p->fill);
	p->comp_map = map_ring(p->fd, XDP_UMEM_PGOFF_COMPLETION_RING, &off.cr,
			       comp, sizeof(uint64_t), &p->comp_map_len,
			       &p->comp);
	if (!queue)
		p->tx_map = map_ring(p->fd, XDP_PGOFF_TX_RING, &off.tx, tx,
				     sizeof(struct xdp_desc), &p->tx_map_len,
				     (struct xsk_ring_cons *)&p->tx);
	if (!p->fill_map || !p->comp_map || (!queue && !p->tx_map))
		goto fail;
	p->fill.cached_prod = *p->fill.producer;
	p->fill.cached_cons = *p->fill.consumer + fill;
	p->fill_seen = *p->fill.consumer;
	p->comp.cached_prod = *p->comp.producer;
	p->comp.cached_cons = *p->comp.consumer;
	if (p->tx_map) {
		p->tx.cached_prod = *p->tx.producer;
		p->tx.cached_cons = *p->tx.consumer + tx;
	}

	if (share >= 0) {
		/* Other pools share the UMEM: flags come from the first. */
		sxdp.sxdp_flags = XDP_SHARED_UMEM;
		sxdp.sxdp_shared_umem_fd = (uint32_t)share;
	} else {
		sxdp.sxdp_flags = (uint16_t)bind_flags;
	}
	if (bind(p->fd, (struct sockaddr *)&sxdp, sizeof(sxdp)))
		goto fail;
	p->bound = true;
	if (share < 0)
		d->umem_fd = p->fd;	/* the socket that registered it */
	return 0;
fail:
	err = -errno;
	pool_unmap(p);
	close(p->fd);
	memset(p, 0, sizeof(*p));
	p->index = index;
	p->fd = -1;
	return err;
}

/*
 * Whether the kernel unbound pool @p's socket: its device is gone
 * (NETDEV_UNREGISTER unbinds every socket on it, and a socket is never
 * bound again), so nothing of the pool reaches the kernel's rx path ever
 * again.  A pool without a socket (a test's) is never.
 */
bool umem_pool_unbound(const struct nfvd_pool *p)
{
	return p->fd >= 0 && recv(p->fd, NULL, 0, MSG_DONTWAIT) < 0 &&
	       errno == ENXIO;
}

void umem_pool_close(struct nfvd *d, struct nfvd_pool *p)
{
	pool_unmap(p);
	if (p->fd >= 0 && d->umem_fd == p->fd)
		d->umem_fd = -1;
	closer_close(d, p->fd);
	p->fd = -1;
	p->bound = false;
	p->tx_pending = false;
}

int umem_tx(struct nfvd *d, uint16_t port, uint64_t addr, uint32_t len)
{
	struct nfvd_pool *p = port && port < NFV_PORT_MAX && d->ports[port].id ?
			      d->ports[port].pools[0] : NULL;
	struct xdp_desc *desc;
	uint32_t idx;

	if (!p || !p->tx_map || xsk_ring_prod__reserve(&p->tx, 1, &idx) != 1)
		return -ENOBUFS;
	desc = xsk_ring_prod__tx_desc(&p->tx, idx);
	desc->addr = addr;
	desc->len = len;
	desc->options = 0;
	p->tx_pending = true;
	return p->index;
}

/* Frames the kernel could not put on the socket's full rx ring. */
uint64_t umem_sock_ring_full(const struct nfvd_nf_sock *s)
{
	struct xdp_statistics st;
	socklen_t len = sizeof(st);

	if (!s->pool || s->tx || s->fd < 0 ||
	    getsockopt(s->fd, SOL_XDP, XDP_STATISTICS, &st, &len))
		return 0;
	return st.rx_ring_full;
}
