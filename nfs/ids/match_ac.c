// SPDX-License-Identifier: GPL-2.0
/*
 * nfv-ids fallback matcher: Aho-Corasick (CACM 1975) as a full DFA over
 * bytes, 16-bit states (at most 65535: a few thousand patterns of
 * ordinary length), outputs chained along dictionary suffix links.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher.h"

#define AC_STATES_MAX	65535

struct ac {
	uint16_t (*delta)[256];		/* state x byte -> state */
	uint32_t *own;			/* state -> first output + 1 */
	uint16_t *dict;			/* nearest suffix state with output */
	uint32_t *out_idx, *out_next;	/* output lists: pattern, next + 1 */
	uint32_t n_states, n_out;
	uint32_t n_patterns;
	uint32_t *seen;			/* pattern -> scan generation */
	uint32_t gen;
};

static void ac_free(void *p)
{
	struct ac *ac = p;

	if (!ac)
		return;
	free(ac->delta);
	free(ac->own);
	free(ac->dict);
	free(ac->out_idx);
	free(ac->out_next);
	free(ac->seen);
	free(ac);
}

static void *ac_build(const struct pattern_set *ps, char *err, size_t len)
{
	uint32_t max = 1, i, head = 0, tail = 0, *queue = NULL, *fail = NULL;
	struct ac *ac = calloc(1, sizeof(*ac));
	unsigned int p;

	if (!ac)
		goto nomem;
	for (p = 0; p < ps->n; p++)
		max += (uint32_t)ps->p[p].len;
	if (max > AC_STATES_MAX)
		max = AC_STATES_MAX + 1;	/* found out while inserting */
	ac->delta = calloc(max, sizeof(*ac->delta));
	ac->own = calloc(max, sizeof(*ac->own));
	ac->dict = calloc(max, sizeof(*ac->dict));
	ac->out_idx = calloc(ps->n, sizeof(*ac->out_idx));
	ac->out_next = calloc(ps->n, sizeof(*ac->out_next));
	ac->seen = calloc(ps->n, sizeof(*ac->seen));
	fail = calloc(max, sizeof(*fail));
	queue = calloc(max, sizeof(*queue));
	if (!ac->delta || !ac->own || !ac->dict || !ac->out_idx ||
	    !ac->out_next || !ac->seen || !fail || !queue)
		goto nomem;
	ac->n_states = 1;
	ac->n_patterns = ps->n;

	/* The trie; delta 0 means "no edge yet" (state 0 is the root). */
	for (p = 0; p < ps->n; p++) {
		const struct pattern *pt = &ps->p[p];
		uint32_t s = 0;
		size_t k;

		for (k = 0; k < pt->len; k++) {
			uint16_t *next = &ac->delta[s][pt->bytes[k]];

			if (!*next) {
				if (ac->n_states >= max ||
				    ac->n_states > AC_STATES_MAX) {
					snprintf(err, len,
						 "patterns too large for the built-in matcher (more than %d states); install libhyperscan",
						 AC_STATES_MAX);
					goto out;
				}
				*next = (uint16_t)ac->n_states++;
			}
			s = *next;
		}
		ac->out_idx[ac->n_out] = p;
		ac->out_next[ac->n_out] = ac->own[s];
		ac->own[s] = ++ac->n_out;
	}

	/* Breadth first: failure links, then complete the DFA. */
	for (i = 0; i < 256; i++) {
		uint16_t s = ac->delta[0][i];

		if (s) {
			fail[s] = 0;
			queue[tail++] = s;
		}
	}
	while (head < tail) {
		uint32_t r = queue[head++];

		ac->dict[r] = ac->own[fail[r]] ? (uint16_t)fail[r] : ac->dict[fail[r]];
		for (i = 0; i < 256; i++) {
			uint16_t s = ac->delta[r][i];

			if (s) {
				fail[s] = ac->delta[fail[r]][i];
				queue[tail++] = s;
			} else {
				ac->delta[r][i] = ac->delta[fail[r]][i];
			}
		}
	}
	free(queue);
	free(fail);
	return ac;
nomem:
	snprintf(err, len, "out of memory");
out:
	free(queue);
	free(fail);
	ac_free(ac);
	return NULL;
}

static int ac_scan(void *p, const uint8_t *buf, size_t len, matcher_cb cb,
		   void *ctx)
{
	struct ac *ac = p;
	uint32_t s = 0, o, t;
	size_t i;

	/* A new generation: every pattern reportable once more. */
	if (++ac->gen == 0) {
		memset(ac->seen, 0, ac->n_patterns * sizeof(*ac->seen));
		ac->gen = 1;
	}
	for (i = 0; i < len; i++) {
		s = ac->delta[s][buf[i]];
		for (t = ac->own[s] ? s : ac->dict[s]; t; t = ac->dict[t]) {
			for (o = ac->own[t]; o; o = ac->out_next[o - 1]) {
				uint32_t idx = ac->out_idx[o - 1];

				if (ac->seen[idx] == ac->gen)
					continue;
				ac->seen[idx] = ac->gen;
				if (cb(idx, i + 1, ctx))
					return 1;
			}
		}
	}
	return 0;
}

const struct matcher_ops ac_matcher_ops = {
	.name = "aho-corasick",
	.build = ac_build,
	.scan = ac_scan,
	.free = ac_free,
};
