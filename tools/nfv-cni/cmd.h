/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands: one attachment (network name, CNI_CONTAINERID,
 * CNI_IFNAME) is a veth pair whose host end is a fabric port with the
 * configured default chain, and IPAM's addresses on the container end.
 */
#ifndef __NFV_CNI_CMD_H
#define __NFV_CNI_CMD_H

#include <net/if.h>
#include <jansson.h>

#include "conf.h"
#include "env.h"

struct cni_ctx {
	struct cni_env env;
	struct cni_conf conf;
	char host_if[IF_NAMESIZE];	/* link_host_name() */
	json_t *result;			/* ADD: printed on success */
};

/*
 * Each returns 0 or -1 with the error recorded, and leaves nothing
 * half-made: ADD undoes what it made when a later step fails.
 */
int cmd_add(struct cni_ctx *x);
int cmd_del(struct cni_ctx *x);
int cmd_check(struct cni_ctx *x);

#endif
