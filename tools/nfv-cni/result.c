// SPDX-License-Identifier: GPL-2.0
/*
 * The ADD result (spec 1.0.0, "Success"): interfaces[0] is the host end
 * (no "sandbox"), interfaces[1] the container's; each IP says it is on
 * interface 1.
 */
#include "result.h"
#include "error.h"
#include "version.h"

static json_t *ips_on(json_t *ips, int interface)
{
	json_t *out = json_array(), *ip;
	size_t i;

	json_array_foreach(ips, i, ip) {
		json_t *c = json_deep_copy(ip);

		if (!c || json_object_set_new(c, "interface",
					      json_integer(interface)) ||
		    json_array_append_new(out, c)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

json_t *result_build(const struct cni_ctx *x, json_t *ipam,
		     const char *host_mac, const char *ctr_mac)
{
	json_t *r, *routes = json_object_get(ipam, "routes");
	json_t *dns = json_object_get(ipam, "dns");

	r = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s, s:s}], s:o}",
		      "cniVersion", CNI_VERSION_LATEST,
		      "interfaces",
		      "name", x->host_if, "mac", host_mac,
		      "name", x->env.ifname, "mac", ctr_mac,
		      "sandbox", x->env.netns,
		      "ips", ips_on(json_object_get(ipam, "ips"), 1));
	if (r && routes)
		json_object_set(r, "routes", routes);
	if (r && dns)
		json_object_set(r, "dns", dns);
	if (!r)
		cni_fail(CNI_ERR_IO, NULL, "cannot build the result");
	return r;
}
