/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libnfv flow table: the one per-flow state table of every stateful NF.
 *
 *	struct nfv_ftable *t = nfv_ftable_create(65536, sizeof(struct v), age);
 *	v = nfv_ftable_insert(t, &key, pkt->meta->hash, now);  find or add
 *	v = nfv_ftable_lookup(t, &key, hint);                  find only
 *	nfv_ftable_delete(t, v);
 *	nfv_ftable_expire(t, now, budget);                     forget idle ones
 *	for (v = NULL; (v = nfv_ftable_next(t, v)); ) ...      every entry
 *
 * Entries: a fixed-size value per flow, keyed by struct nfv_ftable_key
 * (the 5-tuple, the family and, for frames a decap port unwrapped, the
 * VLAN id or VNI).  All memory is allocated by nfv_ftable_create(): a
 * pool of exactly @capacity entries, an index and a hint cache of 8
 * slots (4 bytes each) an entry; inserting never allocates.  A value's address is stable from its insertion to its
 * deletion.  The key is compared as bytes: build it zeroed (pad too).
 * Symmetric use (one entry for both directions) is the caller's choice:
 * order the endpoints before building the key.
 *
 * DOC: Hashing and flooding
 *
 * Where an entry lives depends only on SipHash-1-3 of its key under a
 * 128-bit key drawn from getrandom() for each table (nfv_ftable_hash()):
 * a bucketised two-choice (cuckoo) index, buckets of
 * NFV_FTABLE_BUCKET_SLOTS slots (one cache line), power-of-two many, at
 * most half full when the pool is.  A key is in one of its two buckets;
 * an insert into two full buckets tries to move one of their 16 entries
 * to its other bucket (one move, no chain), then is refused (EBUSY).
 * Every operation is bounded: two buckets, 16 key compares, 16 more
 * bucket scans when making room, whatever the keys.
 *
 * The classifier's flow hash (nfv_xdp_meta.hash, the @hint) is used only
 * as the index of a hint cache: hint -> the entry last found or added
 * with it.  A hit there (the entry is live and its key equal) skips the
 * keyed hash; anything else falls back to it.  The classifier's hash is
 * not keyed (bpf/nfv_xdp.bpf.c flow_hash(): a fixed mix over the tuple,
 * 32 bits), so anyone can find tuples sharing one value offline, as
 * many as wanted; it is not even a function of an NF's key (the first
 * fragment of a datagram hashes without ports, an upstream NAT rewrites
 * the tuple but not the hash).  Placing entries by it would let a sender
 * fill the buckets of a victim's flow and have that flow refused, or
 * split one flow in two; used as a cache it can cost a colliding sender
 * at most the keyed hash per frame (measured by the flood test of
 * selftests/libnfv_ftable.c), and refusals need collisions in SipHash,
 * which its sender cannot compute.  (Keying a re-hash of the 32-bit hint
 * would not do: equal hints stay equal under any key.)
 *
 * Locking: none; one thread owns a table (an NF's loop).
 */
#ifndef __NFV_FTABLE_H
#define __NFV_FTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Slots per bucket; an operation looks at two buckets. */
#define NFV_FTABLE_BUCKET_SLOTS	8
/* @hint value meaning "none": go straight to the keyed hash. */
#define NFV_FTABLE_NO_HINT	((uint64_t)1 << 32)

/**
 * struct nfv_ftable_key - what identifies a flow
 * @src: source address; IPv4 in the first 4 bytes, the rest zero
 * @dst: destination address, the same way
 * @sport: source port, network byte order, 0 if the protocol has none
 * @dport: destination port, the same way
 * @proto: IPPROTO_*
 * @family: 4 or 6
 * @flags: NFV_FTABLE_KEY_F_*
 * @pad: zero
 * @decap_id: the VLAN id or VNI of a decapsulated frame, else 0
 *
 * Compared as 44 bytes: zero the whole key before filling it in.
 */
struct nfv_ftable_key {
	__u8	src[16];
	__u8	dst[16];
	__be16	sport;
	__be16	dport;
	__u8	proto;
	__u8	family;
	__u8	flags;
	__u8	pad;
	__u32	decap_id;
};

enum {
	/* The frame came through a decap port (decap_id is meaningful). */
	NFV_FTABLE_KEY_F_DECAP	= 1 << 0,
};

/**
 * struct nfv_ftable_stats - counters of one table
 * @entries: entries now in the table
 * @capacity: the most it holds (nfv_ftable_create()'s @capacity)
 * @inserts: entries added
 * @hits: lookups and inserts that found their key
 * @misses: lookups and inserts that did not
 * @refusals: inserts refused: @capacity reached, or both buckets full
 * @refused_full: ...of which because @capacity was reached (ENOSPC)
 * @expired: entries removed by nfv_ftable_expire()
 * @deleted: entries removed by nfv_ftable_delete()
 * @moves: entries moved to their other bucket to make room
 */
struct nfv_ftable_stats {
	__u64	entries;
	__u64	capacity;
	__u64	inserts;
	__u64	hits;
	__u64	misses;
	__u64	refusals;
	__u64	refused_full;
	__u64	expired;
	__u64	deleted;
	__u64	moves;
};

struct nfv_ftable;

/**
 * nfv_ftable_create() - allocate a table and all its memory
 * @capacity: entries it holds at most, 1 to 1 << 26
 * @value_size: bytes of each entry's value (zeroed on insert), at most 64 KiB
 * @max_age_ns: nfv_ftable_expire() removes entries not inserted (touched)
 *	for longer than this; 0: never
 *
 * Return: the table, or NULL with errno EINVAL, ENOMEM, or what
 * getrandom() failed with.
 */
struct nfv_ftable *nfv_ftable_create(uint32_t capacity, uint32_t value_size,
				     uint64_t max_age_ns);

/** nfv_ftable_free() - free @t and every entry; NULL is fine. */
void nfv_ftable_free(struct nfv_ftable *t);

/**
 * nfv_ftable_lookup() - the value of @key
 * @t: the table
 * @key: the key, zero-padded
 * @hint: a 32-bit value that usually comes with @key, such as the
 *	classifier's hash pkt->meta->hash (see DOC above), or
 *	NFV_FTABLE_NO_HINT; a wrong one costs time, never a wrong answer
 *
 * Does not touch the entry's age.
 *
 * Return: the value, or NULL with errno ENOENT.
 */
void *nfv_ftable_lookup(struct nfv_ftable *t, const struct nfv_ftable_key *key,
			uint64_t hint);

/**
 * nfv_ftable_insert() - the value of @key, added (zeroed) if missing
 * @t: the table
 * @key: the key, zero-padded
 * @hint: as for nfv_ftable_lookup()
 * @now_ns: the entry's last-seen time from now on (any clock, as long as
 *	nfv_ftable_expire() gets the same one)
 *
 * @created (may be NULL) is set to whether the entry is new.
 *
 * Return: the value, or NULL with errno ENOSPC (@capacity entries
 * already) or EBUSY (both buckets of @key full: the probe bound).
 */
void *nfv_ftable_insert(struct nfv_ftable *t, const struct nfv_ftable_key *key,
			uint64_t hint, uint64_t now_ns, bool *created);

/**
 * nfv_ftable_prefetch() - start loading what a lookup by @hint touches
 * @t: the table
 * @hint: the hint a lookup or insert will be given soon
 * @stage: 0: the hint cache's slot; 1: the entry it names (reads the
 *	slot: call stage 0 on a whole batch first)
 *
 * For a batch (nfv_run_opts::batch): stage 0 on every frame's hint, then
 * stage 1 on every one, then the lookups: the misses of a batch overlap.
 * Cheap and harmless for a hint the table has not seen.
 */
void nfv_ftable_prefetch(const struct nfv_ftable *t, uint64_t hint,
			 int stage);

/** nfv_ftable_touch() - set the last-seen time of @value's entry. */
void nfv_ftable_touch(struct nfv_ftable *t, void *value, uint64_t now_ns);

/** nfv_ftable_last_ns() - the last-seen time of @value's entry. */
uint64_t nfv_ftable_last_ns(const struct nfv_ftable *t, const void *value);

/** nfv_ftable_key_of() - the key of @value's entry. */
const struct nfv_ftable_key *nfv_ftable_key_of(const struct nfv_ftable *t,
					       const void *value);

/**
 * nfv_ftable_delete() - remove the entry of @value (from a lookup,
 * an insert or nfv_ftable_next())
 *
 * Return: 0, or -EINVAL if @value is not a live entry of @t.
 */
int nfv_ftable_delete(struct nfv_ftable *t, void *value);

/**
 * nfv_ftable_expire() - remove entries idle for more than max_age_ns
 * @t: the table
 * @now_ns: the time now, on the clock of the inserts
 * @budget: entries to examine at most, resuming where the last call
 *	stopped (round robin over the pool); 0: all of them
 *
 * Return: how many entries were removed.
 */
uint32_t nfv_ftable_expire(struct nfv_ftable *t, uint64_t now_ns,
			   uint32_t budget);

/**
 * nfv_ftable_next() - iterate: the value after @prev (NULL: the first)
 *
 * Order: the pool's (stable while entries are neither added nor
 * removed).  Deleting @prev before the next call is allowed.
 *
 * Return: the next value or NULL at the end.
 */
void *nfv_ftable_next(const struct nfv_ftable *t, const void *prev);

/** nfv_ftable_stats() - copy @t's counters to @st. */
void nfv_ftable_stats(const struct nfv_ftable *t, struct nfv_ftable_stats *st);

/**
 * nfv_ftable_hash() - the keyed hash of @key under @t's secret (64 bits)
 *
 * Its high 32 bits choose a key's first bucket, its low 32 bits the
 * second.  SipHash-1-3 under a key drawn for each table.
 */
uint64_t nfv_ftable_hash(const struct nfv_ftable *t,
			 const struct nfv_ftable_key *key);

/**
 * nfv_ftable_buckets() - how many buckets @t's index has (a power of two;
 * bucket of a hash h: h & (buckets - 1)).  For tests and tools.
 */
uint32_t nfv_ftable_buckets(const struct nfv_ftable *t);

#ifdef __cplusplus
}
#endif

#endif /* __NFV_FTABLE_H */
