/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state file: the configuration and the NFs that were up, kept
 * across restarts (state.c writes it, restore.c reads it).
 */
#ifndef __NFVD_STATE_H
#define __NFVD_STATE_H

#include "nfvd.h"

#define STATE_MAGIC		"NFVSTATE"
#define STATE_VERSION		1
#define STATE_REC_MAX		NFV_MSG_MAX
/* A private attribute of service records: struct nfv_service, raw. */
#define STATE_A_SERVICE_TABLE	1000
/* Compact when the journal exceeds max(this, 2 x last snapshot). */
#define COMPACT_MIN_BYTES	(1 << 20)

struct state_hdr {
	char magic[8];
	uint32_t version;
	uint32_t crc;
};

struct rec_hdr {
	uint32_t len;
	uint32_t crc;
};

/* An accepted request of the control API changed the configuration. */
void state_journal(struct nfvd *d, const struct nlmsghdr *req);
/* An NF came up or went: remember it, and its service's buckets. */
void state_nf_changed(struct nfvd *d, const struct nfvd_nf *nf, bool up);
void state_fini(struct nfvd *d);
/*
 * Hold what is journaled until state_flush() writes it in one go: the
 * requests of one pass over a client's socket.  Their replies are held
 * as long (the client is corked): an ack is sent after its record.
 */
void state_cork(void);
void state_flush(struct nfvd *d);
uint32_t state_crc(const void *p, size_t len);
/* Replace the file with a snapshot of now; keep it open for appending. */
int state_compact(struct nfvd *d);

#endif /* __NFVD_STATE_H */
