// SPDX-License-Identifier: GPL-2.0
/* Firewall rules: parse a rule file, match a flow key, print counters. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json.h"
#include "rules.h"

struct parse_ctx {
	const char *name;
	unsigned int line;
	char *err;
	size_t err_len;
	fw_port_fn port_fn;
	void *port_ctx;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parse_ctx *p, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(p->err, p->err_len, "%s:%u: ", p->name, p->line);
	if (n < p->err_len) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->err_len - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int get_u16(const char *s, uint32_t min, uint32_t max, uint16_t *v)
{
	unsigned long x;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -EINVAL;
	*v = (uint16_t)x;
	return 0;
}

static int parse_proto(struct parse_ctx *p, const char *s, uint8_t *proto)
{
	static const struct { const char *name; uint8_t proto; } names[] = {
		{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
		{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 },
		{ "sctp", IPPROTO_SCTP },
	};
	uint16_t v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*proto = names[i].proto;
			return 0;
		}
	}
	if (get_u16(s, 0, 255, &v))
		return fail(p, "invalid proto \"%s\": tcp, udp, icmp, icmpv6, sctp or 0..255",
			    s);
	*proto = (uint8_t)v;
	return 0;
}

/* ADDR[/LEN] -> address with host bits cleared, mask, family. */
static int parse_prefix(struct parse_ctx *p, const char *what, const char *s,
			uint8_t *addr, uint8_t *mask, uint8_t *family)
{
	char tmp[INET6_ADDRSTRLEN + 8], *slash;
	unsigned int i, max;
	uint16_t len;

	if (strlen(s) >= sizeof(tmp))
		return fail(p, "invalid %s \"%s\"", what, s);
	strcpy(tmp, s);
	slash = strchr(tmp, '/');
	if (slash)
		*slash++ = 0;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, tmp, addr) == 1) {
		*family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, tmp, addr) == 1) {
		*family = 6;
		max = 128;
	} else {
		return fail(p, "invalid %s address \"%s\"", what, tmp);
	}
	len = (uint16_t)max;
	if (slash && get_u16(slash, 0, max, &len))
		return fail(p, "invalid %s prefix length \"%s\": must be 0..%u",
			    what, slash, max);
	memset(mask, 0, 16);
	for (i = 0; i < 16; i++) {
		int bits = (int)len - (int)i * 8;

		mask[i] = bits >= 8 ? 0xff : bits > 0 ? (uint8_t)(0xff << (8 - bits)) : 0;
		addr[i] &= mask[i];
	}
	return 0;
}

static int parse_ports(struct parse_ctx *p, const char *what, const char *s,
		       uint16_t *lo, uint16_t *hi)
{
	char tmp[16], *dash;

	if (strlen(s) >= sizeof(tmp))
		goto bad;
	strcpy(tmp, s);
	dash = strchr(tmp, '-');
	if (dash)
		*dash++ = 0;
	if (get_u16(tmp, 1, 65535, lo) || (dash && get_u16(dash, 1, 65535, hi)))
		goto bad;
	if (!dash)
		*hi = *lo;
	if (*hi < *lo)
		return fail(p, "invalid %s \"%s\": empty range", what, s);
	return 0;
bad:
	return fail(p, "invalid %s \"%s\": N or N-M with 1..65535", what, s);
}

enum { K_IN, K_PROTO, K_SRC, K_DST, K_SPORT, K_DPORT, K_MAX };
static const char *const keywords[K_MAX] = {
	"in", "proto", "src", "dst", "sport", "dport",
};

/* The MATCH tokens @tok[0..n) into @r. */
static int parse_match(struct parse_ctx *p, char **tok, int n,
		       struct fw_rule *r)
{
	bool have[K_MAX] = { false };
	uint8_t fam = 0;
	int i, k, port;

	for (i = 0; i < n; i += 2) {
		const char *val = i + 1 < n ? tok[i + 1] : NULL;

		for (k = 0; k < K_MAX; k++)
			if (!strcmp(tok[i], keywords[k]))
				break;
		if (k == K_MAX)
			return fail(p, "unknown keyword \"%s\"", tok[i]);
		if (have[k])
			return fail(p, "\"%s\" given twice", tok[i]);
		have[k] = true;
		if (!val)
			return fail(p, "\"%s\" needs a value", tok[i]);
		switch (k) {
		case K_IN:
			port = p->port_fn ? p->port_fn(val, p->port_ctx) : -ENOENT;
			if (port <= 0)
				return fail(p, "unknown port \"%s\" (not a fabric port)",
					    val);
			r->in_port = (uint16_t)port;
			break;
		case K_PROTO:
			if (parse_proto(p, val, &r->proto))
				return -EINVAL;
			r->has_proto = true;
			break;
		case K_SRC:
		case K_DST:
			if (parse_prefix(p, keywords[k], val,
					 k == K_SRC ? r->src : r->dst,
					 k == K_SRC ? r->src_mask : r->dst_mask,
					 &fam))
				return -EINVAL;
			if (r->family && r->family != fam)
				return fail(p, "src and dst of different families");
			r->family = fam;
			if (k == K_SRC)
				r->has_src = true;
			else
				r->has_dst = true;
			break;
		case K_SPORT:
			if (parse_ports(p, "sport", val, &r->sport_lo, &r->sport_hi))
				return -EINVAL;
			break;
		case K_DPORT:
			if (parse_ports(p, "dport", val, &r->dport_lo, &r->dport_hi))
				return -EINVAL;
			break;
		}
	}
	if ((have[K_SPORT] || have[K_DPORT]) &&
	    (!have[K_PROTO] || !nf_l4_has_ports(r->proto)))
		return fail(p, "ports need \"proto tcp|udp|sctp\"");
	return 0;
}

static char *join(char **tok, int n)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(tok[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	*s = 0;
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, tok[i]);
	}
	return s;
}

static int parse_action(const char *s, uint8_t *action)
{
	if (!strcmp(s, "allow"))
		*action = FW_ALLOW;
	else if (!strcmp(s, "deny"))
		*action = FW_DENY;
	else
		return -EINVAL;
	return 0;
}

void fw_table_free(struct fw_table *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->n_rules; i++)
		free(t->rules[i].match);
	free(t->rules);
	free(t);
}

/* One non-empty line; *done set by "default". */
static int parse_line(struct parse_ctx *p, struct fw_table *t, char *line,
		      bool *done)
{
	char *tok[FW_LINE_MAX / 2], *save = NULL, *s;
	struct fw_rule *r;
	int n = 0;

	for (s = strtok_r(line, " \t\r\n", &save); s;
	     s = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == (int)(sizeof(tok) / sizeof(tok[0])))
			return fail(p, "too many words");
		tok[n++] = s;
	}
	if (!n)
		return 0;
	if (*done)
		return fail(p, "rule after \"default\" (it must be the last rule)");
	if (!strcmp(tok[0], "default")) {
		if (n != 2 || parse_action(tok[1], &t->default_action))
			return fail(p, "expected \"default allow\" or \"default deny\"");
		t->default_line = p->line;
		*done = true;
		return 0;
	}
	if (t->n_rules >= FW_RULES_MAX)
		return fail(p, "too many rules (at most %d)", FW_RULES_MAX);
	r = &t->rules[t->n_rules];
	memset(r, 0, sizeof(*r));
	if (parse_action(tok[0], &r->action))
		return fail(p, "unknown action \"%s\": allow, deny or default",
			    tok[0]);
	if (parse_match(p, tok + 1, n - 1, r))
		return -EINVAL;
	r->line = p->line;
	r->match = join(tok + 1, n - 1);
	if (!r->match)
		return fail(p, "out of memory");
	t->n_rules++;
	return 0;
}

struct fw_table *fw_table_parse(FILE *f, const char *name, fw_port_fn port_fn,
				void *port_ctx, char *err, size_t err_len)
{
	struct parse_ctx p = { .name = name, .err = err, .err_len = err_len,
			       .port_fn = port_fn, .port_ctx = port_ctx };
	char line[FW_LINE_MAX + 2], *hash;
	struct fw_table *t;
	bool done = false;

	t = calloc(1, sizeof(*t));
	if (t)
		t->rules = calloc(FW_RULES_MAX, sizeof(*t->rules));
	if (!t || !t->rules) {
		fail(&p, "out of memory");
		goto err;
	}
	while (fgets(line, sizeof(line), f)) {
		p.line++;
		if (!strchr(line, '\n') && !feof(f)) {
			fail(&p, "line longer than %d characters", FW_LINE_MAX);
			goto err;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		if (parse_line(&p, t, line, &done))
			goto err;
	}
	if (ferror(f)) {
		fail(&p, "read error");
		goto err;
	}
	if (!done) {
		p.line++;
		fail(&p, "missing \"default allow|deny\" as the last rule");
		goto err;
	}
	return t;
err:
	fw_table_free(t);
	return NULL;
}

struct fw_table *fw_table_load(const char *path, fw_port_fn port_fn,
			       void *port_ctx, char *err, size_t err_len)
{
	struct fw_table *t;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	t = fw_table_parse(f, path, port_fn, port_ctx, err, err_len);
	fclose(f);
	return t;
}

void fw_table_carry(struct fw_table *t, const struct fw_table *old)
{
	unsigned int i, j = 0;

	/* Walk both in order: an unchanged rule keeps its counters. */
	for (i = 0; i < t->n_rules; i++) {
		unsigned int k;

		for (k = j; k < old->n_rules; k++) {
			const struct fw_rule *o = &old->rules[k];

			if (o->action == t->rules[i].action &&
			    !strcmp(o->match, t->rules[i].match)) {
				t->rules[i].packets = o->packets;
				t->rules[i].bytes = o->bytes;
				j = k + 1;
				break;
			}
		}
	}
	if (t->default_action == old->default_action) {
		t->default_packets = old->default_packets;
		t->default_bytes = old->default_bytes;
	}
}

static bool prefix_ok(const uint8_t *addr, const uint8_t *pfx,
		      const uint8_t *mask, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if ((addr[i] & mask[i]) != pfx[i])
			return false;
	return true;
}

static bool rule_matches(const struct fw_rule *r, const struct nf_flow_key *k,
			 bool is_ip, uint16_t in_port)
{
	unsigned int alen;
	uint16_t port;

	if (r->in_port && r->in_port != in_port)
		return false;
	if (!r->has_proto && !r->family)
		return true;		/* only "in", or nothing */
	if (!is_ip)
		return false;
	if (r->family && r->family != k->family)
		return false;
	if (r->has_proto && r->proto != k->proto)
		return false;
	alen = k->family == 4 ? 4 : 16;
	if (r->has_src && !prefix_ok(k->src, r->src, r->src_mask, alen))
		return false;
	if (r->has_dst && !prefix_ok(k->dst, r->dst, r->dst_mask, alen))
		return false;
	/* A rule with ports never matches a frame without them. */
	if (r->sport_lo) {
		port = ntohs(k->sport);
		if (!k->sport || port < r->sport_lo || port > r->sport_hi)
			return false;
	}
	if (r->dport_lo) {
		port = ntohs(k->dport);
		if (!k->dport || port < r->dport_lo || port > r->dport_hi)
			return false;
	}
	return true;
}

struct fw_rule *fw_match(struct fw_table *t, const struct nf_flow_key *k,
			 bool is_ip, uint16_t in_port)
{
	unsigned int i;

	for (i = 0; i < t->n_rules; i++)
		if (rule_matches(&t->rules[i], k, is_ip, in_port))
			return &t->rules[i];
	return NULL;
}

static const char *action_name(uint8_t a)
{
	return a == FW_ALLOW ? "allow" : "deny";
}

void fw_table_print(FILE *f, const struct fw_table *t)
{
	unsigned int i;

	for (i = 0; i < t->n_rules; i++) {
		const struct fw_rule *r = &t->rules[i];

		fprintf(f, "rule %u line %u %s%s%s packets %llu bytes %llu\n",
			i + 1, r->line, action_name(r->action),
			*r->match ? " " : "", r->match,
			(unsigned long long)r->packets,
			(unsigned long long)r->bytes);
	}
	fprintf(f, "default %s packets %llu bytes %llu\n",
		action_name(t->default_action),
		(unsigned long long)t->default_packets,
		(unsigned long long)t->default_bytes);
}

void fw_table_json(FILE *f, const struct fw_table *t)
{
	unsigned int i;

	fprintf(f, "\"rules\":[");
	for (i = 0; i < t->n_rules; i++) {
		const struct fw_rule *r = &t->rules[i];

		fprintf(f, "%s{\"rule\":%u,\"line\":%u,\"action\":\"%s\",\"match\":",
			i ? "," : "", i + 1, r->line, action_name(r->action));
		nf_json_string(f, r->match);
		fprintf(f, ",\"packets\":%llu,\"bytes\":%llu}",
			(unsigned long long)r->packets,
			(unsigned long long)r->bytes);
	}
	fprintf(f, "],\"default\":{\"line\":%u,\"action\":\"%s\",\"packets\":%llu,\"bytes\":%llu}",
		t->default_line, action_name(t->default_action),
		(unsigned long long)t->default_packets,
		(unsigned long long)t->default_bytes);
}
