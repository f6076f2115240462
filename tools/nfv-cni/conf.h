/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network configuration on stdin:
 *
 *   { "cniVersion": "1.0.0", "name": NAME, "type": "nfv-cni",
 *     "chain": ID,                       1..NFV_CHAIN_MAX, required
 *     "socket": PATH,                    default /run/nfv/nfvd.sock
 *     "fabricNetns": PATH,               optional: nfvd's network namespace
 *     "steerArp": BOOL,                  optional: ARP follows the chain
 *     "ipam": { "type": PLUGIN, ... },   required
 *     "prevResult": {...} }              CHECK (and DEL) from the runtime
 */
#ifndef __NFV_CNI_CONF_H
#define __NFV_CNI_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define NFV_CNI_DEFAULT_SOCKET	"/run/nfv/nfvd.sock"

struct cni_conf {
	json_t *root;
	char *raw;		/* the bytes read, for the IPAM plugin */
	size_t raw_len;
	const char *version;
	const char *name;
	const char *socket;
	const char *fabric_netns;	/* NULL: the plugin's own */
	uint16_t chain;
	bool steer_arp;
	const char *ipam_type;
	json_t *prev_result;	/* NULL when absent */
};

/*
 * Read the configuration from @f into @c: malformed JSON is CNI_ERR_DECODE,
 * an unsupported cniVersion CNI_ERR_VERSION, a missing or mistyped field
 * CNI_ERR_CONFIG.  @version_only: VERSION, which reads cniVersion alone.
 * 0, or -1 with the error recorded (c->version set if it was read).
 */
int conf_read(FILE *f, struct cni_conf *c, bool version_only);
void conf_free(struct cni_conf *c);

#endif
