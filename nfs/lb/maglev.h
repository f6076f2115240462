/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016): a lookup table
 * of M entries (M prime) filled by each backend's own permutation in
 * turn.  Every backend owns M/N entries give or take one, and a change
 * of the backend set moves few entries besides those of the backends
 * added or removed.  Backends are ordered by name before the table is
 * filled, so the order they were given in does not matter.
 */
#ifndef __NFV_LB_MAGLEV_H
#define __NFV_LB_MAGLEV_H

#include <stdint.h>

#define MAGLEV_M	65537		/* prime, >> 100 x backends */
#define MAGLEV_MAX	256		/* backends */

struct maglev {
	uint32_t m;
	uint16_t *table;		/* entry -> index into the names */
};

/*
 * Fill @mg for @n backends named @names[0..n); the table holds indices
 * into @names.  Returns 0 or -errno.
 */
int maglev_build(struct maglev *mg, const char *const *names, unsigned int n,
		 uint32_t m);
void maglev_free(struct maglev *mg);

static inline unsigned int maglev_lookup(const struct maglev *mg,
					 uint32_t hash)
{
	return mg->table[hash % mg->m];
}

#endif /* __NFV_LB_MAGLEV_H */
