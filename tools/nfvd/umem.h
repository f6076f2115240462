/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UMEM nfvd owns and the buffer pools of (port, queue): owner
 * sockets with their fill, completion and tx rings (umem.c).
 */
#ifndef __NFVD_UMEM_H
#define __NFVD_UMEM_H

#include "nfvd.h"

#define UMEM_FILL_SIZE	4096	/* a pool's fill ring */

int umem_init(struct nfvd *d);
void umem_fini(struct nfvd *d);
int umem_pool_open(struct nfvd *d, struct nfvd_pool *p, uint32_t ifindex,
		   uint16_t queue, uint32_t bind_flags);
/*
 * Close pool @p's socket (on the closer's thread) and unmap its rings;
 * the ledger's frames of it are the caller's to settle first.
 */
void umem_pool_close(struct nfvd *d, struct nfvd_pool *p);
/* Whether the kernel unbound @p's socket (its device is gone). */
bool umem_pool_unbound(const struct nfvd_pool *p);
/* Transmit a frame on port @port's pool: its pool index, or -errno. */
int umem_tx(struct nfvd *d, uint16_t port, uint64_t addr, uint32_t len);
/* A memfd as nfvd shares them: mode 0000, owned by NFVD_SHM_UID. */
void umem_shm_protect(int fd);
/* Frames the kernel could not put on the socket's full rx ring. */
uint64_t umem_sock_ring_full(const struct nfvd_nf_sock *s);

#endif /* __NFVD_UMEM_H */
