/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Delegation to the IPAM plugin the configuration names (spec,
 * "Delegated plugin protocol"): found in CNI_PATH, run with the plugin's
 * own environment (CNI_COMMAND as given) and the same configuration on
 * its stdin.
 */
#ifndef __NFV_CNI_IPAM_H
#define __NFV_CNI_IPAM_H

#include <jansson.h>

#include "conf.h"

/*
 * Run the IPAM plugin with CNI_COMMAND=@command.  ADD: its result in
 * *@result (the caller's reference).  0, or -1 with the error recorded:
 * the delegate's own code and message when it printed one.
 */
int ipam_exec(const struct cni_conf *c, const char *command, json_t **result);

#endif
