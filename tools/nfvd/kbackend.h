/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv.ko writes the tables, nfvd serves its ports and NFs (kbackend.c).
 */
#ifndef __NFVD_KBACKEND_H
#define __NFVD_KBACKEND_H

#include "control.h"
#include "nfvd.h"

int kbackend_init(struct nfvd *d);
void kbackend_fini(struct nfvd *d);
/* The event loop's epoll tag of the module's "events" socket. */
bool kbackend_is_event(struct nfvd *d, const void *tag);
void kbackend_input(struct nfvd *d);
/* A request on nfvd's socket: forwarded to the module, or
 * KBACKEND_LOCAL (nfvd answers it, as always); else like a handler.
 */
#define KBACKEND_LOCAL	2
int kbackend_control(struct nfvd_req *req, uint8_t cmd);
/* NF ids from /dev/nfv: the id, or -errno; *@fd: the NF's file. */
int kbackend_nf_open(struct nfvd_req *req, uint16_t service, uint32_t flags,
		     const char *name, int *fd);
int kbackend_nf_ready(struct nfvd *d, struct nfvd_nf *nf);
/* nfvd's copy of the NF's /dev/nfv file, closed (no-op if none). */
void kbackend_nf_release(struct nfvd *d, uint16_t id);
/* A relayed dump (kbackend_control() started it): the module's next
 * datagram to the client; 1, or its end: 0 or -errno (extack in @req).
 */
int kbackend_dump_next(struct nfvd_req *req);
void kbackend_dump_stop(struct nfvd_dump *dp);

#endif /* __NFVD_KBACKEND_H */
