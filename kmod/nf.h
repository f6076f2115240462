/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFV_NF_H
#define _NFV_NF_H

#include <linux/pid.h>
#include "fabric.h"

/* One NF: one open file of /dev/nfv. */
struct nfv_nf {
	struct nfv_fabric *fab;
	struct net *net;		/* held while the file is open */
	u16 id;				/* 0 until NFV_IOC_ATTACH */
	u16 service;
	u32 flags;			/* NFV_NF_F_* */
	u8 state;			/* enum nfv_nf_state */
	struct pid *pid;
	char name[NFV_NAME_LEN];
};

int nfv_nf_init(void);
void nfv_nf_uninit(void);

#endif /* _NFV_NF_H */
