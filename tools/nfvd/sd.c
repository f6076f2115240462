// SPDX-License-Identifier: GPL-2.0
/*
 * systemd's protocols, the few lines of them nfvd needs (sd_listen_fds(3),
 * sd_notify(3), systemd.exec(5) JOURNAL_STREAM), without libsystemd: they
 * are environment variables and one datagram, and nfvd runs the same
 * under any service manager that speaks them, or none.
 *
 * - Socket activation: LISTEN_PID is ours and LISTEN_FDS >= 1: fd 3 is
 *   the control socket (nfvd.socket: a listening AF_UNIX SOCK_SEQPACKET
 *   socket, whose owner and mode the socket unit sets).
 * - NOTIFY_SOCKET: READY=1 once the socket serves, STATUS= lines,
 *   STOPPING=1, WATCHDOG=1 every half WATCHDOG_USEC.
 * - JOURNAL_STREAM: stderr goes to the journal; log lines then carry
 *   "<N>" priority prefixes instead of timestamps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "log.h"
#include "sd.h"

#define SD_LISTEN_FDS_START	3

static unsigned long env_ul(const char *name, bool *ok)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	*ok = false;
	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	*ok = !errno && !*end;
	return v;
}

/*
 * The control socket passed by the service manager: fd 3, checked to be
 * a listening unix SOCK_SEQPACKET socket.  -ENOENT when nfvd was not
 * socket-activated, another negative errno when what it got is unusable.
 */
int sd_listen_fd(void)
{
	int fd = SD_LISTEN_FDS_START, type = 0, acc = 0;
	socklen_t len = sizeof(type);
	struct sockaddr_un sun;
	socklen_t slen = sizeof(sun);
	unsigned long pid, n;
	bool ok_pid, ok_n;

	pid = env_ul("LISTEN_PID", &ok_pid);
	n = env_ul("LISTEN_FDS", &ok_n);
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (!ok_pid || !ok_n || pid != (unsigned long)getpid() || !n)
		return -ENOENT;
	if (n > 1)
		pr_warn("nfvd: %lu sockets passed, serving the first\n", n);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    getsockname(fd, (struct sockaddr *)&sun, &slen))
		return -errno;
	len = sizeof(acc);
	if (sun.sun_family != AF_UNIX || type != SOCK_SEQPACKET ||
	    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) || !acc) {
		pr_warn("nfvd: the socket passed is not a listening unix SOCK_SEQPACKET socket\n");
		return -EPROTOTYPE;
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
		return -errno;
	return fd;
}

/* One notification ("READY=1", "STATUS=..."); nothing without a manager. */
void sd_notifyf(const char *fmt, ...)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = getenv("NOTIFY_SOCKET");
	char msg[512];
	socklen_t len;
	va_list ap;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sun.sun_path))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strcpy(sun.sun_path, path);
	if (path[0] == '@')
		sun.sun_path[0] = 0;	/* abstract namespace */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
		   (struct sockaddr *)&sun, len) < 0)
		pr_debug("nfvd: NOTIFY_SOCKET %s: %s\n", path, strerror(errno));
	close(fd);
}

/* The watchdog interval asked for (WATCHDOG_USEC, for us), 0: none. */
uint64_t sd_watchdog_ns(void)
{
	unsigned long usec, pid;
	bool ok, ok_pid;

	usec = env_ul("WATCHDOG_USEC", &ok);
	pid = env_ul("WATCHDOG_PID", &ok_pid);
	if (!ok || !usec || (ok_pid && pid != (unsigned long)getpid()))
		return 0;
	return (uint64_t)usec * 1000;
}

/* stderr is the journal's stream (JOURNAL_STREAM names it). */
bool sd_journal(void)
{
	const char *s = getenv("JOURNAL_STREAM");
	unsigned long dev, ino;
	struct stat st;

	if (!s || sscanf(s, "%lu:%lu", &dev, &ino) != 2 || fstat(2, &st))
		return false;
	return st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
}
