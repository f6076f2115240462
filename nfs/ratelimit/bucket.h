/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token bucket kept as time credit: a bucket holds at most @burst_ps
 * picoseconds of credit, gains one per picosecond, and a frame costs the
 * time its units take at the configured rate (units * 1e12 / rate).
 * Picoseconds keep the cost exact enough at 10 Gbit/s (51.2 ns for 64
 * bytes); a full bucket is also what a bucket idle for long looks like,
 * so forgetting an idle bucket loses nothing.
 */
#ifndef __NFV_RATELIMIT_BUCKET_H
#define __NFV_RATELIMIT_BUCKET_H

#include <stdbool.h>
#include <stdint.h>

#define TB_PS_PER_NS	1000ull
#define TB_PS_PER_SEC	1000000000000ull

struct tb_conf {
	uint64_t rate;		/* units per second: packets or bits */
	uint64_t burst;		/* units */
	uint64_t burst_ps;	/* credit of a full bucket */
	bool bits;		/* units are bits (8 per byte), else packets */
};

struct tb {
	uint64_t credit_ps;
	uint64_t last_ns;
};

static inline int tb_conf_init(struct tb_conf *c, uint64_t rate,
			       uint64_t burst, bool bits)
{
	if (!rate || !burst)
		return -1;
	c->rate = rate;
	c->burst = burst;
	c->bits = bits;
	c->burst_ps = (uint64_t)((unsigned __int128)burst * TB_PS_PER_SEC / rate);
	return 0;
}

static inline void tb_init(const struct tb_conf *c, struct tb *b,
			   uint64_t now_ns)
{
	b->credit_ps = c->burst_ps;
	b->last_ns = now_ns;
}

static inline uint64_t tb_cost_ps(const struct tb_conf *c, uint32_t len)
{
	uint64_t units = c->bits ? (uint64_t)len * 8 : 1;

	return (uint64_t)((unsigned __int128)units * TB_PS_PER_SEC / c->rate);
}

/* Refill to @now_ns, then take the cost of a @len-byte frame if there. */
static inline bool tb_take(const struct tb_conf *c, struct tb *b,
			   uint64_t now_ns, uint32_t len)
{
	uint64_t cost = tb_cost_ps(c, len), credit = b->credit_ps;

	if (now_ns > b->last_ns) {
		uint64_t gained = now_ns - b->last_ns;

		/* Saturate: a long idle time only fills the bucket. */
		if (gained >= c->burst_ps / TB_PS_PER_NS + 1)
			credit = c->burst_ps;
		else
			credit += gained * TB_PS_PER_NS;
		if (credit > c->burst_ps)
			credit = c->burst_ps;
		b->last_ns = now_ns;
	}
	if (credit < cost) {
		b->credit_ps = credit;
		return false;
	}
	b->credit_ps = credit - cost;
	return true;
}

#endif /* __NFV_RATELIMIT_BUCKET_H */
