// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Logging, error strings and opts validation. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static int default_print(enum nfv_print_level level, const char *fmt,
			 va_list ap)
{
	if (level == NFV_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static nfv_print_fn_t print_fn = default_print;

nfv_print_fn_t nfv_set_print(nfv_print_fn_t fn)
{
	nfv_print_fn_t old = print_fn;

	print_fn = fn;
	return old;
}

void nfv_log(enum nfv_print_level level, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (!print_fn)
		return;
	va_start(ap, fmt);
	print_fn(level, fmt, ap);
	va_end(ap);
	errno = saved;
}

int nfv_strerror(int err, char *buf, size_t size)
{
	if (!buf || !size)
		return nfv_err(-EINVAL);
	if (err < 0)
		err = -err;
	snprintf(buf, size, "%s", strerror(err));
	return 0;
}

bool nfv_validate_opts(const char *opts, size_t opts_sz, size_t user_sz,
		       const char *type_name)
{
	size_t i;

	if (user_sz < sizeof(size_t)) {
		pr_warn("%s: size (%zu) is too small\n", type_name, user_sz);
		return false;
	}
	/* A newer caller may pass a bigger struct: its tail must be zero. */
	for (i = opts_sz; i < user_sz; i++) {
		if (opts[i]) {
			pr_warn("%s has non-zero extra bytes\n", type_name);
			return false;
		}
	}
	return true;
}
