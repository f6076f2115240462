/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON, iproute2 style: every value goes
 * through print_*(PRINT_ANY, key, fmt, value); in JSON mode the key (the
 * spec's attribute name) is used, in text mode the format.
 */
#ifndef __NFVCTL_PRINT_H
#define __NFVCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

enum output_type {
	PRINT_FP = 1,		/* text only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = 3,
};

extern bool json;
extern bool pretty;

void print_open_array(const char *key);
void print_close_array(void);
void print_open_object(const char *key);
void print_close_object(void);
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *v);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t v);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool v);
void print_null(enum output_type t, const char *key, const char *fmt);
void print_nl(void);		/* text: end of an object's line */
void print_flush(void);		/* end of output: newline in JSON mode */

#endif
