/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfvd's log lines: libnfv's printer (nfv_log() in libnfv/log.c, linked
 * from libnfv.a), which main.c points at nfvd's own print_fn with
 * nfv_set_print(), so that nfvd and the libnfv code it links log alike.
 */
#ifndef __NFVD_LOG_H
#define __NFVD_LOG_H

#include <nfv/libnfv.h>

__attribute__((format(printf, 2, 3)))
void nfv_log(enum nfv_print_level level, const char *fmt, ...);
#define pr_warn(fmt, ...)	nfv_log(NFV_WARN, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	nfv_log(NFV_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	nfv_log(NFV_DEBUG, fmt, ##__VA_ARGS__)

#endif /* __NFVD_LOG_H */
