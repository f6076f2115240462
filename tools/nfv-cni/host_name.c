// SPDX-License-Identifier: GPL-2.0
/* The host end's name of an attachment, from the CNI spec's key. */
#include <stdio.h>

#include "host_name.h"

/* FNV-1a, 64 bits: a name, not a secret. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void link_host_name(const char *network, const char *container_id,
		    const char *ifname, char name[IF_NAMESIZE])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	/* "/" never appears in an interface name nor a container id. */
	h = fnv1a(h, network);
	h = fnv1a(h, "/");
	h = fnv1a(h, container_id);
	h = fnv1a(h, "/");
	h = fnv1a(h, ifname);
	snprintf(name, IF_NAMESIZE, "nfv%011llx",
		 (unsigned long long)(h >> 20));
}
