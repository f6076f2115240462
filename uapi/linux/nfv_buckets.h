/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * How a service's buckets are spread over its live replicas.
 *
 * Part of the contract, not only of one backend: nfvd and nfv.ko both
 * write "nfv_services" with nfv_rebalance(), so a flow lands on the same
 * replica whichever backend configured the service, and switching
 * backends moves no flow.  Plain C on the uapi types: it builds in the
 * kernel and in user space alike.
 */
#ifndef _UAPI_LINUX_NFV_BUCKETS_H
#define _UAPI_LINUX_NFV_BUCKETS_H

#include <linux/nfv.h>

/**
 * nfv_rebalance() - hand the buckets of @s to its live replicas
 * @s: a service whose @replicas[0..@n_live) were just changed
 *
 * Buckets that point at a replica that stays keep it, up to that
 * replica's share (NFV_BUCKETS / n_live, rounded up), so only the flows
 * of a replica that comes or goes move; the other buckets go to the
 * least loaded replicas, in bucket order.  With no live replica every
 * bucket is 0 (no replica).
 */
static inline void nfv_rebalance(struct nfv_service *s)
{
	__u16 count[NFV_REPLICA_MAX] = { 0 };
	int i, r, best, target;

	if (!s->n_live) {
		for (i = 0; i < NFV_BUCKETS; i++)
			s->buckets[i] = 0;
		return;
	}
	target = (NFV_BUCKETS + s->n_live - 1) / s->n_live;
	for (i = 0; i < NFV_BUCKETS; i++) {
		for (r = 0; r < s->n_live; r++)
			if (s->buckets[i] == s->replicas[r])
				break;
		if (r < s->n_live && count[r] < target)
			count[r]++;
		else
			s->buckets[i] = 0;
	}
	for (i = 0; i < NFV_BUCKETS; i++) {
		if (s->buckets[i])
			continue;
		best = 0;
		for (r = 1; r < s->n_live; r++)
			if (count[r] < count[best])
				best = r;
		s->buckets[i] = s->replicas[best];
		count[best]++;
	}
}

#endif /* _UAPI_LINUX_NFV_BUCKETS_H */
