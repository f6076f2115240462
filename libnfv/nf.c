// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An NF's side of the fabric: attach to nfvd, receive from AF_XDP rx rings
 * and NF->NF lanes, act on each frame.
 *
 * Ownership while the NF runs (see docs/design.md):
 *  - rx ring entries: the kernel's until we release them; before release
 *    we write owner[frame] = our id, so nfvd can reclaim after a crash.
 *  - lanes into us: the producer's entries until we release them; same.
 *  - a frame we hold: ours, until we put it on a lane (then the lane's),
 *    a tx ring (the kernel's, back to nfvd by the completion ring) or our
 *    return ring (nfvd's).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "internal.h"

/* Attach refused with EAGAIN (see nfv_init()): 50 x 10 ms. */
#define ATTACH_AGAIN_TRIES	50
#define ATTACH_AGAIN_US		10000

static int ctl_request(struct nfv *nf, struct nlmsghdr *nlh, int *fds,
		       int *n_fds, int max_fds, void *reply, size_t size);
static void flush_tx(struct nfv *nf);
static void kick_nfvd(struct nfv *nf);

/* ------------------------------------------------------------------ */
/* attach                                                              */

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
	} socks[NFV_PORT_MAX * NFV_QUEUE_MAX];
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
		switch (mnl_attr_get_type(a)) {
		case NFV_A_SOCK_PORT:
			r->socks[i].port = mnl_attr_get_u16(a);
			break;
		case NFV_A_SOCK_QUEUE:
			r->socks[i].queue = mnl_attr_get_u16(a);
			break;
		case NFV_A_SOCK_IFINDEX:
			r->socks[i].ifindex = mnl_attr_get_u32(a);
			break;
		case NFV_A_SOCK_RX_SIZE:
			r->socks[i].rx_size = mnl_attr_get_u32(a);
			break;
		case NFV_A_SOCK_TX_SIZE:
			r->socks[i].tx_size = mnl_attr_get_u32(a);
			break;
		}
	}
	if (r->socks[i].port >= NFV_PORT_MAX ||
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
			r->id = mnl_attr_get_u16(a);
			break;
		case NFV_A_NF_FRAMES:
			r->frames = mnl_attr_get_u32(a);
			break;
		case NFV_A_NF_FRAME_SIZE:
			r->frame_size = mnl_attr_get_u32(a);
			break;
		case NFV_A_NF_FDS:
			mnl_attr_for_each_nested(b, a) {
				if (r->n_roles >= __NFV_FD_MAX)
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
	    !r->frame_size || (r->frame_size & (r->frame_size - 1)))
		return -EPROTO;
	return 0;
}

static int add_socket(struct nfv *nf, int fd, uint16_t port, uint16_t queue,
		      uint32_t ifindex, uint32_t rx_size, uint32_t tx_size)
{
	struct nfv_xsk *x;
	int err;

	if (nf->n_xsks >= (int)(sizeof(nf->xsks) / sizeof(nf->xsks[0])) ||
	    !port || port >= NFV_PORT_MAX) {
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
	if (queue == 0 || !nf->tx_of_port[port])
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
	return ctl_request(nf, nlh, NULL, NULL, 0, reply, sizeof(reply));
}

static int check_shm(struct nfv *nf)
{
	const struct nfv_handoff *h = nf->handoff;

	if (nf->tables->magic != NFV_SHM_MAGIC ||
	    nf->tables->version != NFV_SHM_VERSION ||
	    nf->tables_size < sizeof(struct nfv_tables) ||
	    h->magic != NFV_SHM_MAGIC || h->version != NFV_SHM_VERSION ||
	    h->size > nf->handoff_size || h->lane_size != NFV_LANE_SIZE ||
	    h->n_frames != nf->n_frames ||
	    nf->priv->magic != NFV_SHM_MAGIC ||
	    nf->priv->version != NFV_SHM_VERSION ||
	    nf->priv->ret_size < nf->n_frames ||
	    nf->priv->tap_held_off != nfv_private_tap_off(nf->priv->ret_size) ||
	    nfv_private_size(nf->priv->ret_size, nf->n_frames) >
		    nf->priv_size) {
		pr_warn("nfv: shared memory layout mismatch (nfvd version?)\n");
		return -EPROTO;
	}
	return 0;
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
	err = ctl_request(nf, nlh, fds, &n_fds, NFV_MAX_FDS, reply,
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
	prot = nf->flags & NFV_NF_F_READONLY ? PROT_READ
					     : PROT_READ | PROT_WRITE;
	nf->umem = map_fd(role_fd[NFV_FD_UMEM], &nf->umem_size, prot);
	nf->tables = map_fd(role_fd[NFV_FD_TABLES], &nf->tables_size,
			    PROT_READ);
	nf->handoff = map_fd(role_fd[NFV_FD_HANDOFF], &nf->handoff_size,
			     PROT_READ | PROT_WRITE);
	nf->priv = map_fd(role_fd[NFV_FD_PRIVATE], &nf->priv_size,
			  PROT_READ | PROT_WRITE);
	if (!nf->umem || !nf->tables || !nf->handoff || !nf->priv ||
	    nf->umem_size < (size_t)r.frames * r.frame_size) {
		err = -errno ?: -EPROTO;
		pr_warn("nfv: cannot map shared memory: %s\n", strerror(-err));
		goto close_fds;
	}
	err = check_shm(nf);
	if (err)
		goto close_fds;
	nf->owner = nfv_owner_table(nf->handoff);
	nf->refs = nfv_refs_table(nf->handoff);
	nf->tap_held = (uint64_t *)((char *)nf->priv + nf->priv->tap_held_off);
	nf->inbox = nfv_inbox(nf->handoff, nf->id);
	nfv_ring_init(&nf->ret, &nf->priv->ret, nf->priv->ret_ring,
		      nf->priv->ret_size);
	nf->doorbell = role_fd[NFV_FD_DOORBELL];
	nf->nfvd_doorbell = role_fd[NFV_FD_NFVD_DOORBELL];
	/* Kept open, never used: our death is its last close. */
	nf->nf_dev = role_fd[NFV_FD_NF_DEV];
	close(role_fd[NFV_FD_UMEM]);
	close(role_fd[NFV_FD_TABLES]);
	close(role_fd[NFV_FD_HANDOFF]);
	close(role_fd[NFV_FD_PRIVATE]);

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

/* ------------------------------------------------------------------ */
/* control channel                                                     */

/* nfvd hands us a socket for a port added after we attached. */
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

/* Send @nlh and wait for its answer, handling async messages meanwhile. */
static int ctl_request(struct nfv *nf, struct nlmsghdr *nlh, int *fds,
		       int *n_fds, int max_fds, void *reply, size_t size)
{
	uint32_t seq = nlh->nlmsg_seq;
	int err;

	err = nfv_msg_send(nf->ctl, nlh, nlh->nlmsg_len, NULL, 0);
	if (err < 0)
		return err;
	for (;;) {
		int tmp[NFV_MAX_FDS], n = 0;
		struct nlmsghdr *r = reply;
		const char *ext;

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
				pr_warn("nfv: nfvd: %s\n",
					ext ? ext : strerror(-err));
			return err;
		}
		if (fds) {
			memcpy(fds, tmp, sizeof(int) * (n < max_fds ? n : max_fds));
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

/* Eventfd of NF @peer, asked of nfvd once per incarnation of @peer. */
static int peer_doorbell(struct nfv *nf, int peer)
{
	uint32_t gen = __atomic_load_n(&nf->tables->nfs[peer].gen,
				       __ATOMIC_ACQUIRE);
	char buf[NFV_MSG_MAX], reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	int fd = -1, n = 0;

	if (nf->peer_doorbell[peer] >= 0 && nf->peer_gen[peer] == gen)
		return nf->peer_doorbell[peer];
	if (nf->peer_doorbell[peer] >= 0)
		close(nf->peer_doorbell[peer]);
	nf->peer_doorbell[peer] = -1;
	nlh = nfv_msg_start(buf, NFV_CMD_NF_GET, 0, ++nf->seq);
	mnl_attr_put_u16(nlh, NFV_A_NF_ID, (uint16_t)peer);
	mnl_attr_put_u32(nlh, NFV_A_NF_DOORBELL, gen);
	if (ctl_request(nf, nlh, &fd, &n, 1, reply, sizeof(reply)) || n != 1)
		return -1;
	nf->peer_doorbell[peer] = fd;
	nf->peer_gen[peer] = gen;
	return fd;
}

/* ------------------------------------------------------------------ */
/* receive                                                             */

static inline uint32_t frame_of(const struct nfv *nf, uint64_t addr)
{
	return (uint32_t)(addr / nf->frame_size);
}

static inline void take_frame(struct nfv *nf, struct nfv_pkt *pkt,
			      uint64_t addr, uint32_t len)
{
	pkt->addr = addr;
	pkt->data = nf->umem + addr;
	pkt->len = len;
	pkt->meta = (struct nfv_xdp_meta *)(pkt->data - sizeof(*pkt->meta));
	pkt->action = NFV_NEXT;
	pkt->hop = pkt->meta->hop;
	pkt->flags = 0;
	nf->owner[frame_of(nf, addr)] = (uint16_t)nf->id;
}

/* A tap reference: no ownership, remembered in tap_held for reclaim. */
static inline void take_tap(struct nfv *nf, struct nfv_pkt *pkt,
			    uint64_t addr, uint32_t len)
{
	uint32_t f = frame_of(nf, addr);

	pkt->addr = addr;
	pkt->data = nf->umem + addr;
	pkt->len = len;
	pkt->meta = (struct nfv_xdp_meta *)(pkt->data - sizeof(*pkt->meta));
	pkt->action = NFV_DROP;
	pkt->hop = 0;
	pkt->flags = NFV_PKT_F_TAP;
	nf->tap_held[f / 64] |= 1ULL << (f % 64);
}

static inline void return_frame(struct nfv *nf, uint64_t addr)
{
	uint32_t idx = nf->ret.cached_prod;

	/* A tap still looks at it: the last holder frees it. */
	if (!nfv_frame_put(nf->refs, frame_of(nf, addr)))
		return;
	/* The return ring holds every frame: it cannot fill up unless we
	 * return more than we hold, which would be our bug; count it.
	 */
	if (!nfv_ring_free(&nf->ret, 1)) {
		nf->priv->cnt.ring_full++;
		return;
	}
	*nfv_ring_addr(&nf->ret, idx) = addr & ~(uint64_t)(nf->frame_size - 1);
	nf->ret.cached_prod++;
	nf->kick_nfvd = true;
}

static int rx_xsk(struct nfv *nf, struct nfv_xsk *x, struct nfv_pkt *pkts,
		  int max)
{
	uint32_t idx, n, i, got = 0;

	n = xsk_ring_cons__peek(&x->rx, (uint32_t)max, &idx);
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx,
								  idx + i);

		take_frame(nf, &pkts[got], d->addr, d->len);
		if (pkts[got].meta->magic != NFV_META_MAGIC ||
		    d->len < ETH_HLEN) {
			/* Not stamped by our classifier: don't trust it. */
			nf->priv->cnt.bad_desc++;
			nf->priv->cnt.drop++;
			return_frame(nf, d->addr);
			continue;
		}
		got++;
	}
	if (n)
		xsk_ring_cons__release(&x->rx, n);
	return (int)got;
}

static struct nfv_ring *in_lane(struct nfv *nf, uint32_t p)
{
	struct nfv_ring *r = &nf->in_lanes[p];

	if (!r->hdr)
		nfv_ring_init(r, nfv_lane_hdr(nf->handoff, nf->id, p),
			      nfv_lane_descs(nf->handoff, nf->id, p),
			      NFV_LANE_SIZE);
	return r;
}

/* Descriptors from another process: check everything before use. */
static bool desc_ok(const struct nfv *nf, const struct nfv_desc *d,
		    uint32_t producer)
{
	uint64_t off = d->addr & (nf->frame_size - 1);

	if (d->addr >= (uint64_t)nf->n_frames * nf->frame_size)
		return false;
	if (off < sizeof(struct nfv_xdp_meta) || d->len < ETH_HLEN ||
	    off + d->len > nf->frame_size)
		return false;
	/*
	 * A frame handed over must be held by its producer.  A tap
	 * reference has no owner to check: the inline chain may have sent
	 * the frame on already (its reference keeps it from being freed).
	 */
	if (d->flags & NFV_DESC_F_TAP)
		return true;
	return nf->owner[frame_of(nf, d->addr)] == producer;
}

static int rx_lane(struct nfv *nf, uint32_t p, struct nfv_pkt *pkts, int max,
		   bool *more)
{
	struct nfv_ring *r = in_lane(nf, p);
	int jump = 0, got = 0;
	uint32_t n, i;

	n = nfv_ring_avail(r, (uint32_t)max, &jump);
	if (jump)
		nf->priv->cnt.bad_desc++;
	for (i = 0; i < n; i++) {
		struct nfv_desc d = *nfv_ring_desc(r, r->cached_cons + i);

		if (!desc_ok(nf, &d, p)) {
			/* Never followed, never returned: it may be
			 * somebody else's frame.
			 */
			nf->priv->cnt.bad_desc++;
			continue;
		}
		if (d.flags & NFV_DESC_F_TAP) {
			take_tap(nf, &pkts[got++], d.addr, d.len);
			continue;
		}
		take_frame(nf, &pkts[got], d.addr, d.len);
		pkts[got++].hop = d.hop;
	}
	if (n)
		nfv_ring_release(r, n);
	*more = n == (uint32_t)max;
	return got;
}

static int rx_lanes(struct nfv *nf, struct nfv_pkt *pkts, int max)
{
	int w, got = 0;

	for (w = 0; w < NFV_NF_MAX / 64; w++) {
		/* Acquire: pairs with the producer's release of the bit,
		 * which follows its release of prod.
		 */
		if (__atomic_load_n(&nf->inbox->pending[w], __ATOMIC_RELAXED))
			nf->in_pending[w] |= __atomic_exchange_n(
				&nf->inbox->pending[w], 0, __ATOMIC_ACQUIRE);
	}
	for (w = 0; w < NFV_NF_MAX / 64 && got < max; w++) {
		uint64_t bits = nf->in_pending[w];

		while (bits && got < max) {
			int b = __builtin_ctzll(bits);
			bool more;

			bits &= bits - 1;
			got += rx_lane(nf, (uint32_t)(w * 64 + b), pkts + got,
				       max - got, &more);
			if (!more)
				nf->in_pending[w] &= ~(1ULL << b);
		}
	}
	return got;
}

static int rx_scan(struct nfv *nf, struct nfv_pkt *pkts, int max)
{
	int got = rx_lanes(nf, pkts, max), i;

	for (i = 0; i < nf->n_xsks && got < max; i++) {
		struct nfv_xsk *x = &nf->xsks[(nf->rr + i) % nf->n_xsks];

		got += rx_xsk(nf, x, pkts + got, max - got);
	}
	if (nf->n_xsks)
		nf->rr++;
	return got;
}

static bool lanes_pending(struct nfv *nf)
{
	int w;

	for (w = 0; w < NFV_NF_MAX / 64; w++)
		if (nf->in_pending[w] ||
		    __atomic_load_n(&nf->inbox->pending[w], __ATOMIC_RELAXED))
			return true;
	return false;
}

static int wait_rx(struct nfv *nf, int timeout_ms)
{
	struct pollfd pfd[NFV_PORT_MAX * NFV_QUEUE_MAX + 2];
	int i, n = 0, ret;
	uint64_t v;

	for (i = 0; i < nf->n_xsks; i++) {
		pfd[n].fd = nf->xsks[i].fd;
		pfd[n++].events = POLLIN;
	}
	pfd[n].fd = nf->doorbell;
	pfd[n++].events = POLLIN;
	pfd[n].fd = nf->ctl;
	pfd[n++].events = POLLIN;

	/* Tell producers to kick us, then look once more (no lost wakeup:
	 * they publish, then read "sleeping"; we write it, then read their
	 * pending bits; both with full fences).
	 */
	__atomic_store_n(&nf->inbox->sleeping, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (lanes_pending(nf)) {
		__atomic_store_n(&nf->inbox->sleeping, 0, __ATOMIC_RELAXED);
		return 0;
	}
	ret = poll(pfd, (nfds_t)n, timeout_ms);
	__atomic_store_n(&nf->inbox->sleeping, 0, __ATOMIC_RELAXED);
	if (ret < 0)
		return -errno;
	if (pfd[n - 2].revents & POLLIN)
		(void)!read(nf->doorbell, &v, sizeof(v));
	if (pfd[n - 1].revents & (POLLIN | POLLHUP | POLLERR))
		return nfv_nf_handle_ctl(nf);
	return 0;
}

int nfv_rx_burst(struct nfv *nf, struct nfv_pkt *pkts, int max,
		 int timeout_ms)
{
	int got, err, i;

	if (!nf || !pkts || max <= 0)
		return nfv_err(-EINVAL);
	if (!nf->handoff)
		return nfv_err(-ENOTCONN);	/* stopped while reattaching */
	/* Under steady traffic we never sleep on the control connection:
	 * look at it now and then, or nfvd's death would go unnoticed.
	 */
	if (!(++nf->ctl_check & 255)) {
		err = nfv_nf_handle_ctl(nf);
		if (err && !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
			return nfv_err(err);
	}
	for (;;) {
		got = rx_scan(nf, pkts, max);
		if (got || !timeout_ms || nf->stop)
			break;
		if (nf->busy_poll) {
			/* Spin, but keep the control channel serviced. */
			if ((++nf->rr & 1023) == 0) {
				err = nfv_nf_handle_ctl(nf);
				if (err && !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
					return nfv_err(err);
			}
			continue;
		}
		if (nf->tx_pending_ports) {
			flush_tx(nf);
			kick_nfvd(nf);
		}
		err = wait_rx(nf, nf->tx_pending_ports && timeout_ms < 0 ?
				  1 : timeout_ms);
		if (err == -EINTR)
			break;
		/* nfvd gone: attach again, the caller never knows. */
		if (err && !(nfv_ctl_lost(err) && !nfv_nf_reattach(nf)))
			return nfv_err(err);
		if (timeout_ms > 0)
			timeout_ms = 0;	/* one wait, then a last scan */
	}
	nf->priv->cnt.rx += (uint64_t)got;
	for (i = 0; i < got; i++) {
		if (pkts[i].meta->flags & NFV_META_F_CSUM_PARTIAL &&
		    !(pkts[i].flags & NFV_PKT_F_TAP) &&
		    !(nf->flags & NFV_NF_F_READONLY))
			nfv_complete_csum(nf, &pkts[i]);
	}
	return got;
}

/* ------------------------------------------------------------------ */
/* transmit                                                            */

static struct nfv_ring *out_lane(struct nfv *nf, uint32_t c)
{
	struct nfv_ring *r = &nf->out_lanes[c];
	uint32_t gen = __atomic_load_n(&nf->tables->nfs[c].gen,
				       __ATOMIC_ACQUIRE);

	if (!r->hdr || nf->out_gen[c] != gen) {
		nfv_ring_init(r, nfv_lane_hdr(nf->handoff, c, nf->id),
			      nfv_lane_descs(nf->handoff, c, nf->id),
			      NFV_LANE_SIZE);
		nf->out_gen[c] = gen;
	}
	return r;
}

/* The replica of service @sid for this frame's flow, 0 if none. */
static uint16_t pick_replica(struct nfv *nf, const struct nfv_pkt *pkt,
			     uint16_t sid)
{
	const struct nfv_service *svc;
	uint16_t target;

	if (!sid || sid > NFV_SERVICE_MAX)
		return 0;
	svc = &nf->tables->services[sid];
	if (!svc->n_live)
		return 0;
	target = svc->buckets[pkt->meta->hash % NFV_BUCKETS];
	if (!target || target >= NFV_NF_MAX ||
	    nf->tables->nfs[target].state != NFV_NF_STATE_UP)
		return 0;
	return target;
}

static bool enqueue(struct nfv *nf, const struct nfv_pkt *pkt,
		    uint16_t target, uint16_t flags, uint64_t *touched)
{
	struct nfv_ring *r = out_lane(nf, target);
	struct nfv_desc *d;

	if (!nfv_ring_free(r, 1))
		return false;
	d = nfv_ring_desc(r, r->cached_prod);
	d->addr = pkt->addr;
	d->len = pkt->len;
	d->hop = (uint16_t)pkt->hop;
	d->flags = flags;
	r->cached_prod++;
	touched[target / 64] |= 1ULL << (target % 64);
	return true;
}

static void to_service(struct nfv *nf, struct nfv_pkt *pkt, uint16_t sid,
		       uint64_t *touched)
{
	uint16_t target = pick_replica(nf, pkt, sid);

	if (!target) {
		nf->priv->cnt.no_replica++;
		goto drop;
	}
	if (!enqueue(nf, pkt, target, 0, touched)) {
		nf->priv->cnt.ring_full++;
		goto drop;
	}
	nf->priv->cnt.next++;
	return;
drop:
	nf->priv->cnt.drop++;
	return_frame(nf, pkt->addr);
}

/*
 * Hand a reference to a tap replica.  Never blocks the chain: a full
 * lane just means the tap misses this frame (counted).
 */
static void to_tap(struct nfv *nf, struct nfv_pkt *pkt, uint16_t sid,
		   uint64_t *touched)
{
	uint16_t target = pick_replica(nf, pkt, sid);
	uint16_t *ref = &nf->refs[frame_of(nf, pkt->addr)];

	if (!target) {
		nf->priv->cnt.tap_overflow++;
		return;
	}
	/* Count the reference before it is visible to the tap. */
	__atomic_add_fetch(ref, 1, __ATOMIC_ACQ_REL);
	if (!enqueue(nf, pkt, target, NFV_DESC_F_TAP, touched)) {
		/* We still hold the frame: this cannot be the last put. */
		__atomic_sub_fetch(ref, 1, __ATOMIC_ACQ_REL);
		nf->priv->cnt.tap_overflow++;
	}
}

/* A tap NF is done with a reference. */
static void release_tap(struct nfv *nf, struct nfv_pkt *pkt)
{
	uint32_t f = frame_of(nf, pkt->addr);
	uint32_t idx = nf->ret.cached_prod;

	/* Forget it first: if we die right after, a reference leaks (the
	 * frame stays held) rather than being released twice.
	 */
	nf->tap_held[f / 64] &= ~(1ULL << (f % 64));
	if (!nfv_frame_put(nf->refs, f))
		return;
	/* Last holder: the frame is ours to give back. */
	nf->owner[f] = (uint16_t)nf->id;
	if (!nfv_ring_free(&nf->ret, 1)) {
		nf->priv->cnt.ring_full++;
		return;
	}
	*nfv_ring_addr(&nf->ret, idx) = pkt->addr & ~(uint64_t)(nf->frame_size - 1);
	nf->ret.cached_prod++;
	nf->kick_nfvd = true;
}

static void to_port(struct nfv *nf, struct nfv_pkt *pkt, uint16_t port)
{
	struct nfv_xsk *x = port < NFV_PORT_MAX ? nf->tx_of_port[port] : NULL;
	struct xdp_desc *d;
	uint32_t idx;

	if (!x || xsk_ring_prod__reserve(&x->tx, 1, &idx) != 1) {
		nf->priv->cnt.ring_full++;
		nf->priv->cnt.drop++;
		return_frame(nf, pkt->addr);
		return;
	}
	d = xsk_ring_prod__tx_desc(&x->tx, idx);
	d->addr = pkt->addr;
	d->len = pkt->len;
	d->options = 0;
	nf->tx_pending_ports |= 1u << port;
	nf->priv->cnt.tx++;
}

static void follow_hop(struct nfv *nf, struct nfv_pkt *pkt,
		       const struct nfv_chain *c, uint64_t *touched)
{
	const struct nfv_hop *h;
	int guard;

	for (guard = 0; guard < NFV_HOPS_MAX; guard++) {
		if (pkt->hop >= c->n_hops || pkt->hop >= NFV_HOPS_MAX)
			break;
		h = &c->hops[pkt->hop];
		switch (h->type) {
		case NFV_HOP_SERVICE:
			to_service(nf, pkt, h->arg, touched);
			return;
		case NFV_HOP_OUT:
			to_port(nf, pkt, h->arg);
			return;
		case NFV_HOP_TAP:
			to_tap(nf, pkt, h->arg, touched);
			pkt->hop++;
			if (!(nf->flags & NFV_NF_F_READONLY))
				pkt->meta->hop = (uint8_t)pkt->hop;
			continue;
		default:
			goto drop;
		}
	}
drop:
	nf->priv->cnt.drop++;
	return_frame(nf, pkt->addr);
}

static void act(struct nfv *nf, struct nfv_pkt *pkt, uint64_t *touched)
{
	const struct nfv_chain *c;
	uint32_t type = NFV_ACTION_TYPE(pkt->action);
	uint16_t arg = NFV_ACTION_ARG(pkt->action);

	if (pkt->flags & NFV_PKT_F_TAP) {
		release_tap(nf, pkt);
		return;
	}
	if (pkt->meta->chain > NFV_CHAIN_MAX) {
		nf->priv->cnt.drop++;
		return_frame(nf, pkt->addr);
		return;
	}
	c = &nf->tables->chains[pkt->meta->chain];
	if ((type == NFV_ACT_TO_SERVICE || type == NFV_ACT_OUT) &&
	    (c->flags & NFV_CHAIN_F_NO_OVERRIDE)) {
		nf->priv->cnt.override_denied++;
		type = NFV_ACT_NEXT;
	}
	switch (type) {
	case NFV_ACT_NEXT:
		pkt->hop++;
		if (!(nf->flags & NFV_NF_F_READONLY))
			pkt->meta->hop = (uint8_t)pkt->hop;
		follow_hop(nf, pkt, c, touched);
		break;
	case NFV_ACT_TO_SERVICE:
		to_service(nf, pkt, arg, touched);
		break;
	case NFV_ACT_OUT:
		to_port(nf, pkt, arg);
		break;
	default:
		nf->priv->cnt.drop++;
		return_frame(nf, pkt->addr);
		break;
	}
}

static void kick(int fd)
{
	uint64_t one = 1;

	if (fd >= 0)
		(void)!write(fd, &one, sizeof(one));
}

/*
 * Copy mode transmits inside sendto(), at most a small budget of frames
 * per call (32 on current kernels): kick until the ring is drained or the
 * kernel stops taking frames.  Ports still holding frames stay pending and
 * are kicked again before we sleep.
 */
static void flush_tx(struct nfv *nf)
{
	uint32_t pending = nf->tx_pending_ports, still = 0;

	while (pending) {
		int p = __builtin_ctz(pending), i;
		struct nfv_xsk *x = nf->tx_of_port[p];
		uint32_t before;

		pending &= pending - 1;
		xsk_ring_prod__submit(&x->tx, x->tx.cached_prod -
					      *x->tx.producer);
		for (i = 0; i < 64; i++) {
			before = __atomic_load_n(x->tx.consumer,
						 __ATOMIC_ACQUIRE);
			if (before == x->tx.cached_prod)
				break;
			if (sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
			    errno != EAGAIN && errno != EBUSY &&
			    errno != ENOBUFS)
				break;
			if (__atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE) ==
			    before)
				break;	/* completion ring full: later */
		}
		if (__atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE) !=
		    x->tx.cached_prod)
			still |= 1u << p;
		nf->kick_nfvd = true;
	}
	nf->tx_pending_ports = still;
}

static void kick_nfvd(struct nfv *nf)
{
	const struct nfv_handoff *h = nf->handoff;

	if (!nf->kick_nfvd)
		return;
	nfv_ring_submit(&nf->ret);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&h->nfvd_sleeping, __ATOMIC_RELAXED))
		kick(nf->nfvd_doorbell);
	nf->kick_nfvd = false;
}

int nfv_tx_burst(struct nfv *nf, struct nfv_pkt *pkts, int n)
{
	uint64_t touched[NFV_NF_MAX / 64] = { 0 };
	int i, w;

	if (!nf || (n && !pkts) || n < 0)
		return nfv_err(-EINVAL);
	if (!nf->handoff)
		return nfv_err(-ENOTCONN);
	for (i = 0; i < n; i++) {
		/* Held across a reattach: its UMEM went with the old nfvd. */
		if (nf->reattached && nfv_pkt_stale(nf, &pkts[i]))
			continue;
		act(nf, &pkts[i], touched);
	}

	/* Publish lanes, then raise pending bits, then look who sleeps. */
	for (w = 0; w < NFV_NF_MAX / 64; w++) {
		uint64_t bits = touched[w];

		while (bits) {
			int c = w * 64 + __builtin_ctzll(bits);
			struct nfv_inbox *in = nfv_inbox(nf->handoff, c);

			bits &= bits - 1;
			nfv_ring_submit(&nf->out_lanes[c]);
			__atomic_fetch_or(&in->pending[nf->id / 64],
					  1ULL << (nf->id % 64),
					  __ATOMIC_SEQ_CST);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (__atomic_load_n(&in->sleeping, __ATOMIC_RELAXED))
				kick(peer_doorbell(nf, c));
		}
	}
	flush_tx(nf);
	kick_nfvd(nf);
	return n;
}

/* ------------------------------------------------------------------ */
/* lifecycle                                                           */

struct nfv *nfv_init(int service, const struct nfv_opts *opts)
{
	const char *path, *name;
	struct nfv *nf;
	int err, i;

	if (!OPTS_VALID(opts, nfv_opts))
		return nfv_err_ptr(-EINVAL);
	if (service < 1 || service > NFV_SERVICE_MAX) {
		pr_warn("nfv: service id %d out of range 1..%d\n", service,
			NFV_SERVICE_MAX);
		return nfv_err_ptr(-EINVAL);
	}
	nf = calloc(1, sizeof(*nf));
	if (!nf)
		return nfv_err_ptr(-ENOMEM);
	err = nfv_handle_add(nf);
	if (err) {
		free(nf);
		return nfv_err_ptr(err);
	}
	nf->ctl = nf->doorbell = nf->nfvd_doorbell = nf->nf_dev = -1;
	nf->service = service;
	nf->batch = OPTS_GET(opts, batch_size, 0) ?: 64;
	if (nf->batch > NFV_BATCH_MAX)
		nf->batch = NFV_BATCH_MAX;
	nf->busy_poll = OPTS_GET(opts, busy_poll, false);
	if (nf->busy_poll)
		nf->flags |= NFV_NF_F_BUSY_POLL;
	if (OPTS_GET(opts, readonly, false))
		nf->flags |= NFV_NF_F_READONLY;
	name = OPTS_GET(opts, name, NULL);
	if (name)
		snprintf(nf->name, sizeof(nf->name), "%s", name);
	path = OPTS_GET(opts, socket_path, NULL) ?: getenv("NFV_SOCKET");
	if (!path)
		path = NFV_DEFAULT_SOCKET;

	nf->in_lanes = calloc(NFV_NF_MAX, sizeof(*nf->in_lanes));
	nf->out_lanes = calloc(NFV_NF_MAX, sizeof(*nf->out_lanes));
	nf->out_gen = calloc(NFV_NF_MAX, sizeof(*nf->out_gen));
	nf->peer_doorbell = malloc(NFV_NF_MAX * sizeof(int));
	nf->peer_gen = calloc(NFV_NF_MAX, sizeof(*nf->peer_gen));
	if (!nf->in_lanes || !nf->out_lanes || !nf->out_gen ||
	    !nf->peer_doorbell || !nf->peer_gen) {
		nfv_close(nf);
		return nfv_err_ptr(-ENOMEM);
	}
	for (i = 0; i < NFV_NF_MAX; i++)
		nf->peer_doorbell[i] = -1;
	err = nfv_nf_attach(nf, path);
	/* EAGAIN: nfv.ko gave us the id of an NF that just died and nfvd
	 * is still reclaiming its frames (a 20 ms grace): ask again.
	 */
	for (i = 0; err == -EAGAIN && i < ATTACH_AGAIN_TRIES; i++) {
		nfv_drop_attach(nf);
		if (nf->umem)
			munmap(nf->umem, nf->umem_size);
		nf->umem = NULL;
		usleep(ATTACH_AGAIN_US);
		err = nfv_nf_attach(nf, path);
	}
	if (err) {
		nfv_close(nf);
		return nfv_err_ptr(err);
	}
	return nf;
}

int nfv_run(struct nfv *nf, nfv_handler_t handler, void *ctx)
{
	struct nfv_pkt pkts[NFV_BATCH_MAX];
	int n, i;

	if (!nf || !handler)
		return nfv_err(-EINVAL);
	while (!nf->stop) {
		n = nfv_rx_burst(nf, pkts, (int)nf->batch, -1);
		if (n < 0)
			return n == -ECONNRESET ? nfv_err(-ENOTCONN) : n;
		for (i = 0; i < n; i++)
			pkts[i].action = handler(&pkts[i], ctx);
		nfv_tx_burst(nf, pkts, n);
	}
	return 0;
}

void nfv_close(struct nfv *nf)
{
	if (!nf)
		return;
	nfv_handle_del(nf);	/* nfv_stop() from a signal: hands off */
	nfv_drop_attach(nf);
	if (nf->umem)
		munmap(nf->umem, nf->umem_size);
	free(nf->in_lanes);
	free(nf->out_lanes);
	free(nf->out_gen);
	free(nf->peer_doorbell);
	free(nf->peer_gen);
	free(nf);
}

int nfv_id(const struct nfv *nf)
{
	return nf ? nf->id : nfv_err(-EINVAL);
}

int nfv_service(const struct nfv *nf)
{
	return nf ? nf->service : nfv_err(-EINVAL);
}

int nfv_port_by_name(const struct nfv *nf, const char *ifname)
{
	int i;

	if (!nf || !ifname)
		return nfv_err(-EINVAL);
	for (i = 1; i < NFV_PORT_MAX; i++) {
		const struct nfv_tables_port *p = &nf->tables->ports[i];

		if (p->ifindex && !strncmp(p->name, ifname, sizeof(p->name)))
			return i;
	}
	return nfv_err(-ENOENT);
}

bool nfv_pkt_may_override(const struct nfv *nf, const struct nfv_pkt *pkt)
{
	if (!nf || !pkt || pkt->meta->chain > NFV_CHAIN_MAX)
		return false;
	return !(nf->tables->chains[pkt->meta->chain].flags &
		 NFV_CHAIN_F_NO_OVERRIDE);
}
