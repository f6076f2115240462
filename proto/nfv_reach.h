/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which services an NF may hand frames to, and which ports it may
 * transmit on, as the chains say.  One rule for both sides: nfvd grants
 * peer doorbells and segments and creates tx sockets by it, NFs choose
 * which lanes to look at by it.
 *
 * An NF of service S at hop i of a chain hands a frame on (NFV_NEXT) to
 * the tap services of the hops after i and to the first service or port
 * (an out or an nsh hop) after those.  A chain that allows overrides (no NFV_CHAIN_F_NO_OVERRIDE)
 * lets its NFs send a frame to any service (NFV_TO_SERVICE) or port
 * (NFV_OUT), and the NF that gets it goes on along *that* chain: with one
 * such chain in the tables, every NF may reach every service and port.
 */
#ifndef __NFV_REACH_H
#define __NFV_REACH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <linux/nfv.h>

struct nfv_reach {
	bool any;			/* every service and every port */
	uint32_t ports;			/* bit per port id */
	uint64_t svcs[(NFV_SERVICE_MAX + 64) / 64];
};

static inline void nfv_reach_svc_set(struct nfv_reach *r, uint16_t s)
{
	if (s && s <= NFV_SERVICE_MAX)
		r->svcs[s / 64] |= 1ULL << (s % 64);
}

static inline bool nfv_reach_has_svc(const struct nfv_reach *r, uint16_t s)
{
	if (!s || s > NFV_SERVICE_MAX)
		return false;
	return r->any || (r->svcs[s / 64] >> (s % 64) & 1);
}

static inline bool nfv_reach_has_port(const struct nfv_reach *r, uint16_t p)
{
	if (!p || p >= NFV_PORT_MAX)
		return false;
	return r->any || (r->ports >> p & 1);
}

/* A chain as the tables hold it, hop count clamped. */
static inline int nfv_chain_hops(const struct nfv_chain *c)
{
	return c->n_hops > NFV_HOPS_MAX ? NFV_HOPS_MAX : c->n_hops;
}

static inline bool nfv_chains_allow_override(const struct nfv_chain *chains)
{
	int i;

	for (i = 1; i <= NFV_CHAIN_MAX; i++)
		if (chains[i].n_hops &&
		    !(chains[i].flags & NFV_CHAIN_F_NO_OVERRIDE))
			return true;
	return false;
}

/*
 * Where the hops after @i of chain @c lead: taps, then the first
 * service or port; added to @r.
 */
static inline void nfv_reach_after(const struct nfv_chain *c, int i,
				   struct nfv_reach *r)
{
	int j, n = nfv_chain_hops(c);

	for (j = i + 1; j < n; j++) {
		const struct nfv_hop *h = &c->hops[j];

		if (h->type == NFV_HOP_TAP) {
			nfv_reach_svc_set(r, h->arg);
			continue;
		}
		if (h->type == NFV_HOP_SERVICE)
			nfv_reach_svc_set(r, h->arg);
		else if ((h->type == NFV_HOP_OUT || h->type == NFV_HOP_NSH) &&
			 h->arg < NFV_PORT_MAX)
			r->ports |= 1u << h->arg;
		break;
	}
}

/* What an NF of service @svc may reach. */
static inline void nfv_reach_of(const struct nfv_chain *chains, uint16_t svc,
				struct nfv_reach *r)
{
	int i, k;

	memset(r, 0, sizeof(*r));
	if (nfv_chains_allow_override(chains)) {
		r->any = true;
		return;
	}
	for (i = 1; i <= NFV_CHAIN_MAX; i++) {
		const struct nfv_chain *c = &chains[i];

		for (k = 0; k < nfv_chain_hops(c); k++)
			if (c->hops[k].type == NFV_HOP_SERVICE &&
			    c->hops[k].arg == svc)
				nfv_reach_after(c, k, r);
	}
}

/*
 * The services whose NFs may hand frames to service @svc (bit per
 * service in @r->svcs; @r->any: all of them).
 */
static inline void nfv_senders_of(const struct nfv_chain *chains,
				  uint16_t svc, struct nfv_reach *r)
{
	int i, k;

	memset(r, 0, sizeof(*r));
	if (nfv_chains_allow_override(chains)) {
		r->any = true;
		return;
	}
	for (i = 1; i <= NFV_CHAIN_MAX; i++) {
		const struct nfv_chain *c = &chains[i];

		for (k = 0; k < nfv_chain_hops(c); k++) {
			struct nfv_reach after;

			if (c->hops[k].type != NFV_HOP_SERVICE)
				continue;
			memset(&after, 0, sizeof(after));
			nfv_reach_after(c, k, &after);
			if (nfv_reach_has_svc(&after, svc))
				nfv_reach_svc_set(r, c->hops[k].arg);
		}
	}
}

#endif /* __NFV_REACH_H */
