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
#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif

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

/**
 * nfv_replica_add() - NF @nf joins the replicas of service @s
 * @s: the service, changed in place (replicas, n_live, buckets)
 * @nf: the NF's id
 *
 * Return: 1 if @nf is a replica already (an NF back after nfvd's
 * restart: nothing changes, its buckets stay), 0 when it was added and
 * the buckets rebalanced, -ENOSPC when the service has NFV_REPLICA_MAX.
 */
static inline int nfv_replica_add(struct nfv_service *s, __u16 nf)
{
	int i;

	for (i = 0; i < s->n_live && i < NFV_REPLICA_MAX; i++)
		if (s->replicas[i] == nf)
			return 1;
	if (s->n_live >= NFV_REPLICA_MAX)
		return -ENOSPC;
	s->replicas[s->n_live++] = nf;
	nfv_rebalance(s);
	return 0;
}

/**
 * nfv_replica_del() - NF @nf leaves the replicas of service @s
 * @s: the service, changed in place (replicas, n_live, buckets)
 * @nf: the NF's id
 *
 * Return: 0 when @nf was a replica (the buckets are rebalanced), 1 when
 * it was not (nothing changes).
 */
static inline int nfv_replica_del(struct nfv_service *s, __u16 nf)
{
	int i, j;

	for (i = j = 0; i < s->n_live && i < NFV_REPLICA_MAX; i++)
		if (s->replicas[i] != nf)
			s->replicas[j++] = s->replicas[i];
	if (j == s->n_live)
		return 1;
	for (i = j; i < NFV_REPLICA_MAX; i++)
		s->replicas[i] = 0;
	s->n_live = (__u16)j;
	nfv_rebalance(s);
	return 0;
}

#endif /* _UAPI_LINUX_NFV_BUCKETS_H */
