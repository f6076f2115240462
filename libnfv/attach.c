// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attaching to nfvd and the control connection (libnfv/PROTOCOL.md).
 *
 * nfvd answers an ATTACH with fds: the UMEM, the tables, our own
 * segment, two doorbells and our AF_XDP sockets (unbound: we map their
 * rings, then say READY and nfvd binds them).  Nothing of the layout is
 * read from shared memory: offsets come from nfv_seg_layout() and the
 * frame count of the reply; the headers nfvd wrote are only compared
 * with what we expect.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "internal.h"

static void *map_fd(int fd, size_t *len, int prot)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) || st.st_size <= 0)
		return NULL;
	*len = (size_t)st.st_size;
	p = mmap(NULL, *len, prot, MAP_SHARED, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

struct attach_reply {
	int id;
	uint32_t frames, frame_size;
	uint32_t roles[__NFV_FD_MAX];
	int n_roles;
	struct {
		uint16_t port, queue;
		uint32_t ifindex, rx_size, tx_size;
	} socks[2 * NFV_PORT_MAX * NFV_QUEUE_MAX];
	int n_socks;
};

static int parse_sock(const struct nlattr *nest, struct attach_reply *r)
{
	const struct nlattr *a;
	int i = r->n_socks;

	if (i >= (int)(sizeof(r->socks) / sizeof(r->socks[0])))
		return -E2BIG;
	memset(&r->socks[i], 0, sizeof(r->socks[i]));
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_payload_len(a) < 2)
			return -EINVAL;
		switch (mnl_attr_get_type(a)) {
		case NFV_A_SOCK_PORT:
			r->socks[i].port = mnl_attr_get_u16(a);
			break;
		case NFV_A_SOCK_QUEUE:
			r->socks[i].queue = mnl_attr_get_u16(a);
			break;
		case NFV_A_SOCK_IFINDEX:
			if (mnl_attr_validate(a, MNL_TYPE_U32))
				return -EINVAL;
			r->socks[i].ifindex = mnl_attr_get_u32(a);
			break;
		case NFV_A_SOCK_RX_SIZE:
			if (mnl_attr_validate(a, MNL_TYPE_U32))
				return -EINVAL;
			r->socks[i].rx_size = mnl_attr_get_u32(a);
			break;
		case NFV_A_SOCK_TX_SIZE:
			if (mnl_attr_validate(a, MNL_TYPE_U32))
				return -EINVAL;
			r->socks[i].tx_size = mnl_attr_get_u32(a);
			break;
		}
	}
	if (!r->socks[i].port || r->socks[i].port >= NFV_PORT_MAX ||
	    r->socks[i].queue >= NFV_QUEUE_MAX)
		return -EINVAL;
	r->n_socks++;
	return 0;
}

static int parse_attach(const struct nlmsghdr *nlh, struct attach_reply *r)
{
	const struct nlattr *a, *b;
	int err;

	memset(r, 0, sizeof(*r));
	r->id = -1;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case NFV_A_NF_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16))
				return -EPROTO;
			r->id = mnl_attr_get_u16(a);
			break;
		case NFV_A_NF_FRAMES:
			if (mnl_attr_validate(a, MNL_TYPE_U32))
				return -EPROTO;
			r->frames = mnl_attr_get_u32(a);
			break;
		case NFV_A_NF_FRAME_SIZE:
			if (mnl_attr_validate(a, MNL_TYPE_U32))
				return -EPROTO;
			r->frame_size = mnl_attr_get_u32(a);
			break;
		case NFV_A_NF_FDS:
			mnl_attr_for_each_nested(b, a) {
				if (r->n_roles >= __NFV_FD_MAX ||
				    mnl_attr_validate(b, MNL_TYPE_U32))
					return -E2BIG;
				r->roles[r->n_roles++] = mnl_attr_get_u32(b);
			}
			break;
		case NFV_A_NF_SOCK:
			err = parse_sock(a, r);
			if (err)
				return err;
			break;
		}
	}
	if (r->id <= 0 || r->id >= NFV_NF_MAX || !r->frames ||
	    r->frames > (1u << 20) || r->frame_size < 2048 ||
	    r->frame_size > 4096 || (r->frame_size & (r->frame_size - 1)))
		return -EPROTO;
	return 0;
}

static int add_socket(struct nfv *nf, int fd, uint16_t port, uint16_t queue,
		      uint32_t ifindex, uint32_t rx_size, uint32_t tx_size)
{
	struct nfv_xsk *x;
	int err;

	if (nf->n_xsks >= (int)(sizeof(nf->xsks) / sizeof(nf->xsks[0]))) {
		close(fd);
		return -EINVAL;
	}
	x = &nf->xsks[nf->n_xsks];
	memset(x, 0, sizeof(*x));
	x->fd = fd;
	x->port = port;
	x->queue = queue;
	x->ifindex = ifindex;
	err = nfv_xsk_map(x, rx_size, tx_size);
	if (err) {
		close(fd);
		x->fd = -1;
		return err;
	}
	if (tx_size && !nf->tx_of_port[port])
		nf->tx_of_port[port] = x;
	nf->n_xsks++;
	return 0;
}

static int send_ready(struct nfv *nf, int first_sock)
{
	char buf[NFV_MSG_MAX];
	char reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	int i;

	nlh = nfv_msg_start(buf, NFV_CMD_NF_READY, NLM_F_ACK, ++nf->seq);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, (uint16_t)nf->id);
	for (i = first_sock; i < nf->n_xsks; i++) {
		struct nlattr *n = mnl_attr_nest_start(nlh, NFV_A_NF_SOCK);

		mnl_attr_put_u16(nlh, NFV_A_SOCK_PORT, nf->xsks[i].port);
		mnl_attr_put_u16(nlh, NFV_A_SOCK_QUEUE, nf->xsks[i].queue);
		mnl_attr_nest_end(nlh, n);
	}
	return nfv_ctl_request(nf, nlh, NULL, NULL, 0, reply, sizeof(reply));
}

/* What nfvd wrote at the start of the shared memory, as we expect it. */
static int check_shm(struct nfv *nf)
{
	const struct nfv_seg_hdr *h = (const struct nfv_seg_hdr *)nf->seg;

	if (nf->tables_size < sizeof(struct nfv_tables) ||
	    nf->tables->magic != NFV_SHM_MAGIC ||
	    nf->tables->version != NFV_SHM_VERSION ||
	    nf->tables->n_frames != nf->n_frames ||
	    nf->tables->frame_size != nf->frame_size ||
	    h->magic != NFV_SHM_MAGIC || h->version != NFV_SHM_VERSION ||
	    h->n_frames != nf->n_frames) {
		pr_warn("nfv: shared memory layout mismatch (nfvd version?)\n");
		return -EPROTO;
	}
	return 0;
}

/* Everything of our segment, at the offsets we computed ourselves. */
static void seg_init(struct nfv *nf)
{
	const struct nfv_seg_layout *l = &nf->lay;

	nf->cnt = (struct nfv_nf_counters *)(nf->seg + l->counters);
	nf->sleeping = (uint32_t *)(nf->seg + l->sleeping);
	nf->log.prod_word = (uint32_t *)(nf->seg + l->log_prod);
	nf->log.entries = (uint64_t *)(nf->seg + l->log);
	nf->log.cons_word = &nf->tables->fb[nf->id].log_cons;
	nf->log.size = l->log_size;
	nf->log.mask = l->log_size - 1;
	/* A fresh segment: nothing written, nothing consumed. */
	nf->log.prod = 0;
	nf->log.cached_cons = 0;
	nf->log.reserved = 0;
	nf->gen = __atomic_load_n(&nf->tables->nfs[nf->id].gen,
				  __ATOMIC_ACQUIRE);
}

int nfv_nf_attach(struct nfv *nf, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fds[NFV_MAX_FDS], n_fds = 0, i, err, role_fd[__NFV_FD_MAX];
	char buf[NFV_MSG_MAX], reply[NFV_MSG_MAX];
	struct attach_reply r;
	struct nlmsghdr *nlh;
	int prot;

	if (strlen(path) >= sizeof(sun.sun_path) ||
	    strlen(path) >= sizeof(nf->path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	if (path != nf->path)
		strcpy(nf->path, path);
	nf->ctl = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (nf->ctl < 0)
		return -errno;
	if (connect(nf->ctl, (struct sockaddr *)&sun, sizeof(sun))) {
		err = -errno;
		nfv_log(nf->quiet ? NFV_DEBUG : NFV_WARN,
			"nfv: cannot reach nfvd at %s: %s\n", path,
			strerror(-err));
		return err;
	}

	nlh = nfv_msg_start(buf, NFV_CMD_NF_ATTACH, 0, ++nf->seq);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, (uint16_t)nf->service);
	if (nf->name[0])
		mnl_attr_put_strz(nlh, NFV_A_NF_NAME, nf->name);
	mnl_attr_put_u32(nlh, NFV_A_NF_FLAGS, nf->flags);
	mnl_attr_put_u32(nlh, NFV_A_NF_BATCH, nf->batch);
	err = nfv_ctl_request(nf, nlh, fds, &n_fds, NFV_MAX_FDS, reply,
			      sizeof(reply));
	if (err)
		goto close_fds;
	err = parse_attach((struct nlmsghdr *)reply, &r);
	if (err || n_fds != r.n_roles + r.n_socks) {
		pr_warn("nfv: malformed attach reply from nfvd\n");
		err = err ?: -EPROTO;
		goto close_fds;
	}
	for (i = 0; i < __NFV_FD_MAX; i++)
		role_fd[i] = -1;
	for (i = 0; i < r.n_roles; i++)
		if (r.roles[i] < __NFV_FD_MAX)
			role_fd[r.roles[i]] = fds[i];
	for (i = 0; i < __NFV_FD_MAX; i++) {
		if (role_fd[i] < 0 && i != NFV_FD_NF_DEV) {
			pr_warn("nfv: attach reply lacks fd role %d\n", i);
			err = -EPROTO;
			goto close_fds;
		}
	}

	nf->id = r.id;
	nf->n_frames = r.frames;
	nf->frame_size = r.frame_size;
	nf->frame_shift = (uint32_t)__builtin_ctz(r.frame_size);
	nf->umem_bytes = (uint64_t)r.frames * r.frame_size;
	nfv_seg_layout(&nf->lay, r.frames);
	prot = nf->flags & NFV_NF_F_READONLY ? PROT_READ
					     : PROT_READ | PROT_WRITE;
	nf->umem = map_fd(role_fd[NFV_FD_UMEM], &nf->umem_size, prot);
	nf->tables = map_fd(role_fd[NFV_FD_TABLES], &nf->tables_size,
			    PROT_READ);
	nf->seg = map_fd(role_fd[NFV_FD_SEG], &nf->seg_size,
			 PROT_READ | PROT_WRITE);
	if (!nf->umem || !nf->tables || !nf->seg ||
	    nf->umem_size < (size_t)r.frames * r.frame_size ||
	    nf->seg_size < nf->lay.size) {
		err = -errno ?: -EPROTO;
		pr_warn("nfv: cannot map shared memory: %s\n", strerror(-err));
		goto close_fds;
	}
	err = check_shm(nf);
	if (err)
		goto close_fds;
	seg_init(nf);
	nf->doorbell = role_fd[NFV_FD_DOORBELL];
	nf->nfvd_doorbell = role_fd[NFV_FD_NFVD_DOORBELL];
	/* Kept open, never used: our death is its last close. */
	nf->nf_dev = role_fd[NFV_FD_NF_DEV];
	close(role_fd[NFV_FD_UMEM]);
	close(role_fd[NFV_FD_TABLES]);
	close(role_fd[NFV_FD_SEG]);

	for (i = 0; i < r.n_socks; i++) {
		err = add_socket(nf, fds[r.n_roles + i], r.socks[i].port,
				 r.socks[i].queue, r.socks[i].ifindex,
				 r.socks[i].rx_size, r.socks[i].tx_size);
		if (err) {
			pr_warn("nfv: cannot map AF_XDP rings: %s\n",
				strerror(-err));
			for (i++; i < r.n_socks; i++)
				close(fds[r.n_roles + i]);
			return err;
		}
	}
	return send_ready(nf, 0);

close_fds:
	for (i = 0; i < n_fds; i++)
		close(fds[i]);
	return err;
}

/* nfvd hands us sockets for a port added or reached after we attached. */
static int handle_new_socket(struct nfv *nf, const struct nlmsghdr *nlh,
			     int *fds, int n_fds)
{
	struct attach_reply r;
	const struct nlattr *a;
	int i, first = nf->n_xsks, err = 0;

	memset(&r, 0, sizeof(r));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == NFV_A_NF_SOCK && parse_sock(a, &r))
			break;
	}
	if (r.n_socks != n_fds) {
		for (i = 0; i < n_fds; i++)
			close(fds[i]);
		return -EPROTO;
	}
	for (i = 0; i < r.n_socks && !err; i++)
		err = add_socket(nf, fds[i], r.socks[i].port, r.socks[i].queue,
				 r.socks[i].ifindex, r.socks[i].rx_size,
				 r.socks[i].tx_size);
	for (; i < r.n_socks; i++)
		close(fds[i]);
	if (err)
		pr_warn("nfv: cannot map new socket: %s\n", strerror(-err));
	return send_ready(nf, first);
}

static int handle_async(struct nfv *nf, const struct nlmsghdr *nlh, int *fds,
			int n_fds)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	int i;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*g)) &&
	    g->cmd == NFV_CMD_NF_SOCKET)
		return handle_new_socket(nf, nlh, fds, n_fds);
	for (i = 0; i < n_fds; i++)
		close(fds[i]);
	return 0;
}

/*
 * nfvd answers every request at once; one that has not answered within
 * this is stuck (stopped, or something is wrong with it): the caller
 * gets -ETIMEDOUT rather than an NF that hangs for good, deaf to
 * nfv_stop().
 */
#define CTL_TIMEOUT_MS	5000

/* The control socket readable before @deadline (ms), nfv_stop() heard. */
static int ctl_wait(struct nfv *nf, uint64_t deadline)
{
	struct pollfd pfd = { .fd = nf->ctl, .events = POLLIN };

	for (;;) {
		uint64_t now = nfv_now_ms();
		int r;

		if (now >= deadline)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)(deadline - now));
		if (r > 0)
			return 0;
		if (r == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
		if (nf->stop)
			return -EINTR;
	}
}

int nfv_ctl_request(struct nfv *nf, struct nlmsghdr *nlh, int *fds,
		    int *n_fds, int max_fds, void *reply, size_t size)
{
	uint64_t deadline = nfv_now_ms() + CTL_TIMEOUT_MS;
	uint32_t seq = nlh->nlmsg_seq;
	int err;

	err = nfv_msg_send(nf->ctl, nlh, nlh->nlmsg_len, NULL, 0);
	if (err < 0)
		return err;
	for (;;) {
		int tmp[NFV_MAX_FDS], n = 0;
		struct nlmsghdr *r = reply;
		const char *ext;

		err = ctl_wait(nf, deadline);
		if (err)
			return err;
		err = nfv_msg_recv(nf->ctl, reply, size, tmp, &n, NFV_MAX_FDS, 0);
		if (err < 0)
			return err;
		if (err == 0)
			return -ECONNRESET;
		if ((size_t)err < sizeof(*r) || r->nlmsg_len > (uint32_t)err) {
			while (n)
				close(tmp[--n]);
			return -EPROTO;
		}
		if (r->nlmsg_seq != seq) {
			handle_async(nf, r, tmp, n);
			continue;
		}
		if (r->nlmsg_type == NLMSG_ERROR) {
			while (n)
				close(tmp[--n]);
			err = nfv_msg_error(r, &ext);
			if (err)
				nfv_log(nf->quiet ? NFV_DEBUG : NFV_WARN,
					"nfv: nfvd: %s\n",
					ext ? ext : strerror(-err));
			return err;
		}
		if (fds) {
			memcpy(fds, tmp, sizeof(int) * (n < max_fds ? n : max_fds));
			while (n > max_fds)
				close(tmp[--n]);
			*n_fds = n;
		} else {
			while (n)
				close(tmp[--n]);
		}
		return 0;
	}
}

int nfv_nf_handle_ctl(struct nfv *nf)
{
	char buf[NFV_MSG_MAX];
	int fds[NFV_MAX_FDS], n = 0, len;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	/* Never blocks: called from the packet loop. */
	len = nfv_msg_recv(nf->ctl, buf, sizeof(buf), fds, &n, NFV_MAX_FDS,
			   MSG_DONTWAIT);
	if (len == 0)
		return -ECONNRESET;
	if (len < 0)
		return len == -EAGAIN ? 0 : len;
	if ((size_t)len < sizeof(*nlh) || nlh->nlmsg_len > (uint32_t)len) {
		while (n)
			close(fds[--n]);
		return 0;
	}
	return handle_async(nf, nlh, fds, n);
}
