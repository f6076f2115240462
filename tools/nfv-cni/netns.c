// SPDX-License-Identifier: GPL-2.0
/*
 * A netlink socket stays in the namespace it was created in: step into
 * the container's namespace, open one, step back.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "netns.h"

int netns_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int netns_enter(const char *path)
{
	int fd = netns_open(path), err = 0;

	if (fd < 0)
		return fd;
	if (setns(fd, CLONE_NEWNET) < 0)
		err = -errno;
	close(fd);
	return err;
}

int netns_rtnl_open(int nsfd, struct rtnl *r)
{
	int self, err;

	self = netns_open("/proc/thread-self/ns/net");
	if (self < 0)
		return self;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		err = -errno;
		goto out;
	}
	err = rtnl_open(r);
	/* Not back home: nothing else this plugin does may happen there. */
	if (setns(self, CLONE_NEWNET) < 0) {
		rtnl_close(r);
		err = -errno;
	}
out:
	close(self);
	return err;
}
