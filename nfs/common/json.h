/* SPDX-License-Identifier: GPL-2.0 */
/* JSON output helpers shared by the NFs (header only). */
#ifndef __NFS_COMMON_JSON_H
#define __NFS_COMMON_JSON_H

#include <stdint.h>
#include <stdio.h>

/* @s as a JSON string: quotes, backslashes and control bytes escaped. */
static inline void nf_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* CLOCK_REALTIME nanoseconds as UNIX seconds with 9 decimals. */
static inline void nf_json_time(FILE *f, int64_t ns)
{
	fprintf(f, "%lld.%09lld", (long long)(ns / 1000000000),
		(long long)(ns % 1000000000));
}

#endif /* __NFS_COMMON_JSON_H */
