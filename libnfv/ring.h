/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Single-producer single-consumer rings between processes: NF->NF lanes
 * (struct nfv_desc entries) and NF->nfvd return rings (frame addresses).
 *
 * Same discipline as the AF_XDP rings: free-running 32-bit indices, the
 * producer owns prod, the consumer owns cons, each side caches the other's
 * index and re-reads it only when the cache says "full" or "empty".
 *
 * Barriers: the producer fills entries, then publishes prod with a
 * release store, so a consumer that acquire-loads prod sees the entries.
 * The consumer reads entries, then publishes cons with a release store, so
 * a producer that acquire-loads cons never overwrites an entry still being
 * read.  Nothing else is needed: each index has exactly one writer.
 *
 * The peer may be hostile: a consumer never trusts prod - cons to be at
 * most the ring size (nfv_ring_avail() clamps and reports a jump).
 */
#ifndef __NFV_RING_H
#define __NFV_RING_H

#include <stdint.h>
#include "shm.h"

struct nfv_ring {
	struct nfv_lane_hdr *hdr;
	void *entries;
	uint32_t mask;
	uint32_t size;
	uint32_t cached_prod;
	uint32_t cached_cons;
};

static inline void nfv_ring_init(struct nfv_ring *r, struct nfv_lane_hdr *hdr,
				 void *entries, uint32_t size)
{
	r->hdr = hdr;
	r->entries = entries;
	r->size = size;
	r->mask = size - 1;
	r->cached_prod = __atomic_load_n(&hdr->prod, __ATOMIC_ACQUIRE);
	r->cached_cons = __atomic_load_n(&hdr->cons, __ATOMIC_ACQUIRE);
}

/* Producer: how many entries can be reserved (at most @n). */
static inline uint32_t nfv_ring_free(struct nfv_ring *r, uint32_t n)
{
	uint32_t free = r->size - (r->cached_prod - r->cached_cons);

	if (free >= n)
		return n;
	/* Acquire: pairs with the consumer's release of cons. */
	r->cached_cons = __atomic_load_n(&r->hdr->cons, __ATOMIC_ACQUIRE);
	free = r->size - (r->cached_prod - r->cached_cons);
	/* A consumer that moved cons beyond prod is lying: treat as full. */
	if (free > r->size)
		return 0;
	return free < n ? free : n;
}

/* Producer: publish everything written since the last submit. */
static inline void nfv_ring_submit(struct nfv_ring *r)
{
	/* Release: entries are visible before the new prod. */
	__atomic_store_n(&r->hdr->prod, r->cached_prod, __ATOMIC_RELEASE);
}

/*
 * Consumer: entries ready (at most @n).  Sets *@jump if the producer's
 * index is further ahead than the ring can hold; the caller counts it and
 * the ring is resynchronised (everything in it is discarded).
 */
static inline uint32_t nfv_ring_avail(struct nfv_ring *r, uint32_t n,
				      int *jump)
{
	uint32_t avail = r->cached_prod - r->cached_cons;

	/*
	 * Fewer cached than wanted: look at prod again.  Not only when
	 * none are cached: a consumer that takes what it cached, finds it
	 * short of @n and concludes the lane is drained (and drops its
	 * pending bit, see rx_lane()) would leave entries the producer
	 * published meanwhile with nobody to wake for them.
	 */
	if (avail < n) {
		/* Acquire: pairs with the producer's release of prod. */
		r->cached_prod = __atomic_load_n(&r->hdr->prod,
						 __ATOMIC_ACQUIRE);
		avail = r->cached_prod - r->cached_cons;
	}
	/* Checked every time: a ring first seen mid-jump starts here. */
	if (avail > r->size) {
		*jump = 1;
		r->cached_cons = r->cached_prod;
		__atomic_store_n(&r->hdr->cons, r->cached_cons,
				 __ATOMIC_RELEASE);
		return 0;
	}
	return avail < n ? avail : n;
}

/* Consumer: give back @n entries. */
static inline void nfv_ring_release(struct nfv_ring *r, uint32_t n)
{
	r->cached_cons += n;
	/* Release: our reads of the entries happen before the producer may
	 * overwrite them.
	 */
	__atomic_store_n(&r->hdr->cons, r->cached_cons, __ATOMIC_RELEASE);
}

static inline struct nfv_desc *nfv_ring_desc(struct nfv_ring *r, uint32_t idx)
{
	return &((struct nfv_desc *)r->entries)[idx & r->mask];
}

static inline uint64_t *nfv_ring_addr(struct nfv_ring *r, uint32_t idx)
{
	return &((uint64_t *)r->entries)[idx & r->mask];
}

/* Lane @p -> @c in the handoff segment. */
static inline struct nfv_lane_hdr *nfv_lane_hdr(void *handoff, uint32_t c,
						uint32_t p)
{
	struct nfv_handoff *h = handoff;

	return (struct nfv_lane_hdr *)((char *)handoff + h->lane_hdr_off) +
	       (size_t)c * NFV_NF_MAX + p;
}

static inline struct nfv_desc *nfv_lane_descs(void *handoff, uint32_t c,
					      uint32_t p)
{
	struct nfv_handoff *h = handoff;

	return (struct nfv_desc *)((char *)handoff + h->lane_desc_off) +
	       ((size_t)c * NFV_NF_MAX + p) * h->lane_size;
}

static inline struct nfv_inbox *nfv_inbox(void *handoff, uint32_t c)
{
	struct nfv_handoff *h = handoff;

	return (struct nfv_inbox *)((char *)handoff + h->inbox_off) + c;
}

static inline uint16_t *nfv_owner_table(void *handoff)
{
	struct nfv_handoff *h = handoff;

	return (uint16_t *)((char *)handoff + h->owner_off);
}

/* Size of the handoff segment for @n_frames frames. */
static inline uint64_t nfv_handoff_layout(struct nfv_handoff *h,
					  uint32_t n_frames)
{
	uint64_t off = 4096;

	h->magic = NFV_SHM_MAGIC;
	h->version = NFV_SHM_VERSION;
	h->n_frames = n_frames;
	h->lane_size = NFV_LANE_SIZE;
	h->owner_off = off;
	off += ((uint64_t)n_frames * sizeof(uint16_t) + 4095) & ~4095ULL;
	h->refs_off = off;
	off += ((uint64_t)n_frames * sizeof(uint16_t) + 4095) & ~4095ULL;
	h->inbox_off = off;
	off += ((uint64_t)NFV_NF_MAX * sizeof(struct nfv_inbox) + 4095) &
	       ~4095ULL;
	h->lane_hdr_off = off;
	off += (uint64_t)NFV_NF_MAX * NFV_NF_MAX * sizeof(struct nfv_lane_hdr);
	h->lane_desc_off = off;
	off += (uint64_t)NFV_NF_MAX * NFV_NF_MAX * NFV_LANE_SIZE *
	       sizeof(struct nfv_desc);
	h->size = off;
	return off;
}

static inline uint16_t *nfv_refs_table(void *handoff)
{
	struct nfv_handoff *h = handoff;

	return (uint16_t *)((char *)handoff + h->refs_off);
}

/*
 * Release one hold on a frame: true if the caller was the last holder
 * and must free it, false if a tap reference still holds it.
 */
static inline int nfv_frame_put(uint16_t *refs, uint32_t f)
{
	uint16_t v = __atomic_load_n(&refs[f], __ATOMIC_ACQUIRE);

	do {
		if (!v)
			return 1;
	} while (!__atomic_compare_exchange_n(&refs[f], &v, (uint16_t)(v - 1),
					      0, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return 0;
}

static inline uint32_t nfv_private_tap_off(uint32_t ret_size)
{
	return (uint32_t)((sizeof(struct nfv_private) + (uint64_t)ret_size * 8 +
			   63) & ~63ULL);
}

/* Private segment: header, return ring, tap-held bitmap (@frames bits). */
static inline uint64_t nfv_private_size(uint32_t ret_size, uint32_t frames)
{
	return (nfv_private_tap_off(ret_size) + ((uint64_t)frames + 63) / 8 +
		4095) & ~4095ULL;
}

#endif /* __NFV_RING_H */
