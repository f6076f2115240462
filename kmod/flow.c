// SPDX-License-Identifier: GPL-2.0
/*
 * Steering rules: which chain a flow takes.  Exact 5-tuples (+ ingress
 * port) go to the "nfv_flows" hash map, up to its size; wildcard rules
 * (prefixes, port ranges, any field left out) go to "nfv_rules", at most
 * NFV_PREFIX_RULES_MAX, most specific first, stable among equals: the
 * same order nfvd writes, so both backends classify alike.
 *
 * All functions are called with fab->lock held.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/in.h>

#include "fabric.h"
#include "flow.h"
#include "port.h"
#include "tables.h"

#define NFV_FLOW_HASH_BITS	16
#define NFV_FLOW_HASH_SIZE	BIT(NFV_FLOW_HASH_BITS)

static struct kmem_cache *flow_cache;

static u32 match_hash(const struct nfv_flow_match *m)
{
	BUILD_BUG_ON(sizeof(*m) % sizeof(u32));
	return jhash2((const u32 *)m, sizeof(*m) / sizeof(u32), 0) &
	       (NFV_FLOW_HASH_SIZE - 1);
}

bool nfv_flow_match_is_exact(const struct nfv_flow_match *m)
{
	u8 full = m->family == AF_INET ? 32 : 128;
	bool icmp = m->proto == IPPROTO_ICMP || m->proto == IPPROTO_ICMPV6;

	if (!m->family || !m->proto || m->src_plen != full ||
	    m->dst_plen != full)
		return false;
	if (icmp)
		return !m->sport && !m->dport;
	return m->sport && m->dport && m->sport == m->sport_max &&
	       m->dport == m->dport_max;
}

struct nfv_flow *nfv_flow_find(struct nfv_fabric *fab,
			       const struct nfv_flow_match *m)
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

static void make_key(struct nfv_fabric *fab, const struct nfv_flow_match *m,
		     struct nfv_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->src, m->src, sizeof(k->src));
	memcpy(k->dst, m->dst, sizeof(k->dst));
	k->sport = htons(m->sport);
	k->dport = htons(m->dport);
	k->in_port = nfv_port_id(fab, m->in_ifindex);
	k->proto = m->proto;
	k->family = m->family;
}

static int specificity(const struct nfv_flow_match *m)
{
	return m->src_plen + m->dst_plen + (m->proto ? 8 : 0) +
	       (m->in_ifindex ? 8 : 0) + (m->sport ? 16 : 0) +
	       (m->dport ? 16 : 0);
}

static void plen_mask(__be32 *mask, u8 plen, int words)
{
	int i;

	for (i = 0; i < words; i++) {
		int bits = min_t(int, plen, 32);

		mask[i] = bits ? htonl(~0U << (32 - bits)) : 0;
		plen -= bits;
	}
}

static void make_rule(struct nfv_fabric *fab, const struct nfv_flow *f,
		      struct nfv_prefix_rule *r)
{
	const struct nfv_flow_match *m = &f->m;
	int words = m->family == AF_INET6 ? 4 : 1, i;

	memset(r, 0, sizeof(*r));
	plen_mask((__be32 *)r->src_mask, m->src_plen, words);
	plen_mask((__be32 *)r->dst_mask, m->dst_plen, words);
	for (i = 0; i < 4; i++) {
		r->src[i] = (__force u32)m->src[i] & r->src_mask[i];
		r->dst[i] = (__force u32)m->dst[i] & r->dst_mask[i];
	}
	r->sport_lo = m->sport;
	r->sport_hi = m->sport ? m->sport_max : 0;
	r->dport_lo = m->dport;
	r->dport_hi = m->dport ? m->dport_max : 0;
	r->in_port = nfv_port_id(fab, m->in_ifindex);
	r->proto = m->proto;
	r->family = m->family;
	r->chain = f->chain;
}

/*
 * The prefix rules in classification order: by decreasing specificity,
 * in insertion order among equals.  Returns how many were written.
 */
int nfv_flows_rules(struct nfv_fabric *fab, struct nfv_prefix_rule *rules)
{
	const struct nfv_flow *sorted[NFV_PREFIX_RULES_MAX];
	struct nfv_flow *f;
	unsigned long index;
	int n = 0, i, j;

	lockdep_assert_held(&fab->lock);
	xa_for_each(&fab->flows.order, index, f) {
		if (f->exact)
			continue;
		if (WARN_ON_ONCE(n == NFV_PREFIX_RULES_MAX))
			break;
		for (j = n; j > 0 && specificity(&sorted[j - 1]->m) <
				     specificity(&f->m); j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = f;
		n++;
	}
	for (i = 0; i < n; i++)
		make_rule(fab, sorted[i], &rules[i]);
	return n;
}

static int write_rules(struct nfv_fabric *fab)
{
	struct nfv_prefix_rule *rules;
	int n, err;

	rules = kcalloc(NFV_PREFIX_RULES_MAX, sizeof(*rules), GFP_KERNEL);
	if (!rules)
		return -ENOMEM;
	n = nfv_flows_rules(fab, rules);
	err = nfv_tables_rules(fab, rules, n);
	kfree(rules);
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

int nfv_flow_add(struct nfv_fabric *fab, const struct nfv_flow_match *m,
		 u16 chain, struct netlink_ext_ack *extack)
{
	struct nfv_flows *fl = &fab->flows;
	struct nfv_flow *f;
	int err;

	lockdep_assert_held(&fab->lock);
	if (nfv_flow_find(fab, m)) {
		NL_SET_ERR_MSG(extack, "a flow with this match exists");
		return -EEXIST;
	}
	f = kmem_cache_zalloc(flow_cache, GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->m = *m;
	f->chain = chain;
	f->exact = nfv_flow_match_is_exact(m);
	if (f->exact && fl->n_exact >= fl->max_exact) {
		NL_SET_ERR_MSG(extack, "flow table full");
		err = -ENOSPC;
		goto err_free;
	}
	if (!f->exact && fl->n_rules >= NFV_PREFIX_RULES_MAX) {
		NL_SET_ERR_MSG(extack, "too many prefix rules (max 64)");
		err = -ENOSPC;
		goto err_free;
	}
	if (f->exact) {
		struct nfv_flow_val v = { .chain = chain };

		make_key(fab, m, &f->key);
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
	err = write_rules(fab);
	if (!err)
		return 0;
	NL_SET_ERR_MSG(extack, "cannot write the rules map");
	flow_unlink(fab, f);
	write_rules(fab);
	goto err_free;

err_unwrite:
	if (f->exact)
		nfv_tables_flow(fab, &f->key, NULL);
err_free:
	kmem_cache_free(flow_cache, f);
	return err;
}

int nfv_flow_del(struct nfv_fabric *fab, const struct nfv_flow_match *m,
		 struct netlink_ext_ack *extack)
{
	struct nfv_flow *f;
	int err;

	lockdep_assert_held(&fab->lock);
	f = nfv_flow_find(fab, m);
	if (!f) {
		NL_SET_ERR_MSG(extack, "no such flow");
		return -ENOENT;
	}
	if (f->exact) {
		err = nfv_tables_flow(fab, &f->key, NULL);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot write the flows map");
			return err;
		}
		flow_unlink(fab, f);
	} else {
		flow_unlink(fab, f);
		err = write_rules(fab);
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
