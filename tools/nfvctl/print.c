// SPDX-License-Identifier: GPL-2.0
/* Text and JSON output from one path (see print.h). */
#include <stdio.h>
#include <string.h>

#include "print.h"

bool json;
bool pretty;

/* JSON writer state: nesting depth and whether a comma is due. */
static int depth;
static bool need_comma[32];

static void indent(void)
{
	int i;

	if (!pretty)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("  ", stdout);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_key(const char *key)
{
	if (depth > 0 && need_comma[depth])
		putchar(',');
	if (depth > 0)
		need_comma[depth] = true;
	if (depth > 0)
		indent();
	if (key) {
		json_string(key);
		putchar(':');
		if (pretty)
			putchar(' ');
	}
}

static void open_(const char *key, char c)
{
	if (!json)
		return;
	json_key(key);
	putchar(c);
	if (depth < 31)
		depth++;
	need_comma[depth] = false;
}

static void close_(char c)
{
	if (!json)
		return;
	if (depth > 0)
		depth--;
	if (need_comma[depth + 1])
		indent();
	putchar(c);
}

void print_open_array(const char *key)
{
	open_(key, '[');
}

void print_close_array(void)
{
	close_(']');
}

void print_open_object(const char *key)
{
	open_(key, '{');
}

void print_close_object(void)
{
	close_('}');
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *v)
{
	if (json && (t & PRINT_JSON)) {
		json_key(key);
		json_string(v);
	} else if (!json && (t & PRINT_FP) && fmt) {
		printf(fmt, v);
	}
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t v)
{
	if (json && (t & PRINT_JSON)) {
		json_key(key);
		printf("%llu", (unsigned long long)v);
	} else if (!json && (t & PRINT_FP) && fmt) {
		printf(fmt, (unsigned long long)v);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt, bool v)
{
	if (json && (t & PRINT_JSON)) {
		json_key(key);
		fputs(v ? "true" : "false", stdout);
	} else if (!json && (t & PRINT_FP) && fmt && v) {
		fputs(fmt, stdout);
	}
}

void print_null(enum output_type t, const char *key, const char *fmt)
{
	if (json && (t & PRINT_JSON)) {
		json_key(key);
		fputs("null", stdout);
	} else if (!json && (t & PRINT_FP) && fmt) {
		fputs(fmt, stdout);
	}
}

void print_nl(void)
{
	if (!json)
		putchar('\n');
}

void print_flush(void)
{
	if (json)
		putchar('\n');
	fflush(stdout);
}
