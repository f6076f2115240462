// SPDX-License-Identifier: GPL-2.0
/*
 * Service chains: an array indexed by chain id, in the layout the XDP
 * program reads ("nfv_chains"), n_hops == 0 meaning "no chain".  Hops are
 * checked by the netlink parser (ids in range, OUT names a port); here
 * are the rules about whole chains.
 *
 * All functions are called with fab->lock held.
 */
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
	int err;

	lockdep_assert_held(&fab->lock);
	if (!c->n_hops || c->n_hops > NFV_HOPS_MAX) {
		NL_SET_ERR_MSG(extack, "chain without hops");
		return -EINVAL;
	}
	if (c->hops[0].type == NFV_HOP_TAP) {
		NL_SET_ERR_MSG(extack, "a chain cannot start with a tap");
		return -EINVAL;
	}
	if (fab->chains[id].n_hops && !replace) {
		NL_SET_ERR_MSG(extack, "chain already exists");
		return -EEXIST;
	}
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
	int err;

	lockdep_assert_held(&fab->lock);
	if (!nfv_chain_get(fab, id)) {
		NL_SET_ERR_MSG(extack, "no such chain");
		return -ENOENT;
	}
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
