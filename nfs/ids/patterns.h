/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfv-ids pattern files: one literal per line,
 *
 *	# comment (a line whose first non-blank character is '#')
 *	ID:TEXT		bytes as written; |41 42 0d 0a| inserts hex bytes
 *	ID:hex:HEX	bytes in hex (spaces allowed)
 *
 * ID is 1..4294967295 and may repeat (several spellings of one thing).
 * Errors name the line: "patterns.txt:4: empty pattern".
 */
#ifndef __NFV_IDS_PATTERNS_H
#define __NFV_IDS_PATTERNS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PATTERNS_MAX	65536
#define PATTERN_LEN_MAX	1024

struct pattern {
	uint32_t id;
	unsigned int line;
	uint8_t *bytes;
	size_t len;
	char *text;		/* as written after "ID:" */
	uint64_t hits;
};

struct pattern_set {
	struct pattern *p;
	unsigned int n;
};

int patterns_parse(FILE *f, const char *name, struct pattern_set *ps,
		   char *err, size_t err_len);
int patterns_load(const char *path, struct pattern_set *ps, char *err,
		  size_t err_len);
void patterns_free(struct pattern_set *ps);

#endif /* __NFV_IDS_PATTERNS_H */
