// SPDX-License-Identifier: GPL-2.0
/* nfv-ids: pick the matcher engine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "matcher.h"

int matcher_init(struct matcher *m, const struct pattern_set *ps,
		 enum matcher_kind kind, char *err, size_t err_len)
{
	char why[256] = "built without <hs/hs.h>";

	memset(m, 0, sizeof(*m));
	if (kind != MATCHER_AC && hs_matcher_ops) {
		m->priv = hs_matcher_ops->build(ps, why, sizeof(why));
		if (m->priv) {
			m->ops = hs_matcher_ops;
			return 0;
		}
	}
	if (kind == MATCHER_HYPERSCAN) {
		snprintf(err, err_len, "hyperscan unavailable: %s", why);
		return -ENOTSUP;
	}
	m->priv = ac_matcher_ops.build(ps, err, err_len);
	if (!m->priv)
		return -EINVAL;
	m->ops = &ac_matcher_ops;
	/* Say why the fast engine is not used, unless we were told. */
	if (kind == MATCHER_AUTO)
		snprintf(err, err_len, "%s", why);
	return 0;
}

void matcher_fini(struct matcher *m)
{
	if (m->ops)
		m->ops->free(m->priv);
	memset(m, 0, sizeof(*m));
}
