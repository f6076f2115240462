/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Safer first steps (first_steps.c): what nfvctl checks around a port add
 * so that a user does not cut the host off by mistake.
 */
#ifndef __NFVCTL_FIRST_STEPS_H
#define __NFVCTL_FIRST_STEPS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>

#include "backend.h"

int port_new_refuse(const struct nlmsghdr *nlh, bool force, char *err,
		    size_t len);
void port_new_warn(struct backend *b, const struct nlmsghdr *nlh,
		   const char *where);

#endif /* __NFVCTL_FIRST_STEPS_H */
