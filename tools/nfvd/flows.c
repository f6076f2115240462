// SPDX-License-Identifier: GPL-2.0
/*
 * The flow rules nfvd holds (for dumps, deletes and the prefix-rule
 * array): a list in insertion order plus a hash on the match, so adding
 * and deleting stay O(1) with millions of exact flows.
 */
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "nfvd.h"

static uint32_t match_hash(const struct nfvd_flow *f)
{
	uint32_t h = 2166136261u, v[16];
	size_t i;

	memset(v, 0, sizeof(v));
	memcpy(v, f->src, 16);
	memcpy(v + 4, f->dst, 16);
	v[8] = f->in_ifindex;
	v[9] = (uint32_t)f->proto | (uint32_t)f->family << 8 |
	       (uint32_t)f->src_plen << 16 | (uint32_t)f->dst_plen << 24;
	v[10] = (uint32_t)f->sport | (uint32_t)f->sport_max << 16;
	v[11] = (uint32_t)f->dport | (uint32_t)f->dport_max << 16;
	for (i = 0; i < 12; i++) {
		h ^= v[i];
		h *= 16777619u;
		h ^= h >> 15;
	}
	return h;
}

bool flow_same_match(const struct nfvd_flow *a, const struct nfvd_flow *b)
{
	return a->in_ifindex == b->in_ifindex && a->proto == b->proto &&
	       a->family == b->family && a->src_plen == b->src_plen &&
	       a->dst_plen == b->dst_plen &&
	       !memcmp(a->src, b->src, sizeof(a->src)) &&
	       !memcmp(a->dst, b->dst, sizeof(a->dst)) &&
	       a->sport == b->sport && a->sport_max == b->sport_max &&
	       a->dport == b->dport && a->dport_max == b->dport_max;
}

struct nfvd_flow *flows_find(struct nfvd *d, const struct nfvd_flow *match)
{
	struct nfvd_flow *e;
	uint32_t h = match_hash(match);

	if (!d->flow_buckets)
		return NULL;
	for (e = d->flow_buckets[h & (d->n_flow_buckets - 1)]; e; e = e->hnext)
		if (e->hash == h && flow_same_match(e, match))
			return e;
	return NULL;
}

static int grow(struct nfvd *d)
{
	uint32_t n = d->n_flow_buckets ? d->n_flow_buckets * 2 : 1024, i;
	struct nfvd_flow **b = calloc(n, sizeof(*b)), *e;

	if (!b)
		return -ENOMEM;
	for (i = 0; i < d->n_flow_buckets; i++) {
		while ((e = d->flow_buckets[i])) {
			d->flow_buckets[i] = e->hnext;
			e->hnext = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(d->flow_buckets);
	d->flow_buckets = b;
	d->n_flow_buckets = n;
	return 0;
}

int flows_insert(struct nfvd *d, struct nfvd_flow *e)
{
	if (d->n_flows >= d->n_flow_buckets && grow(d))
		return -ENOMEM;
	e->hash = match_hash(e);
	e->hnext = d->flow_buckets[e->hash & (d->n_flow_buckets - 1)];
	d->flow_buckets[e->hash & (d->n_flow_buckets - 1)] = e;
	e->next = NULL;
	e->prev = d->flows_tail;
	if (d->flows_tail)
		d->flows_tail->next = e;
	else
		d->flows = e;
	d->flows_tail = e;
	d->n_flows++;
	return 0;
}

void flows_remove(struct nfvd *d, struct nfvd_flow *e)
{
	struct nfvd_flow **pp = &d->flow_buckets[e->hash & (d->n_flow_buckets - 1)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	if (e->prev)
		e->prev->next = e->next;
	else
		d->flows = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		d->flows_tail = e->prev;
	d->n_flows--;
}

void flows_fini(struct nfvd *d)
{
	struct nfvd_flow *e, *n;

	for (e = d->flows; e; e = n) {
		n = e->next;
		free(e);
	}
	free(d->flow_buckets);
	d->flows = d->flows_tail = NULL;
	d->flow_buckets = NULL;
}
