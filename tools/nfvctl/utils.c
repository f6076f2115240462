// SPDX-License-Identifier: GPL-2.0
/* Argument helpers: one-line errors naming the problem. */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfvctl.h"

int invarg(const char *fmt, ...)
{
	va_list ap;

	fputs("nfvctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

int get_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

int parse_dev(const char *what, const char *name, uint32_t *ifindex)
{
	if (!name)
		return invarg("%s: missing device name", what);
	if (strlen(name) >= IF_NAMESIZE)
		return invarg("%s: device name \"%s\" too long", what, name);
	*ifindex = if_nametoindex(name);
	if (!*ifindex)
		return invarg("%s: unknown device \"%s\"", what, name);
	return 0;
}

const char *ifname(uint32_t ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

const char *proto_name(uint8_t p, char *buf)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	}
	snprintf(buf, 8, "%u", p);
	return buf;
}

const char *const xdp_counter_names[__NFV_XDP_COUNTER_MAX] = {
	[NFV_XDP_RX] = "rx",
	[NFV_XDP_PASS] = "pass",
	[NFV_XDP_REDIRECT] = "redirect",
	[NFV_XDP_FLOW_HIT] = "flow_hit",
	[NFV_XDP_RULE_HIT] = "rule_hit",
	[NFV_XDP_DEFAULT_HIT] = "default_hit",
	[NFV_XDP_PARSE_ERR] = "parse_err",
	[NFV_XDP_NO_CHAIN] = "no_chain",
	[NFV_XDP_NO_REPLICA] = "no_replica",
	[NFV_XDP_NO_SOCKET] = "no_socket",
	[NFV_XDP_META_ERR] = "meta_err",
	[NFV_XDP_HOP_OUT] = "hop_out",
	[NFV_XDP_HOP_DROP] = "hop_drop",
	[NFV_XDP_FAIL_CLOSED] = "fail_closed",
};
