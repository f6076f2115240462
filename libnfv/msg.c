// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Control messages on nfvd's unix socket: generic netlink messages, byte
 * for byte what the kernel family speaks, plus SCM_RIGHTS for the fds an
 * NF is given.  One datagram (SOCK_SEQPACKET record) per netlink message.
 */
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "internal.h"

int nfv_msg_send(int sock, const void *buf, size_t len, const int *fds,
		 int n_fds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * NFV_MAX_FDS)];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t n;

	if (n_fds > NFV_MAX_FDS)
		return -E2BIG;
	if (n_fds > 0) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * n_fds);
	}
	do {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (int)n;
}

int nfv_msg_recv(int sock, void *buf, size_t size, int *fds, int *n_fds,
		 int max_fds, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int) * NFV_MAX_FDS)];
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;
	int got = 0;

	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | flags);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		int k, cnt;
		int *p;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		cnt = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		p = (int *)CMSG_DATA(cm);
		for (k = 0; k < cnt; k++) {
			int fd;

			memcpy(&fd, &p[k], sizeof(fd));
			if (fds && got < max_fds)
				fds[got++] = fd;
			else
				close(fd);	/* more than we asked for */
		}
	}
	if (n_fds)
		*n_fds = got;
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		while (got > 0)
			close(fds[--got]);
		if (n_fds)
			*n_fds = 0;
		return -EMSGSIZE;
	}
	return (int)n;
}

struct nlmsghdr *nfv_msg_start(void *buf, uint8_t cmd, uint16_t flags,
			       uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = NLMSG_MIN_TYPE;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NFV_GENL_VERSION;
	return nlh;
}

int nfv_msg_error(const struct nlmsghdr *nlh, const char **ext)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off;

	if (ext)
		*ext = NULL;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	if (!e->error || !ext || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return e->error;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (NLMSG_HDRLEN + off > nlh->nlmsg_len)
		return e->error;
	mnl_attr_for_each_payload((const void *)((const char *)e + off),
				  nlh->nlmsg_len - NLMSG_HDRLEN - off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			*ext = mnl_attr_get_str(attr);
	}
	return e->error;
}
