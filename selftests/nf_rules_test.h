/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rule-file unit tests (nf_firewall_unit, nf_steer_unit) share:
 * the ports nfvd gives f0 and f1 in the shell tests, and an IPv4 flow
 * key.  Included after the rules .c file the test is built on.
 */
#ifndef __NFV_SELFTESTS_NF_RULES_TEST_H
#define __NFV_SELFTESTS_NF_RULES_TEST_H

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

/* Ports f0 = 2, f1 = 1, as nfvd numbers them in the shell tests. */
static int fake_port(const char *dev, void *ctx)
{
	(void)ctx;
	if (!strcmp(dev, "f0"))
		return 2;
	if (!strcmp(dev, "f1"))
		return 1;
	return -ENOENT;
}

static inline struct nf_flow_key key4(const char *src, const char *dst,
				      uint8_t proto, uint16_t sport,
				      uint16_t dport)
{
	struct nf_flow_key k = { .family = 4, .proto = proto,
				 .sport = htons(sport), .dport = htons(dport) };

	inet_pton(AF_INET, src, k.src);
	inet_pton(AF_INET, dst, k.dst);
	return k;
}

#endif /* __NFV_SELFTESTS_NF_RULES_TEST_H */
