// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An NF instance: nfv_init() attaches it to nfvd (attach.c) as a replica
 * of a service, nfv_close() lets it go; what it is (id, service) and
 * what it can see of the fabric (ports, chains).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "internal.h"

/* Attach refused with EAGAIN (see nfv_init()): 50 x 10 ms. */
#define ATTACH_AGAIN_TRIES	50
#define ATTACH_AGAIN_US		10000

struct nfv *nfv_init(int service, const struct nfv_opts *opts)
{
	const char *path, *name;
	struct nfv *nf;
	int err, i;

	if (!OPTS_VALID(opts, nfv_opts))
		return nfv_err_ptr(-EINVAL);
	if (service < 1 || service > NFV_SERVICE_MAX) {
		pr_warn("nfv: service id %d out of range 1..%d\n", service,
			NFV_SERVICE_MAX);
		return nfv_err_ptr(-EINVAL);
	}
	nf = calloc(1, sizeof(*nf));
	if (!nf)
		return nfv_err_ptr(-ENOMEM);
	err = nfv_handle_add(nf);
	if (err) {
		free(nf);
		return nfv_err_ptr(err);
	}
	nf->ctl = nf->doorbell = nf->nfvd_doorbell = nf->nf_dev = -1;
	nf->service = service;
	nf->batch = OPTS_GET(opts, batch_size, 0) ?: 64;
	if (nf->batch > NFV_BATCH_MAX)
		nf->batch = NFV_BATCH_MAX;
	nf->busy_poll = OPTS_GET(opts, busy_poll, false);
	if (nf->busy_poll)
		nf->flags |= NFV_NF_F_BUSY_POLL;
	if (OPTS_GET(opts, readonly, false))
		nf->flags |= NFV_NF_F_READONLY;
	nfv_sched_init(nf, OPTS_GET(opts, sched_keep, false));
	name = OPTS_GET(opts, name, NULL);
	if (name)
		snprintf(nf->name, sizeof(nf->name), "%s", name);
	path = OPTS_GET(opts, socket_path, NULL) ?: getenv("NFV_SOCKET");
	if (!path)
		path = NFV_DEFAULT_SOCKET;

	nf->in_lanes = calloc(NFV_NF_MAX, sizeof(*nf->in_lanes));
	nf->out_lanes = calloc(NFV_NF_MAX, sizeof(*nf->out_lanes));
	nf->peers = calloc(NFV_NF_MAX, sizeof(*nf->peers));
	if (!nf->in_lanes || !nf->out_lanes || !nf->peers) {
		nfv_close(nf);
		return nfv_err_ptr(-ENOMEM);
	}
	for (i = 0; i < NFV_NF_MAX; i++)
		nf->peers[i].doorbell = -1;
	err = nfv_nf_attach(nf, path);
	/* EAGAIN: nfv.ko gave us the id of an NF that just died and nfvd
	 * is still reclaiming its frames (a 20 ms grace): ask again.
	 */
	for (i = 0; err == -EAGAIN && i < ATTACH_AGAIN_TRIES; i++) {
		nfv_drop_attach(nf);
		if (nf->umem)
			munmap(nf->umem, nf->umem_size);
		nf->umem = NULL;
		usleep(ATTACH_AGAIN_US);
		err = nfv_nf_attach(nf, path);
	}
	if (err) {
		pr_warn("nfv: cannot attach to nfvd at %s: %s\n", path,
			strerror(-err));
		nfv_close(nf);
		return nfv_err_ptr(err);
	}
	return nf;
}

void nfv_close(struct nfv *nf)
{
	if (!nf)
		return;
	nfv_handle_del(nf);	/* nfv_stop() from a signal: hands off */
	nfv_sched_close(nf);
	nfv_drop_attach(nf);
	if (nf->umem)
		munmap(nf->umem, nf->umem_size);
	free(nf->in_lanes);
	free(nf->out_lanes);
	free(nf->peers);
	free(nf->offload_said);
	free(nf->rule_q);
	free(nf->counters);
	free(nf);
}

int nfv_id(const struct nfv *nf)
{
	return nf ? nf->id : nfv_err(-EINVAL);
}

int nfv_service(const struct nfv *nf)
{
	return nf ? nf->service : nfv_err(-EINVAL);
}

int nfv_port_by_name(const struct nfv *nf, const char *ifname)
{
	int i;

	if (!nf || !ifname)
		return nfv_err(-EINVAL);
	for (i = 1; i < NFV_PORT_MAX; i++) {
		const struct nfv_tables_port *p = &nf->tables->ports[i];

		if (p->ifindex && !strncmp(p->name, ifname, sizeof(p->name)))
			return i;
	}
	return nfv_err(-ENOENT);
}

bool nfv_pkt_may_override(const struct nfv *nf, const struct nfv_pkt *pkt)
{
	if (!nf || !pkt || pkt->meta->chain > NFV_CHAIN_MAX)
		return false;
	return !(nf->tables->chains[pkt->meta->chain].flags &
		 NFV_CHAIN_F_NO_OVERRIDE);
}
