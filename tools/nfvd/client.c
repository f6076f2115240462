// SPDX-License-Identifier: GPL-2.0
/*
 * A client of nfvd's control socket as the rest of nfvd sees it: the one
 * way to send to it (client_send()), its bounded queue, its NFs.  Its
 * connection, reading and dumps are server.c's (STYLE.md rule 25).
 *
 *  - every message to a client goes through client_send(): sent at once
 *    if the socket takes it, else a copy is queued (fds dup'ed) and
 *    EPOLLOUT armed;
 *  - the queue is bounded (CLIENT_QUEUE_BYTES, CLIENT_QUEUE_FDS) for what
 *    else may pile up (NF_SOCKET messages to an NF that does not read):
 *    past it the client is dropped;
 *  - a client is never closed here: it is marked dead (client_kill())
 *    and closed from the loop (server_reap()).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "client.h"
#include "nfvd.h"

/*
 * What a client may have queued.  Requests are read one at a time and
 * only with nothing queued, and a dump queues one step (a message, or a
 * datagram of nfv.ko's dump: 64 KiB at most), so this is the replies to
 * one request (a stats reply is 64 KiB at most) plus what nfvd sends
 * unasked: NF_SOCKET messages, whose fds and the attach reply's together
 * are at most NFV_MAX_FDS in an NF's life (one per role and per slot of
 * its sockets).  Neither bound is reached by anything nfvd sends today,
 * whoever the client; they hold for what may be sent unasked tomorrow
 * (events) and are far below what would hurt: 256 KiB is as much again
 * as the socket buffer the client left unread (net.core.wmem_default,
 * 208 KiB).  Past either, the client is dropped.
 */
#define CLIENT_QUEUE_BYTES	(256 * 1024)
#define CLIENT_QUEUE_FDS	(2 * NFV_MAX_FDS)

struct nfvd_msg {
	struct nfvd_msg *next;
	uint32_t len;
	int n_fds;
	int *fds;
	char data[];
};

/* NULL: not now; else the end of the line to log ("" or the count). */
const char *ratelimit(struct ratelimit *rl)
{
	static char tail[64];
	uint64_t now = nfvd_now_ns();

	if (rl->last_ns && now - rl->last_ns < 1000 * NS_PER_MS) {
		rl->missed++;
		return NULL;
	}
	rl->last_ns = now;
	tail[0] = 0;
	if (rl->missed)
		snprintf(tail, sizeof(tail), " (%u more since the last such message)",
			 rl->missed);
	rl->missed = 0;
	return tail;
}


void client_kill(struct nfvd *d, struct nfvd_client *c)
{
	if (c->dead || c->fd < 0)
		return;
	c->dead = true;
	d->n_dead++;
}

/* Its socket closed, what was queued for it dropped, @c freed. */
void client_free(struct nfvd_client *c)
{
	struct nfvd_msg *m;
	int i;

	close(c->fd);
	while ((m = c->out)) {
		c->out = m->next;
		for (i = 0; i < m->n_fds; i++)
			close(m->fds[i]);
		free(m);
	}
	free(c);
}

/* ---- sending ---- */

/* EPOLLIN when idle; EPOLLOUT while messages or a dump are due. */
void client_arm(struct nfvd *d, struct nfvd_client *c)
{
	uint32_t want = c->out || c->dump.cmd ? EPOLLOUT : EPOLLIN;
	struct epoll_event ev = { .events = want, .data.ptr = c };

	if (c->dead || c->events == want)
		return;
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev)) {
		pr_warn("nfvd: epoll: %s\n", strerror(errno));
		client_kill(d, c);
		return;
	}
	c->events = want;
}

static void overflow(struct nfvd_client *c, uint32_t len, int n_fds)
{
	static struct ratelimit rl;
	const char *tail = ratelimit(&rl);

	if (tail)
		pr_warn("nfvd: dropped a client of uid %u (pid %d) that does not read: %u bytes and %u fds queued, %u and %d more to send%s\n",
			c->uid, c->pid, c->out_bytes, c->out_fds, len, n_fds,
			tail);
}

static int enqueue(struct nfvd *d, struct nfvd_client *c,
		   const struct nlmsghdr *nlh, const int *fds, int n_fds)
{
	uint32_t len = nlh->nlmsg_len;
	struct nfvd_msg *m;
	int i;

	if (c->out_bytes + len > CLIENT_QUEUE_BYTES ||
	    c->out_fds + (uint32_t)n_fds > CLIENT_QUEUE_FDS) {
		overflow(c, len, n_fds);
		client_kill(d, c);
		return -ENOBUFS;
	}
	/* The message, then its fds (aligned). */
	m = malloc(sizeof(*m) + NLMSG_ALIGN(len) + sizeof(int) * (size_t)n_fds);
	if (!m) {
		client_kill(d, c);
		return -ENOMEM;
	}
	m->next = NULL;
	m->len = len;
	m->fds = (int *)(m->data + NLMSG_ALIGN(len));
	memcpy(m->data, nlh, len);
	for (m->n_fds = 0; m->n_fds < n_fds; m->n_fds++) {
		int fd = fcntl(fds[m->n_fds], F_DUPFD_CLOEXEC, 0);

		if (fd < 0) {
			int err = -errno;

			pr_warn("nfvd: cannot keep fds for a client of uid %u (pid %d): %s; dropped\n",
				c->uid, c->pid, strerror(-err));
			for (i = 0; i < m->n_fds; i++)
				close(m->fds[i]);
			free(m);
			client_kill(d, c);
			return err;
		}
		m->fds[m->n_fds] = fd;
	}
	if (c->out_tail)
		c->out_tail->next = m;
	else
		c->out = m;
	c->out_tail = m;
	c->out_bytes += len;
	c->out_fds += (uint32_t)n_fds;
	if (!c->corked)		/* else sent at the pass's end */
		client_arm(d, c);
	return 0;
}

int client_send(struct nfvd *d, struct nfvd_client *c,
		const struct nlmsghdr *nlh, const int *fds, int n_fds)
{
	int err;

	if (c->fd < 0)
		return 0;	/* the state file's replay: nobody to answer */
	if (c->dead)
		return -ENOTCONN;
	if (!c->out && !c->corked) {
		err = nfv_msg_send(c->fd, nlh, nlh->nlmsg_len, fds, n_fds);
		if (err >= 0)
			return 0;
		if (err == -EMSGSIZE)
			return err;	/* never fits: the caller says so */
		if (err != -EAGAIN) {
			client_kill(d, c);	/* gone, or cannot take fds */
			return err;
		}
	}
	return enqueue(d, c, nlh, fds, n_fds);
}

/* The queue's first @n messages were sent: free them. */
static void dequeue(struct nfvd_client *c, int n)
{
	struct nfvd_msg *m;
	int i;

	while (n-- > 0 && (m = c->out)) {
		c->out = m->next;
		if (!c->out)
			c->out_tail = NULL;
		c->out_bytes -= m->len;
		c->out_fds -= (uint32_t)m->n_fds;
		for (i = 0; i < m->n_fds; i++)
			close(m->fds[i]);
		free(m);
	}
}

/*
 * Send the queue's head: a message with fds alone, else up to
 * FLUSH_BATCH messages without in one sendmmsg() (a corked pass's acks).
 * The number sent, or -errno.
 */
#define FLUSH_BATCH	64

static int send_head(struct nfvd_client *c)
{
	struct mmsghdr mm[FLUSH_BATCH];
	struct iovec iov[FLUSH_BATCH];
	struct nfvd_msg *m = c->out;
	int n, err;

	if (m->n_fds) {
		err = nfv_msg_send(c->fd, m->data, m->len, m->fds, m->n_fds);
		return err < 0 ? err : 1;
	}
	for (n = 0; m && !m->n_fds && n < FLUSH_BATCH; m = m->next, n++) {
		iov[n].iov_base = m->data;
		iov[n].iov_len = m->len;
		memset(&mm[n], 0, sizeof(mm[n]));
		mm[n].msg_hdr.msg_iov = &iov[n];
		mm[n].msg_hdr.msg_iovlen = 1;
	}
	do {
		n = sendmmsg(c->fd, mm, (unsigned int)n, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

/* Send what is queued: 0 (all sent, or the socket is full), or the
 * client was dropped.
 */
int client_flush(struct nfvd *d, struct nfvd_client *c)
{
	int n;

	while (c->out) {
		n = send_head(c);
		if (n == -EAGAIN)
			break;
		if (n < 0) {
			client_kill(d, c);
			return n;
		}
		dequeue(c, n);
	}
	return 0;
}

/* ---- NFs ---- */

uint32_t clients_of_uid(struct nfvd *d, uint32_t uid, bool nfs)
{
	struct nfvd_client *c;
	uint32_t n = 0;

	for (c = d->clients; c; c = c->next)
		if (c->uid == uid && !c->dead && (!nfs || c->nf))
			n++;
	return n;
}

void client_nf_attached(struct nfvd *d, struct nfvd_client *c)
{
	c->attach_ns = nfvd_now_ns();
	if (!d->ready_due_ns)
		d->ready_due_ns = c->attach_ns + NF_READY_TIMEOUT_MS * NS_PER_MS;
}

int client_nf_cap(struct nfvd *d, const struct nfvd_client *c, char *why,
		  size_t len)
{
	static struct ratelimit rl;
	const char *tail;
	uint32_t n;

	if (!c->uid || c->nf)
		return 0;	/* root; an attached NF gets its own error */
	n = clients_of_uid(d, c->uid, true);
	if (n < d->cfg.max_nfs_per_uid)
		return 0;
	snprintf(why, len, "too many NFs for uid %u (max %u)", c->uid,
		 d->cfg.max_nfs_per_uid);
	tail = ratelimit(&rl);
	if (tail)
		pr_warn("nfvd: refused attach from pid %d: %s%s\n", c->pid, why,
			tail);
	return -EUSERS;
}
