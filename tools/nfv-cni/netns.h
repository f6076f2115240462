/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces by path (CNI_NETNS, "fabricNetns"): /run/netns/NAME
 * or /proc/PID/ns/net.  The plugin is single-threaded, so it may step
 * into a namespace and back.
 */
#ifndef __NFV_CNI_NETNS_H
#define __NFV_CNI_NETNS_H

#include "rtnl.h"

/* An fd of the namespace at @path, or -errno. */
int netns_open(const char *path);
/* Make the namespace at @path the plugin's own for good; 0 or -errno. */
int netns_enter(const char *path);
/* A route netlink socket in the namespace @nsfd; 0 or -errno. */
int netns_rtnl_open(int nsfd, struct rtnl *r);

#endif
