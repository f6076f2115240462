// SPDX-License-Identifier: GPL-2.0
/*
 * Backends (backend.h): a class per transport moves bytes; the common
 * code frames requests and reads answers, so both backends parse replies,
 * acks, errors and extack messages the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <linux/nfv.h>

#include "backend.h"

#define RECV_BUF	(64 * 1024)	/* nfvd's largest reply; dumps are split */
#define DAEMON_TIMEOUT	30		/* seconds without an answer from nfvd */

struct backend_class {
	const char *name;
	/* 0 or -errno with a one-line reason in @err. */
	int (*open)(struct backend *b, const char *path, char *err, size_t n);
	/* -EAGAIN with @nowait if the socket would block. */
	int (*send)(struct backend *b, const void *buf, size_t len,
		    bool nowait);
	/*
	 * One read: bytes, 0 on hang-up, or -errno (-EAGAIN with @nowait
	 * when nothing has arrived).
	 */
	ssize_t (*recv)(struct backend *b, void *buf, size_t size,
			bool nowait);
	void (*close)(struct backend *b);
};

struct backend {
	const struct backend_class *class;
	struct mnl_socket *nl;		/* kernel */
	int fd;				/* daemon */
	uint16_t type;			/* nlmsg_type of requests */
	uint32_t mcgrp;			/* kernel: the "events" group id */
	uint32_t seq;
	char ext[256];
	char *buf;
	/* What is left of the last read: messages not yet looked at. */
	const struct nlmsghdr *next;
	int left;
};

/* ---- kernel: generic netlink family "nfv" ---- */

struct family {
	uint16_t id;
	uint32_t mcgrp_events;		/* 0: none */
};

/* One CTRL_ATTR_MCAST_GRP_* nest: the "events" group's id. */
static void mcgrp_parse(const struct nlattr *grp, struct family *f)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			name = mnl_attr_get_str(a);
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			id = mnl_attr_get_u32(a);
	}
	if (name && !strcmp(name, NFV_MCGRP_EVENTS))
		f->mcgrp_events = id;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr, *grp;
	struct family *f = data;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			f->id = mnl_attr_get_u16(attr);
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GROUPS &&
		    mnl_attr_validate(attr, MNL_TYPE_NESTED) >= 0)
			mnl_attr_for_each_nested(grp, attr)
				mcgrp_parse(grp, f);
	}
	return 0;
}

static int kernel_open(struct backend *b, const char *path, char *err,
		       size_t n)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	const char *ext;
	struct family family = { 0 };
	int one = 1, ret;

	b->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!b->nl || mnl_socket_bind(b->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		snprintf(err, n, "kernel backend: cannot open a generic netlink socket: %s",
			 strerror(errno));
		return ret;
	}
	/* Errors carry their message; acks do not echo the request. */
	mnl_socket_setsockopt(b->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(b->nl, NETLINK_CAP_ACK, &one, sizeof(one));

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NFV_GENL_NAME);
	b->type = GENL_ID_CTRL;
	ret = backend_send(b, nlh) ?: backend_recv(b, family_cb, &family, &ext);
	if (!ret && !family.id)
		ret = -ENOENT;
	if (ret) {
		snprintf(err, n, "kernel backend: generic netlink family \"%s\" not found (nfv.ko not loaded?)",
			 NFV_GENL_NAME);
		return ret;
	}
	b->type = family.id;
	b->mcgrp = family.mcgrp_events;
	return 0;
}

/*
 * The kernel handles a request inside sendmsg(), which never waits for
 * the reader: its answer is queued when this returns.
 */
static int kernel_send(struct backend *b, const void *buf, size_t len,
		       bool nowait)
{
	return mnl_socket_sendto(b->nl, buf, len) < 0 ? -errno : 0;
}

static ssize_t kernel_recv(struct backend *b, void *buf, size_t size,
			   bool nowait)
{
	ssize_t n;

	if (nowait)
		n = recv(mnl_socket_get_fd(b->nl), buf, size, MSG_DONTWAIT);
	else
		n = mnl_socket_recvfrom(b->nl, buf, size);
	return n < 0 ? -errno : n;
}

static void kernel_close(struct backend *b)
{
	if (b->nl)
		mnl_socket_close(b->nl);
}

static const struct backend_class kernel_class = {
	.name	= "kernel",
	.open	= kernel_open,
	.send	= kernel_send,
	.recv	= kernel_recv,
	.close	= kernel_close,
};

/* ---- daemon: nfvd's unix socket ---- */

static int daemon_open(struct backend *b, const char *path, char *err,
		       size_t n)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = DAEMON_TIMEOUT };
	int ret;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, n, "cannot reach nfvd at %s: socket path too long",
			 path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	b->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (b->fd < 0 ||
	    connect(b->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		ret = -errno;
		snprintf(err, n, "cannot reach nfvd at %s: %s", path,
			 strerror(errno));
		return ret;
	}
	setsockopt(b->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	b->type = NLMSG_MIN_TYPE;
	return 0;
}

static int daemon_send(struct backend *b, const void *buf, size_t len,
		       bool nowait)
{
	ssize_t n = send(b->fd, buf, len,
			 MSG_NOSIGNAL | (nowait ? MSG_DONTWAIT : 0));

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/* One datagram; fds nfvd might attach are closed, truncation is an error. */
static ssize_t daemon_recv(struct backend *b, void *buf, size_t size,
			   bool nowait)
{
	union {
		char buf[CMSG_SPACE(16 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	n = recvmsg(b->fd, &msg,
		    MSG_CMSG_CLOEXEC | (nowait ? MSG_DONTWAIT : 0));
	if (n < 0 && errno == EAGAIN)
		return nowait ? -EAGAIN : -ETIMEDOUT;	/* SO_RCVTIMEO */
	if (n < 0)
		return -errno;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		int *fds = (int *)CMSG_DATA(c);
		size_t i;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++)
			close(fds[i]);
	}
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -EMSGSIZE;
	return n;
}

static void daemon_close(struct backend *b)
{
	if (b->fd >= 0)
		close(b->fd);
}

static const struct backend_class daemon_class = {
	.name	= "daemon",
	.open	= daemon_open,
	.send	= daemon_send,
	.recv	= daemon_recv,
	.close	= daemon_close,
};

/* ---- common ---- */

static struct backend *try_open(const struct backend_class *class,
				const char *path, char *err, size_t n)
{
	struct backend *b = calloc(1, sizeof(*b));

	if (b)
		b->buf = malloc(RECV_BUF);
	if (!b || !b->buf) {
		snprintf(err, n, "out of memory");
		if (b)
			free(b);
		return NULL;
	}
	b->class = class;
	b->fd = -1;
	b->seq = (uint32_t)time(NULL);
	if (class->open(b, path, err, n)) {
		backend_close(b);
		return NULL;
	}
	return b;
}

struct backend *backend_open(enum backend_kind kind, const char *path,
			     char *err, size_t err_size)
{
	char kerr[256];
	struct backend *b;

	switch (kind) {
	case BACKEND_KERNEL:
		return try_open(&kernel_class, path, err, err_size);
	case BACKEND_DAEMON:
		return try_open(&daemon_class, path, err, err_size);
	case BACKEND_AUTO:
		break;
	}
	b = try_open(&kernel_class, path, kerr, sizeof(kerr));
	if (b)
		return b;
	b = try_open(&daemon_class, path, err, err_size);
	if (!b && strlen(err) + 40 < err_size)
		strcat(err, " (and no nfv.ko)");
	return b;
}

void backend_close(struct backend *b)
{
	if (!b)
		return;
	b->class->close(b);
	free(b->buf);
	free(b);
}

const char *backend_name(const struct backend *b)
{
	return b->class->name;
}

static int send_msg(struct backend *b, struct nlmsghdr *nlh, bool nowait)
{
	int err;

	nlh->nlmsg_type = b->type;
	nlh->nlmsg_seq = b->seq + 1;
	nlh->nlmsg_pid = 0;
	err = b->class->send(b, nlh, nlh->nlmsg_len, nowait);
	if (!err)
		b->seq++;	/* the last request's: what backend_recv() waits for */
	return err;
}

int backend_send(struct backend *b, struct nlmsghdr *nlh)
{
	return send_msg(b, nlh, false);
}

int backend_try_send(struct backend *b, struct nlmsghdr *nlh)
{
	return send_msg(b, nlh, true);
}

/* The extack message among the TLVs at [@p, @p + @len), copied to b->ext. */
static void copy_ext(struct backend *b, const void *p, size_t len,
		     const char **ext)
{
	const struct nlattr *attr;

	mnl_attr_for_each_payload(p, len) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0) {
			snprintf(b->ext, sizeof(b->ext), "%s",
				 mnl_attr_get_str(attr));
			*ext = b->ext;
		}
	}
}

/* NLMSG_ERROR: 0 for an ack, else the server's -errno and its message. */
static int msg_error(struct backend *b, const struct nlmsghdr *nlh,
		     const char **ext)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh), off = sizeof(*e);

	if (len < sizeof(*e))
		return -EBADMSG;
	if (e->error > 0 || e->error < -4095)
		return -EBADMSG;
	if (!e->error || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return e->error;
	/* Without NLM_F_CAPPED the whole request is echoed first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(e->msg) ||
		    e->msg.nlmsg_len > len)
			return e->error;
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	}
	if (off <= len)
		copy_ext(b, (const char *)e + off, len - off, ext);
	return e->error;
}

/* NLMSG_DONE may carry a dump's error and its message. */
static int msg_done(struct backend *b, const struct nlmsghdr *nlh,
		    const char **ext)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const int *err = mnl_nlmsg_get_payload(nlh);

	if (len < sizeof(int) || *err >= 0)
		return 0;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		copy_ext(b, err + 1, len - sizeof(int), ext);
	return *err < -4095 ? -EBADMSG : *err;
}

/*
 * The next message from the server: what is left of the last read first
 * (a read may carry several), else one more read.  1 with *@nlh set, 0
 * if @nowait and nothing has arrived, or -errno from the transport.
 */
static int next_msg(struct backend *b, bool nowait,
		    const struct nlmsghdr **nlh)
{
	ssize_t n;

	while (!backend_msg_ok(b->next, b->left)) {
		n = b->class->recv(b, b->buf, RECV_BUF, nowait);
		if (n == -EAGAIN && nowait)
			return 0;
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -ECONNRESET;
		b->next = (const struct nlmsghdr *)b->buf;
		b->left = (int)n;
	}
	*nlh = b->next;
	b->next = mnl_nlmsg_next(b->next, &b->left);
	return 1;
}

int backend_recv(struct backend *b, backend_cb_t cb, void *data,
		 const char **ext)
{
	const struct nlmsghdr *nlh;
	int err;

	*ext = NULL;
	for (;;) {
		err = next_msg(b, false, &nlh);
		if (err < 0)
			return err;
		if (nlh->nlmsg_seq != b->seq)
			continue;	/* an earlier request's */
		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			return msg_error(b, nlh, ext);
		case NLMSG_DONE:
			return msg_done(b, nlh, ext);
		case NLMSG_OVERRUN:
			return -EOVERFLOW;
		case NLMSG_NOOP:
			continue;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		err = cb ? cb(nlh, data) : 0;
		if (err)
			return err;
	}
}

int backend_dump(struct backend *b, uint8_t cmd, backend_cb_t cb, void *data,
		 const char **ext)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	*ext = NULL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NFV_GENL_VERSION;
	return backend_send(b, nlh) ?: backend_recv(b, cb, data, ext);
}

int backend_subscribe(struct backend *b, const char **ext)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	int grp = (int)b->mcgrp;

	*ext = NULL;
	if (b->nl) {
		/*
		 * The module multicasts without waiting for anyone: a
		 * burst larger than the receive buffer is lost (ENOBUFS).
		 * Room for a batch's worth, as "ip monitor" takes; forced
		 * past rmem_max when we may (CAP_NET_ADMIN).
		 */
		int fd = mnl_socket_get_fd(b->nl), rcvbuf = 8 << 20;

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			       sizeof(rcvbuf)))
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				   sizeof(rcvbuf));
		if (!b->mcgrp)
			return -ENOENT;
		return mnl_socket_setsockopt(b->nl, NETLINK_ADD_MEMBERSHIP,
					     &grp, sizeof(grp)) ? -errno : 0;
	}
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = NFV_CMD_EVENTS_SUBSCRIBE;
	g->version = NFV_GENL_VERSION;
	return backend_send(b, nlh) ?: backend_recv(b, NULL, NULL, ext);
}

int backend_events(struct backend *b, backend_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh;
	int err;

	for (;;) {
		err = next_msg(b, false, &nlh);
		if (err < 0)
			return err;
		/* Events are nobody's answer: sequence number 0. */
		if (nlh->nlmsg_seq || nlh->nlmsg_type < NLMSG_MIN_TYPE ||
		    nlh->nlmsg_type != b->type)
			continue;
		err = cb(nlh, data);
		if (err)
			return err;
	}
}

int backend_recv_ack(struct backend *b, bool nowait, uint32_t *seq,
		     int *result, const char **ext)
{
	const struct nlmsghdr *nlh;
	int err;

	*ext = NULL;
	for (;;) {
		err = next_msg(b, nowait, &nlh);
		if (err <= 0)
			return err;
		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			*result = msg_error(b, nlh, ext);
			break;
		case NLMSG_DONE:
			*result = msg_done(b, nlh, ext);
			break;
		case NLMSG_OVERRUN:
			return -EOVERFLOW;
		default:
			continue;	/* data: nobody asked to print it */
		}
		*seq = nlh->nlmsg_seq;
		return 1;
	}
}
