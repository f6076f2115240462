// SPDX-License-Identifier: GPL-2.0
/*
 * The maps-only datapath (dpif.h): nfvd writes the XDP program's BPF
 * maps itself, always map first then mirror (tables.c), so an NF never
 * sees a hop the classifier would not take; NF ids are nfvd's, and the
 * configuration survives restarts in nfvd's state file (state.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <linux/nfv_match.h>

#include "control.h"
#include "dpif.h"
#include "nf.h"
#include "nfvd.h"
#include "restore.h"
#include "segment.h"
#include "stale.h"
#include "tables.h"

/* ---- ports ---- */

static int maps_port_write(struct nfvd *d, struct nfvd_port *p)
{
	struct nfv_port_cfg cfg = {
		.id = p->id,
		.default_chain = p->default_chain,
		.flags = p->flags,
		.decap = p->decap.kind,
		.decap_flags = p->decap.has_vni ? NFV_PORT_DECAP_F_VNI : 0,
		.vxlan_port = htons(p->decap.vxlan_port),
		.vni = p->decap.vni,
	};
	uint32_t key = p->id;

	if (bpf_map_update_elem(d->map_devmap, &key, &p->ifindex, 0))
		pr_debug("nfvd: devmap %s: %s\n", p->name, strerror(errno));
	if (bpf_map_update_elem(d->map_ports, &p->ifindex, &cfg, 0))
		return -errno;
	return tables_port_write(d, p);
}

static void maps_port_clear(struct nfvd *d, struct nfvd_port *p)
{
	uint32_t key = p->id;

	bpf_map_delete_elem(d->map_ports, &p->ifindex);
	bpf_map_delete_elem(d->map_devmap, &key);
	tables_port_clear(d, p);
}

/* ---- chains ---- */

static int tables_chain_write(struct nfvd *d, uint16_t id, const struct nfv_chain *c)
{
	uint32_t key = id;

	if (bpf_map_update_elem(d->map_chains, &key, c, 0))
		return -errno;
	d->tables->chains[id] = *c;
	tables_bump(d);
	nf_chains_changed(d);
	return 0;
}

/* ---- flows: full 5-tuples in nfv_flows, the rest as prefix rules ---- */

static uint16_t port_id_of(struct nfvd *d, uint32_t ifindex)
{
	struct nfvd_port *p = ifindex ? port_find(d, ifindex, NULL) : NULL;

	return p ? p->id : 0;
}

static int tables_flow_write(struct nfvd *d, const struct nfvd_flow *f,
			     bool add)
{
	struct nfv_flow_val v = { .chain = f->chain };
	struct nfv_flow_key k;

	nfv_match_key(&f->m, port_id_of(d, f->m.in_ifindex), &k);
	if (!add)
		return bpf_map_delete_elem(d->map_flows, &k) ? -errno : 0;
	return bpf_map_update_elem(d->map_flows, &k, &v, 0) ? -errno : 0;
}

/*
 * The classifier's mark (nfv_flow_val.used), read and cleared, from the
 * map nfvd made (either backend: nfv.ko writes nfvd's maps).  A frame
 * marking it between the two is not seen: its flow looks idle for one
 * period if it was the period's only frame.
 */
int maps_flow_used(struct nfvd *d, const struct nfvd_flow *f)
{
	struct nfv_flow_val v;
	struct nfv_flow_key k;

	nfv_match_key(&f->m, port_id_of(d, f->m.in_ifindex), &k);
	if (bpf_map_lookup_elem(d->map_flows, &k, &v))
		return -errno;
	if (!v.used)
		return 0;
	v.used = 0;
	if (bpf_map_update_elem(d->map_flows, &k, &v, BPF_EXIST))
		return -errno;
	return 1;
}

/*
 * Rewrite "nfv_rules" from the prefix rules, in the scan order the core
 * gives them (nfv_rules_add()): nfv.ko writes the same array.
 */
int tables_rules_write(struct nfvd *d)
{
	struct nfv_rules rs;
	const struct nfvd_flow *f;
	uint32_t i;
	int err;

	nfv_rules_init(&rs);
	for (f = d->flows; f; f = f->next) {
		if (f->exact)
			continue;
		err = nfv_rules_add(&rs, &f->m, port_id_of(d, f->m.in_ifindex),
				    f->chain);
		if (err)
			return err;
	}
	/* The rules, then the terminator (chain 0) if there is room. */
	for (i = 0; i < NFV_PREFIX_RULES_MAX && i <= (uint32_t)rs.n; i++)
		if (bpf_map_update_elem(d->map_rules, &i, &rs.rule[i], 0))
			return -errno;
	return 0;
}

/* ---- services ---- */

static int maps_service_write(struct nfvd *d, uint16_t sid,
			      const struct nfv_service *s)
{
	uint32_t key = sid;

	return bpf_map_update_elem(d->map_services, &key, s, 0) ? -errno : 0;
}

/* ---- NFs: ids are nfvd's ---- */

static int alloc_id(struct nfvd *d)
{
	int i;

	for (i = 0; i < NFV_NF_MAX - 1; i++) {
		int id = 1 + (d->next_nf_id + i) % (NFV_NF_MAX - 1);

		if (!d->nfs[id].id) {
			d->next_nf_id = (uint16_t)id;
			return id;
		}
	}
	return -ENOSPC;
}

static int maps_nf_open(struct nfvd_req *req, const struct nfvd_nf *back,
			uint16_t service, uint32_t flags, const char *name,
			int *fd)
{
	int id = back ? back->id : alloc_id(req->d);

	*fd = -1;
	if (id < 0)
		REQ_ERR(req, "too many NF instances");
	return id;
}

static int maps_nf_ready(struct nfvd *d, struct nfvd_nf *nf)
{
	return tables_service_add(d, nf->service, nf->id);
}

/* ---- start ---- */

static int maps_open(struct nfvd *d)
{
	return 0;	/* tables_init() loaded the maps */
}

/* Classifiers of a gone nfvd on devices that are not ports any more. */
static void stale_sweep(struct nfvd *d)
{
	struct if_nameindex *ifs = if_nameindex(), *i;

	if (!ifs)
		return;
	for (i = ifs; i->if_index; i++) {
		uint32_t mode = 0;
		int fd;

		if (port_find(d, i->if_index, NULL) ||
		    segment_port(d, i->if_index))
			continue;
		fd = stale_prog_get(i->if_index, &mode);
		if (fd < 0)
			continue;
		close(fd);
		if (!bpf_xdp_detach((int)i->if_index, mode, NULL))
			pr_info("nfvd: %s: detached the classifier of a gone nfvd (not a port any more)\n",
				i->if_name);
	}
	if_freenameindex(ifs);
}

/*
 * The fabric as the state file has it; then classifiers of a gone nfvd
 * on devices that are not ports any more are detached.
 */
static int maps_restore(struct nfvd *d)
{
	int err;

	err = state_restore(d);
	if (err)
		return err;
	stale_sweep(d);
	return 0;
}

const struct nfvd_dp_ops nfvd_dp_maps = {
	.name		= "daemon",
	.open		= maps_open,
	.restore	= maps_restore,
	.port_write	= maps_port_write,
	.port_clear	= maps_port_clear,
	.chain_write	= tables_chain_write,
	.flow_write	= tables_flow_write,
	.rules_write	= tables_rules_write,
	.flow_used	= maps_flow_used,
	.service_write	= maps_service_write,
	.nf_open	= maps_nf_open,
	.nf_ready	= maps_nf_ready,
};
