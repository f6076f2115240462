// SPDX-License-Identifier: GPL-2.0
/*
 * nfvd's state file: the configuration (ports, chains, flows) and the NFs
 * with their services, kept so that an nfvd killed with kill -9 comes back
 * with everything it had acknowledged.
 *
 * Format (docs/design.md, "nfvd restarts"):
 *
 *   header   "NFVSTATE", u32 version, u32 crc32 of the 12 bytes before it
 *   record*  u32 len, u32 crc32 of the message, the message, padded to 4
 *
 * Each message is a request of the control API (struct nlmsghdr + struct
 * genlmsghdr + attributes), replayed at start through control_handle() as
 * if root sent it: the same validation as the original request.  Two more
 * kinds, understood only here: NFV_CMD_NF_EVENT (an NF up or gone) and
 * NFV_CMD_SERVICE_GET with a STATE_A_SERVICE_TABLE (a service's replicas
 * and buckets), so that NFs get their ids back and flows their replicas.
 *
 * The file is a journal: every accepted change is appended before its
 * ack is sent, so a change acknowledged survives a kill -9 of nfvd (the
 * records of one pass over a client's requests in one write(), their
 * acks held until then: state_cork(), server.c input()), and at start
 * and whenever the journal has grown past twice the last snapshot, a
 * snapshot of the whole state replaces it: written to
 * FILE.tmp, fsync'ed, renamed over FILE.  Anything that does not verify
 * (magic, version, a length, a checksum, a truncated tail) refuses the
 * start: nfvd says what is wrong and that --reset starts empty.
 *
 * This file writes it; restore.c reads it back at start.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <zlib.h>

#include "chain.h"
#include "flow.h"
#include "heartbeat.h"
#include "nfvd.h"
#include "state.h"

uint32_t state_crc(const void *p, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)len);
}

/* ---- writing ---- */

struct wbuf {
	char *buf;
	size_t len, size;
	int fd;
	int err;
	uint64_t written;
};

static void wbuf_flush(struct wbuf *w)
{
	size_t off = 0;

	while (!w->err && off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			w->err = n < 0 ? -errno : -EIO;
		else
			off += (size_t)n;
	}
	w->written += w->len;
	w->len = 0;
}

static void wbuf_put(struct wbuf *w, const void *p, size_t len)
{
	if (w->len + len > w->size)
		wbuf_flush(w);
	memcpy(w->buf + w->len, p, len);
	w->len += len;
}

static void put_record(struct wbuf *w, const struct nlmsghdr *nlh)
{
	static const char pad[4];
	struct rec_hdr h = { .len = nlh->nlmsg_len };

	h.crc = state_crc(nlh, nlh->nlmsg_len);
	wbuf_put(w, &h, sizeof(h));
	wbuf_put(w, nlh, nlh->nlmsg_len);
	wbuf_put(w, pad, (4 - (nlh->nlmsg_len & 3)) & 3);
}

/*
 * The journal's tail, not yet written: the records of one pass over a
 * client's requests (state_cork()).  Only whole records go into a
 * write(), so a kill -9 between two leaves no record cut in half.
 */
#define JOURNAL_HELD_BYTES	(64 * 1024)

static struct {
	struct wbuf w;
	bool corked;
	char buf[JOURNAL_HELD_BYTES];
} held = { .w = { .buf = held.buf, .size = sizeof(held.buf) } };

static struct nlmsghdr *msg_start(void *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = nfv_msg_start(buf, cmd, 0, 0);

	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static struct nlmsghdr *port_msg(void *buf, const struct nfvd_port *p)
{
	struct nlmsghdr *nlh = msg_start(buf, NFV_CMD_PORT_NEW, 0);

	mnl_attr_put_strz(nlh, NFV_A_PORT_NAME, p->name);
	mnl_attr_put_u16(nlh, NFV_A_PORT_ID, p->id);
	mnl_attr_put_u8(nlh, NFV_A_PORT_MODE, p->mode);
	mnl_attr_put_u16(nlh, NFV_A_PORT_DEFAULT_CHAIN, p->default_chain);
	mnl_attr_put_u32(nlh, NFV_A_PORT_FLAGS,
			 p->flags & ~(uint32_t)NFV_PORT_F_GENERIC);
	if (p->decap.kind)
		mnl_attr_put_u8(nlh, NFV_A_PORT_DECAP, p->decap.kind);
	if (p->decap.kind == NFV_PORT_DECAP_VXLAN)
		mnl_attr_put_u16(nlh, NFV_A_PORT_VXLAN_PORT,
				 p->decap.vxlan_port);
	if (p->decap.has_vni)
		mnl_attr_put_u32(nlh, NFV_A_PORT_VNI, p->decap.vni);
	return nlh;
}

static struct nlmsghdr *chain_msg(struct nfvd *d, void *buf, uint16_t id)
{
	struct nlmsghdr *nlh = msg_start(buf, NFV_CMD_CHAIN_NEW, NLM_F_REPLACE);

	chain_put(d, nlh, id, &d->tables->chains[id], false);
	return nlh;
}

static struct nlmsghdr *flow_msg(void *buf, const struct nfvd_flow *f)
{
	struct nlmsghdr *nlh = msg_start(buf, NFV_CMD_FLOW_NEW, 0);

	flow_put(nlh, f, false);
	return nlh;
}

static struct nlmsghdr *nf_msg(void *buf, const struct nfvd_nf *nf, bool up)
{
	struct nlmsghdr *nlh = msg_start(buf, NFV_CMD_NF_EVENT, 0);

	mnl_attr_put_u16(nlh, NFV_A_NF_ID, nf->id);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, nf->service);
	mnl_attr_put_strz(nlh, NFV_A_NF_NAME, nf->name);
	mnl_attr_put_u32(nlh, NFV_A_NF_PID, (uint32_t)nf->pid);
	mnl_attr_put_u32(nlh, NFV_A_NF_FLAGS, nf->flags);
	mnl_attr_put_u8(nlh, NFV_A_NF_STATE,
			up ? NFV_NF_STATE_UP : NFV_NF_STATE_DEAD);
	return nlh;
}

static struct nlmsghdr *service_msg(void *buf, struct nfvd *d, uint16_t sid)
{
	struct nlmsghdr *nlh = msg_start(buf, NFV_CMD_SERVICE_GET, 0);

	mnl_attr_put_u16(nlh, NFV_A_SERVICE_ID, sid);
	mnl_attr_put(nlh, STATE_A_SERVICE_TABLE, sizeof(struct nfv_service),
		     &d->tables->services[sid]);
	return nlh;
}

/* NFs worth remembering: up, or reserved for one coming back. */
static bool nf_remembered(const struct nfvd_nf *nf)
{
	return nf->id && (nf->reserved || nf->state == NFV_NF_STATE_UP);
}

static int write_snapshot(struct nfvd *d, const char *tmp, uint64_t *bytes)
{
	static char buf[NFV_MSG_MAX];
	struct state_hdr h = { .magic = STATE_MAGIC, .version = STATE_VERSION };
	struct wbuf w = { .size = 1 << 20 };
	const struct nfvd_flow *f;
	uint32_t n = 0;
	int i;

	w.buf = malloc(w.size);
	if (!w.buf)
		return -ENOMEM;
	w.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (w.fd < 0) {
		free(w.buf);
		return -errno;
	}
	h.crc = state_crc(&h, offsetof(struct state_hdr, crc));
	wbuf_put(&w, &h, sizeof(h));
	for (i = 1; i < NFV_PORT_MAX; i++)
		if (d->ports[i].id)
			put_record(&w, port_msg(buf, &d->ports[i]));
	for (i = 1; i <= NFV_CHAIN_MAX; i++)
		if (d->tables->chains[i].n_hops)
			put_record(&w, chain_msg(d, buf, (uint16_t)i));
	for (f = d->flows; f; f = f->next) {
		/* An NF's rules are its own: they go with it and nfvd. */
		if (f->owner)
			continue;
		put_record(&w, flow_msg(buf, f));
		if (!(++n & 4095))
			heartbeat_tick(d);	/* a million flows take a while */
	}
	for (i = 1; i < NFV_NF_MAX; i++)
		if (nf_remembered(&d->nfs[i]))
			put_record(&w, nf_msg(buf, &d->nfs[i], true));
	for (i = 1; i <= NFV_SERVICE_MAX; i++)
		if (d->tables->services[i].n_live)
			put_record(&w, service_msg(buf, d, (uint16_t)i));
	wbuf_flush(&w);
	free(w.buf);
	if (!w.err && fsync(w.fd))
		w.err = -errno;
	if (w.err) {
		close(w.fd);
		unlink(tmp);
		return w.err;
	}
	*bytes = w.written;
	return w.fd;
}

/* Replace the file with a snapshot of now; keep it open for appending. */
int state_compact(struct nfvd *d)
{
	char tmp[PATH_MAX];
	uint64_t bytes = 0;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", d->cfg.state_path) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = write_snapshot(d, tmp, &bytes);
	if (fd < 0) {
		pr_warn("nfvd: cannot write state %s: %s\n", tmp,
			strerror(-fd));
		return fd;
	}
	if (rename(tmp, d->cfg.state_path)) {
		int err = -errno;

		pr_warn("nfvd: cannot rename %s to %s: %s\n", tmp,
			d->cfg.state_path, strerror(-err));
		close(fd);
		unlink(tmp);
		return err;
	}
	if (d->state_fd >= 0)
		close(d->state_fd);
	d->state_fd = fd;
	d->state_snapshot_bytes = bytes;
	d->state_journal_bytes = 0;
	pr_debug("nfvd: state %s: snapshot of %llu bytes\n",
		 d->cfg.state_path, (unsigned long long)bytes);
	return 0;
}

static void held_write(struct nfvd *d)
{
	uint64_t before = held.w.written;

	if (!held.w.len)
		return;
	held.w.fd = d->state_fd;
	wbuf_flush(&held.w);
	if (held.w.err) {
		/* Already applied: say it loudly, and try a full rewrite. */
		pr_warn("nfvd: state %s: cannot append: %s; the change may be lost on restart\n",
			d->cfg.state_path, strerror(-held.w.err));
		held.w.err = 0;
		d->state_journal_bytes = UINT64_MAX / 2;
	} else {
		d->state_journal_bytes += held.w.written - before;
	}
}

static void append(struct nfvd *d, const struct nlmsghdr *nlh)
{
	size_t len = sizeof(struct rec_hdr) + NLMSG_ALIGN(nlh->nlmsg_len);

	if (!d->cfg.state_path || d->state_fd < 0 || d->restoring)
		return;
	if (held.w.len + len > held.w.size)
		held_write(d);
	put_record(&held.w, nlh);
	if (!held.corked)
		state_flush(d);
}

void state_cork(void)
{
	held.corked = true;
}

void state_flush(struct nfvd *d)
{
	held.corked = false;
	held_write(d);
	if (d->state_journal_bytes > COMPACT_MIN_BYTES &&
	    d->state_journal_bytes > 2 * d->state_snapshot_bytes)
		state_compact(d);
}

/* An accepted request of the control API changed the configuration. */
void state_journal(struct nfvd *d, const struct nlmsghdr *req)
{
	static char buf[NFV_MSG_MAX];
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	const struct nlattr *a;
	const char *name = NULL;
	struct nfvd_port *p;
	uint32_t ifindex = 0;
	uint16_t id = 0;

	switch (g->cmd) {
	case NFV_CMD_PORT_NEW:
		/* As it is now, with its id: ids must come back the same. */
		mnl_attr_for_each(a, req, sizeof(*g)) {
			if (mnl_attr_get_type(a) == NFV_A_PORT_NAME)
				name = mnl_attr_get_str(a);
			if (mnl_attr_get_type(a) == NFV_A_PORT_IFINDEX)
				ifindex = mnl_attr_get_u32(a);
		}
		p = port_find(d, name ? 0 : ifindex, name);
		if (p)
			append(d, port_msg(buf, p));
		return;
	case NFV_CMD_CHAIN_NEW:
		mnl_attr_for_each(a, req, sizeof(*g))
			if (mnl_attr_get_type(a) == NFV_A_CHAIN_ID)
				id = mnl_attr_get_u16(a);
		if (id && id <= NFV_CHAIN_MAX)
			append(d, chain_msg(d, buf, id));
		return;
	case NFV_CMD_PORT_DEL:
	case NFV_CMD_CHAIN_DEL:
	case NFV_CMD_FLOW_NEW:
	case NFV_CMD_FLOW_DEL:
		if (req->nlmsg_len > STATE_REC_MAX)
			return;
		memcpy(buf, req, req->nlmsg_len);
		((struct nlmsghdr *)buf)->nlmsg_flags = NLM_F_REQUEST;
		((struct nlmsghdr *)buf)->nlmsg_seq = 0;
		((struct nlmsghdr *)buf)->nlmsg_pid = 0;
		append(d, (struct nlmsghdr *)buf);
		return;
	default:
		return;
	}
}

/* An NF came up or went: remember it, and its service's buckets. */
void state_nf_changed(struct nfvd *d, const struct nfvd_nf *nf, bool up)
{
	static char buf[NFV_MSG_MAX];

	append(d, nf_msg(buf, nf, up));
	append(d, service_msg(buf, d, nf->service));
}

void state_fini(struct nfvd *d)
{
	held_write(d);
	if (d->state_fd >= 0)
		close(d->state_fd);
	d->state_fd = -1;
}
