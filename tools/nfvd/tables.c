// SPDX-License-Identifier: GPL-2.0
/*
 * The tables the XDP program reads (BPF maps) and their read-only mirror
 * for NFs (struct nfv_tables in a sealed memfd).
 *
 * Writer: nfvd, on the event loop thread, always map first then mirror,
 * so an NF never sees a hop the classifier would not take.  With nfv.ko
 * bound (d->kern, kbackend.c) the module writes ports, services, chains
 * and flows: nfvd writes only the mirror (from the maps and the module's
 * events) and nfv_xsks.
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

#include "nf.h"
#include "nfvd.h"
#include "port.h"
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
	struct bpf_map *flows;
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

static void bump(struct nfvd *d)
{
	__atomic_add_fetch(&d->tables->gen, 1, __ATOMIC_RELEASE);
}

int tables_port_write(struct nfvd *d, struct nfvd_port *p)
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
	struct nfv_tables_port *tp = &d->tables->ports[p->id];
	uint32_t key = p->id;

	if (d->kern)
		goto mirror;
	if (bpf_map_update_elem(d->map_devmap, &key, &p->ifindex, 0))
		pr_debug("nfvd: devmap %s: %s\n", p->name, strerror(errno));
	if (bpf_map_update_elem(d->map_ports, &p->ifindex, &cfg, 0))
		return -errno;
mirror:
	tp->n_queues = p->n_queues;
	tp->flags = (uint16_t)p->flags;
	snprintf(tp->name, sizeof(tp->name), "%s", p->name);
	__atomic_store_n(&tp->ifindex, p->ifindex, __ATOMIC_RELEASE);
	bump(d);
	return 0;
}

void tables_port_clear(struct nfvd *d, struct nfvd_port *p)
{
	uint32_t key = p->id;

	if (!d->kern) {
		bpf_map_delete_elem(d->map_ports, &p->ifindex);
		bpf_map_delete_elem(d->map_devmap, &key);
	}
	memset(&d->tables->ports[p->id], 0, sizeof(d->tables->ports[0]));
	bump(d);
}

int tables_chain_write(struct nfvd *d, uint16_t id, const struct nfv_chain *c)
{
	uint32_t key = id;

	if (bpf_map_update_elem(d->map_chains, &key, c, 0))
		return -errno;
	d->tables->chains[id] = *c;
	bump(d);
	nf_chains_changed(d);
	return 0;
}

static void flow_key(const struct nfvd_flow *f, struct nfv_flow_key *k,
		     uint16_t in_port)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->src, f->src, sizeof(k->src));
	memcpy(k->dst, f->dst, sizeof(k->dst));
	k->sport = htons(f->sport);
	k->dport = htons(f->dport);
	k->in_port = in_port;
	k->proto = f->proto;
	k->family = f->family;
}

static uint16_t port_id_of(struct nfvd *d, uint32_t ifindex)
{
	struct nfvd_port *p = ifindex ? port_find(d, ifindex, NULL) : NULL;

	return p ? p->id : 0;
}

int tables_flow_write(struct nfvd *d, const struct nfvd_flow *f, bool add)
{
	struct nfv_flow_val v = { .chain = f->chain };
	struct nfv_flow_key k;

	flow_key(f, &k, port_id_of(d, f->in_ifindex));
	if (!add)
		return bpf_map_delete_elem(d->map_flows, &k) ? -errno : 0;
	return bpf_map_update_elem(d->map_flows, &k, &v, 0) ? -errno : 0;
}

static void plen_mask(uint32_t *mask, uint8_t plen, int words)
{
	int i;

	for (i = 0; i < words; i++) {
		int bits = plen > 32 ? 32 : plen;

		mask[i] = bits ? htonl(~0U << (32 - bits)) : 0;
		plen -= (uint8_t)bits;
	}
}

static int specificity(const struct nfvd_flow *f)
{
	return f->src_plen + f->dst_plen + (f->proto ? 8 : 0) +
	       (f->in_ifindex ? 8 : 0) + (f->sport ? 16 : 0) +
	       (f->dport ? 16 : 0);
}

/* Rewrite the prefix rule array: most specific first, 0-chain ends it. */
int tables_rules_write(struct nfvd *d)
{
	const struct nfvd_flow *sorted[NFV_PREFIX_RULES_MAX];
	const struct nfvd_flow *f;
	int n = 0, i, j;

	for (f = d->flows; f; f = f->next) {
		if (f->exact)
			continue;
		if (n == NFV_PREFIX_RULES_MAX)
			return -ENOSPC;
		/* insertion sort, stable for equal specificity */
		for (j = n; j > 0 && specificity(sorted[j - 1]) <
				     specificity(f); j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = f;
		n++;
	}
	for (i = 0; i < NFV_PREFIX_RULES_MAX; i++) {
		struct nfv_prefix_rule r;
		uint32_t key = (uint32_t)i;
		int words;

		memset(&r, 0, sizeof(r));
		if (i < n) {
			f = sorted[i];
			words = f->family == AF_INET6 ? 4 : 1;
			memcpy(r.src, f->src, sizeof(r.src));
			memcpy(r.dst, f->dst, sizeof(r.dst));
			plen_mask(r.src_mask, f->src_plen, words);
			plen_mask(r.dst_mask, f->dst_plen, words);
			for (j = 0; j < 4; j++) {
				r.src[j] &= r.src_mask[j];
				r.dst[j] &= r.dst_mask[j];
			}
			r.sport_lo = f->sport;
			r.sport_hi = f->sport_max;
			r.dport_lo = f->dport;
			r.dport_hi = f->dport_max;
			r.in_port = port_id_of(d, f->in_ifindex);
			r.proto = f->proto;
			r.family = f->family;
			r.chain = f->chain;
		}
		if (bpf_map_update_elem(d->map_rules, &key, &r, 0))
			return -errno;
		if (i >= n)
			break;	/* the terminator is written */
	}
	return 0;
}

static int service_commit(struct nfvd *d, uint16_t sid, struct nfv_service *s)
{
	uint32_t key = sid;

	s->gen++;
	if (!d->kern && bpf_map_update_elem(d->map_services, &key, s, 0))
		return -errno;
	d->tables->services[sid] = *s;
	bump(d);
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
	int i;

	/* Already there: an NF back after a restart, its buckets kept. */
	for (i = 0; i < s.n_live && i < NFV_REPLICA_MAX; i++)
		if (s.replicas[i] == nf)
			return 0;

	if (s.n_live >= NFV_REPLICA_MAX)
		return -ENOSPC;
	s.replicas[s.n_live++] = nf;
	nfv_rebalance(&s);
	return service_commit(d, sid, &s);
}

void tables_service_del(struct nfvd *d, uint16_t sid, uint16_t nf)
{
	struct nfv_service s = d->tables->services[sid];
	int i, j;

	for (i = j = 0; i < s.n_live; i++)
		if (s.replicas[i] != nf)
			s.replicas[j++] = s.replicas[i];
	if (j == s.n_live)
		return;
	for (i = j; i < NFV_REPLICA_MAX; i++)
		s.replicas[i] = 0;
	s.n_live = (uint16_t)j;
	nfv_rebalance(&s);
	service_commit(d, sid, &s);
}

void tables_nf_write(struct nfvd *d, struct nfvd_nf *nf)
{
	struct nfv_tables_nf *t = &d->tables->nfs[nf->id];

	t->service = nf->service;
	t->flags = (uint16_t)nf->flags;
	t->pid = (uint32_t)nf->pid;
	__atomic_store_n(&t->state, nf->state, __ATOMIC_RELEASE);
	bump(d);
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
