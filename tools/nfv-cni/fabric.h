/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd, over its socket: the requests nfvctl would send for "chain show
 * ID", "port add DEV default-chain ID", "port del DEV" and "port show
 * DEV", built by nfvctl's own parsers (tools/nfvctl/port.c, chain.c)
 * and sent by its backend (tools/nfvctl/backend.c).
 */
#ifndef __NFV_CNI_FABRIC_H
#define __NFV_CNI_FABRIC_H

#include <stdbool.h>
#include <stdint.h>

struct fabric;

/*
 * Connect to nfvd at @path; NULL with the error recorded
 * (CNI_ERR_AGAIN: nfvd is not there, or not yet).  @absent_ok (DEL):
 * when nothing listens there at all, NULL without an error: a port does
 * not outlive nfvd's restart without its netdev, and DEL removes that.
 */
struct fabric *fabric_open(const char *path, bool absent_ok);
void fabric_close(struct fabric *f);

/* 0 if chain @id exists; -1 with NFV_CNI_ERR_CHAIN recorded if not. */
int fabric_chain_check(struct fabric *f, uint16_t id);
/* Port @dev with default chain @chain; 0 or -1 with the error recorded. */
int fabric_port_add(struct fabric *f, const char *dev, uint16_t chain,
		    bool steer_arp);
/* Remove port @dev: 0, also when there is none; or -1 as above. */
int fabric_port_del(struct fabric *f, const char *dev);
/*
 * Port @dev's default chain in *@chain: 0, -ENODEV when there is no such
 * port (nothing recorded), or -1 with the error recorded.
 */
int fabric_port_chain(struct fabric *f, const char *dev, uint16_t *chain);

#endif
