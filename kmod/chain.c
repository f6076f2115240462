// SPDX-License-Identifier: GPL-2.0
/*
 * Service chains: an array indexed by chain id, in the layout the XDP
 * program reads ("nfv_chains"), n_hops == 0 meaning "no chain".  What a
 * valid hop and chain are is the core's (nfv_chain_rules.h), shared with
 * nfvd; here is only storage.
 *
 * All functions are called with fab->lock held.
 */
#include <linux/nfv_chain_rules.h>

#include "chain.h"
#include "fabric.h"
#include "netlink.h"
#include "tables.h"

const struct nfv_chain *nfv_chain_get(struct nfv_fabric *fab, u16 id)
{
	lockdep_assert_held(&fab->lock);
	if (!id || id > NFV_CHAIN_MAX || !fab->chains[id].n_hops)
		return NULL;
	return &fab->chains[id];
}

int nfv_chain_set(struct nfv_fabric *fab, u16 id, const struct nfv_chain *c,
		  bool replace, struct netlink_ext_ack *extack)
{
	struct nfv_chain old;
	struct nfv_err e;
	int err;

	lockdep_assert_held(&fab->lock);
	err = nfv_chain_admit(c, fab->chains[id].n_hops, replace, &e);
	if (err)
		return nfv_netlink_err(extack, NULL, NULL, err, &e);
	old = fab->chains[id];
	fab->chains[id] = *c;
	err = nfv_tables_chain(fab, id);
	if (err) {
		fab->chains[id] = old;
		NL_SET_ERR_MSG(extack, "cannot write the chains map");
		return err;
	}
	nfv_fabric_changed(fab);
	nfv_netlink_notify_chain(fab, id);
	return 0;
}

int nfv_chain_del(struct nfv_fabric *fab, u16 id,
		  struct netlink_ext_ack *extack)
{
	struct nfv_chain old;
	struct nfv_err e;
	int err;

	lockdep_assert_held(&fab->lock);
	err = nfv_chain_del_check(nfv_chain_get(fab, id), &e);
	if (err)
		return nfv_netlink_err(extack, NULL, NULL, err, &e);
	old = fab->chains[id];
	memset(&fab->chains[id], 0, sizeof(fab->chains[id]));
	err = nfv_tables_chain(fab, id);
	if (err) {
		fab->chains[id] = old;
		NL_SET_ERR_MSG(extack, "cannot write the chains map");
		return err;
	}
	nfv_fabric_changed(fab);
	nfv_netlink_notify_chain(fab, id);
	return 0;
}
