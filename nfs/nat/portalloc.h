/* SPDX-License-Identifier: GPL-2.0 */
/*
 * External port allocation for nfv-nat: a bitmap over [lo, hi] per
 * protocol, next-fit from a cursor so a port just freed is reused last,
 * and the original port kept when it is free (port preservation).
 */
#ifndef __NFV_NAT_PORTALLOC_H
#define __NFV_NAT_PORTALLOC_H

#include <stdint.h>

struct portalloc {
	uint16_t lo, hi;	/* host order, inclusive */
	uint32_t cursor;	/* next candidate, offset from lo */
	uint32_t used;
	uint64_t *bits;
};

int pa_init(struct portalloc *pa, uint16_t lo, uint16_t hi);
void pa_free(struct portalloc *pa);
/* A free port (host order), @hint first if in range; -ENOSPC if none. */
int pa_get(struct portalloc *pa, uint16_t hint);
void pa_put(struct portalloc *pa, uint16_t port);
int pa_in_use(const struct portalloc *pa, uint16_t port);

static inline uint32_t pa_size(const struct portalloc *pa)
{
	return (uint32_t)pa->hi - pa->lo + 1;
}

#endif /* __NFV_NAT_PORTALLOC_H */
