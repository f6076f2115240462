/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grow or shrink a frame at its front (encapsulation, decapsulation),
 * as bpf_xdp_adjust_head() does for XDP.  A frame sits in a UMEM chunk
 * with the classifier's struct nfv_xdp_meta right in front of the data;
 * both move together, and pkt->addr follows pkt->data (libnfv transmits
 * and hands over pkt->addr/pkt->len, and finds the metadata at
 * addr - sizeof(meta)).  The frame's end never moves.
 *
 * The offset of the data in its chunk is addr modulo the chunk size,
 * which the NF API does not tell; data never starts beyond 2048 bytes
 * into a chunk (headroom 256), so modulo 2048 is right for both chunk
 * sizes nfvd supports (2048, 4096).  Proposed for libnfv as
 * nfv_pkt_push()/nfv_pkt_pull() with the real chunk size.
 */
#ifndef __NFS_COMMON_HEADROOM_H
#define __NFS_COMMON_HEADROOM_H

#include <stdint.h>
#include <string.h>

#include <nfv/libnfv.h>

#define NF_CHUNK_MIN	2048u

/* Bytes free in front of the metadata. */
static inline uint32_t nf_pkt_headroom(const struct nfv_pkt *pkt)
{
	uint32_t off = (uint32_t)(pkt->addr & (NF_CHUNK_MIN - 1));

	return off > sizeof(struct nfv_xdp_meta) ?
	       off - (uint32_t)sizeof(struct nfv_xdp_meta) : 0;
}

/* Prepend @len bytes; returns the new start of the frame or NULL. */
static inline uint8_t *nf_pkt_push(struct nfv_pkt *pkt, uint32_t len)
{
	struct nfv_xdp_meta *m;

	if (len > nf_pkt_headroom(pkt))
		return NULL;
	m = (struct nfv_xdp_meta *)((uint8_t *)pkt->meta - len);
	memmove(m, pkt->meta, sizeof(*m));
	pkt->meta = m;
	pkt->data -= len;
	pkt->addr -= len;
	pkt->len += len;
	return pkt->data;
}

/* Remove @len bytes from the front, keeping at least an Ethernet header. */
static inline int nf_pkt_pull(struct nfv_pkt *pkt, uint32_t len)
{
	struct nfv_xdp_meta *m;

	if (len + 14 > pkt->len)
		return -1;
	m = (struct nfv_xdp_meta *)((uint8_t *)pkt->meta + len);
	memmove(m, pkt->meta, sizeof(*m));
	pkt->meta = m;
	pkt->data += len;
	pkt->addr += len;
	pkt->len -= len;
	return 0;
}

#endif /* __NFS_COMMON_HEADROOM_H */
