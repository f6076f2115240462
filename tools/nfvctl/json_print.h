/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON, iproute2 style.
 *
 * Every value goes through print_*(type, key, fmt, value).  With -j the
 * key (the uapi attribute name in lower case, e.g. "default_chain") and
 * the value are written as JSON; otherwise fmt is printf'ed with the
 * value.  PRINT_FP prints only in text mode, PRINT_JSON only in JSON mode,
 * PRINT_ANY in both.  Objects and arrays exist only in JSON; in text mode
 * print_nl() ends an object's line.
 *
 * Strings are escaped for JSON (quotes, backslash, control characters,
 * invalid UTF-8 replaced by U+FFFD) and stripped of control characters in
 * text mode: names come from NFs and must not drive the terminal.
 */
#ifndef __NFVCTL_JSON_PRINT_H
#define __NFVCTL_JSON_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP	= 1 << 0,	/* text only */
	PRINT_JSON	= 1 << 1,	/* JSON only */
	PRINT_ANY	= PRINT_FP | PRINT_JSON,
};

/* Select the mode and the stream (stdout if NULL).  Default: text. */
void json_print_init(FILE *f, bool json, bool pretty);
bool is_json(void);

/* Containers; @key is NULL inside an array or at the top level. */
void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);

/* fmt takes one %s (string) or one %llu (uint); text may omit it. */
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *v);
void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t v);
/* Text: fmt printed only if @v is true. */
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool v);
void print_null(enum output_type t, const char *key, const char *fmt);

/* Text: end of an object's line.  JSON: nothing. */
void print_nl(void);
/* End of one document: newline after the JSON value, flush. */
void print_end(void);

/*
 * Write @s as a JSON string (with quotes) to @f; exposed for tests.
 * Returns the number of bytes written.
 */
size_t json_escape(FILE *f, const char *s);

#endif
