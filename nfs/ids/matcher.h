/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multi-literal matching for nfv-ids: Hyperscan when the library is there
 * (block mode, one scan per payload), our own Aho-Corasick automaton
 * otherwise.  Both report each pattern at most once per scan, at its
 * first match, by its index in the pattern set.
 *
 * Hyperscan is found at build time by its header (<hs/hs.h>, Debian's
 * libhyperscan-dev) and at run time with dlopen("libhs.so.5"): the NF
 * needs no extra link flags and still runs, on the fallback, where the
 * library or the CPU (SSSE3) is missing.
 */
#ifndef __NFV_IDS_MATCHER_H
#define __NFV_IDS_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "patterns.h"

enum matcher_kind {
	MATCHER_AUTO,		/* Hyperscan if usable, else Aho-Corasick */
	MATCHER_HYPERSCAN,
	MATCHER_AC,
};

/* @idx: index in the pattern set, @end: offset just past the match. */
typedef int (*matcher_cb)(unsigned int idx, size_t end, void *ctx);

struct matcher_ops {
	const char *name;
	/* NULL with a message in @err when it cannot be used. */
	void *(*build)(const struct pattern_set *ps, char *err, size_t len);
	/* Nonzero from @cb stops the scan. */
	int (*scan)(void *m, const uint8_t *buf, size_t len, matcher_cb cb,
		    void *ctx);
	void (*free)(void *m);
};

extern const struct matcher_ops ac_matcher_ops;
/* NULL when built without <hs/hs.h>. */
extern const struct matcher_ops *const hs_matcher_ops;

struct matcher {
	const struct matcher_ops *ops;
	void *priv;
};

int matcher_init(struct matcher *m, const struct pattern_set *ps,
		 enum matcher_kind kind, char *err, size_t err_len);
void matcher_fini(struct matcher *m);

static inline int matcher_scan(struct matcher *m, const uint8_t *buf,
			       size_t len, matcher_cb cb, void *ctx)
{
	return m->ops->scan(m->priv, buf, len, cb, ctx);
}

#endif /* __NFV_IDS_MATCHER_H */
