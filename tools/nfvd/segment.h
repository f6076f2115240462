/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Segmenters (segment.c): a generic-mode port keeps its veth peer's TSO,
 * so GSO super-frames reach its classifier; those bound for an NF go
 * through a veth pair of the port's, which cuts them into frames.
 */
#ifndef __NFVD_SEGMENT_H
#define __NFVD_SEGMENT_H

#include "nfvd.h"

/*
 * Give port @p a segmenter, if it is in generic mode without decap and
 * has its TC hook: the pair, its pool (queue @p->n_queues), the
 * classifier on its exit, the nfv_segs entries.  Before the NFs get
 * their sockets on @p.  0, or -errno (@p then has none, and NFs' super-
 * frames are dropped: the caller says so).
 */
int segment_up(struct nfvd *d, struct nfvd_port *p);
/* The port whose segmenter's exit is @ifindex, or NULL. */
struct nfvd_port *segment_port(struct nfvd *d, uint32_t ifindex);
/* Stop diverting to @p's segmenter (before its pools are put). */
void segment_stop(struct nfvd *d, struct nfvd_port *p);
/* Delete @p's segmenter's pair (after its pools are put). */
void segment_down(struct nfvd *d, struct nfvd_port *p);

#endif
