// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Other NFs, as this one sees them: their segments (mapped read-only:
 * nfvd sealed them before handing them out), their doorbells, the lanes
 * between us, and which of them may send to us.
 *
 * A peer's segment and doorbell come from nfvd (NFV_CMD_NF_GET) once per
 * incarnation of the peer's id, and only if the chains connect us
 * (proto/nfv_reach.h): nfvd checks the same rule.  A lane is (re)started
 * whenever the other end's generation changes (proto/nfv_lane.h: index
 * words are tagged).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "internal.h"
#include "nfv_reach.h"

static void peer_unmap(struct nfv *nf, struct nfv_peer *p)
{
	if (p->seg && p->seg != nf->seg)
		munmap((void *)p->seg, nf->lay.size);
	if (p->doorbell >= 0)
		close(p->doorbell);
	p->seg = NULL;
	p->doorbell = -1;
	p->refused = false;
}

void nfv_peers_drop(struct nfv *nf)
{
	int i;

	for (i = 0; nf->peers && i < NFV_NF_MAX; i++)
		peer_unmap(nf, &nf->peers[i]);
	if (nf->in_lanes)
		memset(nf->in_lanes, 0, NFV_NF_MAX * sizeof(*nf->in_lanes));
	if (nf->out_lanes)
		memset(nf->out_lanes, 0, NFV_NF_MAX * sizeof(*nf->out_lanes));
	nf->n_upstream = 0;
	nf->tables_gen = 0;
}

/* NF @id of the current generation, mapped; NULL if nfvd says no. */
struct nfv_peer *nfv_peer_get(struct nfv *nf, int id)
{
	struct nfv_peer *p = &nf->peers[id];
	uint32_t gen = __atomic_load_n(&nf->tables->nfs[id].gen,
				       __ATOMIC_ACQUIRE);
	char buf[NFV_MSG_MAX], reply[NFV_MSG_MAX];
	int fds[2], n = 0, err;
	struct nlmsghdr *nlh;
	struct stat st;
	void *seg;

	if (p->gen == gen && (p->seg || p->refused))
		return p->seg ? p : NULL;
	peer_unmap(nf, p);
	p->gen = gen;
	if (id == nf->id) {
		/* Our own lane to ourselves (an override to our service). */
		p->seg = nf->seg;
		p->doorbell = -1;
		return p;
	}
	nlh = nfv_msg_start(buf, NFV_CMD_NF_GET, 0, ++nf->seq);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, (uint16_t)id);
	mnl_attr_put_u32(nlh, NFV_A_NF_DOORBELL, gen);
	err = nfv_ctl_request(nf, nlh, fds, &n, 2, reply, sizeof(reply));
	if (err == -ETIMEDOUT || err == -EINTR) {
		p->gen = 0;	/* no answer is no refusal: ask again */
		return NULL;
	}
	if (err || n != 2) {
		while (!err && n)
			close(fds[--n]);
		p->refused = true;
		return NULL;
	}
	seg = MAP_FAILED;
	if (!fstat(fds[1], &st) && (uint64_t)st.st_size >= nf->lay.size)
		seg = mmap(NULL, nf->lay.size, PROT_READ, MAP_SHARED, fds[1], 0);
	close(fds[1]);
	if (seg == MAP_FAILED) {
		close(fds[0]);
		p->refused = true;
		return NULL;
	}
	p->seg = seg;
	p->doorbell = fds[0];
	return p;
}

/* Lane to consumer @c, (re)started for its current incarnation. */
struct nfv_lane_tx *nfv_out_lane(struct nfv *nf, int c)
{
	struct nfv_lane_tx *l = &nf->out_lanes[c];
	struct nfv_peer *p = nfv_peer_get(nf, c);

	if (!p)
		return NULL;
	if (!l->prod_word || l->peer_gen != p->gen)
		nfv_lane_tx_init(l, nf->seg + nf->lay.lanes +
				    (uint64_t)c * NFV_LANE_STRIDE,
				 (const uint64_t *)(p->seg + nf->lay.in_cons +
						    (uint64_t)nf->id *
						    NFV_CACHELINE),
				 nf->gen, p->gen);
	return l;
}

/* Lane from producer @id, (re)started for its current incarnation. */
struct nfv_lane_rx *nfv_in_lane(struct nfv *nf, int id)
{
	struct nfv_lane_rx *l = &nf->in_lanes[id];
	struct nfv_peer *p = nfv_peer_get(nf, id);

	if (!p)
		return NULL;
	if (!l->prod_word || l->peer_gen != p->gen)
		nfv_lane_rx_init(l, p->seg + nf->lay.lanes +
				    (uint64_t)nf->id * NFV_LANE_STRIDE,
				 (uint64_t *)(nf->seg + nf->lay.in_cons +
					      (uint64_t)id * NFV_CACHELINE),
				 nf->gen, p->gen);
	return l;
}

/*
 * The tables changed: which NFs may send to us now.  A producer that
 * died stays in the set while it is in the tables (its lane may still
 * hold frames for us: nfvd frees its id only once we took them).
 */
void nfv_upstream_update(struct nfv *nf)
{
	uint32_t gen = __atomic_load_n(&nf->tables->gen, __ATOMIC_ACQUIRE);
	struct nfv_reach senders;
	int i, n = 0;

	nf->tables_gen = gen;
	/* What nfvd refused under the old tables it may grant now. */
	for (i = 0; i < NFV_NF_MAX; i++)
		nf->peers[i].refused = false;
	nfv_senders_of(nf->tables->chains, (uint16_t)nf->service, &senders);
	for (i = 1; i < NFV_NF_MAX; i++) {
		const struct nfv_tables_nf *t = &nf->tables->nfs[i];
		uint32_t state = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);

		if (state != NFV_NF_STATE_UP && state != NFV_NF_STATE_DEAD)
			continue;
		if (!nfv_reach_has_svc(&senders, t->service))
			continue;
		/* Read-only NFs map nothing of others writable: fine. */
		if (nfv_in_lane(nf, i))
			nf->upstream[n++] = (uint16_t)i;
	}
	nf->n_upstream = n;
}
