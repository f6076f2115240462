// SPDX-License-Identifier: GPL-2.0
/*
 * nfvd on the kernel backend: when the generic netlink family "nfv"
 * exists (nfv.ko is loaded), the module writes the XDP program's tables
 * and nfvd does what only a process can (docs/kmod.md §2, §3):
 *
 *   - at start-up it hands its maps to the module (MAPS_SET, on a socket
 *     kept open for its lifetime: the binding ends when nfvd does);
 *   - it listens to the module's "events": on PORT_EVENT it attaches the
 *     classifier to the port and opens its owner sockets (pools), or
 *     detaches; on CHAIN_EVENT and NF_EVENT it re-reads the maps into its
 *     read-only mirror for NFs (struct nfv_tables);
 *   - NF ids come from /dev/nfv: nfvd opens it for each NF, ATTACHes with
 *     the NF's pid, passes the file to the NF (NFV_FD_NF_DEV), READYs it
 *     once the NF's sockets are in nfv_xsks and closes its own copy, so
 *     the NF's death of any kind is the file's last close; NF_EVENT DEAD
 *     or the NF's connection closing, whichever comes first, takes it
 *     down and reclaims its frames (nf_gone(): once);
 *   - requests on nfvd's socket that are about the tables (ports, chains,
 *     flows, services) are forwarded to the module and its answer relayed,
 *     so both sockets show one fabric; NFs, stats and the NF protocol stay
 *     nfvd's.
 *
 * NFV_BACKEND=daemon in nfvd's environment keeps the module out (nfvd
 * writes the tables as without it); NFV_BACKEND=kernel makes a missing
 * module an error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <libmnl/libmnl.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "control.h"
#include "dpif.h"
#include "events.h"
#include "flow.h"
#include "flow_idle.h"
#include "flows.h"
#include "heartbeat.h"
#include "holders.h"
#include "nf.h"
#include "nfvd.h"
#include "offload.h"
#include "port.h"
#include "recycle.h"
#include "segment.h"
#include "stale.h"
#include "tables.h"

#define KB_RECV_BUF	(64 * 1024)
#define KB_TIMEOUT_S	5

struct nfvd_kernel {
	struct mnl_socket *cmd;		/* MAPS_SET binder; our requests */
	struct mnl_socket *ev;		/* member of "events" */
	uint16_t family;
	uint32_t group;
	uint32_t seq;
	int dev_fd[NFV_NF_MAX];		/* our copy until READY, else -1 */
	char *buf;			/* answers to our requests */
	char *evbuf;			/* events: handling one may ask */
};

/* ---- requests to the module ---- */

typedef int (*kb_cb_t)(struct nfvd *d, const struct nlmsghdr *nlh,
		       void *data);

static struct nlmsghdr *kb_start(struct nfvd *d, void *buf, uint8_t cmd,
				 uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = d->kern ? d->kern->family : GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NFV_GENL_VERSION;
	return nlh;
}

/* The extack message and offset of an NLMSG_ERROR (NETLINK_CAP_ACK). */
static void kb_extack(const struct nlmsghdr *nlh, const char **msg,
		      uint32_t *off)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const struct nlattr *attr;
	size_t hdr = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hdr += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	if (hdr >= len)
		return;
	mnl_attr_for_each_payload((const void *)((const char *)e + hdr),
				  len - hdr) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			*msg = mnl_attr_get_str(attr);
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			*off = mnl_attr_get_u32(attr);
	}
}

#define KB_MORE		1	/* kb_answer(): the answer goes on */

/*
 * The messages answering request @seq in one datagram from the module:
 * each data message to @cb, until the ack, the error or NLMSG_DONE.
 * KB_MORE (more datagrams to come), or the answer's end: 0, the module's
 * -errno (@req: its extack message) or @cb's.
 */
static int kb_answer(struct nfvd *d, const void *buf, int len, uint32_t seq,
		     kb_cb_t cb, void *data, struct nfvd_req *req)
{
	static char ext[256];
	const struct nlmsghdr *m;

	for (m = buf; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
		const struct nlmsgerr *e;
		int err;

		if (m->nlmsg_seq != seq)
			continue;
		switch (m->nlmsg_type) {
		case NLMSG_ERROR:
			if (mnl_nlmsg_get_payload_len(m) < sizeof(*e))
				return -EBADMSG;
			e = mnl_nlmsg_get_payload(m);
			if (e->error && req) {
				const char *msg = NULL;
				uint32_t off = 0;

				kb_extack(m, &msg, &off);
				if (msg) {
					snprintf(ext, sizeof(ext), "%s", msg);
					req->err_msg = ext;
				}
				req->err_off = off;
			}
			return e->error;
		case NLMSG_DONE:
			if (mnl_nlmsg_get_payload_len(m) >= sizeof(int) &&
			    *(const int *)mnl_nlmsg_get_payload(m) < 0)
				return *(const int *)mnl_nlmsg_get_payload(m);
			return 0;
		case NLMSG_NOOP:
		case NLMSG_OVERRUN:
			continue;
		}
		if (cb) {
			err = cb(d, m, data);
			if (err)
				return err;
		}
	}
	return KB_MORE;
}

/*
 * Send @nlh on @nl and feed each data message answering it to @cb until
 * the ack, the error or NLMSG_DONE.  0, the module's -errno (@req: its
 * extack message) or a transport -errno.
 */
static int kb_request(struct nfvd *d, struct mnl_socket *nl, uint16_t family,
		      struct nlmsghdr *nlh, kb_cb_t cb, void *data,
		      struct nfvd_req *req)
{
	uint32_t seq = ++d->kern->seq;
	char *buf = d->kern->buf;

	nlh->nlmsg_type = family;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	/* NLM_F_EXCL is NLM_F_MATCH's bit: a dump has both of NLM_F_DUMP. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, KB_RECV_BUF);
		int err;

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		err = kb_answer(d, buf, (int)n, seq, cb, data, req);
		if (err != KB_MORE)
			return err;
	}
}

static struct mnl_socket *kb_socket(void)
{
	struct timeval tv = { .tv_sec = KB_TIMEOUT_S };
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	int one = 1;

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	return nl;
}

/* ---- the family: id and the "events" group ---- */

static int family_cb(struct nfvd *d, const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *grp, *b;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			d->kern->family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(grp, a) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(b, grp) {
				if (mnl_attr_get_type(b) == CTRL_ATTR_MCAST_GRP_NAME &&
				    mnl_attr_validate(b, MNL_TYPE_NUL_STRING) >= 0)
					name = mnl_attr_get_str(b);
				if (mnl_attr_get_type(b) == CTRL_ATTR_MCAST_GRP_ID &&
				    mnl_attr_validate(b, MNL_TYPE_U32) >= 0)
					id = mnl_attr_get_u32(b);
			}
			if (name && !strcmp(name, NFV_MCGRP_EVENTS))
				d->kern->group = id;
		}
	}
	return 0;
}

static int kb_family(struct nfvd *d)
{
	char buf[256];
	struct nlmsghdr *nlh = kb_start(d, buf, CTRL_CMD_GETFAMILY, 0);
	int err;

	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NFV_GENL_NAME);
	err = kb_request(d, d->kern->cmd, GENL_ID_CTRL, nlh, family_cb, NULL,
			 NULL);
	if (err)
		return err;
	return d->kern->family && d->kern->group ? 0 : -ENOENT;
}

static int kb_maps_set(struct nfvd *d)
{
	char buf[256];
	struct nlmsghdr *nlh = kb_start(d, buf, NFV_CMD_MAPS_SET, 0);
	static char ext[256];
	struct nfvd_req req = { .d = d, .nlh = nlh };
	int err;

	mnl_attr_put_u32(nlh, NFV_A_MAPS_PORTS, (uint32_t)d->map_ports);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_CHAINS, (uint32_t)d->map_chains);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_SERVICES, (uint32_t)d->map_services);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_FLOWS, (uint32_t)d->map_flows);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_RULES, (uint32_t)d->map_rules);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_DEVMAP, (uint32_t)d->map_devmap);
	mnl_attr_put_u32(nlh, NFV_A_MAPS_STATS, (uint32_t)d->map_stats);
	err = kb_request(d, d->kern->cmd, d->kern->family, nlh, NULL, NULL,
			 &req);
	if (err) {
		snprintf(ext, sizeof(ext), "%s", req.err_msg ?: "");
		pr_warn("nfvd: nfv.ko refused our maps: %s%s%s\n",
			strerror(-err), *ext ? ": " : "", ext);
	}
	return err;
}

/* ---- the mirror, from the maps the module writes ---- */

static void mirror_bump(struct nfvd *d)
{
	__atomic_add_fetch(&d->tables->gen, 1, __ATOMIC_RELEASE);
}

static void mirror_chain(struct nfvd *d, uint16_t id)
{
	struct nfv_chain c;
	uint32_t key = id;

	if (!id || id > NFV_CHAIN_MAX)
		return;
	if (bpf_map_lookup_elem(d->map_chains, &key, &c))
		memset(&c, 0, sizeof(c));
	d->tables->chains[id] = c;
}

/*
 * A service as the module wrote it, without the replicas nfvd already
 * took down (their connection closed before the module saw their file
 * go): nfvd may reclaim their frames before the module's event comes, so
 * no NF may hand them one more.  The module reaches the same table.
 */
static void mirror_service(struct nfvd *d, uint16_t sid)
{
	struct nfv_service s;
	uint32_t key = sid;
	int r;

	if (!sid || sid > NFV_SERVICE_MAX)
		return;
	if (bpf_map_lookup_elem(d->map_services, &key, &s))
		memset(&s, 0, sizeof(s));
	d->tables->services[sid] = s;
	for (r = 0; r < s.n_live && r < NFV_REPLICA_MAX; r++) {
		const struct nfvd_nf *nf = &d->nfs[s.replicas[r] %
						   NFV_NF_MAX];

		if (nf->id && nf->state == NFV_NF_STATE_DEAD)
			tables_service_del(d, sid, nf->id);
	}
}

static void mirror_all(struct nfvd *d)
{
	int i;

	for (i = 1; i <= NFV_CHAIN_MAX; i++)
		mirror_chain(d, (uint16_t)i);
	for (i = 1; i <= NFV_SERVICE_MAX; i++)
		mirror_service(d, (uint16_t)i);
	mirror_bump(d);
	nf_chains_changed(d);
}

/* ---- ports: what the module has, nfvd serves ---- */

struct kport {
	uint16_t id, default_chain;
	uint32_t ifindex, flags, queues;
	uint8_t mode;
	char name[IF_NAMESIZE];
};

struct kports {
	struct kport p[NFV_PORT_MAX];
	int n;
};

static int port_parse(const struct nlattr *start, size_t len,
		      struct kport *kp)
{
	const struct nlattr *attr;

	memset(kp, 0, sizeof(*kp));
	mnl_attr_for_each_payload(start, len) {
		switch (mnl_attr_get_type(attr)) {
		case NFV_A_PORT_IFINDEX:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
				kp->ifindex = mnl_attr_get_u32(attr);
			break;
		case NFV_A_PORT_NAME:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(kp->name, sizeof(kp->name), "%s",
					 mnl_attr_get_str(attr));
			break;
		case NFV_A_PORT_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
				kp->id = mnl_attr_get_u16(attr);
			break;
		case NFV_A_PORT_MODE:
			if (mnl_attr_validate(attr, MNL_TYPE_U8) >= 0)
				kp->mode = mnl_attr_get_u8(attr);
			break;
		case NFV_A_PORT_DEFAULT_CHAIN:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
				kp->default_chain = mnl_attr_get_u16(attr);
			break;
		case NFV_A_PORT_FLAGS:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
				kp->flags = mnl_attr_get_u32(attr);
			break;
		case NFV_A_PORT_QUEUES:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
				kp->queues = mnl_attr_get_u32(attr);
			break;
		}
	}
	if (!kp->id || kp->id >= NFV_PORT_MAX || !kp->ifindex)
		return -EPROTO;
	if (!kp->queues)
		kp->queues = 1;
	if (kp->queues > NFV_QUEUE_MAX)
		kp->queues = NFV_QUEUE_MAX;
	return 0;
}

static int port_dump_cb(struct nfvd *d, const struct nlmsghdr *nlh,
			void *data)
{
	struct kports *ps = data;

	if (ps->n < NFV_PORT_MAX &&
	    !port_parse(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN,
			&ps->p[ps->n]))
		ps->n++;
	return 0;
}

static uint32_t xdp_mode_flags(uint8_t mode)
{
	return mode == NFV_PORT_MODE_GENERIC ? XDP_FLAGS_SKB_MODE
					     : XDP_FLAGS_DRV_MODE;
}

/*
 * Our program on @ifindex: attach, in place of the classifier of a gone
 * nfvd (stale heartbeat), or find it there already.
 */
static int port_attach(struct nfvd *d, const struct nfvd_port *p)
{
	struct bpf_prog_info info = {};
	uint32_t len = sizeof(info), cur = 0;
	int err;

	err = stale_attach(d, p->ifindex, xdp_mode_flags(p->mode));
	if (err != -EBUSY && err != -EEXIST)
		return err;
	if (bpf_obj_get_info_by_fd(d->prog_fd, &info, &len) ||
	    bpf_xdp_query_id((int)p->ifindex, xdp_mode_flags(p->mode), &cur) ||
	    cur != info.id)
		return err;
	return 0;
}

static void kill_holders(struct nfvd *d, uint64_t start);

/*
 * After a kill -9 of the last nfvd its leftovers hold a port for a while:
 * its classifier until the heartbeat is stale, the queue's buffer pool
 * until the NFs have closed their old sockets.  At start-up (@patient)
 * wait for them as a state restore does; later an EBUSY is somebody
 * else's and is reported at once.
 */
static bool retry_busy(struct nfvd *d, int err, bool patient, uint64_t *give_up)
{
	static uint64_t start;
	static bool killed;

	if (err != -EBUSY || !patient)
		return false;
	if (!start)
		start = nfvd_now_ns();
	if (!*give_up)
		*give_up = nfvd_now_ns() +
			((uint64_t)d->cfg.heartbeat_timeout_ms + 3000) * 1000000ULL;
	if (nfvd_now_ns() > *give_up)
		return false;
	/* NFs keeping the dead nfvd's sockets: the module knows them. */
	if (!killed && nfvd_now_ns() - start >= HOLDERS_GRACE_NS) {
		killed = true;
		kill_holders(d, start);
	}
	heartbeat_tick(d);
	usleep(20000);
	return true;
}

/* Serve the module's port @kp: pools, mirror, classifier, NF sockets. */
static void port_adopt(struct nfvd *d, const struct kport *kp, bool patient)
{
	struct nfvd_port *p = &d->ports[kp->id];
	uint64_t give_up = 0;
	int q, err = 0;

	memset(p, 0, sizeof(*p));
	p->ifindex = kp->ifindex;
	snprintf(p->name, sizeof(p->name), "%s", kp->name);
	p->mode = kp->mode;
	p->default_chain = kp->default_chain;
	p->flags = kp->flags;
	p->n_queues = (uint16_t)kp->queues;
	for (q = 0; q < p->n_queues; q++) {
		do
			p->pools[q] = port_pool_get(d, p->ifindex,
						    (uint16_t)q, &err);
		while (!p->pools[q] && retry_busy(d, err, patient, &give_up));
		if (!p->pools[q]) {
			pr_warn("nfvd: port %s: cannot open its AF_XDP owner socket on queue %d: %s\n",
				p->name, q, strerror(-err));
			for (q = 0; q < NFV_QUEUE_MAX; q++)
				port_pool_put(d, p->pools[q]);
			memset(p, 0, sizeof(*p));
			return;
		}
	}
	p->id = kp->id;
	tables_port_write(d, p);	/* the mirror: the module wrote the map */
	offload_port_prepare(d, p->name);
	do
		err = port_attach(d, p);
	while (err && retry_busy(d, err, patient, &give_up));
	if (err)
		pr_warn("nfvd: port %s: cannot attach the classifier: %s\n",
			p->name, strerror(-err));
	else
		offload_port_up(d, p);
	err = segment_up(d, p);
	if (err)
		pr_warn("nfvd: port %s: no segmenter, super-frames for NFs are dropped: %s\n",
			p->name, strerror(-err));
	recycle(d);
	nf_port_added(d, p);
	pr_info("nfvd: port %s id %u queues %u %s (nfv.ko)\n", p->name, p->id,
		p->n_queues,
		p->mode == NFV_PORT_MODE_GENERIC ? "generic" : "native");
	events_port(d, p, false);
}

/*
 * Make nfvd's ports the module's: a port deleted and added again before
 * we looked stays attached (no window without the classifier).
 */
static int ports_sync(struct nfvd *d, bool patient)
{
	struct kports ps = { .n = 0 };
	char buf[256];
	struct nlmsghdr *nlh = kb_start(d, buf, NFV_CMD_PORT_GET, NLM_F_DUMP);
	int err, i, k;

	err = kb_request(d, d->kern->cmd, d->kern->family, nlh, port_dump_cb,
			 &ps, NULL);
	if (err) {
		pr_warn("nfvd: nfv.ko: cannot dump ports: %s\n",
			strerror(-err));
		return err;
	}
	for (i = 1; i < NFV_PORT_MAX; i++) {
		struct nfvd_port *p = &d->ports[i];
		const struct kport *kp = NULL;

		if (!p->id)
			continue;
		for (k = 0; k < ps.n; k++)
			if (ps.p[k].id == p->id)
				kp = &ps.p[k];
		if (kp && kp->ifindex == p->ifindex && kp->mode == p->mode &&
		    kp->queues == p->n_queues) {
			p->default_chain = kp->default_chain;
			p->flags = kp->flags;
			tables_port_write(d, p);
			continue;
		}
		pr_info("nfvd: port %s id %u gone from nfv.ko\n", p->name,
			p->id);
		port_del(d, p);
	}
	for (k = 0; k < ps.n; k++)
		if (!d->ports[ps.p[k].id].id)
			port_adopt(d, &ps.p[k], patient);
	return 0;
}

/*
 * ---- the rules nfvd holds on nfv.ko ----
 *
 * The module stores every rule; nfvd answers for the few it must police
 * or sweep (an NF's, one with an idle timeout): flow.c admits them as on
 * the module-less backend and writes them here, from the socket that
 * bound the maps (the module takes OWNER and IDLE_TIMEOUT from it alone).
 * nfvd's list holds only those; whoever removes or replaces one
 * elsewhere (nfvctl -b kernel), the module's FLOW_EVENT says so.
 */

/* The same rule: chain, owner and timeout (the match is compared). */
static bool same_rule(const struct nfvd_flow *a, const struct nfvd_flow *b)
{
	return a->chain == b->chain && a->owner == b->owner &&
	       a->idle_ms == b->idle_ms;
}

static int kb_flow_write(struct nfvd *d, const struct nfvd_flow *f,
			 bool add)
{
	static char why[256];
	struct nfvd_client c = { .fd = -1 };
	struct nfvd_req req = { .d = d, .c = &c };
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	int err;

	nlh = kb_start(d, buf, add ? NFV_CMD_FLOW_NEW : NFV_CMD_FLOW_DEL,
		       add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	if (add)
		flow_put(nlh, f, false);
	else
		flow_put_match(nlh, f);
	if (add && f->owner)
		mnl_attr_put_u16(nlh, NFV_A_FLOW_OWNER, f->owner);
	err = kb_request(d, d->kern->cmd, d->kern->family, nlh, NULL, NULL,
			 &req);
	if (err && req.err_msg) {
		snprintf(why, sizeof(why), "nfv.ko: %s", req.err_msg);
		d->dp_why = why;
	}
	if (err && !(err == -ENOENT && !add))
		pr_debug("nfvd: nfv.ko: flow %s of chain %u: %s\n",
			 add ? "add" : "delete", f->chain, strerror(-err));
	return err == -ENOENT && !add ? 0 : err;
}

/*
 * An NF's rule kept at its death becomes an administrator's: its owner
 * changed in place (NLM_F_REPLACE, nfvd's alone), chain and order kept.
 */
static int kb_flow_disown(struct nfvd *d, const struct nfvd_flow *f)
{
	struct nfvd_client c = { .fd = -1 };
	struct nfvd_req req = { .d = d, .c = &c };
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	struct nfvd_flow admin = *f;
	int err;

	admin.owner = 0;
	nlh = kb_start(d, buf, NFV_CMD_FLOW_NEW, NLM_F_REPLACE);
	flow_put(nlh, &admin, false);
	err = kb_request(d, d->kern->cmd, d->kern->family, nlh, NULL, NULL,
			 &req);
	if (err)
		pr_warn("nfvd: nfv.ko: a dead NF's rule of chain %u kept, but still its: %s\n",
			f->chain, req.err_msg ?: strerror(-err));
	return err;
}

static int flow_get_cb(struct nfvd *d, const struct nlmsghdr *nlh,
		       void *data)
{
	return flow_from_msg(d, nlh, data) ? -EBADMSG : 0;
}

/* The module's rule with @f's match, in *@now: 1, 0 (none) or -errno. */
static int kb_flow_get(struct nfvd *d, const struct nfvd_flow *f,
		       struct nfvd_flow *now)
{
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh = kb_start(d, buf, NFV_CMD_FLOW_GET, 0);
	int err;

	flow_put_match(nlh, f);
	err = kb_request(d, d->kern->cmd, d->kern->family, nlh, flow_get_cb,
			 now, NULL);
	return !err ? 1 : err == -ENOENT ? 0 : err;
}

/* Whether the module has a rule with @f's match: 1, 0 or -errno. */
static int kb_flow_exists(struct nfvd *d, const struct nfvd_flow *f)
{
	struct nfvd_flow now;

	return kb_flow_get(d, f, &now);
}

/*
 * A FLOW_EVENT about a match nfvd holds: unless it says nfvd's rule (the
 * echo of nfvd's own write), someone else removed or replaced it.  The
 * module is asked what it has now, since the event may be older than
 * nfvd's latest write: nfvd forgets its rule unless the module has it
 * as nfvd wrote it.
 */
static void kb_flow_event(struct nfvd *d, const struct nlmsghdr *nlh)
{
	struct nfvd_flow f, now, *e;
	const struct nlattr *a;
	bool removed = false;
	int r;

	if (flow_from_msg(d, nlh, &f))
		return;
	e = flows_find(d, &f);
	if (!e)
		return;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == NFV_A_FLOW_REMOVED)
			removed = true;
	if (!removed && same_rule(e, &f))
		return;
	r = kb_flow_get(d, e, &now);
	if (r == 0 || (r == 1 && !same_rule(e, &now)))
		flow_forget(d, e);
}

struct kflows {
	struct nfvd_flow *f;
	size_t n, max;
};

static int flow_dump_cb(struct nfvd *d, const struct nlmsghdr *nlh,
			void *data)
{
	struct kflows *kf = data;
	struct nfvd_flow f, *more;

	if (flow_from_msg(d, nlh, &f) || (!f.owner && !f.idle_ms))
		return 0;
	if (kf->n == kf->max) {
		kf->max = kf->max ? kf->max * 2 : 64;
		more = realloc(kf->f, kf->max * sizeof(*more));
		if (!more)
			return -ENOMEM;
		kf->f = more;
	}
	kf->f[kf->n++] = f;
	return 0;
}

/*
 * After lost events: the rules nfvd holds against one dump of the
 * module's (those with an owner or a timeout: nfvd holds no other but a
 * kept one, which it need not).  One request, whatever their number.
 */
static void kb_flows_check(struct nfvd *d)
{
	char buf[256];
	struct nlmsghdr *nlh = kb_start(d, buf, NFV_CMD_FLOW_GET, NLM_F_DUMP);
	struct kflows kf = { 0 };
	struct nfvd_flow *e, *next;
	size_t i;
	int err;

	err = kb_request(d, d->kern->cmd, d->kern->family, nlh, flow_dump_cb,
			 &kf, NULL);
	if (err) {
		free(kf.f);
		pr_warn("nfvd: nfv.ko: cannot read its flow rules: %s\n",
			strerror(-err));
		return;
	}
	for (e = d->flows; e; e = e->next)
		e->seen = false;
	for (i = 0; i < kf.n; i++) {
		e = flows_find(d, &kf.f[i]);
		if (e && same_rule(e, &kf.f[i]))
			e->seen = true;
	}
	free(kf.f);
	for (e = d->flows; e; e = next) {
		next = e->next;
		if (!e->seen)
			flow_forget(d, e);
	}
}

/*
 * nfvd (re)starting: an NF's rules went with the nfvd that admitted them
 * (as without the module); rules with an idle timeout are swept again.
 */
static int kb_flows_restore(struct nfvd *d)
{
	char buf[256];
	struct nlmsghdr *nlh = kb_start(d, buf, NFV_CMD_FLOW_GET, NLM_F_DUMP);
	struct kflows kf = { 0 };
	struct nfvd_flow *e;
	size_t i, gone = 0, kept = 0;
	int err;

	err = kb_request(d, d->kern->cmd, d->kern->family, nlh, flow_dump_cb,
			 &kf, NULL);
	for (i = 0; !err && i < kf.n; i++) {
		if (kf.f[i].owner) {
			if (!kb_flow_write(d, &kf.f[i], false))
				gone++;
			else
				kept++;
			continue;
		}
		if (flows_find(d, &kf.f[i]))
			continue;	/* held already */
		e = malloc(sizeof(*e));
		if (e)
			*e = kf.f[i];
		if (!e || flows_insert(d, e)) {
			free(e);
			err = -ENOMEM;
			break;
		}
		d->n_exact_flows += e->exact;
		flow_idle_added(d, e);
	}
	free(kf.f);
	if (err)
		pr_warn("nfvd: nfv.ko: cannot read its flow rules: %s\n",
			strerror(-err));
	else if (kf.n)
		pr_info("nfvd: nfv.ko: %zu rules of NFs of the last nfvd removed (%zu could not be), %zu with idle timeouts swept again\n",
			gone, kept, kf.n - gone - kept);
	return err;
}

/* ---- NFs ---- */

static const char *dev_path(void)
{
	return getenv("NFV_DEV") ?: "/dev/" NFV_DEV_NAME;
}

static int kbackend_nf_open(struct nfvd_req *req,
			    const struct nfvd_nf *back, uint16_t service,
			    uint32_t flags, const char *name, int *fd)
{
	struct nfvd *d = req->d;
	struct nfv_dev_attach a = {
		.service = service,
		.flags = flags,
		.pid = (uint32_t)req->c->pid,
	};
	int err;

	snprintf(a.name, sizeof(a.name), "%s", name ?: "");
	*fd = open(dev_path(), O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		err = -errno;
		REQ_ERR(req, "cannot open /dev/nfv");
		return err;
	}
	if (ioctl(*fd, NFV_IOC_ATTACH, &a)) {
		err = -errno;
		REQ_ERR(req, err == -ENOSPC ? "too many NF instances" :
			"nfv.ko refused the NF (NFV_IOC_ATTACH)");
		goto fail;
	}
	if (!a.id || a.id >= NFV_NF_MAX || d->nfs[a.id].id) {
		/* Its previous holder's frames are still being reclaimed. */
		REQ_ERR(req, "NF id from nfv.ko still in use, try again");
		err = -EAGAIN;
		goto fail;
	}
	d->kern->dev_fd[a.id] = *fd;
	return a.id;
fail:
	close(*fd);
	*fd = -1;
	return err;
}

static int kbackend_nf_ready(struct nfvd *d, struct nfvd_nf *nf)
{
	int *fd = &d->kern->dev_fd[nf->id];

	if (*fd < 0 || ioctl(*fd, NFV_IOC_READY))
		return *fd < 0 ? -EBADF : -errno;
	/* The module wrote nfv_services before it returned. */
	mirror_service(d, nf->service);
	mirror_bump(d);
	/* From now on its death is the last close of its own copy. */
	close(*fd);
	*fd = -1;
	return 0;
}

static void kbackend_nf_release(struct nfvd *d, uint16_t id)
{
	if (!d->kern || !id || id >= NFV_NF_MAX || d->kern->dev_fd[id] < 0)
		return;
	close(d->kern->dev_fd[id]);
	d->kern->dev_fd[id] = -1;
}

struct knf {
	uint16_t id, service;
	uint8_t state;
	uint32_t pid;
};

static void nf_parse(const struct nlmsghdr *nlh, struct knf *k)
{
	const struct nlattr *a;

	memset(k, 0, sizeof(*k));
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case NFV_A_NF_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
				k->id = mnl_attr_get_u16(a);
			break;
		case NFV_A_NF_SERVICE:
			if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
				k->service = mnl_attr_get_u16(a);
			break;
		case NFV_A_NF_STATE:
			if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				k->state = mnl_attr_get_u8(a);
			break;
		case NFV_A_NF_PID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				k->pid = mnl_attr_get_u32(a);
			break;
		}
	}
}

/* The module says NF @k died: nfvd's NF of that id, if it is that one. */
static void nf_dead(struct nfvd *d, const struct knf *k)
{
	struct nfvd_nf *nf;

	if (!k->id || k->id >= NFV_NF_MAX)
		return;
	nf = &d->nfs[k->id];
	if (!nf->id || nf->service != k->service ||
	    nf->state == NFV_NF_STATE_DEAD)
		return;
	pr_info("nfvd: nf %u: nfv.ko saw its file close\n", nf->id);
	nf_gone(d, nf);
}

static int nf_dump_cb(struct nfvd *d, const struct nlmsghdr *nlh, void *data)
{
	uint8_t *alive = data;
	struct knf k;

	nf_parse(nlh, &k);
	if (k.id && k.id < NFV_NF_MAX && k.state != NFV_NF_STATE_DEAD)
		alive[k.id] = 1;
	return 0;
}

struct knf_pids {
	pid_t pids[NFV_NF_MAX];
	uint16_t ids[NFV_NF_MAX];
	int n;
};

static int nf_pid_cb(struct nfvd *d, const struct nlmsghdr *nlh, void *data)
{
	struct knf_pids *kp = data;
	struct knf k;

	(void)d;
	nf_parse(nlh, &k);
	if (k.id && k.id < NFV_NF_MAX && k.pid && kp->n < NFV_NF_MAX &&
	    k.state != NFV_NF_STATE_DEAD) {
		kp->ids[kp->n] = k.id;
		kp->pids[kp->n++] = (pid_t)k.pid;
	}
	return 0;
}

/* The module's NFs that still hold a dead nfvd's sockets: killed. */
static void kill_holders(struct nfvd *d, uint64_t start)
{
	static struct knf_pids kp;
	char buf[256];
	struct nlmsghdr *nlh = kb_start(d, buf, NFV_CMD_NF_GET, NLM_F_DUMP);

	kp.n = 0;
	if (kb_request(d, d->kern->cmd, d->kern->family, nlh, nf_pid_cb,
		       &kp, NULL))
		return;
	holders_kill(kp.pids, kp.ids, kp.n, start);
}

/* After lost events: every NF the module no longer has is dead. */
static void nfs_sync(struct nfvd *d)
{
	static uint8_t alive[NFV_NF_MAX];
	char buf[256];
	struct nlmsghdr *nlh = kb_start(d, buf, NFV_CMD_NF_GET, NLM_F_DUMP);
	int i;

	memset(alive, 0, sizeof(alive));
	if (kb_request(d, d->kern->cmd, d->kern->family, nlh, nf_dump_cb,
		       alive, NULL))
		return;
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (nf->id && nf->state != NFV_NF_STATE_DEAD && !alive[i])
			nf_gone(d, nf);
	}
}

/* ---- events ---- */

static void resync(struct nfvd *d)
{
	pr_warn("nfvd: nfv.ko events lost: reading everything again\n");
	ports_sync(d, false);
	nfs_sync(d);
	mirror_all(d);
	kb_flows_check(d);
}

static void event(struct nfvd *d, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct knf k;

	if (nlh->nlmsg_type != d->kern->family ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return;
	switch (g->cmd) {
	case NFV_CMD_PORT_EVENT:
		ports_sync(d, false);
		break;
	case NFV_CMD_CHAIN_EVENT:
		mnl_attr_for_each(a, nlh, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == NFV_A_CHAIN_ID &&
			    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
				mirror_chain(d, mnl_attr_get_u16(a));
		mirror_bump(d);
		nf_chains_changed(d);
		break;
	case NFV_CMD_FLOW_EVENT:
		if (d->flows)
			kb_flow_event(d, nlh);
		break;
	case NFV_CMD_NF_EVENT:
		nf_parse(nlh, &k);
		if (k.state == NFV_NF_STATE_DEAD)
			nf_dead(d, &k);
		mirror_service(d, k.service);
		mirror_bump(d);
		break;
	}
}

static void kbackend_input(struct nfvd *d)
{
	struct nfvd_kernel *k = d->kern;

	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(k->ev), k->evbuf, KB_RECV_BUF,
				 MSG_DONTWAIT);
		const struct nlmsghdr *nlh;
		int len;

		if (n < 0 && errno == ENOBUFS) {
			resync(d);
			continue;
		}
		if (n <= 0)
			return;
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)k->evbuf;
		     mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			event(d, nlh);
	}
}

/* ---- nfvd's socket ---- */

static int relay_cb(struct nfvd *d, const struct nlmsghdr *m, void *data)
{
	struct nfvd_req *req = data;
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	if (m->nlmsg_len > sizeof(buf))
		return -EMSGSIZE;
	memcpy(buf, m, m->nlmsg_len);
	nlh->nlmsg_type = req->nlh->nlmsg_type;
	nlh->nlmsg_seq = req->nlh->nlmsg_seq;
	nlh->nlmsg_pid = req->nlh->nlmsg_pid;
	return control_reply(req, nlh, NULL, 0);
}

/*
 * A dump asked on nfvd's socket goes on as its client reads (client.c):
 * on a netlink socket of its own, one datagram of the module's answer is
 * relayed at a time (kbackend_dump_next()), and the module fills the next
 * one only as that one is read.
 */
static int relay_dump_start(struct nfvd_req *req, uint8_t cmd,
			    struct nlmsghdr *nlh)
{
	struct nfvd_dump *dp = &req->c->dump;
	struct nfvd *d = req->d;
	struct mnl_socket *nl = kb_socket();
	int err;

	if (!nl) {
		err = -errno;
		REQ_ERR(req, "cannot open a netlink socket");
		return err;
	}
	nlh->nlmsg_type = d->kern->family;
	nlh->nlmsg_seq = ++d->kern->seq;
	nlh->nlmsg_pid = 0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		mnl_socket_close(nl);
		REQ_ERR(req, "nfv.ko did not answer");
		return err;
	}
	memset(dp, 0, sizeof(*dp));
	dp->cmd = cmd;
	dp->req = *req->nlh;
	dp->relay = nl;
	dp->relay_seq = nlh->nlmsg_seq;
	return CONTROL_DUMP;
}

static void kbackend_dump_stop(struct nfvd_dump *dp);

static int kbackend_dump_next(struct nfvd_req *req)
{
	struct nfvd_dump *dp = &req->c->dump;
	static char buf[KB_RECV_BUF];
	ssize_t n;
	int err;

	/* Blocking, on the module (KB_TIMEOUT_S): it answers at once. */
	n = mnl_socket_recvfrom(dp->relay, buf, sizeof(buf));
	if (n < 0)
		err = errno == EAGAIN ? -ETIMEDOUT : -errno;
	else
		err = kb_answer(req->d, buf, (int)n, dp->relay_seq, relay_cb,
				req, req);
	if (err == KB_MORE)
		return 1;
	kbackend_dump_stop(dp);
	if (err < 0 && !req->err_msg)
		REQ_ERR(req, "nfv.ko did not answer");
	return err;
}

static void kbackend_dump_stop(struct nfvd_dump *dp)
{
	if (dp->relay)
		mnl_socket_close(dp->relay);
	dp->relay = NULL;
}

static bool has_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return true;
	return false;
}

static int kbackend_control(struct nfvd_req *req, uint8_t cmd)
{
	struct nfvd *d = req->d;
	char buf[NFV_MSG_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	int err;

	switch (cmd) {
	case NFV_CMD_PORT_NEW:
	case NFV_CMD_PORT_DEL:
	case NFV_CMD_CHAIN_NEW:
	case NFV_CMD_CHAIN_DEL:
	case NFV_CMD_FLOW_NEW:
	case NFV_CMD_FLOW_DEL:
		/*
		 * nfvd answers for the rules it polices or sweeps (an NF's,
		 * one with an idle timeout) and writes them to the module;
		 * and for an OWNER, which only it may give (nfvd's socket
		 * is the one the module takes OWNER from: never relayed).
		 */
		if ((cmd == NFV_CMD_FLOW_NEW || cmd == NFV_CMD_FLOW_DEL) &&
		    (req->c->nf || has_attr(req->nlh, NFV_A_FLOW_IDLE_TIMEOUT) ||
		     has_attr(req->nlh, NFV_A_FLOW_OWNER) || flow_held(req)))
			return NFVD_DP_LOCAL;
		/* The module sees nfvd's CAP_NET_ADMIN, not the client's. */
		if (req->c->uid != 0) {
			REQ_ERR(req, "operation requires root");
			return -EPERM;
		}
		break;
	case NFV_CMD_PORT_GET:
	case NFV_CMD_CHAIN_GET:
	case NFV_CMD_FLOW_GET:
	case NFV_CMD_SERVICE_GET:
		break;
	case NFV_CMD_MAPS_SET:
	case NFV_CMD_MAPS_GET:
		REQ_ERR(req, "nfv.ko only");
		return -EOPNOTSUPP;
	default:
		return NFVD_DP_LOCAL;
	}
	if (req->nlh->nlmsg_len > sizeof(buf)) {
		REQ_ERR(req, "request too long");
		return -EMSGSIZE;
	}
	memcpy(buf, req->nlh, req->nlh->nlmsg_len);
	if ((req->nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		return relay_dump_start(req, cmd, nlh);
	err = kb_request(d, d->kern->cmd, d->kern->family, nlh, relay_cb, req,
			 req);
	if (err < 0 && !req->err_msg)
		REQ_ERR(req, "nfv.ko did not answer");
	/* Answered: control_handle() closes a dump, acks if asked. */
	return err < 0 ? err : 1;
}

/* ---- start and stop ---- */

static void kbackend_fini(struct nfvd *d);

static int kbackend_init(struct nfvd *d)
{
	const char *want = getenv("NFV_BACKEND");
	struct epoll_event ev = { .events = EPOLLIN };
	struct nfvd_kernel *k;
	int err, i, rcvbuf = 4 << 20;

	if (want && !strcmp(want, "daemon"))
		return NFVD_DP_ABSENT;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->buf = malloc(KB_RECV_BUF);
	k->evbuf = malloc(KB_RECV_BUF);
	for (i = 0; i < NFV_NF_MAX; i++)
		k->dev_fd[i] = -1;
	k->seq = (uint32_t)time(NULL);
	d->kern = k;
	k->cmd = kb_socket();
	if (!k->buf || !k->evbuf || !k->cmd) {
		err = -errno ?: -ENOMEM;
		goto fail;
	}
	err = kb_family(d);
	if (err) {
		if (want && !strcmp(want, "kernel")) {
			pr_warn("nfvd: NFV_BACKEND=kernel but no generic netlink family \"%s\" (nfv.ko not loaded?)\n",
				NFV_GENL_NAME);
			goto fail;
		}
		err = NFVD_DP_ABSENT;	/* no module: nfvd writes the tables */
		goto fail;
	}
	/* Events first: nothing the module does after the dumps is lost. */
	k->ev = kb_socket();
	if (!k->ev) {
		err = -errno;
		goto fail;
	}
	setsockopt(mnl_socket_get_fd(k->ev), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	if (mnl_socket_setsockopt(k->ev, NETLINK_ADD_MEMBERSHIP, &k->group,
				  sizeof(k->group)) < 0) {
		err = -errno;
		goto fail;
	}
	err = kb_maps_set(d);
	if (err)
		goto fail;
	ev.data.ptr = &d->dp_event;
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, mnl_socket_get_fd(k->ev),
		      &ev)) {
		err = -errno;
		goto fail;
	}
	pr_info("nfvd: nfv.ko writes the tables (maps bound); nfvd serves its ports and NFs\n");
	return 0;
fail:
	kbackend_fini(d);
	if (err < 0)
		pr_warn("nfvd: nfv.ko: %s\n", strerror(-err));
	return err;
}

/* The module keeps the configuration: its tables and ports, as they are. */
static int kbackend_restore(struct nfvd *d)
{
	mirror_all(d);
	ports_sync(d, true);
	kb_flows_restore(d);
	return 0;
}

static void kbackend_fini(struct nfvd *d)
{
	struct nfvd_kernel *k = d->kern;
	int i;

	if (!k)
		return;
	for (i = 0; i < NFV_NF_MAX; i++)
		if (k->dev_fd[i] >= 0)
			close(k->dev_fd[i]);
	if (k->ev)
		mnl_socket_close(k->ev);
	/* Closing the binder's socket unbinds the maps. */
	if (k->cmd)
		mnl_socket_close(k->cmd);
	free(k->buf);
	free(k->evbuf);
	free(k);
	d->kern = NULL;
}

const struct nfvd_dp_ops nfvd_dp_kernel = {
	.name		= "kernel",
	.open		= kbackend_init,
	.close		= kbackend_fini,
	.restore	= kbackend_restore,
	.input		= kbackend_input,
	.relay		= kbackend_control,
	.dump_next	= kbackend_dump_next,
	.dump_stop	= kbackend_dump_stop,
	/* The module wrote the maps: the mirror only. */
	.port_write	= tables_port_write,
	.port_clear	= tables_port_clear,
	/* The rules nfvd holds; the module writes prefix rules too. */
	.flow_write	= kb_flow_write,
	.flow_exists	= kb_flow_exists,
	.flow_disown	= kb_flow_disown,
	.flow_used	= maps_flow_used,
	.nf_open	= kbackend_nf_open,
	.nf_ready	= kbackend_nf_ready,
	.nf_release	= kbackend_nf_release,
};
