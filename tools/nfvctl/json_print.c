// SPDX-License-Identifier: GPL-2.0
/*
 * A small JSON writer behind the text/JSON print path (json_print.h).
 *
 * The writer keeps a stack of open containers and, per level, how many
 * values it holds: that decides the comma and, with -p, the newline and
 * indentation before each value.  Keys are written only inside objects.
 */
#include <stdlib.h>
#include <string.h>

#include "json_print.h"

#define JSON_DEPTH_MAX	16
#define JSON_INDENT	4

static FILE *out;
static bool json_mode;
static bool pretty_mode;

static struct {
	bool is_object;
	unsigned int count;
} stack[JSON_DEPTH_MAX];
static int depth;	/* open containers; 0 at the top level */

void json_print_init(FILE *f, bool json, bool pretty)
{
	out = f;
	json_mode = json;
	pretty_mode = json && pretty;
	depth = 0;
}

bool is_json(void)
{
	return json_mode;
}

static FILE *stream(void)
{
	return out ?: stdout;
}

/* Length of the valid UTF-8 sequence at @s (RFC 3629), 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;	/* continuation byte, overlong lead, > U+10FFFF */
	/* The second byte's range excludes overlongs and surrogates. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

size_t json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t written = 0;

	written += (size_t)fprintf(f, "\"");
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			written += (size_t)fprintf(f, "\\\"");
			s++;
			continue;
		case '\\':
			written += (size_t)fprintf(f, "\\\\");
			s++;
			continue;
		case '\b':
			written += (size_t)fprintf(f, "\\b");
			s++;
			continue;
		case '\f':
			written += (size_t)fprintf(f, "\\f");
			s++;
			continue;
		case '\n':
			written += (size_t)fprintf(f, "\\n");
			s++;
			continue;
		case '\r':
			written += (size_t)fprintf(f, "\\r");
			s++;
			continue;
		case '\t':
			written += (size_t)fprintf(f, "\\t");
			s++;
			continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			written += (size_t)fprintf(f, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (!n) {
			written += (size_t)fprintf(f, "\\ufffd");
			s++;
			continue;
		}
		written += fwrite(s, 1, n, f);
		s += n;
	}
	written += (size_t)fprintf(f, "\"");
	return written;
}

static void newline_indent(int level)
{
	if (!pretty_mode)
		return;
	fprintf(stream(), "\n%*s", level * JSON_INDENT, "");
}

/* Separator, indentation and key in front of a new value. */
static void begin_value(const char *key)
{
	FILE *f = stream();

	if (depth > 0 && depth <= JSON_DEPTH_MAX) {
		if (stack[depth - 1].count++)
			fputc(',', f);
		newline_indent(depth);
		if (stack[depth - 1].is_object) {
			json_escape(f, key ?: "");
			fputs(pretty_mode ? ": " : ":", f);
		}
	}
}

static void open_container(const char *key, bool is_object)
{
	if (!json_mode)
		return;
	begin_value(key);
	fputc(is_object ? '{' : '[', stream());
	if (depth < JSON_DEPTH_MAX) {
		stack[depth].is_object = is_object;
		stack[depth].count = 0;
	}
	depth++;
}

static void close_container(bool is_object)
{
	if (!json_mode || depth == 0)
		return;
	depth--;
	if (depth < JSON_DEPTH_MAX && stack[depth].count)
		newline_indent(depth);
	fputc(is_object ? '}' : ']', stream());
}

void print_open_object(const char *key)
{
	open_container(key, true);
}

void print_close_object(void)
{
	close_container(true);
}

void print_open_array(const char *key)
{
	open_container(key, false);
}

void print_close_array(void)
{
	close_container(false);
}

/*
 * Text output: control characters (C0, DEL, C1) and invalid UTF-8 become
 * '?', so a name cannot move the cursor or recolour the terminal.
 */
static void print_text(const char *fmt, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	char *copy, *p;
	size_t n;

	for (; *s; s += n) {
		n = utf8_len(s);
		if (!n || *s < 0x20 || *s == 0x7f || (*s == 0xc2 && s[1] < 0xa0))
			break;
	}
	if (!*s) {
		fprintf(stream(), fmt, v);
		return;
	}
	copy = malloc(strlen(v) + 1);
	if (!copy)
		return;
	for (s = (const unsigned char *)v, p = copy; *s; s += n) {
		n = utf8_len(s);
		if (!n || *s < 0x20 || *s == 0x7f ||
		    (*s == 0xc2 && s[1] < 0xa0)) {
			*p++ = '?';
			n = n ?: 1;
			continue;
		}
		memcpy(p, s, n);
		p += n;
	}
	*p = 0;
	fprintf(stream(), fmt, copy);
	free(copy);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *v)
{
	if (json_mode && (t & PRINT_JSON)) {
		begin_value(key);
		json_escape(stream(), v ?: "");
	} else if (!json_mode && (t & PRINT_FP) && fmt) {
		print_text(fmt, v ?: "");
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t v)
{
	if (json_mode && (t & PRINT_JSON)) {
		begin_value(key);
		fprintf(stream(), "%llu", (unsigned long long)v);
	} else if (!json_mode && (t & PRINT_FP) && fmt) {
		fprintf(stream(), fmt, (unsigned long long)v);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt, bool v)
{
	if (json_mode && (t & PRINT_JSON)) {
		begin_value(key);
		fputs(v ? "true" : "false", stream());
	} else if (!json_mode && (t & PRINT_FP) && fmt && v) {
		fputs(fmt, stream());
	}
}

void print_null(enum output_type t, const char *key, const char *fmt)
{
	if (json_mode && (t & PRINT_JSON)) {
		begin_value(key);
		fputs("null", stream());
	} else if (!json_mode && (t & PRINT_FP) && fmt) {
		fputs(fmt, stream());
	}
}

void print_nl(void)
{
	if (!json_mode)
		fputc('\n', stream());
}

void print_end(void)
{
	while (json_mode && depth > 0)
		close_container(depth <= JSON_DEPTH_MAX &&
				stack[depth - 1].is_object);
	if (json_mode)
		fputc('\n', stream());
	fflush(stream());
}
