// SPDX-License-Identifier: GPL-2.0
/*
 * NFs of a dead nfvd that keep its AF_XDP sockets.
 *
 * An NF's socket bound to a port's queue keeps the dead nfvd's UMEM
 * registered on that queue: the new nfvd cannot bind its own there
 * (EBUSY) until every such socket is closed.  libnfv closes them as soon
 * as it sees nfvd gone (libnfv/reattach.c).  One that keeps them past a
 * grace period is stuck or hostile, and the fabric's ports must not wait
 * for it: nfvd kills it (restore.c on its own backend, dp-kernel.c on
 * nfv.ko's, with the NFs each knows of).
 *
 * Which of a process's sockets are AF_XDP: a copy of each (pidfd_getfd(),
 * as root may take one of any process), asked its SO_DOMAIN.
 */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "holders.h"
#include "nfvd.h"

#ifndef AF_XDP
#define AF_XDP	44
#endif

/* Whether the socket @fd of process @pidfd is an AF_XDP one. */
static bool is_xsk(int pidfd, int fd)
{
	socklen_t len = sizeof(int);
	int copy, domain = 0;

	copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (copy < 0)
		return false;
	if (getsockopt(copy, SOL_SOCKET, SO_DOMAIN, &domain, &len))
		domain = 0;
	close(copy);
	return domain == AF_XDP;
}

/*
 * Whether process @pid holds an AF_XDP socket: 1, 0, or -errno when it
 * cannot be looked at (gone: 0).
 */
static int holds_xsk(pid_t pid)
{
	char path[64], link[64];
	struct dirent *e;
	int pidfd, found = 0;
	DIR *dir;
	ssize_t n;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ? 0 : -errno;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir) {
		close(pidfd);
		return errno == ENOENT ? 0 : -errno;
	}
	while (!found && (e = readdir(dir))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);

		if (*end || fd < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%ld", (int)pid, fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!strncmp(link, "socket:[", 8) && is_xsk(pidfd, (int)fd))
			found = 1;
	}
	closedir(dir);
	close(pidfd);
	return found;
}

/*
 * Which of @pids hold an AF_XDP socket (@holds[i]): how many do; -errno
 * when none does and one of them could not be looked at.
 */
static int holders_find(const pid_t *pids, int n, bool *holds)
{
	int i, found = 0, err = 0;

	for (i = 0; i < n; i++) {
		int r = pids[i] > 0 ? holds_xsk(pids[i]) : 0;

		if (r < 0)
			err = r;
		holds[i] = r > 0;
		found += holds[i];
	}
	return found ? found : err;
}

/**
 * holders_kill() - kill the NFs that keep a dead nfvd's sockets
 * @pids: the NFs the dead nfvd had
 * @ids: their ids, for the log
 * @n: how many
 * @start_ns: when this nfvd began to wait for the ports' queues
 *
 * Each of @pids that still holds an AF_XDP socket is killed (SIGKILL)
 * and named in the log.
 */
void holders_kill(const pid_t *pids, const uint16_t *ids, int n,
		  uint64_t start_ns)
{
	bool holds[NFV_NF_MAX];
	int i, found;

	if (n > NFV_NF_MAX)
		n = NFV_NF_MAX;
	found = holders_find(pids, n, holds);
	if (found < 0) {
		pr_warn("nfvd: cannot look at the NFs' sockets: %s\n",
			strerror(-found));
		return;
	}
	for (i = 0; i < n; i++) {
		if (!holds[i])
			continue;
		pr_warn("nfvd: nf %u pid %d still holds the dead nfvd's AF_XDP sockets %llu ms on: killed, a port needs its queue\n",
			ids[i], (int)pids[i],
			(unsigned long long)((nfvd_now_ns() - start_ns) /
					     1000000));
		kill(pids[i], SIGKILL);
	}
}
