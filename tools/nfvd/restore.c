// SPDX-License-Identifier: GPL-2.0
/*
 * The state file read back at start (its format: state.c): every length
 * and checksum verified first, then the configuration replayed through
 * control_handle() as if root sent it, and the NFs that were up get
 * their ids held for them, their services' buckets as they were.
 */
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "dispatch.h"
#include "heartbeat.h"
#include "holders.h"
#include "nf.h"
#include "nfvd.h"
#include "restore.h"
#include "state.h"
#include "tables.h"

/* NFs that do not come back within this are dropped from their service. */
#define RESERVE_NS		(5 * 1000 * 1000 * 1000ULL)

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
	uint64_t t0;			/* when the restore began */
	bool holders_killed;
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
	if (h->crc != state_crc(h, offsetof(struct state_hdr, crc)))
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
		if (r->crc != state_crc(nlh, r->len))
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
/*
 * The NFs the dead nfvd had up that still hold one of its AF_XDP
 * sockets, past HOLDERS_GRACE_NS: killed, once (holders.c).
 */
static void kill_holders(struct restore *rs)
{
	pid_t pids[NFV_NF_MAX];
	uint16_t ids[NFV_NF_MAX];
	int i, n = 0;

	if (rs->holders_killed ||
	    nfvd_now_ns() - rs->t0 < HOLDERS_GRACE_NS)
		return;
	rs->holders_killed = true;
	for (i = 1; i < NFV_NF_MAX; i++) {
		if (!rs->nfs[i].alive || rs->nfs[i].pid <= 0)
			continue;
		ids[n] = (uint16_t)i;
		pids[n++] = rs->nfs[i].pid;
	}
	holders_kill(pids, ids, n, rs->t0);
}

static void replay(struct nfvd *d, struct restore *rs, struct nfvd_client *c,
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
		kill_holders(rs);
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
		return state_compact(d);
	}
	err = read_file(d->cfg.state_path, &buf, &len);
	if (err == -ENOENT)
		return state_compact(d);
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
	rs.t0 = t0;
	/* The NFs and services first: a port's replay may need the NFs. */
	for (off = sizeof(struct state_hdr); off < len;) {
		const struct rec_hdr *r = (const void *)(buf + off);
		const struct nlmsghdr *nlh = (const void *)(r + 1);
		const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

		off += sizeof(*r) + ((r->len + 3) & ~3U);
		if (g->cmd == NFV_CMD_NF_EVENT)
			note_nf(&rs, nlh);
		else if (g->cmd == NFV_CMD_SERVICE_GET)
			note_service(&rs, nlh);
	}
	for (off = sizeof(struct state_hdr); off < len; i++) {
		const struct rec_hdr *r = (const void *)(buf + off);
		const struct nlmsghdr *nlh = (const void *)(r + 1);
		const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

		off += sizeof(*r) + ((r->len + 3) & ~3U);
		if (!(i & 4095))
			heartbeat_tick(d);
		if (g->cmd != NFV_CMD_NF_EVENT &&
		    g->cmd != NFV_CMD_SERVICE_GET)
			replay(d, &rs, &c, nlh, i);
	}
	reserve_nfs(d, &rs);
	d->restoring = false;
	free(rs.services);
	free(rs.service_seen);
	free(buf);
	pr_info("nfvd: state %s: %u records restored in %llu ms\n",
		d->cfg.state_path, n_recs,
		(unsigned long long)((nfvd_now_ns() - t0) / 1000000));
	return state_compact(d);
}

