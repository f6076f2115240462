// SPDX-License-Identifier: GPL-2.0
/*
 * The module as the only writer of the XDP program's maps.
 *
 * nfvd loads bpf/nfv_xdp.bpf.o (the one program for both backends), then
 * hands its maps to the module with NFV_CMD_MAPS_SET.  The module takes a
 * reference on each (bpf_map_get() on the caller's fds), checks them
 * against the layouts of uapi/linux/nfv.h, writes its whole state into
 * them, and from then on writes them on every change, through the maps'
 * own update/delete operations under RCU, as the bpf() syscall does.  The
 * binding ends when the binder's netlink socket closes (nfvd exits),
 * when another MAPS_SET replaces it, or with the namespace or the module.
 *
 * Writer: whoever holds fab->lock.  Readers: the XDP program (RCU).
 */
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "fabric.h"
#include "flow.h"
#include "tables.h"

static int map_update(struct bpf_map *map, const void *key, const void *val)
{
	int err;

	migrate_disable();
	rcu_read_lock();
	err = map->ops->map_update_elem(map, (void *)key, (void *)val, BPF_ANY);
	rcu_read_unlock();
	migrate_enable();
	return err;
}

static int map_delete(struct bpf_map *map, const void *key)
{
	int err;

	migrate_disable();
	rcu_read_lock();
	err = map->ops->map_delete_elem(map, (void *)key);
	rcu_read_unlock();
	migrate_enable();
	return err;
}

/* Empty a hash map, one key at a time: it is small or freshly loaded. */
static int map_clear_hash(struct bpf_map *map)
{
	void *key = kzalloc(map->key_size, GFP_KERNEL);
	int err;

	if (!key)
		return -ENOMEM;
	for (;;) {
		rcu_read_lock();
		err = map->ops->map_get_next_key(map, NULL, key);
		rcu_read_unlock();
		if (err)
			break;
		err = map_delete(map, key);
		if (err)
			break;
		cond_resched();
	}
	kfree(key);
	return err == -ENOENT ? 0 : err;
}

bool nfv_tables_bound(const struct nfv_fabric *fab)
{
	return fab->maps.ports;
}

u32 nfv_tables_map_id(const struct bpf_map *map)
{
	return map ? map->id : 0;
}

int nfv_tables_port(struct nfv_fabric *fab, const struct nfv_port *p)
{
	struct nfv_port_cfg cfg = {
		.id = p->id,
		.default_chain = p->default_chain,
		.flags = p->flags,
		.decap = p->decap,
		.decap_flags = p->has_vni ? NFV_PORT_DECAP_F_VNI : 0,
		.vxlan_port = htons(p->vxlan_port),
		.vni = p->vni,
	};
	u32 ifindex = p->ifindex, key = p->id;
	int err;

	lockdep_assert_held(&fab->lock);
	if (!nfv_tables_bound(fab))
		return 0;
	err = map_update(fab->maps.ports, &ifindex, &cfg);
	if (err)
		return err;
	/* The devmap resolves the ifindex in the caller's netns: best effort. */
	if (fab->maps.devmap && map_update(fab->maps.devmap, &key, &ifindex))
		pr_debug("nfv: devmap entry for port %u not written\n", p->id);
	return 0;
}

void nfv_tables_port_clear(struct nfv_fabric *fab, const struct nfv_port *p)
{
	u32 ifindex = p->ifindex, key = p->id;

	lockdep_assert_held(&fab->lock);
	if (!nfv_tables_bound(fab))
		return;
	map_delete(fab->maps.ports, &ifindex);
	if (fab->maps.devmap)
		map_delete(fab->maps.devmap, &key);
}

int nfv_tables_chain(struct nfv_fabric *fab, u16 id)
{
	u32 key = id;

	lockdep_assert_held(&fab->lock);
	if (!nfv_tables_bound(fab))
		return 0;
	return map_update(fab->maps.chains, &key, &fab->chains[id]);
}

int nfv_tables_service(struct nfv_fabric *fab, u16 sid)
{
	u32 key = sid;

	lockdep_assert_held(&fab->lock);
	if (!nfv_tables_bound(fab))
		return 0;
	return map_update(fab->maps.services, &key, &fab->services[sid]);
}

int nfv_tables_flow(struct nfv_fabric *fab, const struct nfv_flow_key *key,
		    const struct nfv_flow_val *val)
{
	int err;

	lockdep_assert_held(&fab->lock);
	if (!nfv_tables_bound(fab))
		return 0;
	if (val)
		return map_update(fab->maps.flows, key, val);
	err = map_delete(fab->maps.flows, key);
	return err == -ENOENT ? 0 : err;
}

/* Write @n rules, then the terminator (chain 0) if there is room. */
int nfv_tables_rules(struct nfv_fabric *fab,
		     const struct nfv_prefix_rule *rules, int n)
{
	static const struct nfv_prefix_rule end;
	int i, err;

	lockdep_assert_held(&fab->lock);
	if (!nfv_tables_bound(fab))
		return 0;
	for (i = 0; i < NFV_PREFIX_RULES_MAX && i <= n; i++) {
		u32 key = i;

		err = map_update(fab->maps.rules, &key,
				 i < n ? &rules[i] : &end);
		if (err)
			return err;
	}
	return 0;
}

bool nfv_tables_port_stats(struct nfv_fabric *fab, u16 port,
			   u64 cnt[__NFV_XDP_COUNTER_MAX])
{
	struct bpf_array *array;
	void __percpu *pptr;
	int cpu, i;

	lockdep_assert_held(&fab->lock);
	memset(cnt, 0, sizeof(u64) * __NFV_XDP_COUNTER_MAX);
	if (!fab->maps.stats || port >= fab->maps.stats->max_entries)
		return false;
	array = container_of(fab->maps.stats, struct bpf_array, map);
	rcu_read_lock();
	pptr = array->pptrs[port & array->index_mask];
	for_each_possible_cpu(cpu) {
		const struct nfv_xdp_stats *s = per_cpu_ptr(pptr, cpu);

		for (i = 0; i < __NFV_XDP_COUNTER_MAX; i++)
			cnt[i] += READ_ONCE(s->cnt[i]);
	}
	rcu_read_unlock();
	return true;
}

/* ---- binding ---- */

struct map_spec {
	const char *name;
	int attr;
	size_t off;			/* in struct nfv_maps */
	enum bpf_map_type type;
	u32 key_size;
	u32 value_size;
	u32 min_entries;
	bool optional;
};

#define MAP_SPEC(_name, _attr, _field, _type, _key, _value, _min, _opt) { \
	.name = _name, .attr = _attr,					\
	.off = offsetof(struct nfv_maps, _field), .type = _type,	\
	.key_size = _key, .value_size = _value, .min_entries = _min,	\
	.optional = _opt }

static const struct map_spec map_specs[] = {
	MAP_SPEC("nfv_ports", NFV_A_MAPS_PORTS, ports, BPF_MAP_TYPE_HASH,
		 sizeof(u32), sizeof(struct nfv_port_cfg), NFV_PORT_MAX - 1,
		 false),
	MAP_SPEC("nfv_chains", NFV_A_MAPS_CHAINS, chains, BPF_MAP_TYPE_ARRAY,
		 sizeof(u32), sizeof(struct nfv_chain), NFV_CHAIN_MAX + 1,
		 false),
	MAP_SPEC("nfv_services", NFV_A_MAPS_SERVICES, services,
		 BPF_MAP_TYPE_ARRAY, sizeof(u32), sizeof(struct nfv_service),
		 NFV_SERVICE_MAX + 1, false),
	MAP_SPEC("nfv_flows", NFV_A_MAPS_FLOWS, flows, BPF_MAP_TYPE_HASH,
		 sizeof(struct nfv_flow_key), sizeof(struct nfv_flow_val), 1,
		 false),
	MAP_SPEC("nfv_rules", NFV_A_MAPS_RULES, rules, BPF_MAP_TYPE_ARRAY,
		 sizeof(u32), sizeof(struct nfv_prefix_rule),
		 NFV_PREFIX_RULES_MAX, false),
	MAP_SPEC("nfv_devmap", NFV_A_MAPS_DEVMAP, devmap, BPF_MAP_TYPE_DEVMAP,
		 sizeof(u32), sizeof(u32), NFV_PORT_MAX, true),
	MAP_SPEC("nfv_xdp_stats", NFV_A_MAPS_STATS, stats,
		 BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(u32),
		 sizeof(struct nfv_xdp_stats), NFV_PORT_MAX, true),
};

static struct bpf_map **map_slot(struct nfv_maps *maps,
				 const struct map_spec *spec)
{
	return (struct bpf_map **)((char *)maps + spec->off);
}

static void maps_put(struct nfv_maps *maps)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(map_specs); i++) {
		struct bpf_map **slot = map_slot(maps, &map_specs[i]);

		if (*slot)
			bpf_map_put(*slot);
		*slot = NULL;
	}
}

/* Take the caller's fds and check each map against its layout. */
static int maps_get(struct nfv_maps *maps, struct nlattr **attrs,
		    struct netlink_ext_ack *extack)
{
	int i;

	memset(maps, 0, sizeof(*maps));
	for (i = 0; i < ARRAY_SIZE(map_specs); i++) {
		const struct map_spec *spec = &map_specs[i];
		struct nlattr *a = attrs[spec->attr];
		struct bpf_map *map;

		if (!a) {
			if (spec->optional)
				continue;
			NL_SET_ERR_MSG(extack, "missing the fd of a required map");
			NL_SET_ERR_ATTR_MISS(extack, NULL, spec->attr);
			goto err;
		}
		map = bpf_map_get(nla_get_u32(a));
		if (IS_ERR(map)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "not a BPF map fd");
			maps_put(maps);
			return PTR_ERR(map);
		}
		*map_slot(maps, spec) = map;
		if (map->map_type != spec->type ||
		    map->key_size != spec->key_size ||
		    map->value_size != spec->value_size ||
		    map->max_entries < spec->min_entries) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "map type or layout differs from uapi/linux/nfv.h");
			goto err;
		}
	}
	return 0;
err:
	maps_put(maps);
	return -EINVAL;
}

/* Write every table into freshly bound maps. */
static int sync_all(struct nfv_fabric *fab)
{
	int err, i;

	err = map_clear_hash(fab->maps.ports);
	if (err)
		return err;
	err = map_clear_hash(fab->maps.flows);
	if (err)
		return err;
	if (fab->maps.devmap) {
		for (i = 0; i < NFV_PORT_MAX; i++) {
			u32 key = i;

			map_delete(fab->maps.devmap, &key);
		}
	}
	for (i = 1; i < NFV_PORT_MAX; i++) {
		if (!fab->ports[i].id)
			continue;
		err = nfv_tables_port(fab, &fab->ports[i]);
		if (err)
			return err;
	}
	for (i = 1; i <= NFV_CHAIN_MAX; i++) {
		err = nfv_tables_chain(fab, i);
		if (err)
			return err;
	}
	for (i = 1; i <= NFV_SERVICE_MAX; i++) {
		err = nfv_tables_service(fab, i);
		if (err)
			return err;
	}
	err = nfv_flows_write_rules(fab);
	if (err)
		return err;
	return nfv_flows_sync(fab);
}

int nfv_tables_bind(struct nfv_fabric *fab, struct nlattr **attrs,
		    u32 portid, struct netlink_ext_ack *extack)
{
	struct nfv_maps maps, old;
	int err;

	lockdep_assert_held(&fab->lock);
	err = maps_get(&maps, attrs, extack);
	if (err)
		return err;
	if (fab->flows.n_exact > maps.flows->max_entries) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[NFV_A_MAPS_FLOWS],
				    "flows map is smaller than the exact flow table");
		maps_put(&maps);
		return -ENOSPC;
	}
	old = fab->maps;
	fab->maps = maps;
	err = sync_all(fab);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot write the tables into the maps");
		fab->maps = old;
		maps_put(&maps);
		return err;
	}
	maps_put(&old);
	fab->maps_portid = portid;
	fab->flows.max_exact = maps.flows->max_entries;
	nfv_fabric_changed(fab);
	return 0;
}

void nfv_tables_unbind(struct nfv_fabric *fab)
{
	lockdep_assert_held(&fab->lock);
	maps_put(&fab->maps);
	fab->maps_portid = 0;
	fab->flows.max_exact = NFV_FLOWS_DEFAULT;
}
