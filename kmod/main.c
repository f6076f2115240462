// SPDX-License-Identifier: GPL-2.0
/*
 * nfv.ko: the kernel backend of the nfv fabric.  It keeps the chain,
 * service, flow and port tables, is the only writer of the XDP program's
 * maps while they are bound to it, tracks NFs through /dev/nfv, and
 * serves all of it over the generic netlink family "nfv".
 *
 * This file only sequences the parts; each undoes in reverse order.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "compat.h"
#include "fabric.h"
#include "flow.h"
#include "netlink.h"
#include "nf.h"
#include "port.h"

static int __init nfv_mod_init(void)
{
	int err;

	err = nfv_flow_init();
	if (err)
		goto err_flow;
	err = nfv_fabric_init();
	if (err)
		goto err_fabric;
	err = nfv_port_init();
	if (err)
		goto err_port;
	err = nfv_nf_init();
	if (err)
		goto err_nf;
	err = nfv_netlink_init();
	if (err)
		goto err_netlink;
	pr_info("nfv: generic netlink family \"%s\", /dev/%s\n",
		NFV_GENL_NAME, NFV_DEV_NAME);
	return 0;

err_netlink:
	nfv_nf_uninit();
err_nf:
	nfv_port_uninit();
err_port:
	nfv_fabric_uninit();
err_fabric:
	nfv_flow_uninit();
err_flow:
	return err;
}

static void __exit nfv_mod_exit(void)
{
	nfv_netlink_uninit();
	nfv_nf_uninit();
	nfv_port_uninit();
	nfv_fabric_uninit();
	nfv_flow_uninit();
}

module_init(nfv_mod_init);
module_exit(nfv_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfv fabric: service chain tables and NF lifecycle");
MODULE_AUTHOR("nfv developers");
MODULE_ALIAS_GENL_FAMILY(NFV_GENL_NAME);
NFV_IMPORT_BPF_NS();
