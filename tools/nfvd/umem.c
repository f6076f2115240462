// SPDX-License-Identifier: GPL-2.0
/*
 * The UMEM and frame accounting.
 *
 * Writer: nfvd only.  Every frame is either FREE (on free_list, nfvd's) or
 * OUT: in a fill ring, then the kernel's, then an NF's, a lane's, a tx
 * ring's, and back to FREE through a completion ring, a return ring or
 * reclaim after an NF died.  owner[] (shared) says which NF holds an OUT
 * frame; NFs write it, nfvd resets it to NFVD_OWNER when a frame goes
 * into a fill ring.
 *
 * One pool per (port, queue): the owner socket with the pool's fill and
 * completion rings, bound once and never closed while nfvd runs, so a
 * port removed and added again finds its pool (the kernel keeps one pool
 * per netdev queue).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "nfvd.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define FILL_SIZE	4096
#define COMP_SIZE	4096
#define OWNER_RX_SIZE	64

int umem_init(struct nfvd *d)
{
	uint32_t i;

	d->umem_fd = -1;
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
	d->free_list = calloc(d->cfg.frames, sizeof(*d->free_list));
	d->frame_state = calloc(d->cfg.frames, 1);
	if (!d->free_list || !d->frame_state)
		return -ENOMEM;
	/* Hand out low frames first: easier to read in a debugger. */
	for (i = 0; i < d->cfg.frames; i++)
		d->free_list[i] = d->cfg.frames - 1 - i;
	d->n_free = d->cfg.frames;
	return 0;
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
		if (p->fd >= 0)
			close(p->fd);
	}
	if (d->umem)
		munmap(d->umem, d->umem_size);
	if (d->umem_memfd >= 0)
		close(d->umem_memfd);
	free(d->free_list);
	free(d->frame_state);
}

static void *map_ring(int fd, off_t pgoff, const struct xdp_ring_offset *off,
		      uint32_t size, size_t *len, struct xsk_ring_cons *r)
{
	void *p;

	*len = off->desc + (size_t)size * sizeof(uint64_t);
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
	unsigned int fill = FILL_SIZE, comp = COMP_SIZE, rx = OWNER_RX_SIZE;
	struct xdp_mmap_offsets off;
	socklen_t optlen = sizeof(off);
	int err;

	memset(p, 0, sizeof(*p));
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
	    getsockopt(p->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen))
		goto fail;
	p->fill_map = map_ring(p->fd, XDP_UMEM_PGOFF_FILL_RING, &off.fr, fill,
			       &p->fill_map_len, (struct xsk_ring_cons *)&p->fill);
	p->comp_map = map_ring(p->fd, XDP_UMEM_PGOFF_COMPLETION_RING, &off.cr,
			       comp, &p->comp_map_len, &p->comp);
	if (!p->fill_map || !p->comp_map)
		goto fail;
	p->fill.cached_prod = *p->fill.producer;
	p->fill.cached_cons = *p->fill.consumer + fill;
	p->comp.cached_prod = *p->comp.producer;
	p->comp.cached_cons = *p->comp.consumer;

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
	close(p->fd);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
	return err;
}

int umem_frame_put(struct nfvd *d, uint64_t addr)
{
	uint32_t f;

	if (addr >= d->umem_size)
		return -EINVAL;
	f = (uint32_t)(addr / d->cfg.frame_size);
	if (d->frame_state[f] != FRAME_OUT)
		return -EINVAL;		/* double return or never given */
	d->frame_state[f] = FRAME_FREE;
	d->owner[f] = NFV_OWNER_NFVD;
	d->free_list[d->n_free++] = f;
	return 0;
}

static int drain_comp(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t idx, n, i;

	n = xsk_ring_cons__peek(&p->comp, COMP_SIZE, &idx);
	for (i = 0; i < n; i++) {
		uint64_t addr = *xsk_ring_cons__comp_addr(&p->comp, idx + i);

		/* A tap may still look at it: then the tap frees it. */
		if (addr < d->umem_size &&
		    !nfv_frame_put(d->refs,
				   (uint32_t)(addr / d->cfg.frame_size)))
			continue;
		/* Only an NF can make the kernel complete a frame it does
		 * not hold (tx of a bogus address the kernel accepted).
		 */
		if (umem_frame_put(d, addr & ~(uint64_t)(d->cfg.frame_size - 1)))
			d->bad_desc++;
	}
	if (n)
		xsk_ring_cons__release(&p->comp, n);
	return (int)n;
}

static int refill(struct nfvd *d, struct nfvd_pool *p)
{
	uint32_t in_ring, want, idx, i;

	in_ring = p->fill.cached_prod - __atomic_load_n(p->fill.consumer,
							__ATOMIC_ACQUIRE);
	if (in_ring >= d->cfg.fill_target)
		return 0;
	want = d->cfg.fill_target - in_ring;
	if (want > d->n_free)
		want = d->n_free;
	if (!want)
		return 0;
	want = xsk_ring_prod__reserve(&p->fill, want, &idx);
	for (i = 0; i < want; i++) {
		uint32_t f = d->free_list[--d->n_free];

		d->frame_state[f] = FRAME_OUT;
		d->owner[f] = NFV_OWNER_NFVD;
		*xsk_ring_prod__fill_addr(&p->fill, idx + i) =
			(uint64_t)f * d->cfg.frame_size;
	}
	xsk_ring_prod__submit(&p->fill, want);
	if (xsk_ring_prod__needs_wakeup(&p->fill))
		recvfrom(p->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	return (int)want;
}

int umem_recycle(struct nfvd *d)
{
	int i, moved = 0;

	for (i = 0; i < d->n_pools; i++)
		if (d->pools[i].bound)
			moved += drain_comp(d, &d->pools[i]);
	moved += nf_drain_returns(d);
	for (i = 0; i < d->n_pools; i++)
		if (d->pools[i].bound)
			moved += refill(d, &d->pools[i]);
	return moved;
}

uint32_t umem_frames_in_fill(struct nfvd *d)
{
	uint32_t n = 0;
	int i;

	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (p->bound)
			n += p->fill.cached_prod -
			     __atomic_load_n(p->fill.consumer, __ATOMIC_ACQUIRE);
	}
	return n;
}

bool umem_work_pending(struct nfvd *d)
{
	int i;

	for (i = 0; i < d->n_pools; i++) {
		struct nfvd_pool *p = &d->pools[i];

		if (p->bound && __atomic_load_n(p->comp.producer,
						__ATOMIC_ACQUIRE) !=
				p->comp.cached_cons)
			return true;
	}
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (nf->id && nf->state == NFV_NF_STATE_UP &&
		    __atomic_load_n(&nf->ret.hdr->prod, __ATOMIC_ACQUIRE) !=
			    nf->ret.cached_cons)
			return true;
	}
	return false;
}
