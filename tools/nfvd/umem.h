/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UMEM nfvd owns and the buffer pools of (port, queue): owner
 * sockets with their fill, completion and tx rings (umem.c).
 */
#ifndef __NFVD_UMEM_H
#define __NFVD_UMEM_H

#include "nfvd.h"

int umem_init(struct nfvd *d);
void umem_fini(struct nfvd *d);
int umem_pool_open(struct nfvd *d, struct nfvd_pool *p, uint32_t ifindex,
		   uint16_t queue, uint32_t bind_flags);
/* Apply the logs, drain completions, refill fill rings: frames moved. */
int umem_recycle(struct nfvd *d);
bool umem_work_pending(struct nfvd *d);
/* Transmit a frame on port @port's pool: its pool index, or -errno. */
int umem_tx(struct nfvd *d, uint16_t port, uint64_t addr, uint32_t len);
/* Fill entries the kernel took since we looked: to the ledger. */
void umem_fill_taken(struct nfvd *d, struct nfvd_pool *p);
/* A memfd as nfvd shares them: mode 0000, owned by NFVD_SHM_UID. */
void umem_shm_protect(int fd);

#endif /* __NFVD_UMEM_H */
