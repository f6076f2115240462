// SPDX-License-Identifier: GPL-2.0
/* Maglev lookup table population (NSDI 2016, section 3.4, Pseudocode 1). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maglev.h"

/* 64-bit FNV-1a with a seed: two seeds give offset and skip. */
static uint64_t name_hash(const char *s, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 0x100000001b3ull;
	}
	/* FNV's low bits mix poorly for short keys: finish like splitmix. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static const char *const *sort_names;

static int by_name(const void *a, const void *b)
{
	return strcmp(sort_names[*(const unsigned int *)a],
		      sort_names[*(const unsigned int *)b]);
}

int maglev_build(struct maglev *mg, const char *const *names, unsigned int n,
		 uint32_t m)
{
	uint32_t *offset, *skip, *next, filled = 0, i;
	unsigned int *order;
	int err = -ENOMEM;

	if (!n || n > MAGLEV_MAX || m < n || m > 0xfffffff)
		return -EINVAL;
	offset = calloc(n, sizeof(*offset));
	skip = calloc(n, sizeof(*skip));
	next = calloc(n, sizeof(*next));
	order = calloc(n, sizeof(*order));
	mg->table = malloc(m * sizeof(*mg->table));
	if (!offset || !skip || !next || !order || !mg->table)
		goto out;
	mg->m = m;
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_names = names;
	qsort(order, n, sizeof(*order), by_name);
	for (i = 0; i < n; i++) {
		offset[i] = (uint32_t)(name_hash(names[order[i]], 0) % m);
		skip[i] = (uint32_t)(name_hash(names[order[i]], 0x5eed) % (m - 1)) + 1;
	}
	for (i = 0; i < m; i++)
		mg->table[i] = 0xffff;
	while (filled < m) {
		for (i = 0; i < n && filled < m; i++) {
			uint32_t c;

			/* The next entry of i's permutation still free. */
			do {
				c = (uint32_t)(((uint64_t)offset[i] +
						(uint64_t)next[i] * skip[i]) % m);
				next[i]++;
			} while (mg->table[c] != 0xffff);
			mg->table[c] = (uint16_t)order[i];
			filled++;
		}
	}
	err = 0;
out:
	if (err) {
		free(mg->table);
		mg->table = NULL;
	}
	free(offset);
	free(skip);
	free(next);
	free(order);
	return err;
}

void maglev_free(struct maglev *mg)
{
	free(mg->table);
	mg->table = NULL;
}
