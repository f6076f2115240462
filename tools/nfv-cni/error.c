// SPDX-License-Identifier: GPL-2.0
/*
 * The spec's error object: {"cniVersion", "code", "msg", "details"} on
 * stdout, the plugin exits non-zero.
 */
#include <stdarg.h>
#include <stdio.h>
#include <jansson.h>

#include "error.h"
#include "version.h"

static struct {
	int code;
	char msg[512];
	char details[512];
} failure;

int cni_fail(int code, const char *details, const char *fmt, ...)
{
	va_list ap;

	if (failure.code)
		return -1;
	failure.code = code;
	va_start(ap, fmt);
	vsnprintf(failure.msg, sizeof(failure.msg), fmt, ap);
	va_end(ap);
	snprintf(failure.details, sizeof(failure.details), "%s",
		 details ?: "");
	return -1;
}

bool cni_failed(void)
{
	return failure.code != 0;
}

void cni_error_print(const char *version)
{
	json_t *e;

	e = json_pack("{s:s, s:i, s:s}", "cniVersion",
		      version ?: CNI_VERSION_LATEST, "code", failure.code,
		      "msg", failure.msg);
	if (!e) {	/* a message that is not UTF-8 */
		printf("{\"cniVersion\": \"%s\", \"code\": %d, \"msg\": \"(not UTF-8)\"}\n",
		       version ?: CNI_VERSION_LATEST, failure.code);
		return;
	}
	if (failure.details[0])
		json_object_set_new(e, "details", json_string(failure.details));
	json_dumpf(e, stdout, JSON_INDENT(4));
	putchar('\n');
	json_decref(e);
}
