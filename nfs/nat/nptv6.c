// SPDX-License-Identifier: GPL-2.0
/* nfv-nat: checksum-neutral IPv6 prefix translation (RFC 6296). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/nf.h"
#include "nptv6.h"

static uint16_t add16(uint32_t a, uint32_t b)
{
	uint32_t s = a + b;

	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)((s & 0xffff) + (s >> 16));
}

static uint16_t word(const uint8_t *a, int i)
{
	return (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
}

static void set_word(uint8_t *a, int i, uint16_t w)
{
	a[2 * i] = (uint8_t)(w >> 8);
	a[2 * i + 1] = (uint8_t)w;
}

static uint16_t sum_of(const uint8_t *a)
{
	uint16_t s = 0;
	int i;

	for (i = 0; i < 8; i++)
		s = add16(s, word(a, i));
	return s;
}

static int parse_prefix(const char *s, uint8_t pfx[16], uint8_t *len)
{
	char tmp[64], *slash;
	uint32_t l;
	int i;

	if (strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	slash = strchr(tmp, '/');
	if (!slash)
		return -EINVAL;
	*slash++ = 0;
	if (inet_pton(AF_INET6, tmp, pfx) != 1 || nf_parse_u32(slash, 1, 64, &l))
		return -EINVAL;
	/* Bits past the prefix must be zero: a typo should not pass. */
	for (i = (int)l; i < 128; i++)
		if (pfx[i / 8] & (0x80 >> (i % 8)))
			return -EINVAL;
	*len = (uint8_t)l;
	return 0;
}

int nptv6_parse(struct nptv6 *n, const char *spec)
{
	char tmp[160], *eq;
	uint8_t l1, l2;

	memset(n, 0, sizeof(*n));
	if (!spec || strlen(spec) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, spec);
	eq = strchr(tmp, '=');
	if (!eq)
		return -EINVAL;
	*eq++ = 0;
	if (parse_prefix(tmp, n->inside, &l1) ||
	    parse_prefix(eq, n->external, &l2) || l1 != l2 ||
	    !memcmp(n->inside, n->external, 16))
		return -EINVAL;
	n->len = l1;
	/* Outbound adds sum(inside) - sum(external); inbound the opposite. */
	n->adj_out = add16(sum_of(n->inside), (uint16_t)~sum_of(n->external));
	n->adj_in = add16(sum_of(n->external), (uint16_t)~sum_of(n->inside));
	n->on = true;
	return 0;
}

bool nptv6_match(const struct nptv6 *n, const uint8_t *addr,
		 const uint8_t *pfx)
{
	unsigned int full = n->len / 8, rest = n->len % 8;

	if (memcmp(addr, pfx, full))
		return false;
	return !rest || !((addr[full] ^ pfx[full]) & (0xff00 >> rest));
}

bool nptv6_map(const struct nptv6 *n, uint8_t *addr, bool outbound)
{
	const uint8_t *to = outbound ? n->external : n->inside;
	unsigned int full = n->len / 8, rest = n->len % 8;
	uint16_t w;
	int i = 3;

	if (n->len > 48)
		for (i = 4; i < 8 && word(addr, i) == 0xffff; i++)
			;
	if (i == 8 || word(addr, i) == 0xffff)
		return false;
	memcpy(addr, to, full);
	if (rest) {
		uint8_t mask = (uint8_t)(0xff00 >> rest);

		addr[full] = (uint8_t)((addr[full] & ~mask) | (to[full] & mask));
	}
	w = add16(word(addr, i), outbound ? n->adj_out : n->adj_in);
	/* One's complement has two zeros; RFC 6296 keeps 0x0000. */
	set_word(addr, i, w == 0xffff ? 0 : w);
	return true;
}
