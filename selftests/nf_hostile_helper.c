// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately hostile NF for selftests/hostile.sh: it attaches like any
 * NF, takes real frames, then writes every kind of bogus descriptor it can
 * into the rings it shares with nfvd and with another NF, and waits to be
 * killed.  Everything it writes must be counted and dropped, never
 * followed; after it dies, every frame must be back.
 *
 *   nf_hostile_helper SOCKET SID TARGET_SID
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

static void ret_push(struct nfv *nf, uint64_t addr)
{
	if (!nfv_ring_free(&nf->ret, 1))
		return;
	*nfv_ring_addr(&nf->ret, nf->ret.cached_prod) = addr;
	nf->ret.cached_prod++;
}

static void lane_push(struct nfv *nf, struct nfv_ring *r, uint64_t addr,
		      uint32_t len, uint16_t flags)
{
	struct nfv_desc *d;

	if (!nfv_ring_free(r, 1))
		return;
	d = nfv_ring_desc(r, r->cached_prod);
	d->addr = addr;
	d->len = len;
	d->hop = 1;
	d->flags = flags;
	r->cached_prod++;
}

int main(int argc, char **argv)
{
	LIBNFV_OPTS(opts, .name = "hostile");
	struct nfv_pkt pkts[64];
	struct nfv_ring lane;
	uint64_t fs, size, held[64];
	int n, i, got = 0, target = 0, bad = 0;
	struct nfv *nf;

	if (argc < 4)
		return 2;
	opts.socket_path = argv[1];
	nf = nfv_init(atoi(argv[2]), &opts);
	if (!nf)
		return 1;
	fs = nf->frame_size;
	size = (uint64_t)nf->n_frames * fs;
	printf("attached id %d\n", nf->id);
	fflush(stdout);

	/* Hold some real frames first (wake-ups without frames happen:
	 * nfvd sends new sockets when ports come and go).
	 */
	for (i = 0; got < 8 && i < 100; i++) {
		int k;

		n = nfv_rx_burst(nf, pkts, 8 - got, 200);
		if (n < 0)
			break;
		for (k = 0; k < n; k++)
			held[got++] = pkts[k].addr;
	}
	while (0) {
		n = 0;
		for (i = 0; i < n; i++)
			held[got++] = pkts[i].addr;
	}
	printf("holding %d frames\n", got);
	fflush(stdout);

	/* Return ring: out of range, unaligned, not held, double return. */
	ret_push(nf, size + fs);		bad++;
	ret_push(nf, ~0ULL & ~(fs - 1));	bad++;
	ret_push(nf, fs + 7);			bad++;
	ret_push(nf, 0);			bad++;	/* not held */
	if (got >= 2) {
		ret_push(nf, held[0] & ~(fs - 1));
		ret_push(nf, held[0] & ~(fs - 1));	bad++;	/* double */
	}
	nfv_ring_submit(&nf->ret);
	sleep(1);
	/* Then an index that jumps far beyond the ring. */
	__atomic_store_n(&nf->priv->ret.prod, nf->ret.cached_prod + 100000,
			 __ATOMIC_RELEASE);
	bad++;

	/* Lane to a replica of TARGET_SID: bogus descriptors. */
	{
		const struct nfv_service *svc =
			&nf->tables->services[atoi(argv[3])];

		if (svc->n_live)
			target = svc->replicas[0];
	}
	if (target) {
		nfv_ring_init(&lane, nfv_lane_hdr(nf->handoff, target, nf->id),
			      nfv_lane_descs(nf->handoff, target, nf->id),
			      NFV_LANE_SIZE);
		lane_push(nf, &lane, size + fs + 256, 60, 0);	/* range */
		lane_push(nf, &lane, 2 * fs + 4, 60, 0);	/* no meta */
		lane_push(nf, &lane, 3 * fs + 256, fs, 0);	/* too long */
		lane_push(nf, &lane, 4 * fs + 256, 60, 0);	/* not held */
		lane_push(nf, &lane, 5 * fs + 256, 8, 0);	/* runt */
		nfv_ring_submit(&lane);
		__atomic_fetch_or(&nfv_inbox(nf->handoff, target)->pending[nf->id / 64],
				  1ULL << (nf->id % 64), __ATOMIC_SEQ_CST);
		printf("lane: 5 bogus descriptors to nf %d\n", target);
		fflush(stdout);
		sleep(1);
		/* And a producer index that jumps. */
		__atomic_store_n(&nfv_lane_hdr(nf->handoff, target, nf->id)->prod,
				 lane.cached_prod + 5000, __ATOMIC_RELEASE);
		__atomic_fetch_or(&nfv_inbox(nf->handoff, target)->pending[nf->id / 64],
				  1ULL << (nf->id % 64), __ATOMIC_SEQ_CST);
	}
	printf("return ring: %d bogus entries\n", bad);
	fflush(stdout);
	pause();
	return 0;
}
