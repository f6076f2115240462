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

/* FNV-1a over the match, which has no padding (struct nfv_match). */
static uint32_t match_hash(const struct nfvd_flow *f)
{
	const uint8_t *p = (const uint8_t *)&f->m;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(f->m); i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

bool flow_same_match(const struct nfvd_flow *a, const struct nfvd_flow *b)
{
	return !memcmp(&a->m, &b->m, sizeof(a->m));
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
	/* Its rules are freed: the idle list (flow_idle.c) links nothing. */
	d->idle_flows = NULL;
}
