// SPDX-License-Identifier: GPL-2.0
/*
 * Transport: the same generic netlink messages go to nfv.ko (NETLINK_
 * GENERIC, family "nfv") or to nfvd (its unix SOCK_SEQPACKET socket).
 * Nothing above this file knows which one answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "nfvctl.h"
#include "internal.h"

struct backend {
	enum backend_kind kind;
	struct mnl_socket *nl;	/* kernel */
	int fd;			/* daemon */
	uint16_t family;
	uint32_t seq;
	uint32_t portid;
	char buf[65536];
};

static int resolve_family(struct mnl_socket *nl, uint16_t *id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	const struct nlattr *a;
	int n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NFV_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	nlh = (struct nlmsghdr *)buf;
	if (!mnl_nlmsg_ok(nlh, n) || nlh->nlmsg_type == NLMSG_ERROR)
		return -ENOENT;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID) {
			*id = mnl_attr_get_u16(a);
			return 0;
		}
	}
	return -ENOENT;
}

static int open_kernel(struct backend *b)
{
	int one = 1;

	b->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!b->nl)
		return -errno;
	if (mnl_socket_bind(b->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	mnl_socket_setsockopt(b->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(b->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	b->portid = mnl_socket_get_portid(b->nl);
	return resolve_family(b->nl, &b->family);
}

static int open_daemon(struct backend *b, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	b->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (b->fd < 0)
		return -errno;
	if (connect(b->fd, (struct sockaddr *)&sun, sizeof(sun)))
		return -errno;
	b->family = NLMSG_MIN_TYPE;
	return 0;
}

struct backend *backend_open(enum backend_kind kind, const char *path)
{
	struct backend *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return NULL;
	b->fd = -1;
	if (kind != BACKEND_DAEMON) {
		err = open_kernel(b);
		if (!err) {
			b->kind = BACKEND_KERNEL;
			return b;
		}
		if (b->nl)
			mnl_socket_close(b->nl);
		b->nl = NULL;
		if (kind == BACKEND_KERNEL) {
			fprintf(stderr, "nfvctl: kernel backend: generic netlink family \"%s\" not found (is nfv.ko loaded?)\n",
				NFV_GENL_NAME);
			free(b);
			return NULL;
		}
	}
	err = open_daemon(b, path);
	if (err) {
		fprintf(stderr, "nfvctl: cannot reach nfvd at %s: %s\n", path,
			strerror(-err));
		if (b->fd >= 0)
			close(b->fd);
		free(b);
		return NULL;
	}
	b->kind = BACKEND_DAEMON;
	return b;
}

void backend_close(struct backend *b)
{
	if (!b)
		return;
	if (b->nl)
		mnl_socket_close(b->nl);
	if (b->fd >= 0)
		close(b->fd);
	free(b);
}

const char *backend_name(const struct backend *b)
{
	return b->kind == BACKEND_KERNEL ? "kernel" : "daemon";
}

static ssize_t b_send(struct backend *b, const void *p, size_t len)
{
	if (b->nl)
		return mnl_socket_sendto(b->nl, p, len);
	return send(b->fd, p, len, MSG_NOSIGNAL);
}

static ssize_t b_recv(struct backend *b)
{
	if (b->nl)
		return mnl_socket_recvfrom(b->nl, b->buf, sizeof(b->buf));
	return recv(b->fd, b->buf, sizeof(b->buf), 0);
}

int backend_request(struct backend *b, struct nlmsghdr *nlh, reply_cb_t cb,
		    void *data, const char **ext)
{
	static char ext_copy[256];
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t seq = ++b->seq;
	ssize_t n;

	*ext = NULL;
	nlh->nlmsg_type = b->family;
	nlh->nlmsg_seq = seq;
	if (!dump)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (b_send(b, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *r;
		int len;

		n = b_recv(b);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		len = (int)n;
		for (r = (const struct nlmsghdr *)b->buf; mnl_nlmsg_ok(r, len);
		     r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				const char *e = NULL;
				int err = nfv_msg_error(r, &e);

				if (e) {
					snprintf(ext_copy, sizeof(ext_copy),
						 "%s", e);
					*ext = ext_copy;
				}
				return err;
			}
			if (r->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb && cb(r, data) < 0)
				return -EPROTO;
		}
	}
}

struct nlmsghdr *msg_start(void *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NFV_GENL_VERSION;
	return nlh;
}
