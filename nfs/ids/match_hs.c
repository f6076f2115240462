// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-ids matcher on Hyperscan (Debian libhyperscan-dev): literal
 * database in block mode, each pattern SINGLEMATCH.  The library is
 * opened at run time (dlopen), so the NF links without it and falls back
 * to Aho-Corasick where it is missing.  -DNFV_IDS_NO_HYPERSCAN builds
 * the fallback alone.
 */
#include "matcher.h"

#if !defined(NFV_IDS_NO_HYPERSCAN) && __has_include(<hs/hs.h>)
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hs/hs.h>

static struct {
	bool tried, ok;
	char why[200];
	typeof(&hs_compile_lit_multi) compile_lit_multi;
	typeof(&hs_free_compile_error) free_compile_error;
	typeof(&hs_alloc_scratch) alloc_scratch;
	typeof(&hs_free_scratch) free_scratch;
	typeof(&hs_free_database) free_database;
	typeof(&hs_scan) scan;
	typeof(&hs_valid_platform) valid_platform;
} lib;

static bool load(void)
{
	void *h;

	if (lib.tried)
		return lib.ok;
	lib.tried = true;
	h = dlopen("libhs.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		h = dlopen("libhs.so", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(lib.why, sizeof(lib.why), "%s", dlerror());
		return false;
	}
#define SYM(f) do {							\
	*(void **)&lib.f = dlsym(h, "hs_" #f);				\
	if (!lib.f) {							\
		snprintf(lib.why, sizeof(lib.why), "no hs_" #f " in libhs"); \
		return false;						\
	}								\
} while (0)
	SYM(compile_lit_multi);
	SYM(free_compile_error);
	SYM(alloc_scratch);
	SYM(free_scratch);
	SYM(free_database);
	SYM(scan);
	SYM(valid_platform);
#undef SYM
	if (lib.valid_platform() != HS_SUCCESS) {
		snprintf(lib.why, sizeof(lib.why), "CPU lacks SSSE3");
		return false;
	}
	lib.ok = true;
	return true;
}

struct hsm {
	hs_database_t *db;
	hs_scratch_t *scratch;
};

static void hsm_free(void *p)
{
	struct hsm *m = p;

	if (!m)
		return;
	if (m->scratch)
		lib.free_scratch(m->scratch);
	if (m->db)
		lib.free_database(m->db);
	free(m);
}

static void *hsm_build(const struct pattern_set *ps, char *err, size_t len)
{
	const char **exprs = calloc(ps->n, sizeof(*exprs));
	unsigned int *flags = calloc(ps->n, sizeof(*flags));
	unsigned int *ids = calloc(ps->n, sizeof(*ids));
	size_t *lens = calloc(ps->n, sizeof(*lens));
	struct hsm *m = calloc(1, sizeof(*m));
	hs_compile_error_t *cerr = NULL;
	unsigned int i;

	if (!load()) {
		snprintf(err, len, "%s", lib.why);
		goto fail;
	}
	if (!exprs || !flags || !ids || !lens || !m) {
		snprintf(err, len, "out of memory");
		goto fail;
	}
	for (i = 0; i < ps->n; i++) {
		exprs[i] = (const char *)ps->p[i].bytes;
		lens[i] = ps->p[i].len;
		flags[i] = HS_FLAG_SINGLEMATCH;
		ids[i] = i;
	}
	if (lib.compile_lit_multi(exprs, flags, ids, lens, ps->n, HS_MODE_BLOCK,
				  NULL, &m->db, &cerr) != HS_SUCCESS) {
		snprintf(err, len, "hs_compile_lit_multi: %s",
			 cerr ? cerr->message : "failed");
		if (cerr)
			lib.free_compile_error(cerr);
		goto fail;
	}
	if (lib.alloc_scratch(m->db, &m->scratch) != HS_SUCCESS) {
		snprintf(err, len, "hs_alloc_scratch failed");
		goto fail;
	}
	free(exprs);
	free(flags);
	free(ids);
	free(lens);
	return m;
fail:
	free(exprs);
	free(flags);
	free(ids);
	free(lens);
	hsm_free(m);
	return NULL;
}

struct scan_ctx {
	matcher_cb cb;
	void *ctx;
};

static int on_match(unsigned int id, unsigned long long from,
		    unsigned long long to, unsigned int flags, void *ctx)
{
	struct scan_ctx *sc = ctx;

	return sc->cb(id, (size_t)to, sc->ctx);
}

static int hsm_scan(void *p, const uint8_t *buf, size_t len, matcher_cb cb,
		    void *ctx)
{
	struct scan_ctx sc = { .cb = cb, .ctx = ctx };
	struct hsm *m = p;
	hs_error_t ret;

	ret = lib.scan(m->db, (const char *)buf, (unsigned int)len, 0,
		       m->scratch, on_match, &sc);
	return ret == HS_SCAN_TERMINATED ? 1 : 0;
}

static const struct matcher_ops hs_ops = {
	.name = "hyperscan",
	.build = hsm_build,
	.scan = hsm_scan,
	.free = hsm_free,
};
const struct matcher_ops *const hs_matcher_ops = &hs_ops;

#else /* no <hs/hs.h> at build time */

const struct matcher_ops *const hs_matcher_ops;

#endif
