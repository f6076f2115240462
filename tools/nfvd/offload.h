/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offloaded flows: NFs' verdicts, the flows they take off the chain, and
 * the TC hook that forwards them (offload.c).
 */
#ifndef __NFVD_OFFLOAD_H
#define __NFVD_OFFLOAD_H

#include "control.h"
#include "nfvd.h"

/* --offload-idle default: an offloaded flow without frames goes back. */
#define NFVD_OFFLOAD_IDLE_MS	30000

struct nfvd_offload_stats {
	uint64_t verdicts;		/* OFFLOAD_NEW taken apart */
	uint64_t refused;		/* not counted: not on the flow, ... */
	uint64_t offloaded;		/* flows entered in nfv_offload */
	uint64_t ended;			/* removed: FIN or RST */
	uint64_t expired;		/* removed: idle */
	uint64_t revoked;		/* removed: configuration, NF, root */
	uint64_t packets, bytes;	/* of the flows removed */
};

extern const struct nfvd_obj offload_obj;

/* After the BPF object is loaded; never fails for an object without it. */
int offload_init(struct nfvd *d);
void offload_fini(struct nfvd *d);
/* Port @name is about to get the classifier: GRO on. */
void offload_port_prepare(struct nfvd *d, const char *name);
/* The classifier is on @p: nfv_tc on its ingress, p->offload. */
void offload_port_up(struct nfvd *d, struct nfvd_port *p);
/* @p goes: its flows taken back, nfv_tc off. */
void offload_port_down(struct nfvd *d, struct nfvd_port *p);
/* A change of the configuration: every entry is checked again. */
void offload_config_changed(struct nfvd *d);
/* From the loop: checks and sweeps; when it wants to run again, 0: idle. */
uint64_t offload_tick(struct nfvd *d);
/* NF @nf takes its verdicts back (or died). */
void offload_nf_gone(struct nfvd *d, uint16_t nf);
const struct nfvd_offload_stats *offload_stats(struct nfvd *d);
/* Flows offloaded now. */
uint32_t offload_count(struct nfvd *d);

#endif /* __NFVD_OFFLOAD_H */
