// SPDX-License-Identifier: GPL-2.0
/*
 * Offloaded flows (docs/design.md "Offloaded flows").
 *
 * An NF may say that a flow needs it no more (OFFLOAD_NEW, libnfv's
 * nfv_flow_offload()): a forwarder at once, a firewall once its policy
 * let the flow in, an IDS once it has seen enough.  When every NF the
 * flow's chain sends it through has said so, nfvd enters the flow in
 * "nfv_offload": the classifier then passes its frames to the kernel with
 * their out port in the metadata, and the port's TC program redirects
 * them there, the chain skipped; GRO on the port makes that a 64 KB skb
 * at a time.  Like Suricata's XDP bypass and nftables' flowtables.
 *
 * An NF is untrusted: nfvd decides itself which chain the flow takes and
 * which replica of each service serves it (the classifier's own rules,
 * uapi/linux/nfv_classify.h, on the maps the classifier reads) and counts
 * a verdict only from an NF the flow goes through.  So no NF can take a
 * flow past another one.
 *
 * An offloaded flow takes its chain again (its entry removed) when:
 *   - the classifier sees a TCP FIN or RST of it (it marks the entry
 *     ended; that frame already takes the chain, the NFs see the close);
 *   - its counters did not move for the idle timeout (--offload-idle;
 *     the classifier reads no clock per frame);
 *   - the decision it rests on changes: another chain, replica, out port,
 *     or an NF of it restarted (checked on every change of the tables,
 *     of the configuration, and at every sweep, which also catches what
 *     nfv.ko changed without nfvd);
 *   - one of its NFs takes its verdicts back (OFFLOAD_DEL), or root does.
 * A verdict short of the others expires with the idle timeout as well.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>
#include <linux/nfv_classify.h>

#include "control.h"
#include "nfvd.h"
#include "offload.h"

#define OFFL_BUCKETS		4096		/* power of two */
#define OFFL_SWEEP_MS		250
/*
 * Flows waiting for other NFs' verdicts that one NF may have started: a
 * flood from one NF leaves room for the others'.
 */
#define OFFL_PENDING_PER_NF	(NFV_OFFLOAD_MAX / 4)
/*
 * Verdicts an NF may give a second, and at once: each costs nfvd a
 * classification (a few map lookups); a flood beyond is refused unread.
 */
#define OFFL_RATE		4096
/* Offloaded flows are checked against what nfv.ko may have changed
 * without nfvd this often (nfvd's own changes: at once).
 */
#define OFFL_RECHECK_MS		2000
/* tc filter handle and priority of nfv_tc on a port's ingress. */
#define OFFL_TC_HANDLE		0x6e6676
#define OFFL_TC_PRIO		1

/* What the fabric does with one direction of a flow. */
struct offl_dec {
	uint16_t chain;
	uint16_t out_port;
	uint32_t out_ifindex;
	uint8_t n_need;
	uint16_t need[NFV_HOPS_MAX];	/* NF ids that must agree */
	uint32_t gen[NFV_HOPS_MAX];	/* of their incarnations */
};

struct offl {
	struct nfv_flow_key key;	/* in_port: its port id */
	struct offl_dec dec;
	uint32_t voted;			/* bit i: need[i] said so */
	uint32_t hnext;			/* index + 1 in its bucket, 0: end */
	uint64_t since_ns;		/* first verdict, or offloaded */
	uint64_t seen;			/* its packets at the last sweep */
	uint64_t moved_ns;		/* when they last moved */
	uint16_t creator;		/* the NF whose verdict came first */
	bool used;
	bool installed;
};

struct nfvd_offload {
	struct offl e[NFV_OFFLOAD_MAX];
	uint32_t bucket[OFFL_BUCKETS];	/* index + 1 */
	uint32_t free[NFV_OFFLOAD_MAX];	/* unused slots, a stack */
	uint32_t n_used, n_installed;
	uint16_t pending_by[NFV_NF_MAX];	/* by creator, not offloaded */
	struct {
		uint32_t tokens;
		uint64_t at_ns;
	} rate[NFV_NF_MAX];		/* verdicts an NF may still give */
	uint64_t recheck_ns;		/* next full check */
	uint32_t tables_gen;		/* of the last check */
	bool dirty;			/* the configuration changed */
	int n_cpus;			/* copies of a value in nfv_offload */
	struct nfv_offload_val *pcpu;	/* n_cpus of them */
	uint64_t sweep_ns;		/* next sweep */
	struct nfvd_offload_stats st;
};

static uint32_t key_hash(const struct nfv_flow_key *k)
{
	return nfv_flow_hash(k->src, k->dst, k->sport, k->dport, k->proto) ^
	       k->in_port;
}

static uint32_t *slot_of(struct nfvd_offload *o, const struct nfv_flow_key *k)
{
	return &o->bucket[key_hash(k) & (OFFL_BUCKETS - 1)];
}

static struct offl *lookup(struct nfvd_offload *o,
			   const struct nfv_flow_key *k)
{
	uint32_t i;

	for (i = *slot_of(o, k); i; i = o->e[i - 1].hnext)
		if (!memcmp(&o->e[i - 1].key, k, sizeof(*k)))
			return &o->e[i - 1];
	return NULL;
}

static struct offl *insert(struct nfvd_offload *o, const struct nfv_flow_key *k)
{
	uint32_t *slot = slot_of(o, k), i;

	if (o->n_used == NFV_OFFLOAD_MAX)
		return NULL;
	i = o->free[NFV_OFFLOAD_MAX - 1 - o->n_used];
	memset(&o->e[i], 0, sizeof(o->e[i]));
	o->e[i].used = true;
	o->e[i].key = *k;
	o->e[i].hnext = *slot;
	*slot = i + 1;
	o->n_used++;
	return &o->e[i];
}

static void set_on(struct nfvd *d)
{
	uint32_t zero = 0, n = d->offl->n_installed;

	if (d->map_offload_on >= 0)
		bpf_map_update_elem(d->map_offload_on, &zero, &n, BPF_ANY);
}

/* @k's value, every CPU's copy summed (ended: any copy's); -errno. */
static int read_val(struct nfvd *d, const struct nfv_flow_key *k,
		    struct nfv_offload_val *v)
{
	struct nfvd_offload *o = d->offl;
	int i;

	memset(v, 0, sizeof(*v));
	if (bpf_map_lookup_elem(d->map_offload, k, o->pcpu))
		return -errno;
	for (i = 0; i < o->n_cpus; i++) {
		v->packets += o->pcpu[i].packets;
		v->bytes += o->pcpu[i].bytes;
		v->ended |= o->pcpu[i].ended;
	}
	v->out_ifindex = o->pcpu[0].out_ifindex;
	v->out_port = o->pcpu[0].out_port;
	return 0;
}

/* Remove @e: out of the classifier's map first, its counters kept. */
static void remove_entry(struct nfvd *d, struct offl *e, uint64_t *why)
{
	struct nfvd_offload *o = d->offl;
	uint32_t *p = slot_of(o, &e->key), idx = (uint32_t)(e - o->e) + 1;

	if (e->installed) {
		struct nfv_offload_val v;

		if (!read_val(d, &e->key, &v)) {
			o->st.packets += v.packets;
			o->st.bytes += v.bytes;
		}
		bpf_map_delete_elem(d->map_offload, &e->key);
		o->n_installed--;
		set_on(d);
		if (why)
			(*why)++;
	} else {
		o->pending_by[e->creator]--;
	}
	while (*p && *p != idx)
		p = &o->e[*p - 1].hnext;
	if (*p)
		*p = e->hnext;
	e->used = false;
	o->n_used--;
	o->free[NFV_OFFLOAD_MAX - 1 - o->n_used] = idx - 1;
}

/* ---- the decision: the classifier's, taken again ---- */

/* The prefix rules as the classifier scans them; how many. */
static int read_rules(struct nfvd *d, struct nfv_prefix_rule *r)
{
	uint32_t i;

	for (i = 0; i < NFV_PREFIX_RULES_MAX; i++)
		if (bpf_map_lookup_elem(d->map_rules, &i, &r[i]) || !r[i].chain)
			break;
	return (int)i;
}

/*
 * What the fabric does with flow @k (the classifier's lookup_flow(),
 * prefix rules, default chain; then the chain's hops and the replica of
 * each service for the flow's hash).  0, or -errno with *@why.
 */
static int decide(struct nfvd *d, const struct nfv_flow_key *k,
		  const struct nfv_prefix_rule *rules, int n_rules,
		  struct offl_dec *dec, const char **why)
{
	const struct nfvd_port *p;
	struct nfv_flow_key fk = *k;
	struct nfv_flow_val fv;
	struct nfv_port_cfg pc;
	const struct nfv_chain *c;
	struct nfv_tuple t = { 0 };
	uint32_t hash, ifindex;
	int i, j;

	memset(dec, 0, sizeof(*dec));
	if (!k->in_port || k->in_port >= NFV_PORT_MAX ||
	    !d->ports[k->in_port].id) {
		*why = "no such port";
		return -ENODEV;
	}
	p = &d->ports[k->in_port];
	if (!p->offload) {
		*why = "port cannot offload (no TC hook, or a decap port)";
		return -EOPNOTSUPP;
	}
	if (!bpf_map_lookup_elem(d->map_flows, &fk, &fv) && fv.chain) {
		dec->chain = fv.chain;
	} else {
		fk.in_port = 0;
		if (!bpf_map_lookup_elem(d->map_flows, &fk, &fv))
			dec->chain = fv.chain;
	}
	if (!dec->chain) {
		memcpy(t.src, k->src, sizeof(t.src));
		memcpy(t.dst, k->dst, sizeof(t.dst));
		t.sport = k->sport;
		t.dport = k->dport;
		t.proto = k->proto;
		t.family = k->family;
		t.has_ports = 1;
		for (i = 0; i < n_rules && !dec->chain; i++)
			if (nfv_rule_match(&rules[i], &t, k->in_port))
				dec->chain = rules[i].chain;
	}
	ifindex = p->ifindex;
	if (!dec->chain && !bpf_map_lookup_elem(d->map_ports, &ifindex, &pc))
		dec->chain = pc.default_chain;
	if (!dec->chain || dec->chain > NFV_CHAIN_MAX) {
		*why = "the flow takes no chain";
		return -ENOENT;
	}
	c = &d->tables->chains[dec->chain];
	hash = nfv_flow_hash(k->src, k->dst, k->sport, k->dport, k->proto);
	for (i = 0; i < c->n_hops && i < NFV_HOPS_MAX; i++) {
		const struct nfv_hop *h = &c->hops[i];
		const struct nfv_service *s;
		uint16_t nf;

		if (h->type == NFV_HOP_OUT) {
			if (!h->arg || h->arg >= NFV_PORT_MAX ||
			    !d->tables->ports[h->arg].ifindex)
				break;
			dec->out_port = h->arg;
			dec->out_ifindex = d->tables->ports[h->arg].ifindex;
			break;
		}
		if (h->type != NFV_HOP_SERVICE && h->type != NFV_HOP_TAP)
			break;
		if (!h->arg || h->arg > NFV_SERVICE_MAX)
			break;
		s = &d->tables->services[h->arg];
		nf = s->n_live ? s->buckets[hash % NFV_BUCKETS] : 0;
		if (!nf || nf >= NFV_NF_MAX || !d->nfs[nf].id) {
			*why = "a service of the chain has no replica";
			return -ENOENT;
		}
		for (j = 0; j < dec->n_need && dec->need[j] != nf; j++)
			;
		if (j == dec->n_need) {
			dec->need[j] = nf;
			dec->gen[j] = d->nfs[nf].gen;
			dec->n_need++;
		}
	}
	if (!dec->out_ifindex) {
		*why = "the chain does not end on a port (OUT hop)";
		return -EOPNOTSUPP;
	}
	if (!dec->n_need) {
		*why = "the chain has no NF";
		return -ENOENT;
	}
	return 0;
}

static bool same_dec(const struct offl_dec *a, const struct offl_dec *b)
{
	return a->chain == b->chain && a->out_ifindex == b->out_ifindex &&
	       a->out_port == b->out_port && a->n_need == b->n_need &&
	       !memcmp(a->need, b->need, sizeof(a->need[0]) * a->n_need) &&
	       !memcmp(a->gen, b->gen, sizeof(a->gen[0]) * a->n_need);
}

static int install(struct nfvd *d, struct offl *e)
{
	struct nfvd_offload *o = d->offl;
	int err, i;

	memset(o->pcpu, 0, sizeof(*o->pcpu) * (size_t)o->n_cpus);
	for (i = 0; i < o->n_cpus; i++) {
		o->pcpu[i].out_ifindex = e->dec.out_ifindex;
		o->pcpu[i].out_port = e->dec.out_port;
	}
	err = bpf_map_update_elem(d->map_offload, &e->key, o->pcpu,
				  BPF_NOEXIST);
	if (err)
		return -errno;
	e->installed = true;
	o->pending_by[e->creator]--;
	e->since_ns = e->moved_ns = nfvd_now_ns();
	e->seen = 0;
	d->offl->n_installed++;
	d->offl->st.offloaded++;
	set_on(d);
	return 0;
}

/*
 * NF @nf's verdict on flow @k: counted if the flow goes through it.
 * 0 (counted, maybe offloaded), or -errno with *@why.
 */
static int verdict(struct nfvd *d, uint16_t nf, const struct nfv_flow_key *k,
		   const struct nfv_prefix_rule *rules, int n_rules,
		   const char **why)
{
	struct nfvd_offload *o = d->offl;
	struct offl_dec dec;
	struct offl *e;
	int err, i;

	err = decide(d, k, rules, n_rules, &dec, why);
	if (err)
		return err;
	for (i = 0; i < dec.n_need && dec.need[i] != nf; i++)
		;
	if (i == dec.n_need) {
		*why = "the flow does not go through this NF";
		return -EPERM;
	}
	e = lookup(o, k);
	if (e && !same_dec(&e->dec, &dec)) {
		remove_entry(d, e, &o->st.revoked);
		e = NULL;
	}
	if (!e) {
		if (o->pending_by[nf] >= OFFL_PENDING_PER_NF) {
			*why = "too many flows wait for other NFs' verdicts";
			return -ENOSPC;
		}
		e = insert(o, k);
		if (!e) {
			*why = "too many flows offloaded or pending";
			return -ENOSPC;
		}
		e->dec = dec;
		e->since_ns = nfvd_now_ns();
		e->creator = nf;
		o->pending_by[nf]++;
	}
	e->voted |= 1u << i;
	if (e->installed || e->voted != (1u << dec.n_need) - 1)
		return 0;
	err = install(d, e);
	if (err) {
		*why = "cannot write the offload map";
		remove_entry(d, e, NULL);
	}
	return err;
}

/* ---- ports: GRO, and nfv_tc on the ingress hook ---- */

static void set_gro(const char *name)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_SGRO, .data = 1 };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		pr_debug("nfvd: %s: cannot turn GRO on: %s\n", name,
			 strerror(errno));
	close(fd);
}

void offload_port_prepare(struct nfvd *d, const char *name)
{
	/*
	 * Before the classifier is attached: veth then keeps GRO for the
	 * frames the classifier passes (measured: 6.5 -> 10 Gbit/s through
	 * an offloaded flow, docs/performance.md).
	 */
	if (d->tc_prog_fd >= 0)
		set_gro(name);
}

void offload_port_up(struct nfvd *d, struct nfvd_port *p)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)p->ifindex,
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = OFFL_TC_HANDLE,
		    .priority = OFFL_TC_PRIO, .flags = BPF_TC_F_REPLACE);
	int err;

	p->offload = false;
	if (d->tc_prog_fd < 0 || p->decap.kind)
		return;
	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST) {
		pr_warn("nfvd: port %s: no clsact hook, flows through it cannot be offloaded: %s\n",
			p->name, strerror(-err));
		return;
	}
	opts.prog_fd = d->tc_prog_fd;
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		pr_warn("nfvd: port %s: cannot attach nfv_tc, flows through it cannot be offloaded: %s\n",
			p->name, strerror(-err));
		return;
	}
	p->offload = true;
}

void offload_port_down(struct nfvd *d, struct nfvd_port *p)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)p->ifindex,
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = OFFL_TC_HANDLE,
		    .priority = OFFL_TC_PRIO);
	struct nfvd_offload *o = d->offl;
	uint32_t i;

	for (i = 0; o && i < NFV_OFFLOAD_MAX; i++)
		if (o->e[i].used && (o->e[i].key.in_port == p->id ||
				     o->e[i].dec.out_port == p->id))
			remove_entry(d, &o->e[i], &o->st.revoked);
	if (p->offload)
		bpf_tc_detach(&hook, &opts);
	p->offload = false;
}

/* ---- keeping the entries true ---- */

/* Every offloaded flow checked against the tables as they are now. */
static void revalidate(struct nfvd *d)
{
	struct nfv_prefix_rule rules[NFV_PREFIX_RULES_MAX];
	struct nfvd_offload *o = d->offl;
	int n_rules = read_rules(d, rules);
	struct offl_dec dec;
	const char *why;
	uint32_t i;

	for (i = 0; i < NFV_OFFLOAD_MAX && o->n_used; i++) {
		struct offl *e = &o->e[i];

		/* A verdict waiting for others is checked with the next. */
		if (!e->used || !e->installed)
			continue;
		if (decide(d, &e->key, rules, n_rules, &dec, &why) ||
		    !same_dec(&e->dec, &dec))
			remove_entry(d, e, &o->st.revoked);
	}
}

/* Ended and idle flows out; verdicts short of the others expire. */
static void sweep(struct nfvd *d, uint64_t now)
{
	uint64_t idle = (uint64_t)d->cfg.offload_idle_ms * 1000000ULL;
	struct nfvd_offload *o = d->offl;
	uint32_t i;

	for (i = 0; i < NFV_OFFLOAD_MAX && o->n_used; i++) {
		struct offl *e = &o->e[i];
		struct nfv_offload_val v;

		if (!e->used)
			continue;
		if (!e->installed) {
			if (now - e->since_ns > idle)
				remove_entry(d, e, NULL);
			continue;
		}
		if (read_val(d, &e->key, &v)) {
			remove_entry(d, e, &o->st.revoked);
			continue;
		}
		if (v.ended) {
			remove_entry(d, e, &o->st.ended);
			continue;
		}
		if (v.packets != e->seen) {
			e->seen = v.packets;
			e->moved_ns = now;
		} else if (now - e->moved_ns > idle) {
			remove_entry(d, e, &o->st.expired);
		}
	}
}

void offload_config_changed(struct nfvd *d)
{
	if (d->offl)
		d->offl->dirty = true;
}

uint64_t offload_tick(struct nfvd *d)
{
	struct nfvd_offload *o = d->offl;
	uint64_t now;

	if (!o || !o->n_used)
		return 0;
	if (o->dirty || o->tables_gen != d->tables->gen) {
		o->dirty = false;
		o->tables_gen = __atomic_load_n(&d->tables->gen,
						__ATOMIC_ACQUIRE);
		revalidate(d);
	}
	now = nfvd_now_ns();
	if (now >= o->sweep_ns) {
		sweep(d, now);
		o->sweep_ns = now + OFFL_SWEEP_MS * 1000000ULL;
	}
	if (now >= o->recheck_ns) {
		revalidate(d);
		o->recheck_ns = now + OFFL_RECHECK_MS * 1000000ULL;
	}
	return o->n_used ? o->sweep_ns : 0;
}

/* An NF is gone: its verdicts with it (the rest follows the tables). */
void offload_nf_gone(struct nfvd *d, uint16_t nf)
{
	struct nfvd_offload *o = d->offl;
	uint32_t i;
	int j;

	for (i = 0; o && i < NFV_OFFLOAD_MAX && o->n_used; i++) {
		struct offl *e = &o->e[i];

		if (!e->used)
			continue;
		for (j = 0; j < e->dec.n_need; j++) {
			if (e->dec.need[j] == nf) {
				remove_entry(d, e, &o->st.revoked);
				break;
			}
		}
	}
}

const struct nfvd_offload_stats *offload_stats(struct nfvd *d)
{
	static const struct nfvd_offload_stats none;

	return d->offl ? &d->offl->st : &none;
}

uint32_t offload_count(struct nfvd *d)
{
	return d->offl ? d->offl->n_installed : 0;
}

/* ---- OFFLOAD_NEW, OFFLOAD_DEL, OFFLOAD_GET ---- */

/*
 * The flow a request names: every attribute of the 5-tuple and a port.
 * 0, or -errno with the request's message.
 */
static int parse_key(struct nfvd_req *req, const struct nlattr **tb,
		     struct nfv_flow_key *k)
{
	const struct nfvd_port *p;
	size_t alen;

	memset(k, 0, sizeof(*k));
	if (!tb[NFV_A_OFFLOAD_IN_IFINDEX] || !tb[NFV_A_OFFLOAD_PROTO] ||
	    !tb[NFV_A_OFFLOAD_FAMILY] || !tb[NFV_A_OFFLOAD_SRC] ||
	    !tb[NFV_A_OFFLOAD_DST]) {
		REQ_ERR(req, "a flow needs in-ifindex, proto, family, src and dst");
		return -EINVAL;
	}
	p = port_find(req->d, mnl_attr_get_u32(tb[NFV_A_OFFLOAD_IN_IFINDEX]),
		      NULL);
	if (!p) {
		REQ_ERR_ATTR(req, tb[NFV_A_OFFLOAD_IN_IFINDEX],
			     "not a fabric port");
		return -ENODEV;
	}
	k->in_port = p->id;
	k->proto = mnl_attr_get_u8(tb[NFV_A_OFFLOAD_PROTO]);
	if (k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP) {
		REQ_ERR_ATTR(req, tb[NFV_A_OFFLOAD_PROTO],
			     "only TCP and UDP flows are offloaded");
		return -EOPNOTSUPP;
	}
	k->family = mnl_attr_get_u8(tb[NFV_A_OFFLOAD_FAMILY]);
	if (k->family != AF_INET && k->family != AF_INET6) {
		REQ_ERR_ATTR(req, tb[NFV_A_OFFLOAD_FAMILY],
			     "family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	alen = k->family == AF_INET ? 4 : 16;
	if (mnl_attr_get_payload_len(tb[NFV_A_OFFLOAD_SRC]) != alen) {
		REQ_ERR_ATTR(req, tb[NFV_A_OFFLOAD_SRC],
			     "address length does not match family");
		return -EINVAL;
	}
	if (mnl_attr_get_payload_len(tb[NFV_A_OFFLOAD_DST]) != alen) {
		REQ_ERR_ATTR(req, tb[NFV_A_OFFLOAD_DST],
			     "address length does not match family");
		return -EINVAL;
	}
	memcpy(k->src, mnl_attr_get_payload(tb[NFV_A_OFFLOAD_SRC]), alen);
	memcpy(k->dst, mnl_attr_get_payload(tb[NFV_A_OFFLOAD_DST]), alen);
	if (tb[NFV_A_OFFLOAD_SPORT])
		k->sport = htons(mnl_attr_get_u16(tb[NFV_A_OFFLOAD_SPORT]));
	if (tb[NFV_A_OFFLOAD_DPORT])
		k->dport = htons(mnl_attr_get_u16(tb[NFV_A_OFFLOAD_DPORT]));
	return 0;
}

/* A token of NF @nf's verdict rate: false if it has none left. */
static bool rate_take(struct nfvd_offload *o, uint16_t nf)
{
	uint64_t now = nfvd_now_ns(), add;

	add = (now - o->rate[nf].at_ns) * OFFL_RATE / 1000000000ULL;
	if (add) {
		o->rate[nf].tokens = add >= OFFL_RATE ||
				     o->rate[nf].tokens + add >= OFFL_RATE ?
				     OFFL_RATE : o->rate[nf].tokens + (uint32_t)add;
		o->rate[nf].at_ns = now;
	}
	if (!o->rate[nf].tokens)
		return false;
	o->rate[nf].tokens--;
	return true;
}

/* The reverse direction of @k, as replies come in on @in_port. */
static void reverse(const struct nfv_flow_key *k, uint16_t in_port,
		    struct nfv_flow_key *r)
{
	*r = *k;
	memcpy(r->src, k->dst, sizeof(r->src));
	memcpy(r->dst, k->src, sizeof(r->dst));
	r->sport = k->dport;
	r->dport = k->sport;
	r->in_port = in_port;
}

static int offload_new(struct nfvd_req *req, const struct nlattr **tb)
{
	struct nfv_prefix_rule rules[NFV_PREFIX_RULES_MAX];
	struct nfvd *d = req->d;
	struct nfvd_offload *o = d->offl;
	struct nfv_flow_key k, r;
	struct offl_dec dec;
	const char *why = NULL, *rwhy;
	int n_rules, err;

	if (!req->c->nf) {
		REQ_ERR(req, "only an NF gives verdicts");
		return -EPERM;
	}
	if (!o) {
		REQ_ERR(req, "offload is not available (no nfv_offload map)");
		return -EOPNOTSUPP;
	}
	if (!rate_take(o, (uint16_t)req->c->nf)) {
		REQ_ERR(req, "verdicts come faster than nfvd takes them");
		err = -EBUSY;
		goto refused;
	}
	err = parse_key(req, tb, &k);
	if (err)
		goto refused;
	o->st.verdicts++;
	n_rules = read_rules(d, rules);
	err = verdict(d, (uint16_t)req->c->nf, &k, rules, n_rules, &why);
	if (err) {
		REQ_ERR(req, why);
		goto refused;
	}
	/* The replies' direction: in where the chain goes out. */
	if (tb[NFV_A_OFFLOAD_BOTH] &&
	    !decide(d, &k, rules, n_rules, &dec, &rwhy)) {
		reverse(&k, dec.out_port, &r);
		if (verdict(d, (uint16_t)req->c->nf, &r, rules, n_rules, &rwhy))
			o->st.refused++;
	}
	return 0;
refused:
	o->st.refused++;
	return err;
}

static int offload_del(struct nfvd_req *req, const struct nlattr **tb)
{
	struct nfvd *d = req->d;
	struct nfvd_offload *o = d->offl;
	struct nfv_flow_key k;
	struct offl *e;
	uint32_t i;
	int err;

	if (!o)
		return 0;
	if (req->c->nf) {
		/* An NF: every flow it is part of. */
		offload_nf_gone(d, (uint16_t)req->c->nf);
		return 0;
	}
	if (!is_admin(req))
		return -EPERM;
	if (!tb[NFV_A_OFFLOAD_IN_IFINDEX]) {
		for (i = 0; i < NFV_OFFLOAD_MAX && o->n_used; i++)
			if (o->e[i].used)
				remove_entry(d, &o->e[i], &o->st.revoked);
		return 0;
	}
	err = parse_key(req, tb, &k);
	if (err)
		return err;
	e = lookup(o, &k);
	if (!e) {
		REQ_ERR(req, "no such offloaded flow");
		return -ENOENT;
	}
	remove_entry(d, e, &o->st.revoked);
	return 0;
}

static int cmd_offload(struct nfvd_req *req, uint8_t cmd)
{
	const struct nlattr *tb[NFV_A_OFFLOAD_MAX + 1];
	bool ack = req->nlh->nlmsg_flags & NLM_F_ACK;
	int err;

	err = parse_attrs(req, NULL, &nfv_offload_nl_set, NFV_NL_REQUEST, tb);
	if (cmd == NFV_CMD_OFFLOAD_NEW) {
		if (!err)
			err = offload_new(req, tb);
		else if (req->d->offl)
			req->d->offl->st.refused++;
		if (err)
			pr_debug("nfvd: NF %d: verdict refused: %s\n",
				 req->c->nf, req->err_msg ?: "bad request");
		/*
		 * A verdict is fire and forget: libnfv sends it from the
		 * packet loop and never reads an answer.  Only a caller
		 * that asked for one (a test, a tool) gets it.
		 */
		return ack ? err : 1;
	}
	if (err)
		return err;
	if (cmd == NFV_CMD_OFFLOAD_DEL)
		return offload_del(req, tb);
	if (!is_dump(req)) {
		REQ_ERR(req, "OFFLOAD_GET is a dump");
		return -EOPNOTSUPP;
	}
	return control_dump_start(req, NFV_CMD_OFFLOAD_GET);
}

static struct nlmsghdr *dump_offload(struct nfvd_req *req,
				     struct nfvd_dump *dp, void *buf)
{
	struct nfvd *d = req->d;
	struct nfvd_offload *o = d->offl;
	uint64_t now = nfvd_now_ns();

	while (o && dp->pos - 1 < NFV_OFFLOAD_MAX) {
		struct offl *e = &o->e[dp->pos++ - 1];
		size_t alen = e->key.family == AF_INET ? 4 : 16;
		struct nfv_offload_val v;
		struct nlmsghdr *nlh;
		int j;

		if (!e->used || !e->installed || read_val(d, &e->key, &v))
			continue;
		nlh = control_reply_start(req, buf, NFV_CMD_OFFLOAD_GET,
					  NLM_F_MULTI);
		mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IN_IFINDEX,
				 d->ports[e->key.in_port].ifindex);
		mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_PROTO, e->key.proto);
		mnl_attr_put_u8(nlh, NFV_A_OFFLOAD_FAMILY, e->key.family);
		mnl_attr_put(nlh, NFV_A_OFFLOAD_SRC, alen, e->key.src);
		mnl_attr_put(nlh, NFV_A_OFFLOAD_DST, alen, e->key.dst);
		mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_SPORT, ntohs(e->key.sport));
		mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_DPORT, ntohs(e->key.dport));
		mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_CHAIN, e->dec.chain);
		mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_OUT_IFINDEX,
				 e->dec.out_ifindex);
		mnl_attr_put_u64(nlh, NFV_A_OFFLOAD_PACKETS, v.packets);
		mnl_attr_put_u64(nlh, NFV_A_OFFLOAD_BYTES, v.bytes);
		/* As of the last sweep: counters are per CPU, no clock. */
		if (v.packets != e->seen)
			mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IDLE_MS, 0);
		else
			mnl_attr_put_u32(nlh, NFV_A_OFFLOAD_IDLE_MS,
					 (uint32_t)((now - e->moved_ns) / 1000000));
		if (v.ended)
			mnl_attr_put(nlh, NFV_A_OFFLOAD_ENDED, 0, NULL);
		for (j = 0; j < e->dec.n_need; j++)
			mnl_attr_put_u16(nlh, NFV_A_OFFLOAD_VOTER,
					 e->dec.need[j]);
		return nlh;
	}
	return NULL;
}

const struct nfvd_obj offload_obj = {
	.doit = cmd_offload,
	.dump = dump_offload,
};

/* ---- start and end ---- */

int offload_init(struct nfvd *d)
{
	struct bpf_map *m = bpf_object__find_map_by_name(d->obj, "nfv_offload");
	struct bpf_map *on = bpf_object__find_map_by_name(d->obj,
							  "nfv_offload_on");
	struct bpf_program *tc = bpf_object__find_program_by_name(d->obj,
								   "nfv_tc");
	uint32_t i;

	d->map_offload = m ? bpf_map__fd(m) : -1;
	d->map_offload_on = on ? bpf_map__fd(on) : -1;
	d->tc_prog_fd = tc ? bpf_program__fd(tc) : -1;
	if (d->map_offload < 0 || d->map_offload_on < 0 || d->tc_prog_fd < 0) {
		pr_info("nfvd: %s has no offload maps or nfv_tc: flows are never offloaded\n",
			d->cfg.bpf_obj);
		d->tc_prog_fd = -1;
		return 0;
	}
	d->offl = calloc(1, sizeof(*d->offl));
	if (!d->offl)
		return -ENOMEM;
	/* Popped from the end: slot 0 first. */
	for (i = 0; i < NFV_OFFLOAD_MAX; i++)
		d->offl->free[i] = NFV_OFFLOAD_MAX - 1 - i;
	d->offl->tables_gen = d->tables->gen;
	d->offl->n_cpus = libbpf_num_possible_cpus();
	if (d->offl->n_cpus <= 0)
		return -EINVAL;
	d->offl->pcpu = calloc((size_t)d->offl->n_cpus,
			       sizeof(*d->offl->pcpu));
	if (!d->offl->pcpu)
		return -ENOMEM;
	return 0;
}

void offload_fini(struct nfvd *d)
{
	if (d->offl)
		free(d->offl->pcpu);
	free(d->offl);
	d->offl = NULL;
}
