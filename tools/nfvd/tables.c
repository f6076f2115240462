// SPDX-License-Identifier: GPL-2.0
/*
 * The tables the XDP program reads (BPF maps) and their read-only mirror
 * for NFs (struct nfv_tables in a sealed memfd).
 *
 * Writer: nfvd, on the event loop thread.  The datapath provider
 * (dpif.h) writes ports, services, chains and flows into the maps (nfvd
 * itself, or nfv.ko), then the mirror says the same; nfvd alone writes
 * nfv_xsks.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <linux/nfv_buckets.h>

#include "dpif.h"
#include "nfvd.h"
#include "tables.h"
#include "umem.h"

static int map_fd(struct nfvd *d, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(d->obj, name);

	if (!m) {
		pr_warn("nfvd: %s: no map %s\n", d->cfg.bpf_obj, name);
		return -ENOENT;
	}
	return bpf_map__fd(m);
}

static int shm_create(const char *name, size_t size, int *fd, void **map)
{
	*fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (*fd < 0)
		return -errno;
	if (ftruncate(*fd, (off_t)size))
		return -errno;
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	if (*map == MAP_FAILED) {
		*map = NULL;
		return -errno;
	}
	return 0;
}

static int load_bpf(struct nfvd *d)
{
	struct bpf_program *prog;
	struct bpf_map *flows, *m;
	int err;

	d->obj = bpf_object__open_file(d->cfg.bpf_obj, NULL);
	if (!d->obj) {
		err = -errno;
		pr_warn("nfvd: cannot open %s: %s\n", d->cfg.bpf_obj,
			strerror(-err));
		return err;
	}
	flows = bpf_object__find_map_by_name(d->obj, "nfv_flows");
	if (flows && bpf_map__set_max_entries(flows, d->cfg.flows))
		return -EINVAL;
	err = bpf_object__load(d->obj);
	if (err) {
		pr_warn("nfvd: cannot load %s: %s\n", d->cfg.bpf_obj,
			strerror(-err));
		return err;
	}
	prog = bpf_object__find_program_by_name(d->obj, "nfv_xdp");
	if (!prog)
		return -ENOENT;
	d->prog_fd = bpf_program__fd(prog);
	d->map_ports = map_fd(d, "nfv_ports");
	d->map_chains = map_fd(d, "nfv_chains");
	d->map_services = map_fd(d, "nfv_services");
	d->map_flows = map_fd(d, "nfv_flows");
	d->map_rules = map_fd(d, "nfv_rules");
	d->map_xsks = map_fd(d, "nfv_xsks");
	d->map_stats = map_fd(d, "nfv_xdp_stats");
	d->map_devmap = map_fd(d, "nfv_devmap");
	m = bpf_object__find_map_by_name(d->obj, "nfv_segs");
	d->map_segs = m ? bpf_map__fd(m) : -1;
	if (d->map_ports < 0 || d->map_chains < 0 || d->map_services < 0 ||
	    d->map_flows < 0 || d->map_rules < 0 || d->map_xsks < 0 ||
	    d->map_stats < 0 || d->map_devmap < 0)
		return -ENOENT;
	return 0;
}

int tables_init(struct nfvd *d)
{
	int err;

	err = load_bpf(d);
	if (err)
		return err;

	d->tables_size = (sizeof(struct nfv_tables) + 4095) & ~4095UL;
	err = shm_create("nfv-tables", d->tables_size, &d->tables_fd,
			 (void **)&d->tables);
	if (err)
		return err;
	d->tables->magic = NFV_SHM_MAGIC;
	d->tables->version = NFV_SHM_VERSION;
	d->tables->n_frames = d->cfg.frames;
	d->tables->frame_size = d->cfg.frame_size;
	/* From now on nobody can map it writable: NFs only read it. */
	if (fcntl(d->tables_fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE |
		  F_SEAL_SEAL))
		return -errno;
	umem_shm_protect(d->tables_fd);
	/* Every NF's segment has this layout; nobody reads it from memory. */
	nfv_seg_layout(&d->lay, d->cfg.frames);
	return 0;
}

void tables_fini(struct nfvd *d)
{
	if (d->tables)
		munmap(d->tables, d->tables_size);
	if (d->tables_fd >= 0)
		close(d->tables_fd);
	bpf_object__close(d->obj);
}

void tables_bump(struct nfvd *d)
{
	__atomic_add_fetch(&d->tables->gen, 1, __ATOMIC_RELEASE);
}

/* The mirror of port @p, which the datapath has (dpif.h). */
int tables_port_write(struct nfvd *d, struct nfvd_port *p)
{
	struct nfv_tables_port *tp = &d->tables->ports[p->id];

	tp->n_queues = p->n_queues;
	tp->flags = (uint16_t)p->flags;
	snprintf(tp->name, sizeof(tp->name), "%s", p->name);
	__atomic_store_n(&tp->ifindex, p->ifindex, __ATOMIC_RELEASE);
	tables_bump(d);
	return 0;
}

void tables_port_clear(struct nfvd *d, struct nfvd_port *p)
{
	memset(&d->tables->ports[p->id], 0, sizeof(d->tables->ports[0]));
	tables_bump(d);
}

static int service_commit(struct nfvd *d, uint16_t sid, struct nfv_service *s)
{
	int err;

	s->gen++;
	err = dp_service_write(d, sid, s);
	if (err)
		return err;
	d->tables->services[sid] = *s;
	tables_bump(d);
	return 0;
}

int tables_service_set(struct nfvd *d, uint16_t sid,
		       const struct nfv_service *s)
{
	struct nfv_service copy = *s;

	return service_commit(d, sid, &copy);
}

int tables_service_add(struct nfvd *d, uint16_t sid, uint16_t nf)
{
	struct nfv_service s = d->tables->services[sid];
	int err = nfv_replica_add(&s, nf);

	/* 1: already there, an NF back after a restart, its buckets kept. */
	if (err)
		return err < 0 ? err : 0;
	return service_commit(d, sid, &s);
}

void tables_service_del(struct nfvd *d, uint16_t sid, uint16_t nf)
{
	struct nfv_service s = d->tables->services[sid];

	if (nfv_replica_del(&s, nf))
		return;
	service_commit(d, sid, &s);
}

void tables_nf_write(struct nfvd *d, struct nfvd_nf *nf)
{
	struct nfv_tables_nf *t = &d->tables->nfs[nf->id];

	t->service = nf->service;
	t->flags = (uint16_t)nf->flags;
	t->pid = (uint32_t)nf->pid;
	__atomic_store_n(&t->state, nf->state, __ATOMIC_RELEASE);
	tables_bump(d);
}

int tables_xsk_set(struct nfvd *d, uint16_t nf, uint16_t port, uint16_t queue,
		   int fd)
{
	uint32_t key = NFV_XSK_SLOT(nf, port, queue);

	return bpf_map_update_elem(d->map_xsks, &key, &fd, 0) ? -errno : 0;
}

void tables_xsk_clear(struct nfvd *d, uint16_t nf, uint16_t port,
		      uint16_t queue)
{
	uint32_t key = NFV_XSK_SLOT(nf, port, queue);

	bpf_map_delete_elem(d->map_xsks, &key);
}

int tables_port_stats(struct nfvd *d, uint16_t port,
		      uint64_t cnt[__NFV_XDP_COUNTER_MAX])
{
	int ncpu = libbpf_num_possible_cpus(), c, i;
	struct nfv_xdp_stats *v;
	uint32_t key = port;

	memset(cnt, 0, sizeof(uint64_t) * __NFV_XDP_COUNTER_MAX);
	if (ncpu <= 0)
		return -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(d->map_stats, &key, v)) {
		free(v);
		return -errno;
	}
	for (c = 0; c < ncpu; c++)
		for (i = 0; i < __NFV_XDP_COUNTER_MAX; i++)
			cnt[i] += v[c].cnt[i];
	free(v);
	return 0;
}
