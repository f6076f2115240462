/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Services: their dump (service.c).
 */
#ifndef __NFVD_SERVICE_H
#define __NFVD_SERVICE_H

#include "control.h"

extern const struct nfvd_obj service_obj;

#endif /* __NFVD_SERVICE_H */
