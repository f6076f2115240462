// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile client of nfvd's control socket for selftests/hostile_control.sh.
 * It speaks the socket's generic netlink messages by hand (libnfv's message
 * framing only), never the way libnfv's NF code would:
 *
 *   hostile_client_helper flood SOCKET N SECONDS
 *	N STATS_GET requests, as many as the socket takes within 2 s, and
 *	never a read; holds the connection SECONDS, then says whether nfvd
 *	hung up.
 *   hostile_client_helper conns SOCKET N SECONDS [FILE]
 *	N connections (as many as connect() takes within 5 s; out of fds,
 *	those nfvd hung up on are closed), held SECONDS or until FILE
 *	exists; says how many nfvd kept open.
 *
 * Time limits are NFV_TIME_SCALE times longer, as the tests' (lib.sh).
 *   hostile_client_helper attach SOCKET SID N SECONDS
 *	N connections each send NF_ATTACH and take the fds, never READY;
 *	says what each got, then waits up to SECONDS for nfvd to hang up on
 *	each and says when it did.
 *   hostile_client_helper dump SOCKET FLOW|NF|CHAIN|SERVICE DELAY_US EVERY [K FILE]
 *	one dump request, then reads its answer slowly: DELAY_US of sleep
 *	every EVERY messages; with K, stops after K messages (says "paused")
 *	until FILE exists.  Flows are printed "SPORT DPORT", one a line; the
 *	last line is "done N" (N messages before NLMSG_DONE).
 *   hostile_client_helper owner SOCKET NF_ID CHAIN
 *	a FLOW_NEW of an exact UDP rule (198.18.0.1:7000 -> .2:7000) naming
 *	NF_ID its owner, as a client would; says "owner ERRNO" (0: taken).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include <nfv/libnfv.h>
#include "nfv_msg.h"

static const char *sock_path;
static int time_scale = 1;		/* NFV_TIME_SCALE, as selftests/lib.sh */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int sock_open(int flags)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | flags, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* nfvd hung up on @fd (or never will: 0). */
static bool hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

static int flood(int n, int secs)
{
	char buf[NFV_MSG_MAX];
	uint64_t end = now_ms() + 2000 * time_scale;
	struct nlmsghdr *nlh;
	int fd, sent = 0;

	fd = sock_open(SOCK_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "connect: %s\n", strerror(-fd));
		return 1;
	}
	while (sent < n && now_ms() < end) {
		int err;

		nlh = nfv_msg_start(buf, NFV_CMD_STATS_GET, 0, (uint32_t)sent + 1);
		err = nfv_msg_send(fd, nlh, nlh->nlmsg_len, NULL, 0);
		if (err == -EAGAIN) {
			usleep(1000);
			continue;
		}
		if (err < 0)
			break;
		sent++;
	}
	printf("sent %d\n", sent);
	fflush(stdout);
	sleep((unsigned int)secs);
	printf("%s\n", hung_up(fd) ? "closed" : "open");
	return 0;
}

/* Close the connections nfvd hung up on; those left, in @fds. */
static int sweep(int *fds, int n)
{
	int i, kept = 0;

	for (i = 0; i < n; i++) {
		if (hung_up(fds[i]))
			close(fds[i]);
		else
			fds[kept++] = fds[i];
	}
	return kept;
}

/* Sleep @secs, or less if @file comes to exist. */
static void hold(int secs, const char *file)
{
	uint64_t end = now_ms() + (uint64_t)secs * 1000;

	while (now_ms() < end && (!file || access(file, F_OK)))
		usleep(10 * 1000);
}

static int conns(int n, int secs, const char *stop)
{
	struct rlimit rl;
	uint64_t end = now_ms() + 5000 * time_scale;
	int *fds = calloc((size_t)n, sizeof(int)), held = 0, got = 0;

	if (!fds)
		return 1;
	/* As many fds as we may: soft limit up to the hard one. */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	while (got < n && now_ms() < end) {
		int fd = sock_open(SOCK_NONBLOCK);

		if (fd == -EAGAIN) {	/* backlog full: nfvd did not accept */
			usleep(1000);
			continue;
		}
		/* Out of fds: let go of those nfvd closed, as a client would. */
		if (fd == -EMFILE) {
			int kept = sweep(fds, held);

			if (kept < held) {
				held = kept;
				continue;
			}
		}
		if (fd < 0) {
			fprintf(stderr, "connect %d: %s\n", got, strerror(-fd));
			break;
		}
		fds[held++] = fd;
		got++;
	}
	printf("connected %d\n", got);
	usleep(500 * 1000 * time_scale);
	printf("open %d\n", sweep(fds, held));
	hold(secs, stop);
	free(fds);	/* LeakSanitizer's report would be our last line */
	return 0;
}

struct attacher {
	int fd;
	int id;			/* NF id, or -errno */
	int n_fds;
	int *fds;
	uint64_t replied_ms, closed_ms;
};

static int attach_one(struct attacher *a, int sid, int i)
{
	char buf[NFV_MSG_MAX], reply[NFV_MSG_MAX], name[32];
	struct nlmsghdr *nlh;
	const struct nlattr *attr;
	const char *ext = NULL;
	int len, err;

	a->fds = calloc(NFV_MAX_FDS, sizeof(int));
	a->fd = sock_open(0);
	if (a->fd < 0 || !a->fds)
		return a->id = a->fd < 0 ? a->fd : -ENOMEM;
	snprintf(name, sizeof(name), "noready%d", i);
	nlh = nfv_msg_start(buf, NFV_CMD_NF_ATTACH, 0, 1);
	mnl_attr_put_u16(nlh, NFV_A_NF_SERVICE, (uint16_t)sid);
	mnl_attr_put_strz(nlh, NFV_A_NF_NAME, name);
	err = nfv_msg_send(a->fd, nlh, nlh->nlmsg_len, NULL, 0);
	if (err < 0)
		return a->id = err;
	len = nfv_msg_recv(a->fd, reply, sizeof(reply), a->fds, &a->n_fds,
			   NFV_MAX_FDS, 0);
	a->replied_ms = now_ms();
	if (len <= 0)
		return a->id = len ? len : -ECONNRESET;
	nlh = (struct nlmsghdr *)reply;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		a->id = nfv_msg_error(nlh, &ext);
		printf("attach %d: error %d %s\n", i, a->id, ext ? ext : "");
		return a->id;
	}
	a->id = -EPROTO;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == NFV_A_NF_ID)
			a->id = mnl_attr_get_u16(attr);
	printf("attach %d: id %d fds %d\n", i, a->id, a->n_fds);
	return a->id;
}

static int attach(int sid, int n, int secs)
{
	struct attacher *a = calloc((size_t)n, sizeof(*a));
	uint64_t end, last = 0, first = 0;
	int i, left = 0, closed = 0;

	if (!a)
		return 1;
	for (i = 0; i < n; i++)
		if (attach_one(&a[i], sid, i) > 0)
			left++;
	fflush(stdout);
	/* Never READY: wait for nfvd to hang up on each. */
	end = now_ms() + (uint64_t)secs * 1000;
	while (left && now_ms() < end) {
		for (i = 0; i < n; i++) {
			char c;

			if (a[i].id <= 0 || a[i].closed_ms)
				continue;
			if (recv(a[i].fd, &c, 1, MSG_DONTWAIT) == 0) {
				a[i].closed_ms = now_ms();
				left--;
				closed++;
			}
		}
		usleep(10 * 1000);
	}
	for (i = 0; i < n; i++) {
		uint64_t t = a[i].closed_ms - a[i].replied_ms;

		if (!a[i].closed_ms)
			continue;
		if (!first || t < first)
			first = t;
		if (t > last)
			last = t;
	}
	printf("closed %d of %d after %llu..%llu ms\n", closed, closed + left,
	       (unsigned long long)first, (unsigned long long)last);
	for (i = 0; i < n; i++)
		free(a[i].fds);
	free(a);
	return 0;
}

static int dump(const char *what, int delay_us, int every, int pause_at,
		const char *go)
{
	static char buf[65536];
	char req[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	uint8_t cmd;
	int fd, n = 0;

	if (!strcmp(what, "FLOW"))
		cmd = NFV_CMD_FLOW_GET;
	else if (!strcmp(what, "NF"))
		cmd = NFV_CMD_NF_GET;
	else if (!strcmp(what, "CHAIN"))
		cmd = NFV_CMD_CHAIN_GET;
	else if (!strcmp(what, "SERVICE"))
		cmd = NFV_CMD_SERVICE_GET;
	else
		return 2;
	fd = sock_open(0);
	if (fd < 0) {
		fprintf(stderr, "connect: %s\n", strerror(-fd));
		return 1;
	}
	nlh = nfv_msg_start(req, cmd, NLM_F_DUMP, 7);
	if (nfv_msg_send(fd, nlh, nlh->nlmsg_len, NULL, 0) < 0)
		return 1;
	for (;;) {
		const struct nlattr *attr;
		int len, sport = 0, dport = 0;

		len = nfv_msg_recv(fd, buf, sizeof(buf), NULL, NULL, 0, 0);
		if (len <= 0) {
			printf("error %d after %d messages\n", len, n);
			return 1;
		}
		nlh = (struct nlmsghdr *)buf;
		if (nlh->nlmsg_type == NLMSG_DONE)
			break;
		if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_seq != 7 ||
		    !(nlh->nlmsg_flags & NLM_F_MULTI)) {
			printf("unexpected message type %u seq %u flags %#x\n",
			       nlh->nlmsg_type, nlh->nlmsg_seq,
			       nlh->nlmsg_flags);
			return 1;
		}
		if (cmd == NFV_CMD_FLOW_GET) {
			mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
				if (mnl_attr_get_type(attr) == NFV_A_FLOW_SPORT)
					sport = mnl_attr_get_u16(attr);
				if (mnl_attr_get_type(attr) == NFV_A_FLOW_DPORT)
					dport = mnl_attr_get_u16(attr);
			}
			printf("%d %d\n", sport, dport);
		}
		if (++n % every == 0)
			usleep((useconds_t)delay_us);
		if (n == pause_at) {
			printf("paused\n");
			while (access(go, F_OK))
				usleep(10 * 1000);
		}
	}
	printf("done %d\n", n);
	return 0;
}

/* A client naming a rule's owner: nfvd's to give, on either backend. */
static int owner(int nf, int chain)
{
	char buf[256], reply[NFV_MSG_MAX];
	struct nlmsghdr *nlh;
	uint32_t src = htonl(0xc6120001), dst = htonl(0xc6120002);
	const char *ext = NULL;
	int fd = sock_open(0), err;
	ssize_t len;

	if (fd < 0)
		return 1;
	nlh = nfv_msg_start(buf, NFV_CMD_FLOW_NEW,
			    NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_PROTO, IPPROTO_UDP);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_FAMILY, AF_INET);
	mnl_attr_put(nlh, NFV_A_FLOW_SRC, 4, &src);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_SRC_PLEN, 32);
	mnl_attr_put(nlh, NFV_A_FLOW_DST, 4, &dst);
	mnl_attr_put_u8(nlh, NFV_A_FLOW_DST_PLEN, 32);
	mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT, 7000);
	mnl_attr_put_u16(nlh, NFV_A_FLOW_SPORT_MAX, 7000);
	mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT, 7000);
	mnl_attr_put_u16(nlh, NFV_A_FLOW_DPORT_MAX, 7000);
	mnl_attr_put_u16(nlh, NFV_A_FLOW_CHAIN, (uint16_t)chain);
	mnl_attr_put_u16(nlh, NFV_A_FLOW_OWNER, (uint16_t)nf);
	err = nfv_msg_send(fd, nlh, nlh->nlmsg_len, NULL, 0);
	if (err >= 0) {
		len = nfv_msg_recv(fd, reply, sizeof(reply), NULL, NULL, 0, 0);
		nlh = (struct nlmsghdr *)reply;
		err = len <= 0 ? -ECONNRESET :
		      nlh->nlmsg_type == NLMSG_ERROR ? nfv_msg_error(nlh, &ext) :
		      -EPROTO;
	}
	printf("owner %d %s\n", err, ext ? ext : "");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("NFV_TIME_SCALE") && atoi(getenv("NFV_TIME_SCALE")) > 0)
		time_scale = atoi(getenv("NFV_TIME_SCALE"));
	if (argc < 5)
		goto usage;
	sock_path = argv[2];
	if (!strcmp(argv[1], "flood"))
		return flood(atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(argv[1], "conns") && argc <= 6)
		return conns(atoi(argv[3]), atoi(argv[4]),
			     argc == 6 ? argv[5] : NULL);
	if (!strcmp(argv[1], "attach") && argc == 6)
		return attach(atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
	if (!strcmp(argv[1], "owner") && argc == 5)
		return owner(atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(argv[1], "dump") && (argc == 6 || argc == 8))
		return dump(argv[3], atoi(argv[4]), atoi(argv[5]),
			    argc == 8 ? atoi(argv[6]) : -1,
			    argc == 8 ? argv[7] : NULL);
usage:
	fprintf(stderr, "usage: see the comment at the top of %s\n", __FILE__);
	return 2;
}
