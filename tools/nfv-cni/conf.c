// SPDX-License-Identifier: GPL-2.0
/*
 * The network configuration, read with jansson.  Fields nfv-cni does not
 * know are left alone (the runtime adds its own: "runtimeConfig", "args").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nfv.h>

#include "conf.h"
#include "error.h"
#include "version.h"

static int read_all(FILE *f, struct cni_conf *c)
{
	size_t size = 4096, n;

	c->raw = malloc(size);
	if (!c->raw)
		return cni_fail(CNI_ERR_IO, NULL, "out of memory");
	while ((n = fread(c->raw + c->raw_len, 1, size - c->raw_len, f)) > 0) {
		char *p;

		c->raw_len += n;
		if (c->raw_len < size)
			continue;
		if (size >= 1 << 24)
			return cni_fail(CNI_ERR_DECODE, NULL,
					"network configuration larger than 16 MiB");
		p = realloc(c->raw, size * 2);
		if (!p)
			return cni_fail(CNI_ERR_IO, NULL, "out of memory");
		c->raw = p;
		size *= 2;
	}
	if (ferror(f))
		return cni_fail(CNI_ERR_IO, NULL,
				"cannot read the network configuration: %s",
				strerror(errno));
	return 0;
}

/* A string member, or NULL if absent; a member of another type fails. */
static int get_string(json_t *obj, const char *key, bool required,
		      const char **v)
{
	json_t *m = json_object_get(obj, key);

	*v = NULL;
	if (!m && !required)
		return 0;
	if (!m)
		return cni_fail(CNI_ERR_CONFIG, key,
				"network configuration: missing \"%s\"", key);
	if (!json_is_string(m) || !json_string_length(m))
		return cni_fail(CNI_ERR_CONFIG, key,
				"network configuration: \"%s\" must be a non-empty string",
				key);
	*v = json_string_value(m);
	return 0;
}

static int get_chain(json_t *root, uint16_t *chain)
{
	json_t *m = json_object_get(root, "chain");
	json_int_t v;

	if (!m)
		return cni_fail(CNI_ERR_CONFIG, "chain",
				"network configuration: missing \"chain\"");
	v = json_is_integer(m) ? json_integer_value(m) : 0;
	if (v < 1 || v > NFV_CHAIN_MAX)
		return cni_fail(CNI_ERR_CONFIG, "chain",
				"network configuration: \"chain\" must be an integer 1..%d",
				NFV_CHAIN_MAX);
	*chain = (uint16_t)v;
	return 0;
}

static int get_bool(json_t *root, const char *key, bool *v)
{
	json_t *m = json_object_get(root, key);

	*v = false;
	if (!m)
		return 0;
	if (!json_is_boolean(m))
		return cni_fail(CNI_ERR_CONFIG, key,
				"network configuration: \"%s\" must be true or false",
				key);
	*v = json_is_true(m);
	return 0;
}

static int get_ipam(json_t *root, const char **type)
{
	json_t *ipam = json_object_get(root, "ipam");

	if (!json_is_object(ipam))
		return cni_fail(CNI_ERR_CONFIG, "ipam",
				"network configuration: \"ipam\" must be an object with a \"type\"");
	if (get_string(ipam, "type", true, type))
		return -1;
	if (strchr(*type, '/') || !strcmp(*type, "..") || !strcmp(*type, "."))
		return cni_fail(CNI_ERR_CONFIG, "ipam.type",
				"network configuration: invalid IPAM plugin name \"%s\"",
				*type);
	return 0;
}

int conf_read(FILE *f, struct cni_conf *c, bool version_only)
{
	json_error_t jerr;
	json_t *prev;

	memset(c, 0, sizeof(*c));
	if (read_all(f, c))
		return -1;
	c->root = json_loadb(c->raw, c->raw_len, JSON_REJECT_DUPLICATES,
			     &jerr);
	if (!c->root)
		return cni_fail(CNI_ERR_DECODE, jerr.text,
				"cannot decode the network configuration: line %d column %d",
				jerr.line, jerr.column);
	if (!json_is_object(c->root))
		return cni_fail(CNI_ERR_DECODE, NULL,
				"the network configuration is not a JSON object");
	if (get_string(c->root, "cniVersion", true, &c->version))
		return -1;
	if (version_only)
		return 0;
	if (!cni_version_supported(c->version)) {
		const char *v = c->version;

		c->version = NULL;	/* the error speaks a version we know */
		return cni_fail(CNI_ERR_VERSION, v,
				"incompatible CNI version %s: nfv-cni supports %s",
				v, CNI_VERSION_LATEST);
	}
	if (get_string(c->root, "name", true, &c->name) ||
	    get_string(c->root, "socket", false, &c->socket) ||
	    get_string(c->root, "fabricNetns", false, &c->fabric_netns) ||
	    get_chain(c->root, &c->chain) ||
	    get_bool(c->root, "steerArp", &c->steer_arp) ||
	    get_ipam(c->root, &c->ipam_type))
		return -1;
	if (!c->socket)
		c->socket = NFV_CNI_DEFAULT_SOCKET;
	prev = json_object_get(c->root, "prevResult");
	if (prev && !json_is_object(prev))
		return cni_fail(CNI_ERR_CONFIG, "prevResult",
				"network configuration: \"prevResult\" must be an object");
	c->prev_result = prev;
	return 0;
}

void conf_free(struct cni_conf *c)
{
	json_decref(c->root);
	free(c->raw);
	memset(c, 0, sizeof(*c));
}
