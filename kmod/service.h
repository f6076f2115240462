/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFV_SERVICE_H
#define _NFV_SERVICE_H

#include "fabric.h"

int nfv_service_add(struct nfv_fabric *fab, u16 sid, u16 nf);
void nfv_service_del(struct nfv_fabric *fab, u16 sid, u16 nf);
const struct nfv_service *nfv_service_get(struct nfv_fabric *fab, u16 sid);

#endif /* _NFV_SERVICE_H */
