// SPDX-License-Identifier: GPL-2.0
/* nfv-nat port allocator: bitmap, next-fit, port preservation. */
#include <errno.h>
#include <stdlib.h>

#include "portalloc.h"

int pa_init(struct portalloc *pa, uint16_t lo, uint16_t hi)
{
	if (!lo || hi < lo)
		return -EINVAL;
	pa->lo = lo;
	pa->hi = hi;
	pa->cursor = 0;
	pa->used = 0;
	pa->bits = calloc((pa_size(pa) + 63) / 64, sizeof(*pa->bits));
	return pa->bits ? 0 : -ENOMEM;
}

void pa_free(struct portalloc *pa)
{
	free(pa->bits);
	pa->bits = NULL;
}

static int test_and_set(struct portalloc *pa, uint32_t off)
{
	uint64_t bit = 1ull << (off % 64);

	if (pa->bits[off / 64] & bit)
		return 0;
	pa->bits[off / 64] |= bit;
	pa->used++;
	return 1;
}

int pa_get(struct portalloc *pa, uint16_t hint)
{
	uint32_t size = pa_size(pa), n, off, w;

	if (pa->used >= size)
		return -ENOSPC;
	if (hint >= pa->lo && hint <= pa->hi &&
	    test_and_set(pa, hint - pa->lo))
		return hint;
	off = pa->cursor;
	for (n = 0; n < size;) {
		/* Skip full words at once. */
		w = off / 64;
		if (off % 64 == 0 && pa->bits[w] == ~0ull && off + 64 <= size) {
			n += 64;
			off += 64;
		} else if (test_and_set(pa, off)) {
			pa->cursor = off + 1 < size ? off + 1 : 0;
			return pa->lo + (int)off;
		} else {
			n++;
			off++;
		}
		if (off >= size)
			off = 0;
	}
	return -ENOSPC;
}

void pa_put(struct portalloc *pa, uint16_t port)
{
	uint32_t off = (uint32_t)port - pa->lo;
	uint64_t bit = 1ull << (off % 64);

	if (port < pa->lo || port > pa->hi || !(pa->bits[off / 64] & bit))
		return;
	pa->bits[off / 64] &= ~bit;
	pa->used--;
}

int pa_in_use(const struct portalloc *pa, uint16_t port)
{
	uint32_t off = (uint32_t)port - pa->lo;

	if (port < pa->lo || port > pa->hi)
		return 0;
	return !!(pa->bits[off / 64] & (1ull << (off % 64)));
}
