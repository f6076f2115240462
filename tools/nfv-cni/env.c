// SPDX-License-Identifier: GPL-2.0
/* CNI_* variables, checked as the spec defines them. */
#include <ctype.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "error.h"

static int get(const char *name, bool required, const char **v)
{
	*v = getenv(name);
	if (*v && **v)
		return 0;
	*v = "";
	if (required)
		return cni_fail(CNI_ERR_ENV, name, "%s is not set", name);
	return 0;
}

/* An alphanumeric, then alphanumerics, '_', '.' or '-'. */
static bool container_id_ok(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

/* The kernel's dev_valid_name(). */
static bool ifname_ok(const char *s)
{
	if (!*s || strlen(s) >= IF_NAMESIZE || !strcmp(s, ".") ||
	    !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

int env_read(struct cni_env *e, unsigned int need)
{
	const char *path;

	if (get("CNI_CONTAINERID", need & ENV_CONTAINERID, &e->container_id) ||
	    get("CNI_NETNS", need & ENV_NETNS, &e->netns) ||
	    get("CNI_IFNAME", need & ENV_IFNAME, &e->ifname) ||
	    get("CNI_PATH", need & ENV_PATH, &path))
		return -1;
	if (*e->container_id && !container_id_ok(e->container_id))
		return cni_fail(CNI_ERR_ENV, "CNI_CONTAINERID",
				"invalid CNI_CONTAINERID \"%s\"", e->container_id);
	if (*e->ifname && !ifname_ok(e->ifname))
		return cni_fail(CNI_ERR_ENV, "CNI_IFNAME",
				"invalid CNI_IFNAME \"%s\"", e->ifname);
	return 0;
}
