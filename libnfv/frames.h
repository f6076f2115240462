/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The frames an NF holds: what rx.c, action.c and tx.c tell nfvd about
 * each in the custody log (proto/nfv_custody.h), and the log room each
 * is promised.
 *
 * Custody (docs/design.md §3): nfvd alone decides who holds a frame, in
 * its private ledger; we report every move in our custody log, in the
 * order we make them, and publish the log before the move becomes
 * visible to anyone else:
 *  - a frame taken off an rx ring or a lane is logged (TAKE) and the log
 *    published before the ring entry is released, so a crash in between
 *    leaves the frame findable where it was;
 *  - a frame handed on (SEND, TAP), transmitted (TX) or given back
 *    (DROP) is logged before the lane index is published or sendto()
 *    runs, so nfvd never sees a frame arrive before it left.
 * Every frame we take has log room promised to it (LOG_PER_FRAME), so
 * whatever we do with it can be logged; we take no frame without it.
 */
#ifndef __NFV_FRAMES_H
#define __NFV_FRAMES_H

#include <unistd.h>

#include "internal.h"

/* Log entries a held frame may still need: a tap per hop, then its end. */
#define LOG_PER_FRAME		(NFV_HOPS_MAX + 1)

static inline uint32_t nfv_frame_of(const struct nfv *nf, uint64_t addr)
{
	return (uint32_t)(addr >> nf->frame_shift);
}

static inline void nfv_frame_log(struct nfv *nf, uint64_t addr,
				 enum nfv_log_op op, uint16_t arg)
{
	nfv_log_put(&nf->log, nfv_log_entry(nfv_frame_of(nf, addr), op, arg));
}

/*
 * @pkt's last entry is written: the lane it came on may show it no
 * longer (once the log is submitted).
 */
static inline void nfv_frame_off_lane(struct nfv *nf,
				      const struct nfv_pkt *pkt)
{
	/* The caller's struct: a lane id it overwrote goes nowhere. */
	if (pkt->lane && pkt->lane < NFV_NF_MAX &&
	    nf->in_lanes[pkt->lane].open)
		nf->in_lanes[pkt->lane].open--;
}

/* ... and its promise of log room is kept. */
static inline void nfv_frame_done(struct nfv *nf, const struct nfv_pkt *pkt)
{
	nf->log.reserved -= LOG_PER_FRAME;
	nfv_frame_off_lane(nf, pkt);
}

static inline void nfv_doorbell_kick(int fd)
{
	uint64_t one = 1;

	if (fd >= 0)
		(void)!write(fd, &one, sizeof(one));
}

static inline void nfv_frame_drop(struct nfv *nf, const struct nfv_pkt *pkt)
{
	nf->cnt->drop++;
	nfv_frame_log(nf, pkt->addr, NFV_LOG_DROP, 0);
	nf->kick_nfvd = true;
	nfv_frame_done(nf, pkt);
}

#endif /* __NFV_FRAMES_H */
