// SPDX-License-Identifier: GPL-2.0
/* nfv-ids: pattern file parser. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"

__attribute__((format(printf, 5, 6)))
static int fail(char *err, size_t len, const char *name, unsigned int line,
		const char *fmt, ...)
{
	size_t n = (size_t)snprintf(err, len, "%s:%u: ", name, line);
	va_list ap;

	if (n < len) {
		va_start(ap, fmt);
		vsnprintf(err + n, len - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex digits (blanks between bytes allowed) up to @end into @out. */
static int hex_bytes(const char *s, const char *end, uint8_t *out,
		     size_t *n, size_t max)
{
	while (s < end) {
		int hi, lo;

		if (isblank((unsigned char)*s)) {
			s++;
			continue;
		}
		if (end - s < 2 || (hi = hexval(s[0])) < 0 ||
		    (lo = hexval(s[1])) < 0)
			return -1;
		if (*n >= max)
			return -2;
		out[(*n)++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return 0;
}

static int parse_line(char *line, const char *name, unsigned int lineno,
		      struct pattern *p, char *err, size_t err_len)
{
	uint8_t buf[PATTERN_LEN_MAX];
	char *colon, *text, *end;
	unsigned long id;
	size_t n = 0;
	int ret;

	colon = strchr(line, ':');
	if (!colon)
		return fail(err, err_len, name, lineno,
			    "expected ID:TEXT or ID:hex:HEX");
	*colon = 0;
	errno = 0;
	id = strtoul(line, &end, 10);
	if (!*line || *end || errno || !id || id > 0xffffffffUL ||
	    !isdigit((unsigned char)*line))
		return fail(err, err_len, name, lineno,
			    "invalid pattern id \"%s\": must be 1..4294967295",
			    line);
	text = colon + 1;
	if (!strncmp(text, "hex:", 4)) {
		ret = hex_bytes(text + 4, text + strlen(text), buf, &n,
				sizeof(buf));
		if (ret == -1)
			return fail(err, err_len, name, lineno,
				    "invalid hex \"%s\"", text + 4);
	} else {
		const char *s = text;

		for (ret = 0; *s && !ret; ) {
			if (*s == '|') {
				const char *close = strchr(s + 1, '|');

				if (!close)
					return fail(err, err_len, name, lineno,
						    "unterminated |hex| in \"%s\"",
						    text);
				ret = hex_bytes(s + 1, close, buf, &n,
						sizeof(buf));
				if (ret == -1)
					return fail(err, err_len, name, lineno,
						    "invalid hex in \"%s\"", text);
				s = close + 1;
			} else if (n >= sizeof(buf)) {
				ret = -2;
			} else {
				buf[n++] = (uint8_t)*s++;
			}
		}
	}
	if (ret == -2)
		return fail(err, err_len, name, lineno,
			    "pattern longer than %d bytes", PATTERN_LEN_MAX);
	if (!n)
		return fail(err, err_len, name, lineno, "empty pattern");
	p->id = (uint32_t)id;
	p->line = lineno;
	p->len = n;
	p->bytes = malloc(n);
	p->text = strdup(text);
	if (!p->bytes || !p->text)
		return fail(err, err_len, name, lineno, "out of memory");
	memcpy(p->bytes, buf, n);
	return 0;
}

void patterns_free(struct pattern_set *ps)
{
	unsigned int i;

	for (i = 0; i < ps->n; i++) {
		free(ps->p[i].bytes);
		free(ps->p[i].text);
	}
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}

int patterns_parse(FILE *f, const char *name, struct pattern_set *ps,
		   char *err, size_t err_len)
{
	char line[PATTERN_LEN_MAX * 4 + 64];
	unsigned int lineno = 0, cap = 0;
	int ret = 0;

	memset(ps, 0, sizeof(*ps));
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *e;

		lineno++;
		e = strchr(line, '\n');
		if (!e && !feof(f)) {
			ret = fail(err, err_len, name, lineno, "line too long");
			goto err;
		}
		if (e)
			*e = 0;
		if (e > line && e[-1] == '\r')
			e[-1] = 0;
		while (isblank((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		if (ps->n == PATTERNS_MAX) {
			ret = fail(err, err_len, name, lineno,
				   "too many patterns (at most %d)", PATTERNS_MAX);
			goto err;
		}
		if (ps->n == cap) {
			struct pattern *np;

			cap = cap ? cap * 2 : 64;
			np = realloc(ps->p, cap * sizeof(*np));
			if (!np) {
				ret = fail(err, err_len, name, lineno, "out of memory");
				goto err;
			}
			ps->p = np;
		}
		memset(&ps->p[ps->n], 0, sizeof(ps->p[ps->n]));
		ret = parse_line(s, name, lineno, &ps->p[ps->n], err, err_len);
		ps->n++;
		if (ret)
			goto err;
	}
	if (!ps->n) {
		ret = fail(err, err_len, name, lineno + 1, "no patterns");
		goto err;
	}
	return 0;
err:
	patterns_free(ps);
	return ret;
}

int patterns_load(const char *path, struct pattern_set *ps, char *err,
		  size_t err_len)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	ret = patterns_parse(f, path, ps, err, err_len);
	fclose(f);
	return ret;
}
