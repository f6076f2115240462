// SPDX-License-Identifier: GPL-2.0
/* The `nfvctl flow` MATCH grammar of NF rule files: parse, match, read. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

int nf_rules_fail(struct nf_rules_ctx *p, const char *fmt, ...)
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

static int parse_proto(struct nf_rules_ctx *p, const char *s, uint8_t *proto)
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
		return nf_rules_fail(p, "invalid proto \"%s\": tcp, udp, icmp, icmpv6, sctp or 0..255",
				     s);
	*proto = (uint8_t)v;
	return 0;
}

/* ADDR[/LEN] -> address with host bits cleared, mask, family. */
static int parse_prefix(struct nf_rules_ctx *p, const char *what,
			const char *s, uint8_t *addr, uint8_t *mask,
			uint8_t *family)
{
	char tmp[INET6_ADDRSTRLEN + 8], *slash;
	unsigned int i, max;
	uint16_t len;

	if (strlen(s) >= sizeof(tmp))
		return nf_rules_fail(p, "invalid %s \"%s\"", what, s);
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
		return nf_rules_fail(p, "invalid %s address \"%s\"", what, tmp);
	}
	len = (uint16_t)max;
	if (slash && get_u16(slash, 0, max, &len))
		return nf_rules_fail(p, "invalid %s prefix length \"%s\": must be 0..%u",
				     what, slash, max);
	memset(mask, 0, 16);
	for (i = 0; i < 16; i++) {
		int bits = (int)len - (int)i * 8;

		mask[i] = bits >= 8 ? 0xff : bits > 0 ? (uint8_t)(0xff << (8 - bits)) : 0;
		addr[i] &= mask[i];
	}
	return 0;
}

static int parse_ports(struct nf_rules_ctx *p, const char *what,
		       const char *s, uint16_t *lo, uint16_t *hi)
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
		return nf_rules_fail(p, "invalid %s \"%s\": empty range", what, s);
	return 0;
bad:
	return nf_rules_fail(p, "invalid %s \"%s\": N or N-M with 1..65535",
			     what, s);
}

enum { K_IN, K_PROTO, K_SRC, K_DST, K_SPORT, K_DPORT, K_MAX };
static const char *const keywords[K_MAX] = {
	"in", "proto", "src", "dst", "sport", "dport",
};

int nf_match_parse(struct nf_rules_ctx *p, char **tok, int n,
		   struct nf_match *r)
{
	bool have[K_MAX] = { false };
	uint8_t fam = 0;
	int i, k, port;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i += 2) {
		const char *val = i + 1 < n ? tok[i + 1] : NULL;

		for (k = 0; k < K_MAX; k++)
			if (!strcmp(tok[i], keywords[k]))
				break;
		if (k == K_MAX)
			return nf_rules_fail(p, "unknown keyword \"%s\"", tok[i]);
		if (have[k])
			return nf_rules_fail(p, "\"%s\" given twice", tok[i]);
		have[k] = true;
		if (!val)
			return nf_rules_fail(p, "\"%s\" needs a value", tok[i]);
		switch (k) {
		case K_IN:
			port = p->port_fn ? p->port_fn(val, p->port_ctx) : -ENOENT;
			if (port <= 0)
				return nf_rules_fail(p, "unknown port \"%s\" (not a fabric port)",
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
				return nf_rules_fail(p, "src and dst of different families");
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
		return nf_rules_fail(p, "ports need \"proto tcp|udp|sctp\"");
	return 0;
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

bool nf_match_test(const struct nf_match *r, const struct nf_flow_key *k,
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

char *nf_words_join(char **tok, int n)
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

static int split_line(struct nf_rules_ctx *p, char *line, nf_rule_fn fn,
		      void *arg)
{
	char *tok[NF_RULE_LINE_MAX / 2], *save = NULL, *s;
	int n = 0;

	for (s = strtok_r(line, " \t\r\n", &save); s;
	     s = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == (int)(sizeof(tok) / sizeof(tok[0])))
			return nf_rules_fail(p, "too many words");
		tok[n++] = s;
	}
	return n ? fn(p, tok, n, arg) : 0;
}

int nf_rules_read(FILE *f, struct nf_rules_ctx *p, nf_rule_fn fn, void *arg)
{
	char line[NF_RULE_LINE_MAX + 2], *hash;

	while (fgets(line, sizeof(line), f)) {
		p->line++;
		if (!strchr(line, '\n') && !feof(f))
			return nf_rules_fail(p, "line longer than %d characters",
					     NF_RULE_LINE_MAX);
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		if (split_line(p, line, fn, arg))
			return -EINVAL;
	}
	if (ferror(f))
		return nf_rules_fail(p, "read error");
	return 0;
}
