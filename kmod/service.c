// SPDX-License-Identifier: GPL-2.0
/*
 * Replica sets.  A service is the set of live NFs serving it and a table
 * of NFV_BUCKETS buckets mapping (flow hash % NFV_BUCKETS) to one of
 * them.  Buckets of replicas that stay keep their replica, so only the
 * flows of a replica that comes or goes move: nfv_rebalance() of
 * uapi/linux/nfv_buckets.h, nfvd's too, so a flow lands on the same
 * replica with either backend.
 *
 * All functions are called with fab->lock held.
 */
#include <linux/nfv_buckets.h>

#include "fabric.h"
#include "service.h"
#include "tables.h"

const struct nfv_service *nfv_service_get(struct nfv_fabric *fab, u16 sid)
{
	lockdep_assert_held(&fab->lock);
	if (!sid || sid > NFV_SERVICE_MAX || !fab->services[sid].n_live)
		return NULL;
	return &fab->services[sid];
}

static int commit(struct nfv_fabric *fab, u16 sid, struct nfv_service *s)
{
	struct nfv_service old = fab->services[sid];
	int err;

	s->gen++;
	fab->services[sid] = *s;
	err = nfv_tables_service(fab, sid);
	if (err) {
		fab->services[sid] = old;
		return err;
	}
	nfv_fabric_changed(fab);
	return 0;
}

int nfv_service_add(struct nfv_fabric *fab, u16 sid, u16 nf)
{
	struct nfv_service s;

	int err;

	lockdep_assert_held(&fab->lock);
	s = fab->services[sid];
	err = nfv_replica_add(&s, nf);
	if (err)
		return err < 0 ? err : 0;
	return commit(fab, sid, &s);
}

/* Never fails: an array map update only copies the value. */
void nfv_service_del(struct nfv_fabric *fab, u16 sid, u16 nf)
{
	struct nfv_service s;

	lockdep_assert_held(&fab->lock);
	s = fab->services[sid];
	if (nfv_replica_del(&s, nf))
		return;
	WARN_ON_ONCE(commit(fab, sid, &s));
}
