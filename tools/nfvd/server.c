// SPDX-License-Identifier: GPL-2.0
/*
 * nfvd's control socket: its clients are NFs, nfvctl, anything that can
 * reach the socket (what is sent to them: client.c).  A client never stalls nfvd (STYLE.md rule 25):
 *
 *  - client sockets are non-blocking, and every message to a client goes
 *    through client_send(): sent at once if the socket takes it, else a
 *    copy is queued (fds dup'ed) and EPOLLOUT armed;
 *  - a client with queued messages or a dump in progress is not read
 *    from (EPOLLIN is disarmed): each request is answered completely
 *    before the next one is read, so a client that never reads stops
 *    being served and its further requests wait in its own socket;
 *    requests answered at once are read up to INPUT_BUDGET a wake-up;
 *  - a dump is generated as the client reads (control_dump_next(), only
 *    while nothing is queued): at most one of its messages is queued;
 *  - the queue is bounded (CLIENT_QUEUE_BYTES, CLIENT_QUEUE_FDS) for what
 *    else may pile up (NF_SOCKET messages to an NF that does not read):
 *    past it the client is dropped;
 *  - connections are capped: MAX_CLIENTS in all, of which uids other
 *    than root get all but CLIENTS_ROOT_RESERVE, each at most
 *    --max-nfs-per-uid + CLIENTS_PER_UID_EXTRA, and never one of the last
 *    FDS_ROOT_RESERVE fds below RLIMIT_NOFILE;
 *  - accept() failing for want of fds costs the reserve fd, never a spin;
 *  - an NF that does not send READY within NF_READY_TIMEOUT_MS is dropped.
 *
 * Clients are closed from the loop only (client_reap(), after a batch of
 * events): a handler, or a send to another client from one, marks them
 * dead.  Every refusal and drop is logged, once a second at most, with
 * a count of those not logged.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "client.h"
#include "dispatch.h"
#include "dpif.h"
#include "nf.h"
#include "nfvd.h"
#include "server.h"
#include "state.h"

#define MAX_CLIENTS		1024
#define CLIENTS_ROOT_RESERVE	32
#define CLIENTS_PER_UID_EXTRA	64	/* nfvctl, monitors: beside its NFs */
#define FDS_ROOT_RESERVE	32
#define ACCEPT_BUDGET		64	/* connections per wake-up */
#define DUMP_BUDGET		64	/* dump steps per wake-up */
#define INPUT_BUDGET		64	/* requests per wake-up */
#define CORK_BYTES		(16 * 1024)	/* replies held in a pass */
#define ACCEPT_PAUSE_MS		100
#define ACCEPT_PAUSE_STR	"100 ms"


/* ---- the list ---- */

static void client_close(struct nfvd *d, struct nfvd_client *c)
{
	epoll_ctl(d->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	if (c->prev)
		c->prev->next = c->next;
	else
		d->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	d->n_clients--;
	dp_dump_stop(d, &c->dump);
	nf_client_gone(d, c);
	client_free(c);
}

void server_reap(struct nfvd *d)
{
	struct nfvd_client *c, *next;

	if (!d->n_dead)
		return;
	for (c = d->clients; c; c = next) {
		next = c->next;
		if (c->dead)
			client_close(d, c);
	}
	d->n_dead = 0;
}

/* Send what is queued, then go on with the dump; arm for what is left. */
static void output(struct nfvd *d, struct nfvd_client *c)
{
	int err, budget = DUMP_BUDGET;

	if (c->dead || client_flush(d, c))
		return;
	/* One message at a time, and only into an empty queue: a dump
	 * never has more than one message waiting, whatever its size.
	 */
	while (!c->out && !c->dead && c->dump.cmd && budget--) {
		err = control_dump_next(d, c);
		if (err < 0)
			client_kill(d, c);
	}
	client_arm(d, c);
}

/* ---- reading ---- */

/*
 * Requests one after another, up to INPUT_BUDGET a wake-up: a client that
 * sends many before reading (nfvctl -batch) costs one pass of the loop
 * per budget, not per request.  The pass is corked: what its requests
 * journal is written once at its end (state_flush()), and their replies,
 * queued meanwhile, go out after that (an ack is never ahead of its
 * record).  Replies past CORK_BYTES end the pass early; replies the
 * socket did not take, or a dump, stop reading (rule 25).
 */
static void input(struct nfvd *d, struct nfvd_client *c)
{
	static char buf[NFV_MSG_MAX];
	int budget = INPUT_BUDGET;

	c->corked = true;
	state_cork();
	while (budget-- && !c->dead && !c->dump.cmd &&
	       c->out_bytes < CORK_BYTES) {
		int fds[NFV_MAX_FDS], n_fds = 0, len;

		len = nfv_msg_recv(c->fd, buf, sizeof(buf), fds, &n_fds,
				   NFV_MAX_FDS, MSG_DONTWAIT);
		if (len == -EAGAIN)
			break;
		if (len <= 0 ||
		    control_handle(d, c, buf, (size_t)len, fds, n_fds)) {
			client_kill(d, c);
			break;
		}
	}
	state_flush(d);
	c->corked = false;
	/* The replies, a dump's first messages; EPOLLOUT for the rest. */
	if (c->dump.cmd || c->out)
		output(d, c);
}

void server_event(struct nfvd *d, struct nfvd_client *c, uint32_t events)
{
	if (c->dead)
		return;
	if (c->out || c->dump.cmd) {
		/* Hung up with replies due: nobody will read them. */
		if (events & (EPOLLHUP | EPOLLERR))
			client_kill(d, c);
		else if (events & EPOLLOUT)
			output(d, c);
		return;
	}
	/* Idle: requests (still readable after a hang-up), then EOF. */
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		input(d, c);
}

/* ---- accepting ---- */

enum refusal { REFUSE_TOTAL, REFUSE_FDS, REFUSE_UID, __REFUSE_MAX };

/* Why a connection of @uid on @fd is refused, or -1: it is not. */
static int refused(struct nfvd *d, uint32_t uid, int fd)
{
	struct rlimit rl;

	if (!uid)
		return d->n_clients >= MAX_CLIENTS ? REFUSE_TOTAL : -1;
	if (d->n_clients >= MAX_CLIENTS - CLIENTS_ROOT_RESERVE)
		return REFUSE_TOTAL;
	/* accept() gives the lowest free fd: all below it are in use. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)fd + FDS_ROOT_RESERVE >= rl.rlim_cur)
		return REFUSE_FDS;
	if (clients_of_uid(d, uid, false) >=
	    d->cfg.max_nfs_per_uid + CLIENTS_PER_UID_EXTRA)
		return REFUSE_UID;
	return -1;
}

static void log_refusal(struct nfvd *d, int why, const struct ucred *cr)
{
	static struct ratelimit rl[__REFUSE_MAX];
	const char *tail = ratelimit(&rl[why]);

	if (!tail)
		return;
	switch (why) {
	case REFUSE_TOTAL:
		pr_warn("nfvd: refused a connection of uid %u (pid %d): %u clients, the most nfvd serves (%d, of which %d for root only)%s\n",
			cr->uid, cr->pid, d->n_clients, MAX_CLIENTS,
			CLIENTS_ROOT_RESERVE, tail);
		break;
	case REFUSE_FDS:
		pr_warn("nfvd: refused a connection of uid %u (pid %d): nfvd's last %d fds (RLIMIT_NOFILE) are for root%s\n",
			cr->uid, cr->pid, FDS_ROOT_RESERVE, tail);
		break;
	case REFUSE_UID:
		pr_warn("nfvd: refused a connection of uid %u (pid %d): %u connections per uid at most (--max-nfs-per-uid + %d)%s\n",
			cr->uid, cr->pid,
			d->cfg.max_nfs_per_uid + CLIENTS_PER_UID_EXTRA,
			CLIENTS_PER_UID_EXTRA, tail);
		break;
	}
}

static void pause_accepting(struct nfvd *d)
{
	struct epoll_event ev = { .events = 0, .data.ptr = &d->listen_fd };

	epoll_ctl(d->epoll_fd, EPOLL_CTL_MOD, d->listen_fd, &ev);
	d->accept_resume_ns = nfvd_now_ns() + ACCEPT_PAUSE_MS * NS_PER_MS;
}

/*
 * accept() failed with @err.  Out of fds (EMFILE comes before accept()
 * looks for a connection): the reserve fd makes room to take the one
 * waiting, if any, and hang up (its client sees the socket closed at
 * once, and the listening socket is not readable any more); anything
 * else, or no reserve, pauses accepting a moment.  Either way the
 * level-triggered loop does not spin.
 */
static void accept_failed(struct nfvd *d, int err)
{
	static struct ratelimit rl;
	bool hung_up = false;
	const char *tail;
	int fd;

	if ((err == EMFILE || err == ENFILE) && d->reserve_fd >= 0) {
		close(d->reserve_fd);
		fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0 && errno == EAGAIN) {
			fd = -EAGAIN;	/* none was waiting */
		} else if (fd >= 0) {
			close(fd);
			hung_up = true;
		}
		d->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd == -EAGAIN)
			return;
	}
	if (!hung_up)
		pause_accepting(d);
	tail = ratelimit(&rl);
	if (tail)
		pr_warn("nfvd: cannot accept a connection: %s; %s%s\n",
			strerror(err), hung_up ? "hung up on it" :
			"paused accepting for " ACCEPT_PAUSE_STR, tail);
}

void server_accept(struct nfvd *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct nfvd_client *c;
	int i, fd, why;

	for (i = 0; i < ACCEPT_BUDGET; i++) {
		struct ucred cr;
		socklen_t len = sizeof(cr);

		fd = accept4(d->listen_fd, NULL, NULL,
			     SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN)
				accept_failed(d, errno);
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len)) {
			close(fd);
			continue;
		}
		why = refused(d, cr.uid, fd);
		if (why >= 0) {
			log_refusal(d, why, &cr);
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->uid = cr.uid;
		c->gid = cr.gid;
		c->pid = cr.pid;
		c->events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			free(c);
			continue;
		}
		c->next = d->clients;
		if (c->next)
			c->next->prev = c;
		d->clients = c;
		d->n_clients++;
	}
}

/* ---- NFs late with READY ---- */

/* NFs attached more than NF_READY_TIMEOUT_MS ago without READY. */
static void sweep_ready(struct nfvd *d, uint64_t now)
{
	const uint64_t timeout = NF_READY_TIMEOUT_MS * NS_PER_MS;
	static struct ratelimit rl;
	struct nfvd_client *c;
	const char *tail;

	d->ready_due_ns = 0;
	for (c = d->clients; c; c = c->next) {
		if (!c->attach_ns || c->dead)
			continue;
		if (!c->nf || d->nfs[c->nf].state != NFV_NF_STATE_ATTACHING) {
			c->attach_ns = 0;	/* READY, or gone */
			continue;
		}
		if (now - c->attach_ns >= timeout) {
			tail = ratelimit(&rl);
			if (tail)
				pr_warn("nfvd: nf %d of uid %u (pid %d) sent no READY within %d ms: dropped%s\n",
					c->nf, c->uid, c->pid,
					NF_READY_TIMEOUT_MS, tail);
			client_kill(d, c);
			continue;
		}
		if (!d->ready_due_ns || c->attach_ns + timeout < d->ready_due_ns)
			d->ready_due_ns = c->attach_ns + timeout;
	}
}

uint64_t server_tick(struct nfvd *d)
{
	uint64_t now = nfvd_now_ns(), next;

	if (d->accept_resume_ns && d->accept_resume_ns <= now) {
		struct epoll_event ev = { .events = EPOLLIN,
					  .data.ptr = &d->listen_fd };

		epoll_ctl(d->epoll_fd, EPOLL_CTL_MOD, d->listen_fd, &ev);
		d->accept_resume_ns = 0;
	}
	if (d->ready_due_ns && d->ready_due_ns <= now) {
		sweep_ready(d, now);
		server_reap(d);		/* not in an epoll batch: now */
	}
	next = d->ready_due_ns;
	if (d->accept_resume_ns && (!next || d->accept_resume_ns < next))
		next = d->accept_resume_ns;
	return next;
}

/* ---- start ---- */

int server_init(struct nfvd *d)
{
	struct rlimit rl;

	/* As many fds as we may: every client and NF socket is one. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			pr_warn("nfvd: cannot raise RLIMIT_NOFILE to %llu: %s\n",
				(unsigned long long)rl.rlim_max,
				strerror(errno));
	}
	d->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return d->reserve_fd < 0 ? -errno : 0;
}
