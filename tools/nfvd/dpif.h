/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The datapath provider: who writes the XDP program's tables, chosen once
 * at start (main.c) and reached only through d->dp, as OVS reaches its
 * dpif providers.
 *
 *   nfvd_dp_maps (dp-maps.c)	  nfvd writes its own BPF maps and keeps
 *				  the configuration in its state file;
 *   nfvd_dp_kernel (dp-kernel.c) nfv.ko is loaded: it writes the maps
 *				  and answers requests about the tables,
 *				  nfvd relays them and serves the module's
 *				  ports and NFs.
 *
 * Either way nfvd owns the mirror NFs read (tables.c), the XSKMAP, the
 * UMEM and the NFs.  An op left NULL has nothing to do for that provider;
 * the table ops (chain_write, flow_write, rules_write) are reached only
 * by requests nfvd answers itself, so never when relay answers them (on
 * nfv.ko, nfvd answers for the flow rules it polices or sweeps: an NF's,
 * one with an idle timeout).
 */
#ifndef __NFVD_DPIF_H
#define __NFVD_DPIF_H

#include <stdbool.h>
#include <stdint.h>

#include "nfvd.h"

struct nfvd_req;

/* open(): no such datapath here, try the next provider. */
#define NFVD_DP_ABSENT	1
/* relay(): not a request about the tables, nfvd answers it. */
#define NFVD_DP_LOCAL	2

struct nfvd_dp_ops {
	const char *name;		/* STATS_GET's backend */

	/* Bind the datapath: 0, NFVD_DP_ABSENT or -errno (said why). */
	int (*open)(struct nfvd *d);
	void (*close)(struct nfvd *d);
	/* The fabric as it was before nfvd (re)started; before NFs come. */
	int (*restore)(struct nfvd *d);
	/* Its events (epoll tag &d->dp_event) are readable. */
	void (*input)(struct nfvd *d);

	/*
	 * A request on nfvd's socket: answered here (like a doit of
	 * struct nfvd_obj) or NFVD_DP_LOCAL.  A dump it started goes on in
	 * dump_next() (1, or its end: 0 or -errno) until dump_stop().
	 */
	int (*relay)(struct nfvd_req *req, uint8_t cmd);
	int (*dump_next)(struct nfvd_req *req);
	void (*dump_stop)(struct nfvd_dump *dp);

	/* The tables: then the mirror (tables.c) says the same. */
	int (*port_write)(struct nfvd *d, struct nfvd_port *p);
	void (*port_clear)(struct nfvd *d, struct nfvd_port *p);
	int (*chain_write)(struct nfvd *d, uint16_t id,
			   const struct nfv_chain *c);
	int (*flow_write)(struct nfvd *d, const struct nfvd_flow *f,
			  bool add);
	/* NULL: flow_write() writes prefix rules too, one by one. */
	int (*rules_write)(struct nfvd *d);
	/*
	 * Whether the datapath has a rule with @f's match: 1, 0, -errno.
	 * NULL: nfvd holds every rule (flows.c) and knows.
	 */
	int (*flow_exists)(struct nfvd *d, const struct nfvd_flow *f);
	/* An NF's rule @f becomes an administrator's; NULL: nothing to do. */
	int (*flow_disown)(struct nfvd *d, const struct nfvd_flow *f);
	/*
	 * Exact rule @f matched a frame since the last call: 1 (and the
	 * mark is cleared), 0 not, -errno.  NULL: no idle timeouts here.
	 */
	int (*flow_used)(struct nfvd *d, const struct nfvd_flow *f);
	int (*service_write)(struct nfvd *d, uint16_t sid,
			     const struct nfv_service *s);

	/*
	 * An NF attaching: its id (@back's, if it was up before nfvd
	 * restarted) or -errno with the request's message; *@fd: a file
	 * to pass it, or -1.  nf_ready() makes it a replica of its service;
	 * nf_release() drops what nf_open() kept of it.
	 */
	int (*nf_open)(struct nfvd_req *req, const struct nfvd_nf *back,
		       uint16_t service, uint32_t flags, const char *name,
		       int *fd);
	int (*nf_ready)(struct nfvd *d, struct nfvd_nf *nf);
	void (*nf_release)(struct nfvd *d, uint16_t id);
};

/* dp-maps.c's, the kernel provider's too: nfvd reads its own map. */
int maps_flow_used(struct nfvd *d, const struct nfvd_flow *f);

extern const struct nfvd_dp_ops nfvd_dp_maps;
extern const struct nfvd_dp_ops nfvd_dp_kernel;

static inline int dp_service_write(struct nfvd *d, uint16_t sid,
				   const struct nfv_service *s)
{
	return d->dp->service_write ? d->dp->service_write(d, sid, s) : 0;
}

static inline void dp_nf_release(struct nfvd *d, uint16_t id)
{
	if (d->dp->nf_release)
		d->dp->nf_release(d, id);
}

static inline void dp_dump_stop(struct nfvd *d, struct nfvd_dump *dp)
{
	if (d->dp->dump_stop)
		d->dp->dump_stop(dp);
}

#endif /* __NFVD_DPIF_H */
