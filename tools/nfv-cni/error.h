/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plugin's one error: the first failure is kept (a rollback that
 * fails too does not hide why the command failed) and printed as the
 * spec's error object on stdout when the command ends.
 */
#ifndef __NFV_CNI_ERROR_H
#define __NFV_CNI_ERROR_H

#include <stdbool.h>

/* The spec's codes (CNI 1.0.0, "Error"), then nfv-cni's own (100+). */
enum cni_code {
	CNI_ERR_VERSION		= 1,	/* incompatible CNI version */
	CNI_ERR_FIELD		= 2,	/* unsupported field in the config */
	CNI_ERR_CONTAINER	= 3,	/* container unknown or does not exist */
	CNI_ERR_ENV		= 4,	/* invalid necessary environment variables */
	CNI_ERR_IO		= 5,	/* I/O failure */
	CNI_ERR_DECODE		= 6,	/* failed to decode content */
	CNI_ERR_CONFIG		= 7,	/* invalid network config */
	CNI_ERR_AGAIN		= 11,	/* try again later */

	NFV_CNI_ERR_FABRIC	= 100,	/* nfvd refused a request */
	NFV_CNI_ERR_CHAIN	= 101,	/* the configured chain does not exist */
	NFV_CNI_ERR_CHECK	= 102,	/* CHECK: the attachment is not as made */
};

/*
 * Record a failure, unless one is recorded already: @code, a message
 * from @fmt, and @details (NULL: none).  Returns -1, for
 * "return cni_fail(...)".
 */
__attribute__((format(printf, 3, 4)))
int cni_fail(int code, const char *details, const char *fmt, ...);
bool cni_failed(void);

/*
 * Print the recorded failure as {"cniVersion", "code", "msg",
 * "details"} on stdout; @version is the configuration's, or NULL when
 * it was not read (then the newest version this plugin speaks).
 */
void cni_error_print(const char *version);

#endif
