/* SPDX-License-Identifier: GPL-2.0 */
/* The runtime's parameters: CNI_* environment variables (spec, section 3). */
#ifndef __NFV_CNI_ENV_H
#define __NFV_CNI_ENV_H

/* Which variables a command requires. */
#define ENV_CONTAINERID	0x1
#define ENV_NETNS	0x2
#define ENV_IFNAME	0x4
#define ENV_PATH	0x8

struct cni_env {
	const char *container_id;
	const char *netns;	/* "" when not given (DEL may lack it) */
	const char *ifname;
};

/*
 * Read CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME and check CNI_PATH: those
 * in @need must be set, and all must be well-formed.  0, or -1 with
 * CNI_ERR_ENV recorded.
 */
int env_read(struct cni_env *e, unsigned int need);

#endif
