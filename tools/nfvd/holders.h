/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NFs of a dead nfvd that keep its AF_XDP sockets (holders.c).
 */
#ifndef __NFVD_HOLDERS_H
#define __NFVD_HOLDERS_H

#include <stdint.h>
#include <sys/types.h>

/*
 * A port's queue still busy this long into nfvd's start: the NFs of the
 * dead nfvd that still hold its sockets are killed.
 */
#define HOLDERS_GRACE_NS	(2000 * 1000 * 1000ULL)

void holders_kill(const pid_t *pids, const uint16_t *ids, int n,
		  uint64_t start_ns);

#endif /* __NFVD_HOLDERS_H */
