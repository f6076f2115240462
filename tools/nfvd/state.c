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
 * The file is a journal: every accepted change is appended (one write(),
 * before the ack is sent: a change acknowledged survives a kill -9 of
 * nfvd), and at start and whenever the journal has grown past twice the
 * last snapshot, a snapshot of the whole state replaces it: written to
 * FILE.tmp, fsync'ed, renamed over FILE.  Anything that does not verify
 * (magic, version, a length, a checksum, a truncated tail) refuses the
 * start: nfvd says what is wrong and that --reset starts empty.
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
#include "dispatch.h"
#include "flow.h"
#include "heartbeat.h"
#include "nf.h"
#include "nfvd.h"
#include "port.h"
#include "state.h"
#include "tables.h"

#define STATE_MAGIC		"NFVSTATE"
#define STATE_VERSION		1
#define STATE_REC_MAX		NFV_MSG_MAX
/* A private attribute of service records: struct nfv_service, raw. */
#define STATE_A_SERVICE_TABLE	1000
/* NFs that do not come back within this are dropped from their service. */
#define RESERVE_NS		(5 * 1000 * 1000 * 1000ULL)
/* Compact when the journal exceeds max(this, 2 x last snapshot). */
#define COMPACT_MIN_BYTES	(1 << 20)

struct state_hdr {
	char magic[8];
	uint32_t version;
	uint32_t crc;
};

struct rec_hdr {
	uint32_t len;
	uint32_t crc;
};

static uint32_t crc(const void *p, size_t len)
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

	h.crc = crc(nlh, nlh->nlmsg_len);
	wbuf_put(w, &h, sizeof(h));
	wbuf_put(w, nlh, nlh->nlmsg_len);
	wbuf_put(w, pad, (4 - (nlh->nlmsg_len & 3)) & 3);
}

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
	h.crc = crc(&h, offsetof(struct state_hdr, crc));
	wbuf_put(&w, &h, sizeof(h));
	for (i = 1; i < NFV_PORT_MAX; i++)
		if (d->ports[i].id)
			put_record(&w, port_msg(buf, &d->ports[i]));
	for (i = 1; i <= NFV_CHAIN_MAX; i++)
		if (d->tables->chains[i].n_hops)
			put_record(&w, chain_msg(d, buf, (uint16_t)i));
	for (f = d->flows; f; f = f->next) {
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
static int compact(struct nfvd *d)
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

static void append(struct nfvd *d, const struct nlmsghdr *nlh)
{
	char rec[sizeof(struct rec_hdr) + STATE_REC_MAX + 4];
	struct wbuf w = { .buf = rec, .size = sizeof(rec), .fd = d->state_fd };

	if (!d->cfg.state_path || d->state_fd < 0 || d->restoring)
		return;
	put_record(&w, nlh);
	wbuf_flush(&w);
	if (w.err) {
		/* Already applied: say it loudly, and try a full rewrite. */
		pr_warn("nfvd: state %s: cannot append: %s; the change may be lost on restart\n",
			d->cfg.state_path, strerror(-w.err));
		d->state_journal_bytes = UINT64_MAX / 2;
	} else {
		d->state_journal_bytes += w.written;
	}
	if (d->state_journal_bytes > COMPACT_MIN_BYTES &&
	    d->state_journal_bytes > 2 * d->state_snapshot_bytes)
		compact(d);
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

/* ---- reading ---- */

struct nf_rec {
	bool alive;
	uint16_t service;
	uint32_t flags;
	int pid;
	char name[NFV_NAME_LEN];
};

struct restore {
	struct nf_rec nfs[NFV_NF_MAX];
	struct nfv_service *services;	/* [NFV_SERVICE_MAX + 1] */
	bool *service_seen;
};

static int refuse(const struct nfvd *d, const char *what, uint64_t off)
{
	pr_warn("nfvd: state file %s is corrupt: %s (at byte %llu).\n"
		"nfvd: refusing to start with it; nothing was changed.  Move it away, or start\n"
		"nfvd: with --reset to discard it (the saved configuration is then lost).\n",
		d->cfg.state_path, what, (unsigned long long)off);
	return -EBADMSG;
}

/* Every length and checksum first: a corrupt file changes nothing. */
static int verify(const struct nfvd *d, const char *buf, size_t len,
		  uint32_t *n_recs)
{
	const struct state_hdr *h = (const void *)buf;
	size_t off = sizeof(*h);

	if (len < sizeof(*h))
		return refuse(d, "shorter than its header", 0);
	if (memcmp(h->magic, STATE_MAGIC, sizeof(h->magic)))
		return refuse(d, "not an nfvd state file (bad magic)", 0);
	if (h->crc != crc(h, offsetof(struct state_hdr, crc)))
		return refuse(d, "header checksum mismatch", 0);
	if (h->version != STATE_VERSION) {
		pr_warn("nfvd: state file %s has version %u, this nfvd reads %u; start with --reset to discard it\n",
			d->cfg.state_path, h->version, STATE_VERSION);
		return -EPROTO;
	}
	*n_recs = 0;
	while (off < len) {
		const struct rec_hdr *r = (const void *)(buf + off);
		const struct nlmsghdr *nlh = (const void *)(r + 1);

		if (len - off < sizeof(*r))
			return refuse(d, "truncated record header", off);
		if (r->len < NLMSG_LENGTH(GENL_HDRLEN) ||
		    r->len > STATE_REC_MAX)
			return refuse(d, "record length out of range", off);
		if (len - off - sizeof(*r) < ((r->len + 3) & ~3U))
			return refuse(d, "truncated record", off);
		if (r->crc != crc(nlh, r->len))
			return refuse(d, "record checksum mismatch", off);
		if (nlh->nlmsg_len != r->len)
			return refuse(d, "record length disagrees with its message",
				      off);
		off += sizeof(*r) + ((r->len + 3) & ~3U);
		(*n_recs)++;
	}
	return 0;
}

static void note_nf(struct restore *rs, const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	struct nf_rec r = { 0 };
	uint16_t id = 0;
	uint8_t st = 0;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case NFV_A_NF_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
				id = mnl_attr_get_u16(a);
			break;
		case NFV_A_NF_SERVICE:
			if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
				r.service = mnl_attr_get_u16(a);
			break;
		case NFV_A_NF_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(r.name, sizeof(r.name), "%s",
					 mnl_attr_get_str(a));
			break;
		case NFV_A_NF_PID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				r.pid = (int)mnl_attr_get_u32(a);
			break;
		case NFV_A_NF_FLAGS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				r.flags = mnl_attr_get_u32(a) & __NFV_NF_F_ALL;
			break;
		case NFV_A_NF_STATE:
			if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				st = mnl_attr_get_u8(a);
			break;
		}
	}
	if (!id || id >= NFV_NF_MAX)
		return;
	r.alive = st == NFV_NF_STATE_UP && r.service &&
		  r.service <= NFV_SERVICE_MAX && r.pid > 0;
	rs->nfs[id] = r;
}

static void note_service(struct restore *rs, const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	const void *table = NULL;
	uint16_t sid = 0;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == NFV_A_SERVICE_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			sid = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) == STATE_A_SERVICE_TABLE &&
		    mnl_attr_get_payload_len(a) == sizeof(struct nfv_service))
			table = mnl_attr_get_payload(a);
	}
	if (!sid || sid > NFV_SERVICE_MAX || !table)
		return;
	memcpy(&rs->services[sid], table, sizeof(struct nfv_service));
	rs->service_seen[sid] = true;
}

/*
 * Replay one configuration request as root.  A port whose queues or XDP
 * hook are still held by the dead nfvd's leftovers (NF sockets not closed
 * yet, a classifier whose heartbeat is not stale yet) is retried until
 * they let go.
 */
static void replay(struct nfvd *d, struct nfvd_client *c,
		   const struct nlmsghdr *nlh, uint32_t idx)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	uint64_t give_up = nfvd_now_ns() +
		((uint64_t)d->cfg.heartbeat_timeout_ms + 3000) * 1000000ULL;

	for (;;) {
		c->last_err = 0;
		c->last_msg = NULL;
		control_handle(d, c, nlh, nlh->nlmsg_len, NULL, 0);
		if (c->last_err != -EBUSY || g->cmd != NFV_CMD_PORT_NEW ||
		    nfvd_now_ns() > give_up)
			break;
		heartbeat_tick(d);
		usleep(20000);
	}
	if (c->last_err)
		pr_warn("nfvd: state record %u (command %u) not restored: %s%s%s\n",
			idx, g->cmd, strerror(-c->last_err),
			c->last_msg ? ": " : "", c->last_msg ? c->last_msg : "");
}

/* NFs that were up get their ids back, held for them for a while. */
static void reserve_nfs(struct nfvd *d, struct restore *rs)
{
	int i, r, n = 0;

	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (!rs->nfs[i].alive)
			continue;
		nf_slot_init(nf);
		nf->id = (uint16_t)i;
		nf->service = rs->nfs[i].service;
		nf->flags = rs->nfs[i].flags;
		nf->pid = rs->nfs[i].pid;
		nf->state = NFV_NF_STATE_ATTACHING;
		nf->reserved = true;
		memcpy(nf->name, rs->nfs[i].name, sizeof(nf->name));
		nf->gen = ++d->tables->nfs[i].gen;
		tables_nf_write(d, nf);
		d->next_nf_id = (uint16_t)i;
		n++;
	}
	for (i = 1; i <= NFV_SERVICE_MAX; i++) {
		struct nfv_service *s = &rs->services[i];
		bool ok = rs->service_seen[i] && s->n_live &&
			  s->n_live <= NFV_REPLICA_MAX;

		for (r = 0; ok && r < s->n_live; r++)
			ok = s->replicas[r] && s->replicas[r] < NFV_NF_MAX &&
			     d->nfs[s->replicas[r]].reserved &&
			     d->nfs[s->replicas[r]].service == i;
		for (r = 0; ok && r < NFV_BUCKETS; r++) {
			int k;

			for (k = 0; k < s->n_live; k++)
				if (s->buckets[r] == s->replicas[k])
					break;
			ok = k < s->n_live;
		}
		/* Otherwise its NFs join afresh when they come back. */
		if (ok)
			tables_service_set(d, (uint16_t)i, s);
	}
	if (n) {
		d->reserve_until_ns = nfvd_now_ns() + RESERVE_NS;
		pr_info("nfvd: %d NFs were up: their ids are held for them for %llu s\n",
			n, RESERVE_NS / 1000000000ULL);
	}
}

static int read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t off = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		close(fd);
		return -errno;
	}
	/* Replayed as root's requests: only root may have written it. */
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022)) {
		close(fd);
		return -EPERM;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, *buf + off, (size_t)st.st_size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	*len = off;
	return 0;
}

int state_restore(struct nfvd *d)
{
	struct nfvd_client c = { .fd = -1, .uid = 0, .restore = true };
	struct restore rs;
	uint32_t n_recs = 0, i = 0;
	uint64_t t0 = nfvd_now_ns();
	char *buf = NULL;
	size_t len = 0, off;
	int err;

	d->state_fd = -1;
	if (!d->cfg.state_path)
		return 0;
	{
		char dir[PATH_MAX], *slash;

		/* The default's directory, /var/lib/nfv, may not exist. */
		snprintf(dir, sizeof(dir), "%s", d->cfg.state_path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			mkdir(dir, 0700);
		}
	}
	if (d->cfg.reset) {
		if (unlink(d->cfg.state_path) && errno != ENOENT) {
			pr_warn("nfvd: --reset: cannot remove %s: %s\n",
				d->cfg.state_path, strerror(errno));
			return -errno;
		}
		pr_info("nfvd: --reset: starting with an empty configuration\n");
		return compact(d);
	}
	err = read_file(d->cfg.state_path, &buf, &len);
	if (err == -ENOENT)
		return compact(d);
	if (err) {
		pr_warn("nfvd: cannot read state file %s: %s%s\n",
			d->cfg.state_path, strerror(-err),
			err == -EPERM ? " (must be a regular file of ours, not writable by others)" : "");
		return err;
	}
	err = verify(d, buf, len, &n_recs);
	if (err) {
		free(buf);
		return err;
	}

	memset(&rs, 0, sizeof(rs));
	rs.services = calloc(NFV_SERVICE_MAX + 1, sizeof(*rs.services));
	rs.service_seen = calloc(NFV_SERVICE_MAX + 1, 1);
	if (!rs.services || !rs.service_seen) {
		free(rs.services);
		free(rs.service_seen);
		free(buf);
		return -ENOMEM;
	}
	d->restoring = true;
	for (off = sizeof(struct state_hdr); off < len; i++) {
		const struct rec_hdr *r = (const void *)(buf + off);
		const struct nlmsghdr *nlh = (const void *)(r + 1);
		const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

		off += sizeof(*r) + ((r->len + 3) & ~3U);
		if (!(i & 4095))
			heartbeat_tick(d);
		if (g->cmd == NFV_CMD_NF_EVENT)
			note_nf(&rs, nlh);
		else if (g->cmd == NFV_CMD_SERVICE_GET)
			note_service(&rs, nlh);
		else
			replay(d, &c, nlh, i);
	}
	reserve_nfs(d, &rs);
	d->restoring = false;
	free(rs.services);
	free(rs.service_seen);
	free(buf);
	pr_info("nfvd: state %s: %u records restored in %llu ms\n",
		d->cfg.state_path, n_recs,
		(unsigned long long)((nfvd_now_ns() - t0) / 1000000));
	return compact(d);
}

/* An NF attaching: the reserved id of its earlier self, if any. */
struct nfvd_nf *state_claim(struct nfvd *d, int pid, uint16_t service,
			    const char *name)
{
	int i;

	if (!d->reserve_until_ns)
		return NULL;
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (nf->reserved && nf->pid == pid && nf->service == service &&
		    !strncmp(nf->name, name ? name : "", sizeof(nf->name)))
			return nf;
	}
	return NULL;
}

/* NFs that did not come back in time leave their services. */
void state_tick(struct nfvd *d)
{
	int i;

	if (!d->reserve_until_ns || nfvd_now_ns() < d->reserve_until_ns)
		return;
	d->reserve_until_ns = 0;
	for (i = 1; i < NFV_NF_MAX; i++) {
		struct nfvd_nf *nf = &d->nfs[i];

		if (!nf->reserved)
			continue;
		pr_info("nfvd: nf %u (%s) pid %d did not come back\n", nf->id,
			nf->name, nf->pid);
		tables_service_del(d, nf->service, nf->id);
		state_nf_changed(d, nf, false);
		nf_forget(d, nf);
	}
}

void state_fini(struct nfvd *d)
{
	if (d->state_fd >= 0)
		close(d->state_fd);
	d->state_fd = -1;
}
