// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Map the rings of an AF_XDP socket nfvd created for us.  nfvd set the
 * ring sizes and passes the socket unbound: the kernel refuses to mmap
 * rings of a bound socket, so we map first and nfvd binds afterwards
 * (with XDP_SHARED_UMEM onto the owner socket of that port and queue).
 * A socket has an rx ring (rx sockets, in the XSKMAP) or a tx ring (tx
 * sockets, for ports our chains send to), never both.  libxdp's
 * xsk_socket is process-local, so we fill its ring structs ourselves and
 * use its inline ring helpers.
 */
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "internal.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

static int map_ring(int fd, off_t pgoff, const struct xdp_ring_offset *off,
		    uint32_t size, size_t entry, void **map, size_t *map_len,
		    struct xsk_ring_cons *r)
{
	void *p;

	*map_len = off->desc + (size_t)size * entry;
	p = mmap(NULL, *map_len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_POPULATE, fd, pgoff);
	if (p == MAP_FAILED)
		return -errno;
	*map = p;
	r->mask = size - 1;
	r->size = size;
	r->producer = (uint32_t *)((char *)p + off->producer);
	r->consumer = (uint32_t *)((char *)p + off->consumer);
	r->flags = (uint32_t *)((char *)p + off->flags);
	r->ring = (char *)p + off->desc;
	return 0;
}

int nfv_xsk_map(struct nfv_xsk *x, uint32_t rx_size, uint32_t tx_size)
{
	struct xdp_mmap_offsets off;
	socklen_t optlen = sizeof(off);
	int err;

	/* Exactly one ring, a power of two. */
	if (!rx_size == !tx_size || (rx_size & (rx_size - 1)) ||
	    (tx_size & (tx_size - 1)))
		return -EINVAL;
	if (getsockopt(x->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen))
		return -errno;
	if (rx_size) {
		err = map_ring(x->fd, XDP_PGOFF_RX_RING, &off.rx, rx_size,
			       sizeof(struct xdp_desc), &x->rx_map,
			       &x->rx_map_len, &x->rx);
		if (err)
			return err;
		x->rx.cached_prod = *x->rx.producer;
		x->rx.cached_cons = *x->rx.consumer;
		return 0;
	}
	err = map_ring(x->fd, XDP_PGOFF_TX_RING, &off.tx, tx_size,
		       sizeof(struct xdp_desc), &x->tx_map, &x->tx_map_len,
		       (struct xsk_ring_cons *)&x->tx);
	if (err)
		return err;
	x->tx.cached_prod = *x->tx.producer;
	x->tx.cached_cons = *x->tx.consumer + tx_size;
	return 0;
}

void nfv_xsk_unmap(struct nfv_xsk *x)
{
	if (x->rx_map)
		munmap(x->rx_map, x->rx_map_len);
	if (x->tx_map)
		munmap(x->tx_map, x->tx_map_len);
	x->rx_map = x->tx_map = NULL;
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
}
