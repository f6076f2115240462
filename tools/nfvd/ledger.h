/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ledger: where every frame of the UMEM is, who may hand it on,
 * what each NF is charged with (ledger.c).
 */
#ifndef __NFVD_LEDGER_H
#define __NFVD_LEDGER_H

#include "nfvd.h"

/* Where a frame is, by the ledger (ledger.c has the whole story). */
enum nfvd_frame_state {
	LF_FREE,
	LF_FILL,
	LF_KERNEL,
	LF_HELD,
	LF_TRANSIT,
	LF_TX,
	LF_TAPPED,
	__LF_MAX,
};

struct nfvd_frame {
	uint8_t state;			/* enum nfvd_frame_state */
	uint8_t taps;			/* tap references outstanding */
	uint8_t moves;			/* NF->NF moves since the kernel */
	uint8_t where;			/* FILL, KERNEL, TX: pool index */
	uint16_t who;			/* HELD, TX: holder; TRANSIT: from */
	uint16_t to;			/* TRANSIT: consumer (0: nfvd) */
	uint32_t pos;			/* FILL: fill ring position */
	bool owed;			/* TRANSIT on a cut lane: charged to
					 * @who until @to takes it
					 */
};

int ledger_init(struct nfvd *d);
void ledger_fini(struct nfvd *d);
/* A free frame for pool @pool's fill ring at @pos: 0 or -ENOSPC. */
int ledger_alloc(struct nfvd *d, uint8_t pool, uint32_t pos, uint32_t *f);
/* The kernel took fill position @pos of pool @pool, which held @addr. */
void ledger_fill_taken(struct nfvd *d, uint8_t pool, uint32_t pos,
		       uint64_t addr);
/* Fill entries the kernel took from pool @p since we looked. */
void ledger_pool_taken(struct nfvd *d, struct nfvd_pool *p);
/*
 * Fill position @pos of pool @pool, which held @addr, will never be
 * taken by the kernel: its frame is free again (true), if the ledger
 * has it there.
 */
bool ledger_fill_return(struct nfvd *d, uint8_t pool, uint32_t pos,
			uint64_t addr);
/* Whether an rx ring of pool @p ever overflowed (XDP_STATISTICS). */
bool ledger_pool_overflowed(struct nfvd *d, const struct nfvd_pool *p);
/* Pool @pool's socket is closed; @dead: its device is gone. */
void ledger_pool_closed(struct nfvd *d, uint8_t pool, bool dead);
/* Whether the ledger still has frames (or completions) of pool @pool. */
bool ledger_pool_refs(struct nfvd *d, uint8_t pool);
/* A completion: 0 if it freed a frame; -EAGAIN: it fits nothing yet;
 * with @drained (the last time it is asked) it is counted forged.
 */
int ledger_complete(struct nfvd *d, uint8_t pool, uint64_t addr,
		    bool drained);
/* Apply every NF's custody log: whether anything was applied. */
bool ledger_drain(struct nfvd *d);
bool ledger_pending(struct nfvd *d);
/* Transmit what read-only NF @nf handed nfvd: frames sent. */
int ledger_relay(struct nfvd *d, struct nfvd_nf *nf);
uint32_t ledger_budget(struct nfvd *d);
void ledger_budgets(struct nfvd *d);
void ledger_nf_reclaim(struct nfvd *d, struct nfvd_nf *nf);
void ledger_rx_census(struct nfvd *d);
void ledger_nf_reap_out(struct nfvd *d, struct nfvd_nf *nf);
bool ledger_nf_zombie(struct nfvd *d, struct nfvd_nf *nf);
/* Id @id has a new holder: no lane to or from it is cut (tables). */
void ledger_nf_fresh(struct nfvd *d, uint16_t id);
/* Its segment is mapped / about to be unmapped: its log counts or not. */
void ledger_nf_add(struct nfvd *d, struct nfvd_nf *nf);
void ledger_nf_del(struct nfvd *d, struct nfvd_nf *nf);
void ledger_counts(struct nfvd *d, uint32_t n[__LF_MAX]);
uint32_t ledger_held(struct nfvd *d, uint16_t id);

#endif /* __NFVD_LEDGER_H */
