// SPDX-License-Identifier: GPL-2.0
/*
 * Steering rules: which chain a flow takes.  Exact 5-tuples (+ ingress
 * port) go to the "nfv_flows" hash map, up to its size; wildcard rules
 * (prefixes, port ranges, any field left out) go to "nfv_rules", at most
 * NFV_PREFIX_RULES_MAX.  What is exact, the checks, the limits, the key
 * and the rule encoding and their order are the core's (nfv_match.h),
 * shared with nfvd; here is only storage: a hash on the match for
 * lookups and an xarray for insertion order.
 *
 * All functions are called with fab->lock held.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/in.h>

#include "fabric.h"
#include "flow.h"
#include "netlink.h"
#include "port.h"
#include "tables.h"

#define NFV_FLOW_HASH_BITS	16
#define NFV_FLOW_HASH_SIZE	BIT(NFV_FLOW_HASH_BITS)

static struct kmem_cache *flow_cache;

static u32 match_hash(const struct nfv_match *m)
{
	BUILD_BUG_ON(sizeof(*m) % sizeof(u32));
	return jhash2((const u32 *)m, sizeof(*m) / sizeof(u32), 0) &
	       (NFV_FLOW_HASH_SIZE - 1);
}

struct nfv_flow *nfv_flow_find(struct nfv_fabric *fab,
			       const struct nfv_match *m)
{
	struct nfv_flow *f;

	lockdep_assert_held(&fab->lock);
	hlist_for_each_entry(f, &fab->flows.hash[match_hash(m)], node)
		if (!memcmp(&f->m, m, sizeof(*m)))
			return f;
	return NULL;
}

/* The next rule at or after *@index in insertion order, for dumps. */
struct nfv_flow *nfv_flow_next(struct nfv_fabric *fab, unsigned long *index)
{
	lockdep_assert_held(&fab->lock);
	return xa_find(&fab->flows.order, index, ULONG_MAX, XA_PRESENT);
}

/*
 * Rewrite "nfv_rules" from the prefix rules, in the scan order the core
 * gives them (nfv_rules_add()), so both backends classify alike.
 */
int nfv_flows_write_rules(struct nfv_fabric *fab)
{
	struct nfv_rules *rs;
	struct nfv_flow *f;
	unsigned long index;
	int err;

	lockdep_assert_held(&fab->lock);
	rs = kmalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return -ENOMEM;
	nfv_rules_init(rs);
	xa_for_each(&fab->flows.order, index, f) {
		if (f->exact)
			continue;
		err = nfv_rules_add(rs, &f->m,
				    nfv_port_id(fab, f->m.in_ifindex), f->chain);
		if (WARN_ON_ONCE(err))
			break;
	}
	err = nfv_tables_rules(fab, rs->rule, rs->n);
	kfree(rs);
	return err;
}

/* Write every exact flow into a freshly bound flows map. */
int nfv_flows_sync(struct nfv_fabric *fab)
{
	struct nfv_flow *f;
	unsigned long index;
	int err;

	lockdep_assert_held(&fab->lock);
	xa_for_each(&fab->flows.order, index, f) {
		struct nfv_flow_val v = { .chain = f->chain };

		if (!f->exact)
			continue;
		err = nfv_tables_flow(fab, &f->key, &v);
		if (err)
			return err;
		cond_resched();
	}
	return 0;
}

static void flow_unlink(struct nfv_fabric *fab, struct nfv_flow *f)
{
	hlist_del(&f->node);
	xa_erase(&fab->flows.order, f->index);
	if (f->exact)
		fab->flows.n_exact--;
	else
		fab->flows.n_rules--;
}

/*
 * @rule: the match, chain, owner and idle timeout of the rule to add
 * (the rest is ours to fill).
 */
int nfv_flow_add(struct nfv_fabric *fab, const struct nfv_flow *rule,
		 struct netlink_ext_ack *extack)
{
	const struct nfv_match *m = &rule->m;
	u16 chain = rule->chain;
	struct nfv_flows *fl = &fab->flows;
	struct nfv_flow_room room = {
		.n_exact = fl->n_exact,
		.max_exact = fl->max_exact,
		.n_rules = fl->n_rules,
	};
	struct nfv_flow *f;
	struct nfv_err e;
	int err;

	lockdep_assert_held(&fab->lock);
	err = nfv_flow_admit(m, chain, nfv_flow_find(fab, m), &room, &e);
	if (err)
		return nfv_netlink_err(extack, NULL, NULL, err, &e);
	err = nfv_flow_idle_check(m, rule->idle_ms, &e);
	if (err)
		return nfv_netlink_err(extack, NULL, NULL, err, &e);
	f = kmem_cache_zalloc(flow_cache, GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->m = *m;
	f->chain = chain;
	f->owner = rule->owner;
	f->idle_ms = rule->idle_ms;
	f->exact = nfv_match_is_exact(m);
	if (f->exact) {
		struct nfv_flow_val v = { .chain = chain };

		nfv_match_key(m, nfv_port_id(fab, m->in_ifindex), &f->key);
		err = nfv_tables_flow(fab, &f->key, &v);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot write the flows map");
			goto err_free;
		}
	}
	err = xa_alloc_cyclic(&fl->order, &f->index, f, XA_LIMIT(0, INT_MAX),
			      &fl->next_index, GFP_KERNEL);
	if (err < 0)
		goto err_unwrite;
	hlist_add_head(&f->node, &fl->hash[match_hash(m)]);
	if (f->exact) {
		fl->n_exact++;
		return 0;
	}
	fl->n_rules++;
	err = nfv_flows_write_rules(fab);
	if (!err)
		return 0;
	NL_SET_ERR_MSG(extack, "cannot write the rules map");
	flow_unlink(fab, f);
	nfv_flows_write_rules(fab);
	goto err_free;

err_unwrite:
	if (f->exact)
		nfv_tables_flow(fab, &f->key, NULL);
err_free:
	kmem_cache_free(flow_cache, f);
	return err;
}

/*
 * The owner and idle timeout of the rule with @rule's match, in place
 * (nfvd: an NF's rule kept at its death becomes an administrator's);
 * its chain and its place in the scan order stay.
 */
int nfv_flow_replace(struct nfv_fabric *fab, const struct nfv_flow *rule,
		     struct netlink_ext_ack *extack)
{
	struct nfv_flow *f;
	struct nfv_err e;
	int err;

	lockdep_assert_held(&fab->lock);
	f = nfv_flow_find(fab, &rule->m);
	err = nfv_flow_del_check(f, &e);
	if (err)
		return nfv_netlink_err(extack, NULL, NULL, err, &e);
	if (f->chain != rule->chain) {
		NL_SET_ERR_MSG(extack, "a replace keeps the rule's chain");
		return -EINVAL;
	}
	err = nfv_flow_idle_check(&rule->m, rule->idle_ms, &e);
	if (err)
		return nfv_netlink_err(extack, NULL, NULL, err, &e);
	f->owner = rule->owner;
	f->idle_ms = rule->idle_ms;
	return 0;
}

int nfv_flow_del(struct nfv_fabric *fab, const struct nfv_match *m,
		 struct netlink_ext_ack *extack)
{
	struct nfv_flow *f;
	struct nfv_err e;
	int err;

	lockdep_assert_held(&fab->lock);
	f = nfv_flow_find(fab, m);
	err = nfv_flow_del_check(f, &e);
	if (err)
		return nfv_netlink_err(extack, NULL, NULL, err, &e);
	if (f->exact) {
		err = nfv_tables_flow(fab, &f->key, NULL);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot write the flows map");
			return err;
		}
		flow_unlink(fab, f);
	} else {
		flow_unlink(fab, f);
		err = nfv_flows_write_rules(fab);
		if (err) {
			/* Put it back where it was: nothing changes. */
			xa_store(&fab->flows.order, f->index, f, GFP_KERNEL);
			hlist_add_head(&f->node,
				       &fab->flows.hash[match_hash(m)]);
			fab->flows.n_rules++;
			NL_SET_ERR_MSG(extack, "cannot write the rules map");
			return err;
		}
	}
	kmem_cache_free(flow_cache, f);
	return 0;
}

int nfv_flows_create(struct nfv_fabric *fab)
{
	struct nfv_flows *fl = &fab->flows;
	int i;

	fl->hash = kvmalloc_array(NFV_FLOW_HASH_SIZE, sizeof(*fl->hash),
				  GFP_KERNEL);
	if (!fl->hash)
		return -ENOMEM;
	for (i = 0; i < NFV_FLOW_HASH_SIZE; i++)
		INIT_HLIST_HEAD(&fl->hash[i]);
	xa_init_flags(&fl->order, XA_FLAGS_ALLOC);
	fl->next_index = 0;
	fl->n_exact = 0;
	fl->n_rules = 0;
	fl->max_exact = NFV_FLOWS_DEFAULT;
	return 0;
}

/* The maps are unbound already: only our memory goes. */
void nfv_flows_destroy(struct nfv_fabric *fab)
{
	struct nfv_flows *fl = &fab->flows;
	struct nfv_flow *f;
	unsigned long index;

	xa_for_each(&fl->order, index, f) {
		kmem_cache_free(flow_cache, f);
		cond_resched();
	}
	xa_destroy(&fl->order);
	kvfree(fl->hash);
	fl->hash = NULL;
	fl->n_exact = 0;
	fl->n_rules = 0;
}

int nfv_flow_init(void)
{
	flow_cache = KMEM_CACHE(nfv_flow, 0);
	return flow_cache ? 0 : -ENOMEM;
}

/* kmem_cache_destroy() complains loudly if a flow leaked. */
void nfv_flow_uninit(void)
{
	kmem_cache_destroy(flow_cache);
}
