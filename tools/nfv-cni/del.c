// SPDX-License-Identifier: GPL-2.0
/*
 * DEL: port, veth, IPAM lease, each removed if it is there.  Nothing
 * being there is success (the spec: DEL may come twice, or for an ADD
 * that never happened or failed); only what could not be removed fails.
 * The container's namespace is not needed: deleting the host end
 * deletes its peer.
 */
#include <errno.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "fabric.h"
#include "ipam.h"
#include "link.h"

int cmd_del(struct cni_ctx *x)
{
	struct rtnl host = { 0 };
	struct fabric *f;
	int err;

	f = fabric_open(x->conf.socket, true);
	if (f)
		fabric_port_del(f, x->host_if);
	fabric_close(f);

	err = rtnl_open(&host);
	if (!err) {
		err = link_del(&host, x->host_if);
		rtnl_close(&host);
	}
	if (err && err != -ENODEV)
		cni_fail(CNI_ERR_IO, x->host_if, "cannot delete %s: %s",
			 x->host_if, strerror(-err));

	ipam_exec(&x->conf, "DEL", NULL);
	return cni_failed() ? -1 : 0;
}
