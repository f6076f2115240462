/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * Flow rules: what a match means, once, for both backends.
 *
 * nfv.ko and nfvd each take the attributes of a FLOW request apart into a
 * struct nfv_match_attrs (and say whether IN_IFINDEX names one of their
 * ports); everything after that is decided here: which requests are
 * refused and with which words (nfv_match_from_attrs(), nfv_flow_admit()),
 * which rules are exact (nfv_match_is_exact()), how they are ordered
 * (nfv_match_specificity()) and how they are written into "nfv_flows"
 * (nfv_match_key()) and "nfv_rules" (struct nfv_rules).  A backend only
 * extracts, stores and locks, so the two cannot drift apart.
 *
 * Ports: a range lo-hi is kept as given; 0-0 means any port, and a port
 * field counts as given exactly when its high end is not 0, everywhere
 * (checks, specificity, rules, replies): "sport 0-100" stays 0-100.
 *
 * Plain C on the uapi types: it builds in the kernel and in user space.
 */
#ifndef _UAPI_LINUX_NFV_MATCH_H
#define _UAPI_LINUX_NFV_MATCH_H

#include <linux/types.h>
#include <asm/byteorder.h>
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/in.h>
#include <linux/socket.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include <linux/nfv.h>
#include <linux/nfv_err.h>

/**
 * struct nfv_match - a flow rule's match, as the user gave it
 * @src: source address, network order (IPv4 in @src[0])
 * @dst: destination address, network order
 * @in_ifindex: ingress port netdev; 0: any
 * @sport: low end of the source port range, host order
 * @sport_max: high end; 0 (so 0-0): any source port
 * @dport: low end of the destination port range, host order
 * @dport_max: high end; 0: any destination port
 * @src_plen: source prefix length; 0: any source
 * @dst_plen: destination prefix length; 0: any destination
 * @proto: IP protocol; 0: any
 * @family: AF_INET, AF_INET6, or 0: any
 * @spi: NSH service path identifier, with NFV_RULE_NSH_SPI in @nsh
 * @si: NSH service index, with NFV_RULE_NSH_SI in @nsh
 * @nsh: NFV_RULE_NSH_*; 0: frames that did not come in NSH
 * @pad: zero
 *
 * What identifies a rule: two rules are the same rule when their matches
 * are equal byte for byte (no padding; unused fields are zero), so a
 * backend may hash and compare it whole.
 */
struct nfv_match {
	__u32 src[4];
	__u32 dst[4];
	__u32 in_ifindex;
	__u16 sport, sport_max;
	__u16 dport, dport_max;
	__u8  src_plen, dst_plen;
	__u8  proto;
	__u8  family;
	__u32 spi;
	__u8  si;
	__u8  nsh;
	__u16 pad;
};

/**
 * struct nfv_match_attrs - the attributes of a FLOW request, taken apart
 * @given: NFV_GIVEN(NFV_A_FLOW_*) of every attribute present
 * @in_is_port: IN_IFINDEX names a port of this fabric (backend's lookup)
 * @in_ifindex: IN_IFINDEX
 * @proto: PROTO
 * @family: FAMILY
 * @src: SRC's payload, @src_len bytes
 * @dst: DST's payload, @dst_len bytes
 * @src_len: SRC's payload length
 * @dst_len: DST's payload length
 * @src_plen: SRC_PLEN
 * @dst_plen: DST_PLEN
 * @sport: SPORT
 * @sport_max: SPORT_MAX
 * @dport: DPORT
 * @dport_max: DPORT_MAX
 * @spi: SPI
 * @si: SI
 *
 * Fields of attributes not in @given are ignored.
 */
struct nfv_match_attrs {
	__u32 given;
	bool in_is_port;
	__u32 in_ifindex;
	__u8 proto, family;
	const void *src, *dst;
	__u32 src_len, dst_len;
	__u8 src_plen, dst_plen;
	__u16 sport, sport_max;
	__u16 dport, dport_max;
	__u32 spi;
	__u8 si;
};

/**
 * struct nfv_flow_room - what the flow tables hold, for nfv_flow_admit()
 * @n_exact: exact flows stored
 * @max_exact: size of "nfv_flows"
 * @n_rules: prefix rules stored
 */
struct nfv_flow_room {
	__u32 n_exact;
	__u32 max_exact;
	__u32 n_rules;
};

/**
 * struct nfv_rules - the "nfv_rules" array being built, in scan order
 * @n: rules in @rule
 * @spec: nfv_match_specificity() of each rule
 * @rule: the rules, most specific first, in insertion order among
 *	equals; @rule[@n] onwards is zero (chain 0 ends the scan)
 */
struct nfv_rules {
	int n;
	__u16 spec[NFV_PREFIX_RULES_MAX];
	struct nfv_prefix_rule rule[NFV_PREFIX_RULES_MAX];
};

/* A source / destination port range is given (not 0-0, "any"). */
static inline bool nfv_match_has_sport(const struct nfv_match *m)
{
	return m->sport_max != 0;
}

static inline bool nfv_match_has_dport(const struct nfv_match *m)
{
	return m->dport_max != 0;
}

/* Bits of an address of @family: 32 or 128. */
static inline __u8 nfv_family_bits(__u8 family)
{
	return family == AF_INET6 ? 128 : 32;
}

/* One address (SRC or DST: @data, @len bytes) with its prefix length. */
static inline int nfv_match_addr(__u32 given, __u16 attr, __u16 plen_attr,
				 const void *data, __u32 len, __u8 plen_in,
				 __u32 *addr, __u8 *plen, __u8 *family,
				 struct nfv_err *e)
{
	__u8 fam;

	if (!(given & NFV_GIVEN(attr))) {
		if (given & NFV_GIVEN(plen_attr))
			return nfv_fail(e, -EINVAL,
					"prefix length without an address",
					plen_attr, 0);
		return 0;
	}
	/* Longer than any address: out of the attribute's range. */
	if (len > 16)
		return nfv_fail(e, -ERANGE, "address longer than 16 bytes",
				attr, 0);
	if (len != 4 && len != 16)
		return nfv_fail(e, -EINVAL, "address must be 4 or 16 bytes",
				attr, 0);
	fam = len == 4 ? AF_INET : AF_INET6;
	if (*family && *family != fam)
		return nfv_fail(e, -EINVAL, "address family mismatch", attr, 0);
	*family = fam;
	__builtin_memcpy(addr, data, len);
	*plen = given & NFV_GIVEN(plen_attr) ? plen_in : nfv_family_bits(fam);
	if (*plen > nfv_family_bits(fam))
		return nfv_fail(e, -ERANGE, "prefix length too long",
				plen_attr, 0);
	return 0;
}

/* One port range: lo[-hi], hi defaulting to lo, neither: 0-0 (any). */
static inline int nfv_match_range(const struct nfv_match_attrs *a,
				  __u16 lo_attr, __u16 hi_attr, __u16 lo,
				  __u16 hi, __u16 *min, __u16 *max,
				  struct nfv_err *e)
{
	bool has_lo = a->given & NFV_GIVEN(lo_attr);
	bool has_hi = a->given & NFV_GIVEN(hi_attr);

	if (has_hi && !has_lo)
		return nfv_fail(e, -EINVAL, "port range without a low end",
				hi_attr, 0);
	*min = has_lo ? lo : 0;
	*max = has_hi ? hi : *min;
	if (*max < *min)
		return nfv_fail(e, -EINVAL, "port range is empty", hi_attr, 0);
	return 0;
}

/* SPI and SI: the NSH path a rule for a decap nsh port's frames names. */
static inline int nfv_match_nsh(const struct nfv_match_attrs *a,
				struct nfv_match *m, struct nfv_err *e)
{
	if (!(a->given & NFV_GIVEN(NFV_A_FLOW_SPI))) {
		if (a->given & NFV_GIVEN(NFV_A_FLOW_SI))
			return nfv_fail(e, -EINVAL, "si without an spi",
					NFV_A_FLOW_SI, NFV_A_FLOW_SPI);
		return 0;
	}
	if (a->spi > NFV_SPI_MAX)
		return nfv_fail(e, -ERANGE, "spi is 24 bits", NFV_A_FLOW_SPI,
				0);
	if (!(a->given & NFV_GIVEN(NFV_A_FLOW_IN_IFINDEX)))
		return nfv_fail(e, -EINVAL,
				"spi needs an in port (a decap nsh port)", 0,
				NFV_A_FLOW_IN_IFINDEX);
	m->nsh = NFV_RULE_NSH_SPI;
	m->spi = a->spi;
	if (a->given & NFV_GIVEN(NFV_A_FLOW_SI)) {
		if (!a->si)
			return nfv_fail(e, -ERANGE, "si is 1..255",
					NFV_A_FLOW_SI, 0);
		m->nsh |= NFV_RULE_NSH_SI;
		m->si = a->si;
	}
	return 0;
}

/**
 * nfv_match_from_attrs() - check a FLOW request's match and build it
 * @a: the request's attributes
 * @m: the match, zeroed then filled
 * @e: why not, on error
 *
 * The checks, in this order: IN_IFINDEX names a port (-ENODEV), FAMILY
 * is AF_INET or AF_INET6 (-EAFNOSUPPORT), SRC then DST are 4 or 16 bytes
 * of the one family with a prefix length that fits (-ERANGE) and no
 * prefix length comes without its address, port ranges have a low end
 * and are not empty, ports come only with tcp, udp or sctp, and an SPI
 * comes with an ingress port (its decap nsh port), an SI only with an
 * SPI.
 *
 * Return: 0, or a negative errno with @e filled.
 */
static inline int nfv_match_from_attrs(const struct nfv_match_attrs *a,
				       struct nfv_match *m, struct nfv_err *e)
{
	int err;

	__builtin_memset(m, 0, sizeof(*m));
	if (a->given & NFV_GIVEN(NFV_A_FLOW_IN_IFINDEX)) {
		if (!a->in_is_port)
			return nfv_fail(e, -ENODEV,
					"in: device is not a fabric port",
					NFV_A_FLOW_IN_IFINDEX, 0);
		m->in_ifindex = a->in_ifindex;
	}
	if (a->given & NFV_GIVEN(NFV_A_FLOW_PROTO))
		m->proto = a->proto;
	if (a->given & NFV_GIVEN(NFV_A_FLOW_FAMILY)) {
		if (a->family != AF_INET && a->family != AF_INET6)
			return nfv_fail(e, -EAFNOSUPPORT,
					"family must be AF_INET or AF_INET6",
					NFV_A_FLOW_FAMILY, 0);
		m->family = a->family;
	}
	err = nfv_match_addr(a->given, NFV_A_FLOW_SRC, NFV_A_FLOW_SRC_PLEN,
			     a->src, a->src_len, a->src_plen, m->src,
			     &m->src_plen, &m->family, e);
	if (err)
		return err;
	err = nfv_match_addr(a->given, NFV_A_FLOW_DST, NFV_A_FLOW_DST_PLEN,
			     a->dst, a->dst_len, a->dst_plen, m->dst,
			     &m->dst_plen, &m->family, e);
	if (err)
		return err;
	err = nfv_match_range(a, NFV_A_FLOW_SPORT, NFV_A_FLOW_SPORT_MAX,
			      a->sport, a->sport_max, &m->sport,
			      &m->sport_max, e);
	if (err)
		return err;
	err = nfv_match_range(a, NFV_A_FLOW_DPORT, NFV_A_FLOW_DPORT_MAX,
			      a->dport, a->dport_max, &m->dport,
			      &m->dport_max, e);
	if (err)
		return err;
	if ((nfv_match_has_sport(m) || nfv_match_has_dport(m)) &&
	    m->proto != IPPROTO_TCP && m->proto != IPPROTO_UDP &&
	    m->proto != IPPROTO_SCTP)
		return nfv_fail(e, -EINVAL, "ports need proto tcp, udp or sctp",
				0, 0);
	return nfv_match_nsh(a, m, e);
}

/**
 * nfv_match_is_exact() - whether a rule belongs in the exact table
 * @m: a match from nfv_match_from_attrs()
 *
 * Exact rules give the family, the protocol, both full addresses and,
 * for all but ICMP and ICMPv6, one source and one destination port (not
 * 0); ICMP rules give no port.  Everything else is a prefix rule, and so
 * is every rule naming an NSH path.
 */
static inline bool nfv_match_is_exact(const struct nfv_match *m)
{
	__u8 full = nfv_family_bits(m->family);

	if (m->nsh || !m->family || !m->proto || m->src_plen != full ||
	    m->dst_plen != full)
		return false;
	if (m->proto == IPPROTO_ICMP || m->proto == IPPROTO_ICMPV6)
		return !nfv_match_has_sport(m) && !nfv_match_has_dport(m);
	return m->sport && m->dport && m->sport == m->sport_max &&
	       m->dport == m->dport_max;
}

/**
 * nfv_match_specificity() - rank of a prefix rule in the scan order
 * @m: a match
 *
 * Prefix bits, plus 8 for a protocol, 8 for an ingress port, 16 for
 * each port range and 8 for an NSH service index: higher goes first.
 * (Rules with and without an SPI never match the same frame.)
 */
static inline __u16 nfv_match_specificity(const struct nfv_match *m)
{
	return m->src_plen + m->dst_plen + (m->proto ? 8 : 0) +
	       (m->in_ifindex ? 8 : 0) + (nfv_match_has_sport(m) ? 16 : 0) +
	       (nfv_match_has_dport(m) ? 16 : 0) +
	       (m->nsh & NFV_RULE_NSH_SI ? 8 : 0);
}

/**
 * nfv_match_key() - the "nfv_flows" key of an exact rule
 * @m: a match for which nfv_match_is_exact() holds
 * @in_port: the port id of @m->in_ifindex, 0 for any
 * @k: the key, fully written
 */
static inline void nfv_match_key(const struct nfv_match *m, __u16 in_port,
				 struct nfv_flow_key *k)
{
	__builtin_memset(k, 0, sizeof(*k));
	__builtin_memcpy(k->src, m->src, sizeof(k->src));
	__builtin_memcpy(k->dst, m->dst, sizeof(k->dst));
	k->sport = __cpu_to_be16(m->sport);
	k->dport = __cpu_to_be16(m->dport);
	k->in_port = in_port;
	k->proto = m->proto;
	k->family = m->family;
}

/* @plen leading one bits over @words words, in network order. */
static inline void nfv_plen_mask(__u32 *mask, __u8 plen, int words)
{
	__u8 *b = (__u8 *)mask;
	int i, bits = plen;

	for (i = 0; i < 4 * words; i++, bits -= 8)
		b[i] = bits >= 8 ? 0xff : bits > 0 ? (__u8)(0xff << (8 - bits)) : 0;
}

/**
 * nfv_match_rule() - the "nfv_rules" entry of a prefix rule
 * @m: a match
 * @in_port: the port id of @m->in_ifindex, 0 for any
 * @chain: the rule's chain id
 * @r: the rule, fully written; addresses masked to their prefixes and
 *	port ranges as given
 */
static inline void nfv_match_rule(const struct nfv_match *m, __u16 in_port,
				  __u16 chain, struct nfv_prefix_rule *r)
{
	int words = m->family == AF_INET6 ? 4 : 1, i;

	__builtin_memset(r, 0, sizeof(*r));
	nfv_plen_mask(r->src_mask, m->src_plen, words);
	nfv_plen_mask(r->dst_mask, m->dst_plen, words);
	for (i = 0; i < 4; i++) {
		r->src[i] = m->src[i] & r->src_mask[i];
		r->dst[i] = m->dst[i] & r->dst_mask[i];
	}
	r->sport_lo = m->sport;
	r->sport_hi = m->sport_max;
	r->dport_lo = m->dport;
	r->dport_hi = m->dport_max;
	r->in_port = in_port;
	r->proto = m->proto;
	r->family = m->family;
	r->chain = chain;
	r->nsh = m->nsh;
	r->si = m->si;
	r->spi = m->spi;
}

/* Start an empty rule array. */
static inline void nfv_rules_init(struct nfv_rules *rs)
{
	__builtin_memset(rs, 0, sizeof(*rs));
}

/**
 * nfv_rules_add() - put a prefix rule into its place in the scan order
 * @rs: the array, fed the rules in insertion order
 * @m: the rule's match
 * @in_port: the port id of @m->in_ifindex, 0 for any
 * @chain: the rule's chain id
 *
 * After every rule of at least the same specificity: the scan order is
 * most specific first, first added first among equals.
 *
 * Return: 0, or -ENOSPC when @rs holds NFV_PREFIX_RULES_MAX rules.
 */
static inline int nfv_rules_add(struct nfv_rules *rs,
				const struct nfv_match *m, __u16 in_port,
				__u16 chain)
{
	__u16 spec = nfv_match_specificity(m);
	int j;

	if (rs->n >= NFV_PREFIX_RULES_MAX)
		return -ENOSPC;
	for (j = rs->n; j > 0 && rs->spec[j - 1] < spec; j--) {
		rs->spec[j] = rs->spec[j - 1];
		rs->rule[j] = rs->rule[j - 1];
	}
	rs->spec[j] = spec;
	nfv_match_rule(m, in_port, chain, &rs->rule[j]);
	rs->n++;
	return 0;
}

/**
 * nfv_flow_admit() - whether a FLOW_NEW with a checked match may be stored
 * @m: the match, from nfv_match_from_attrs()
 * @chain: CHAIN, 0 when absent
 * @exists: a rule with this match is stored already
 * @room: what the tables hold
 * @e: why not, on error
 *
 * Return: 0, -EINVAL without a chain, -EEXIST for a duplicate, -ENOSPC
 * when the table the rule belongs in is full; @e filled on error.
 */
static inline int nfv_flow_admit(const struct nfv_match *m, __u16 chain,
				 bool exists, const struct nfv_flow_room *room,
				 struct nfv_err *e)
{
	if (!chain)
		return nfv_fail(e, -EINVAL, "missing chain id", 0,
				NFV_A_FLOW_CHAIN);
	if (exists)
		return nfv_fail(e, -EEXIST, "a flow with this match exists",
				0, 0);
	if (nfv_match_is_exact(m)) {
		if (room->n_exact >= room->max_exact)
			return nfv_fail(e, -ENOSPC, "flow table full", 0, 0);
	} else if (room->n_rules >= NFV_PREFIX_RULES_MAX) {
		return nfv_fail(e, -ENOSPC, "too many prefix rules (max "
				NFV_STR(NFV_PREFIX_RULES_MAX) ")", 0, 0);
	}
	return 0;
}

/**
 * nfv_flow_idle_check() - whether a rule may have an idle timeout
 * @m: the match, from nfv_match_from_attrs()
 * @idle_ms: IDLE_TIMEOUT, 0 when absent
 * @e: why not, on error
 *
 * The classifier marks exact entries only (nfv_flow_val.used): a prefix
 * rule cannot tell when its last frame went.
 *
 * Return: 0, or -EINVAL with @e filled.
 */
static inline int nfv_flow_idle_check(const struct nfv_match *m,
				      __u32 idle_ms, struct nfv_err *e)
{
	if (idle_ms && !nfv_match_is_exact(m))
		return nfv_fail(e, -EINVAL,
				"an idle timeout needs an exact rule (a full 5-tuple)",
				0, NFV_A_FLOW_IDLE_TIMEOUT);
	return 0;
}

/**
 * nfv_flow_del_check() - whether a FLOW_DEL finds its rule
 * @exists: a rule with the request's match is stored
 * @e: why not, on error
 *
 * Return: 0, or -ENOENT with @e filled.
 */
static inline int nfv_flow_del_check(bool exists, struct nfv_err *e)
{
	return exists ? 0 : nfv_fail(e, -ENOENT, "no such flow", 0, 0);
}

#endif /* _UAPI_LINUX_NFV_MATCH_H */
