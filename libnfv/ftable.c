// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libnfv flow table (include/nfv/ftable.h has the design and why).
 *
 * Memory: a pool of @capacity entries (header + value, each a multiple of
 * 8 bytes), a stack of free pool indices (lowest first, so a small
 * population stays in few cache lines) and the index: buckets of
 * NFV_FTABLE_BUCKET_SLOTS (hash, pool index + 1) slots.  A slot's hash is
 * the one its bucket came from (h1 in its b1, h2 in its b2): a cheap
 * filter before the key compare, and the way to tell an entry's other
 * bucket when it has to move.  The hint cache maps a hint (its low bits)
 * to the pool index last found or added with it; an entry it names is
 * used only if live and its key matches, so a stale, colliding or wrong
 * hint costs one compare and the keyed lookup, never a wrong answer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#include <nfv/ftable.h>

#include "internal.h"

#define SLOTS		NFV_FTABLE_BUCKET_SLOTS
#define CAPACITY_MAX	(1u << 26)
#define VALUE_MAX	65536u
#define HINT_SLOTS_MAX	(1u << 26)

struct slot {
	uint32_t hash;
	uint32_t idx;		/* pool index + 1; 0: empty */
};

struct bucket {
	struct slot s[SLOTS];
};

struct ent {
	struct nfv_ftable_key key;
	uint32_t h1, h2;	/* the hashes of its two buckets */
	uint64_t last_ns;
	uint32_t used;
	uint32_t pad;
	/* the value follows, 8-byte aligned */
};

struct nfv_ftable {
	struct bucket *b;
	size_t b_size, pool_size, hint_size;	/* bytes mapped */
	uint32_t mask;		/* buckets - 1 */
	uint32_t capacity;
	uint32_t stride;	/* bytes per pool entry */
	uint32_t value_size;
	uint8_t *pool;
	uint32_t *free_idx;
	uint32_t n_free;
	uint32_t *hint;		/* hint -> pool index + 1, a cache */
	uint32_t hint_mask;
	uint32_t cursor;	/* nfv_ftable_expire() resumes here */
	uint64_t max_age_ns;
	uint64_t k0, k1;	/* SipHash key, from getrandom() */
	struct nfv_ftable_stats st;
};

static struct ent *ent_at(const struct nfv_ftable *t, uint32_t idx)
{
	return (struct ent *)(t->pool + (size_t)idx * t->stride);
}

static struct ent *ent_of(const struct nfv_ftable *t, const void *value)
{
	return (struct ent *)((uint8_t *)value - sizeof(struct ent));
}

static uint32_t idx_of(const struct nfv_ftable *t, const struct ent *e)
{
	return (uint32_t)(((const uint8_t *)e - t->pool) / t->stride);
}

/* ---- SipHash-1-3 (Aumasson, Bernstein) over the 44-byte key ---- */
#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND							\
	do {								\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;			\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;			\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t siphash13(uint64_t k0, uint64_t k1, const void *data,
			  size_t len)
{
	uint64_t v0 = 0x736f6d6570736575ull ^ k0;
	uint64_t v1 = 0x646f72616e646f6dull ^ k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ k0;
	uint64_t v3 = 0x7465646279746573ull ^ k1;
	const uint8_t *p = data;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, tail = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, p + i, 8);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	m = 0;
	memcpy(&m, p + i, tail);
	b |= m;
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t nfv_ftable_hash(const struct nfv_ftable *t,
			 const struct nfv_ftable_key *key)
{
	return siphash13(t->k0, t->k1, key, sizeof(*key));
}

/*
 * Zeroed memory for the table's arrays, page aligned, on transparent huge
 * pages where the kernel gives them: at a million flows a lookup touches
 * three random places in ~200 MB, and with 4 KiB pages each costs a TLB
 * miss besides the cache miss (ftable-scale in nfv-bench).
 */
static void *map_zeroed(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (size >= (2u << 20))
		madvise(p, size, MADV_HUGEPAGE);	/* a hint: may fail */
	return p;
}

static void unmap(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

uint32_t nfv_ftable_buckets(const struct nfv_ftable *t)
{
	return t->mask + 1;
}

struct nfv_ftable *nfv_ftable_create(uint32_t capacity, uint32_t value_size,
				     uint64_t max_age_ns)
{
	uint64_t seed[2];
	struct nfv_ftable *t;
	uint32_t n, i;
	ssize_t got;

	if (!capacity || capacity > CAPACITY_MAX || value_size > VALUE_MAX)
		return nfv_err_ptr(-EINVAL);
	got = getrandom(seed, sizeof(seed), 0);
	if (got != (ssize_t)sizeof(seed))
		return nfv_err_ptr(got < 0 ? -errno : -EIO);
	t = calloc(1, sizeof(*t));
	if (!t)
		return nfv_err_ptr(-ENOMEM);
	t->k0 = seed[0];
	t->k1 = seed[1];
	t->capacity = capacity;
	t->value_size = value_size;
	t->stride = (uint32_t)(sizeof(struct ent) + ((value_size + 7u) & ~7u));
	/* Whole cache lines past one: an entry never straddles a third. */
	if (t->stride > 64)
		t->stride = (t->stride + 63u) & ~63u;
	t->max_age_ns = max_age_ns;
	/* At most half the slots used when the pool is full; two buckets. */
	for (n = 2; (uint64_t)n * SLOTS < 2ull * capacity; n <<= 1)
		;
	t->mask = n - 1;
	/*
	 * The hint cache: 8 slots an entry (a power of two, 1 << 26 at
	 * most).  A flow whose slot another hint took pays the keyed hash
	 * and two buckets; with one slot an entry that is a fifth of a full
	 * table's lookups, with eight about 6 % (1M flows: 100 -> 35 ns a
	 * prefetched insert).
	 */
	for (n = 1; n < 8ull * capacity && n < HINT_SLOTS_MAX; n <<= 1)
		;
	t->hint_mask = n - 1;
	t->hint_size = (size_t)n * sizeof(*t->hint);
	t->b_size = (size_t)(t->mask + 1) * sizeof(struct bucket);
	t->pool_size = (size_t)capacity * t->stride;
	t->hint = map_zeroed(t->hint_size);
	t->b = map_zeroed(t->b_size);
	t->pool = map_zeroed(t->pool_size);
	t->free_idx = calloc(capacity, sizeof(*t->free_idx));
	if (!t->b || !t->pool || !t->free_idx || !t->hint) {
		nfv_ftable_free(t);
		return nfv_err_ptr(-ENOMEM);
	}
	for (i = 0; i < capacity; i++)
		t->free_idx[i] = capacity - 1 - i;
	t->n_free = capacity;
	t->st.capacity = capacity;
	return t;
}

void nfv_ftable_free(struct nfv_ftable *t)
{
	if (!t)
		return;
	unmap(t->b, t->b_size);
	unmap(t->pool, t->pool_size);
	unmap(t->hint, t->hint_size);
	free(t->free_idx);
	free(t);
}

static bool key_eq(const struct nfv_ftable_key *a,
		   const struct nfv_ftable_key *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* The slot of @key in bucket @bi under hash @h, or NULL. */
static struct slot *find_in(struct nfv_ftable *t, uint32_t bi, uint32_t h,
			    const struct nfv_ftable_key *key)
{
	struct bucket *b = &t->b[bi];
	int i;

	for (i = 0; i < SLOTS; i++) {
		struct slot *s = &b->s[i];

		if (s->idx && s->hash == h &&
		    key_eq(&ent_at(t, s->idx - 1)->key, key))
			return s;
	}
	return NULL;
}

static struct slot *free_in(struct nfv_ftable *t, uint32_t bi)
{
	int i;

	for (i = 0; i < SLOTS; i++)
		if (!t->b[bi].s[i].idx)
			return &t->b[bi].s[i];
	return NULL;
}

/* The two bucket hashes of @key, both keyed. */
struct hashes {
	uint32_t h1, h2;
};

static void hash_key(struct nfv_ftable *t, const struct nfv_ftable_key *key,
		     struct hashes *h)
{
	uint64_t k = nfv_ftable_hash(t, key);

	h->h1 = (uint32_t)(k >> 32);
	h->h2 = (uint32_t)k;
}

/* The entry the hint cache holds for @hint if it has @key, else NULL. */
static struct ent *from_hint(struct nfv_ftable *t,
			     const struct nfv_ftable_key *key, uint64_t hint)
{
	uint32_t idx;
	struct ent *e;

	if (hint == NFV_FTABLE_NO_HINT)
		return NULL;
	idx = t->hint[(uint32_t)hint & t->hint_mask];
	if (!idx)
		return NULL;
	e = ent_at(t, idx - 1);
	return e->used && key_eq(&e->key, key) ? e : NULL;
}

void nfv_ftable_prefetch(const struct nfv_ftable *t, uint64_t hint,
			 int stage)
{
	const uint32_t *slot;
	const uint8_t *e;

	if (!t || hint == NFV_FTABLE_NO_HINT)
		return;
	slot = &t->hint[(uint32_t)hint & t->hint_mask];
	if (!stage) {
		__builtin_prefetch(slot);
		return;
	}
	if (!*slot || *slot > t->capacity)
		return;
	e = (const uint8_t *)ent_at(t, *slot - 1);
	__builtin_prefetch(e);
	/* The value, when it starts on the next cache line. */
	if (((uintptr_t)e & 63) + sizeof(struct ent) >= 64)
		__builtin_prefetch(e + 64);
}

static void hint_set(struct nfv_ftable *t, uint64_t hint, const struct ent *e)
{
	if (hint != NFV_FTABLE_NO_HINT)
		t->hint[(uint32_t)hint & t->hint_mask] = idx_of(t, e) + 1;
}

/* The entry of @key: from the hint cache, else from its two buckets. */
static struct ent *find(struct nfv_ftable *t, const struct nfv_ftable_key *key,
			uint64_t hint, struct hashes *h, bool *hashed)
{
	struct ent *e = from_hint(t, key, hint);
	struct slot *s;

	*hashed = false;
	if (e)
		return e;
	hash_key(t, key, h);
	*hashed = true;
	s = find_in(t, h->h1 & t->mask, h->h1, key);
	if (!s)
		s = find_in(t, h->h2 & t->mask, h->h2, key);
	if (!s)
		return NULL;
	e = ent_at(t, s->idx - 1);
	hint_set(t, hint, e);
	return e;
}

void *nfv_ftable_lookup(struct nfv_ftable *t, const struct nfv_ftable_key *key,
			uint64_t hint)
{
	struct hashes h;
	bool hashed;
	struct ent *e = find(t, key, hint, &h, &hashed);

	if (!e) {
		t->st.misses++;
		errno = ENOENT;
		return NULL;
	}
	t->st.hits++;
	return e + 1;
}

/*
 * Both buckets full: move one of their entries to its other bucket if
 * that has room (one move, no chain: the work stays bounded).  Returns
 * the slot freed, or NULL.
 */
static struct slot *make_room(struct nfv_ftable *t, uint32_t b1, uint32_t b2)
{
	uint32_t bs[2] = { b1, b2 };
	int j, i;

	for (j = 0; j < 2; j++) {
		for (i = 0; i < SLOTS; i++) {
			struct slot *s = &t->b[bs[j]].s[i];
			struct ent *e = ent_at(t, s->idx - 1);
			uint32_t alt = s->hash == e->h1 &&
				       (e->h1 & t->mask) == bs[j] ? e->h2 : e->h1;
			struct slot *d;

			if ((alt & t->mask) == bs[j])
				continue;
			d = free_in(t, alt & t->mask);
			if (!d)
				continue;
			d->hash = alt;
			d->idx = s->idx;
			s->idx = 0;
			t->st.moves++;
			return s;
		}
	}
	return NULL;
}

void *nfv_ftable_insert(struct nfv_ftable *t, const struct nfv_ftable_key *key,
			uint64_t hint, uint64_t now_ns, bool *created)
{
	struct hashes h;
	bool hashed;
	struct ent *e = find(t, key, hint, &h, &hashed);
	uint32_t b1, b2, idx, sh;
	struct slot *s;

	if (created)
		*created = false;
	if (e) {
		t->st.hits++;
		e->last_ns = now_ns;
		return e + 1;
	}
	t->st.misses++;
	if (!t->n_free) {
		t->st.refusals++;
		t->st.refused_full++;
		errno = ENOSPC;
		return NULL;
	}
	if (!hashed)
		hash_key(t, key, &h);
	b1 = h.h1 & t->mask;
	b2 = h.h2 & t->mask;
	sh = h.h1;
	s = free_in(t, b1);
	if (!s) {
		sh = h.h2;
		s = free_in(t, b2);
	}
	if (!s) {
		/* The probe bound: two buckets and one move, then refuse. */
		s = make_room(t, b1, b2);
		sh = h.h2;
		if (s && s >= t->b[b1].s && s < t->b[b1].s + SLOTS)
			sh = h.h1;
	}
	if (!s) {
		t->st.refusals++;
		errno = EBUSY;
		return NULL;
	}
	idx = t->free_idx[--t->n_free];
	e = ent_at(t, idx);
	memset(e, 0, t->stride);
	e->key = *key;
	e->h1 = h.h1;
	e->h2 = h.h2;
	e->last_ns = now_ns;
	e->used = 1;
	s->hash = sh;
	s->idx = idx + 1;
	hint_set(t, hint, e);
	t->st.inserts++;
	t->st.entries++;
	if (created)
		*created = true;
	return e + 1;
}

void nfv_ftable_touch(struct nfv_ftable *t, void *value, uint64_t now_ns)
{
	ent_of(t, value)->last_ns = now_ns;
}

uint64_t nfv_ftable_last_ns(const struct nfv_ftable *t, const void *value)
{
	return ent_of(t, value)->last_ns;
}

const struct nfv_ftable_key *nfv_ftable_key_of(const struct nfv_ftable *t,
					       const void *value)
{
	return &ent_of(t, value)->key;
}

static bool live(const struct nfv_ftable *t, const struct ent *e)
{
	const uint8_t *p = (const uint8_t *)e;

	return p >= t->pool && p < t->pool + (size_t)t->capacity * t->stride &&
	       !((size_t)(p - t->pool) % t->stride) && e->used;
}

static void unlink_ent(struct nfv_ftable *t, struct ent *e)
{
	uint32_t idx = idx_of(t, e), bs[2] = { e->h1 & t->mask,
					       e->h2 & t->mask };
	int j, i;

	for (j = 0; j < 2; j++)
		for (i = 0; i < SLOTS; i++)
			if (t->b[bs[j]].s[i].idx == idx + 1) {
				t->b[bs[j]].s[i].idx = 0;
				goto found;
			}
found:
	e->used = 0;
	t->free_idx[t->n_free++] = idx;
	t->st.entries--;
}

int nfv_ftable_delete(struct nfv_ftable *t, void *value)
{
	struct ent *e = value ? ent_of(t, value) : NULL;

	if (!e || !live(t, e))
		return nfv_err(-EINVAL);
	unlink_ent(t, e);
	t->st.deleted++;
	return 0;
}

uint32_t nfv_ftable_expire(struct nfv_ftable *t, uint64_t now_ns,
			   uint32_t budget)
{
	uint32_t n = 0, i;

	if (!t->max_age_ns)
		return 0;
	if (!budget || budget > t->capacity)
		budget = t->capacity;
	for (i = 0; i < budget && t->st.entries; i++) {
		struct ent *e = ent_at(t, t->cursor);

		if (++t->cursor == t->capacity)
			t->cursor = 0;
		if (e->used && now_ns - e->last_ns > t->max_age_ns) {
			unlink_ent(t, e);
			n++;
		}
	}
	t->st.expired += n;
	return n;
}

void *nfv_ftable_next(const struct nfv_ftable *t, const void *prev)
{
	uint32_t i = prev ? idx_of(t, ent_of(t, prev)) + 1 : 0;

	for (; i < t->capacity; i++) {
		struct ent *e = ent_at(t, i);

		if (e->used)
			return e + 1;
	}
	return NULL;
}

void nfv_ftable_stats(const struct nfv_ftable *t, struct nfv_ftable_stats *st)
{
	*st = t->st;
}
