// SPDX-License-Identifier: GPL-2.0
/*
 * The UMEM and its rings: fill, completion, and the owner sockets' tx
 * rings.  Where each frame is, is the ledger's (ledger.c): this file moves
 * frames between the ledger and the kernel's rings and tells the ledger
 * what the kernel did (took a fill entry, completed a transmission).
 *
 * One pool per (port, queue): the owner socket with the pool's fill and
 * completion rings, bound once and never closed while nfvd runs, so a
 * port removed and added again finds its pool (the kernel keeps one pool
 * per netdev queue).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "ledger.h"
#include "nfvd.h"
#include "umem.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define FILL_SIZE	4096
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
	return ledger_init(d);
}

void umem_fini(struct nfvd *d)
{
	int i;

	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (p->fill_map)
			munmap(p->fill_map, p->fill_map_len);
		if (p->comp_map)
			munmap(p->comp_map, p->comp_map_len);
		if (p->tx_map)
			munmap(p->tx_map, p->tx_map_len);
		if (p->fd >= 0)
			close(p->fd);
	}
	if (d->umem)
		munmap(d->umem, d->umem_size);
	if (d->umem_memfd >= 0)
		close(d->umem_memfd);
	if (d->umem_ro_fd >= 0)
		close(d->umem_ro_fd);
	ledger_fini(d);
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

int umem_pool_open(struct nfvd *d, struct nfvd_pool *p, uint32_t ifindex,
		   uint16_t queue, uint32_t bind_flags)
{
	struct sockaddr_xdp sxdp = {
		.sxdp_family = AF_XDP,
		.sxdp_ifindex = ifindex,
		.sxdp_queue_id = queue,
	};
	unsigned int fill = FILL_SIZE, comp = NFVD_COMP_SIZE, rx = OWNER_RX_SIZE;
	unsigned int tx = OWNER_TX_SIZE;
	uint8_t index = p->index;
	struct xdp_mmap_offsets off;
	socklen_t optlen = sizeof(off);
	int err;

	memset(p, 0, sizeof(*p));
	p->index = index;
	p->ifindex = ifindex;
	p->queue = queue;
	p->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		return -errno;
	if (d->umem_fd < 0) {
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

	if (d->umem_fd >= 0) {
		/* Other pools share the UMEM: flags come from the first. */
		sxdp.sxdp_flags = XDP_SHARED_UMEM;
		sxdp.sxdp_shared_umem_fd = (uint32_t)d->umem_fd;
	} else {
		sxdp.sxdp_flags = (uint16_t)bind_flags;
	}
	if (bind(p->fd, (struct sockaddr *)&sxdp, sizeof(sxdp)))
		goto fail;
	p->bound = true;
	if (d->umem_fd < 0)
		d->umem_fd = p->fd;
	return 0;
fail:
	err = -errno;
	if (p->fill_map)
		munmap(p->fill_map, p->fill_map_len);
	if (p->comp_map)
		munmap(p->comp_map, p->comp_map_len);
	if (p->tx_map)
		munmap(p->tx_map, p->tx_map_len);
	close(p->fd);
	memset(p, 0, sizeof(*p));
	p->index = index;
	p->fd = -1;
	return err;
}

/*
 * Completions: frames the kernel transmitted.  Each is checked against
 * the ledger (a frame on a tx ring of this pool).  One that is not may
 * have its TX entry in a log not applied yet (the logs were drained just
 * before, but an entry can wait, see ledger.c): it waits here, looked at
 * again after each drain, and after COMP_WAIT_NS it is forged (an NF
 * sent a frame it did not hold) and freed nothing.
 */
#define COMP_WAIT_NS	(200 * 1000 * 1000ULL)

static void comp_wait(struct nfvd *d, uint8_t pool, uint64_t addr)
{
	if (d->n_comp_wait == NFVD_COMP_WAIT_MAX) {
		d->forged_tx++;		/* no room: no benefit of doubt */
		return;
	}
	d->comp_wait[d->n_comp_wait].pool = pool;
	d->comp_wait[d->n_comp_wait].addr = addr;
	d->comp_wait[d->n_comp_wait].until_ns = nfvd_now_ns() + COMP_WAIT_NS;
	d->n_comp_wait++;
}

static void comp_retry(struct nfvd *d)
{
	uint64_t now = nfvd_now_ns();
	uint32_t i = 0;

	while (i < d->n_comp_wait) {
		struct nfvd_comp_wait *w = &d->comp_wait[i];

		if (!ledger_complete(d, w->pool, w->addr,
				     w->until_ns <= now) ||
		    w->until_ns <= now) {
			*w = d->comp_wait[--d->n_comp_wait];
			continue;
		}
		i++;
	}
}

static int drain_comp(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t idx, n, i;

	n = xsk_ring_cons__peek(&p->comp, NFVD_COMP_SIZE, &idx);
	for (i = 0; i < n; i++) {
		uint64_t addr = *xsk_ring_cons__comp_addr(&p->comp, idx + i);

		if (ledger_complete(d, p->index, addr, false) == -EAGAIN)
			comp_wait(d, p->index, addr);
	}
	if (n)
		xsk_ring_cons__release(&p->comp, n);
	return (int)n;
}

/* Fill entries the kernel took since we last looked: the ledger's now. */
void umem_fill_taken(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t cons = __atomic_load_n(p->fill.consumer, __ATOMIC_ACQUIRE);

	/* The kernel never takes what we did not give: a bad index is
	 * not a reason to read past what we wrote.
	 */
	if (cons - p->fill_seen > FILL_SIZE)
		cons = p->fill_seen;
	for (; p->fill_seen != cons; p->fill_seen++)
		ledger_fill_taken(d, p->index, p->fill_seen,
				  *xsk_ring_prod__fill_addr(&p->fill,
							    p->fill_seen));
}

static int refill(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t in_ring, want, idx, i, f;

	umem_fill_taken(d, p);
	in_ring = p->fill.cached_prod - p->fill_seen;
	if (in_ring >= d->cfg.fill_target)
		return 0;
	want = d->cfg.fill_target - in_ring;
	if (want > d->n_free)
		want = d->n_free;
	if (!want)
		return 0;
	want = xsk_ring_prod__reserve(&p->fill, want, &idx);
	for (i = 0; i < want; i++) {
		if (ledger_alloc(d, p->index, idx + i, &f))
			break;
		*xsk_ring_prod__fill_addr(&p->fill, idx + i) =
			(uint64_t)f * d->cfg.frame_size;
	}
	/* Reserved more than we had: give the rest back unwritten. */
	p->fill.cached_prod -= want - i;
	xsk_ring_prod__submit(&p->fill, i);
	if (xsk_ring_prod__needs_wakeup(&p->fill))
		recvfrom(p->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	return (int)i;
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

static void flush_tx(struct nfvd *d)
{
	int i, k;

	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (!p->tx_pending)
			continue;
		xsk_ring_prod__submit(&p->tx, p->tx.cached_prod -
					      *p->tx.producer);
		for (k = 0; k < 64; k++) {
			if (__atomic_load_n(p->tx.consumer, __ATOMIC_ACQUIRE) ==
			    p->tx.cached_prod)
				break;
			if (sendto(p->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
			    errno != EAGAIN && errno != EBUSY &&
			    errno != ENOBUFS)
				break;
		}
		p->tx_pending = __atomic_load_n(p->tx.consumer,
						__ATOMIC_ACQUIRE) !=
				p->tx.cached_prod;
	}
}

int umem_recycle(struct nfvd *d)
{
	int i, moved = 0;

	/* Logs first: a completion's TX entry is in one. */
	moved += ledger_drain(d);
	for (i = 0; i < (int)d->n_seg_nfs; i++)
		if (d->nfs[d->seg_nfs[i]].flags & NFV_NF_F_READONLY)
			moved += ledger_relay(d, &d->nfs[d->seg_nfs[i]]);
	flush_tx(d);
	for (i = 0; i < d->n_pools; i++)
		if (d->pools[i].bound)
			moved += drain_comp(d, &d->pools[i]);
	if (d->n_comp_wait) {
		ledger_drain(d);
		comp_retry(d);
	}
	for (i = 0; i < d->n_pools; i++)
		if (d->pools[i].bound)
			moved += refill(d, &d->pools[i]);
	return moved;
}

bool umem_work_pending(struct nfvd *d)
{
	int i;

	if (d->n_comp_wait)
		return true;
	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (p->bound && (p->tx_pending ||
				 __atomic_load_n(p->comp.producer,
						 __ATOMIC_ACQUIRE) !=
				 p->comp.cached_cons))
			return true;
	}
	return ledger_pending(d);
}
