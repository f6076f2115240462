// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl flow add | del | show
 *
 * Requests (flow attribute set), each match attribute only if given:
 *   add   FLOW_NEW (NLM_F_CREATE|NLM_F_EXCL)  IN_IFINDEX, PROTO, FAMILY,
 *         SRC + SRC_PLEN, DST + DST_PLEN, SPORT + SPORT_MAX,
 *         DPORT + DPORT_MAX, SPI, SI; CHAIN
 *   del   FLOW_DEL  the same match, no CHAIN
 *   show  FLOW_GET  dump; with -s, then "offload show" (nfvd's OFFLOAD_GET
 *         dump): the flows taken off their chain, after the rules
 * Addresses are sent with host bits cleared; FAMILY whenever an address
 * is given.  Replies: one FLOW_GET message per rule, EXACT flag set for
 * rules of the exact table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "nfvctl.h"

/* uapi/nfv.yaml, flow idle-timeout's max. */
#define IDLE_TIMEOUT_MAX_MS	86400000u

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl flow add MATCH chain ID [idle-timeout MS]\n"
		"       nfvctl flow del MATCH [chain ID]\n"
		"       nfvctl flow show [-s[tats]]\n"
		"MATCH := [in DEV] [proto PROTO] [src PFX] [dst PFX] [sport PORTS] [dport PORTS]\n"
		"         [spi SPI [si SI]]\n"
		"PROTO := tcp | udp | icmp | icmpv6 | sctp | 1..255\n"
		"PFX := IPv4 or IPv6 address [/LEN]   (LEN := 0..32 or 0..128)\n"
		"PORTS := N | N-M   (N, M := 0..65535; needs proto tcp, udp or sctp)\n"
		"spi: frames a decap nsh port DEV (in DEV) took out of NSH on path\n"
		"SPI (0..%u), SI 1..255 if given; no other rule takes those.\n"
		"ID := 1..%d\n"
		"A full 5-tuple goes to the exact table, anything else is a prefix rule.\n"
		"idle-timeout: an exact rule goes after MS (1..%u) without a frame (sent to\n"
		"nfvd, which sweeps them, whatever the backend).\n"
		"show: \"owner nf N\" marks a rule NF N installed (nfv_flow_add()).\n"
		"-s: the offloaded flows too, after the rules (nfvctl offload show).\n",
		NFV_SPI_MAX, NFV_CHAIN_MAX, IDLE_TIMEOUT_MAX_MS);
}

/* ---- parsing ---- */

struct prefix {
	uint8_t addr[16];
	uint8_t family;
	uint8_t len;
};

static int get_proto(struct nfvctl_req *req, const char *s, uint8_t *proto)
{
	static const struct {
		const char *name;
		uint8_t proto;
	} names[] = {
		{ "tcp", IPPROTO_TCP },
		{ "udp", IPPROTO_UDP },
		{ "icmp", IPPROTO_ICMP },
		{ "icmpv6", IPPROTO_ICMPV6 },
		{ "sctp", IPPROTO_SCTP },
	};
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*proto = names[i].proto;
			return 0;
		}
	}
	if (get_u32(s, 1, 255, &v))
		return invarg(req, "invalid proto \"%s\": must be tcp, udp, icmp, icmpv6, sctp or 1..255",
			      s);
	*proto = (uint8_t)v;
	return 0;
}

/* ADDR[/LEN], host bits cleared so that del finds what add stored. */
static int get_prefix(struct nfvctl_req *req, const char *what, const char *s,
		      struct prefix *p)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t len, max, i;

	if (n >= sizeof(addr))
		return invarg(req, "invalid %s \"%s\": not an IPv4 or IPv6 address",
			      what, s);
	memcpy(addr, s, n);
	addr[n] = 0;
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, addr, p->addr) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, p->addr) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		return invarg(req, "invalid %s \"%s\": not an IPv4 or IPv6 address",
			      what, s);
	}
	len = max;
	if (slash && get_u32(slash + 1, 0, max, &len))
		return invarg(req, "invalid %s \"%s\": prefix length must be 0..%u",
			      what, s, max);
	for (i = 0; i < max / 8; i++) {
		int bits = (int)len - (int)i * 8;

		if (bits <= 0)
			p->addr[i] = 0;
		else if (bits < 8)
			p->addr[i] &= (uint8_t)(0xff << (8 - bits));
	}
	p->len = (uint8_t)len;
	return 0;
}

/* N or N-M, 0..65535, not empty, not 0 alone (0 means "any"). */
static int get_ports(struct nfvctl_req *req, const char *what, const char *s,
		     uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(s, '-');
	char first[8];
	uint32_t a, b;

	if (dash && (size_t)(dash - s) < sizeof(first)) {
		memcpy(first, s, (size_t)(dash - s));
		first[dash - s] = 0;
		if (get_u32(first, 0, 65535, &a) ||
		    get_u32(dash + 1, 0, 65535, &b))
			goto bad;
	} else if (dash || get_u32(s, 0, 65535, &a)) {
		goto bad;
	} else {
		b = a;
	}
	if (b < a)
		return invarg(req, "invalid %s \"%s\": empty range", what, s);
	if (!b)
		return invarg(req, "invalid %s \"%s\": port 0 matches nothing (omit %s for any port)",
			      what, s, what);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
bad:
	return invarg(req, "invalid %s \"%s\": must be N or N-M with N, M in 0..65535",
		      what, s);
}

static int put_prefix(struct nfvctl_req *req, uint16_t addr_type,
		      uint16_t len_type, const struct prefix *p)
{
	return req_put(req, addr_type, p->family == AF_INET ? 4 : 16,
		       p->addr) ?:
	       req_put_u8(req, len_type, p->len);
}

/*
 * MATCH [chain ID]: every keyword at most once.  @chain is required for
 * add; del accepts it (a line of "flow show" works) but does not send it.
 */
static int flow_match(int argc, char **argv, struct nfvctl_req *req,
		      bool add)
{
	bool in_seen = false, proto_seen = false, src_seen = false;
	bool dst_seen = false, sport_seen = false, dport_seen = false;
	bool chain_seen = false, idle_seen = false;
	bool spi_seen = false, si_seen = false;
	uint16_t sport[2] = { 0 }, dport[2] = { 0 }, chain = 0;
	uint32_t idle = 0, spi = 0, si = 0;
	struct prefix src = { 0 }, dst = { 0 };
	uint32_t in = 0;
	uint8_t proto = 0;
	int err;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "in")) {
			DUPARG(req, in_seen);
			NEXT_ARG(req);
			err = get_dev(req, *argv, &in);
		} else if (!strcmp(*argv, "proto")) {
			DUPARG(req, proto_seen);
			NEXT_ARG(req);
			err = get_proto(req, *argv, &proto);
		} else if (!strcmp(*argv, "src")) {
			DUPARG(req, src_seen);
			NEXT_ARG(req);
			err = get_prefix(req, "src", *argv, &src);
		} else if (!strcmp(*argv, "dst")) {
			DUPARG(req, dst_seen);
			NEXT_ARG(req);
			err = get_prefix(req, "dst", *argv, &dst);
		} else if (!strcmp(*argv, "sport")) {
			DUPARG(req, sport_seen);
			NEXT_ARG(req);
			err = get_ports(req, "sport", *argv, &sport[0], &sport[1]);
		} else if (!strcmp(*argv, "dport")) {
			DUPARG(req, dport_seen);
			NEXT_ARG(req);
			err = get_ports(req, "dport", *argv, &dport[0], &dport[1]);
		} else if (!strcmp(*argv, "spi")) {
			DUPARG(req, spi_seen);
			NEXT_ARG(req);
			err = get_u32(*argv, 0, NFV_SPI_MAX, &spi) ?
			      invarg(req, "invalid spi \"%s\": must be 0..%u",
				     *argv, NFV_SPI_MAX) : 0;
		} else if (!strcmp(*argv, "si")) {
			DUPARG(req, si_seen);
			NEXT_ARG(req);
			err = get_u32(*argv, 1, 255, &si) ?
			      invarg(req, "invalid si \"%s\": must be 1..255",
				     *argv) : 0;
		} else if (!strcmp(*argv, "chain")) {
			DUPARG(req, chain_seen);
			NEXT_ARG(req);
			err = get_id(req, "chain id", *argv, NFV_CHAIN_MAX, &chain);
		} else if (add && !strcmp(*argv, "idle-timeout")) {
			DUPARG(req, idle_seen);
			NEXT_ARG(req);
			err = get_u32(*argv, 1, IDLE_TIMEOUT_MAX_MS, &idle) ?
			      invarg(req, "invalid idle-timeout \"%s\" (1..%u ms)",
				     *argv, IDLE_TIMEOUT_MAX_MS) : 0;
		} else {
			return invarg(req, "unknown keyword \"%s\" in flow %s",
				      *argv, add ? "add" : "del");
		}
		if (err)
			return err;
	}
	if (add && !chain_seen)
		return invarg(req, "missing \"chain ID\": flow add MATCH chain ID");
	if (src_seen && dst_seen && src.family != dst.family)
		return invarg(req, "src and dst must be of the same address family");
	if ((sport_seen || dport_seen) && proto != IPPROTO_TCP &&
	    proto != IPPROTO_UDP && proto != IPPROTO_SCTP)
		return invarg(req, "sport and dport need proto tcp, udp or sctp");
	if (si_seen && !spi_seen)
		return invarg(req, "si needs spi: in DEV spi SPI si SI");
	if (spi_seen && !in_seen)
		return invarg(req, "spi needs \"in DEV\": the decap nsh port");

	req_start(req, add ? NFV_CMD_FLOW_NEW : NFV_CMD_FLOW_DEL,
		  add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	/* nfvd sweeps idle rules, whatever the backend (nfv.ko refuses). */
	if (idle)
		req->nfvd = true;
	return (in_seen ? req_put_u32(req, NFV_A_FLOW_IN_IFINDEX, in) : 0) ?:
	       (proto_seen ? req_put_u8(req, NFV_A_FLOW_PROTO, proto) : 0) ?:
	       (src_seen || dst_seen ?
		req_put_u8(req, NFV_A_FLOW_FAMILY,
			   src_seen ? src.family : dst.family) : 0) ?:
	       (src_seen ? put_prefix(req, NFV_A_FLOW_SRC,
				      NFV_A_FLOW_SRC_PLEN, &src) : 0) ?:
	       (dst_seen ? put_prefix(req, NFV_A_FLOW_DST,
				      NFV_A_FLOW_DST_PLEN, &dst) : 0) ?:
	       (sport_seen ? req_put_u16(req, NFV_A_FLOW_SPORT, sport[0]) ?:
			     req_put_u16(req, NFV_A_FLOW_SPORT_MAX, sport[1]) : 0) ?:
	       (dport_seen ? req_put_u16(req, NFV_A_FLOW_DPORT, dport[0]) ?:
			     req_put_u16(req, NFV_A_FLOW_DPORT_MAX, dport[1]) : 0) ?:
	       (spi_seen ? req_put_u32(req, NFV_A_FLOW_SPI, spi) : 0) ?:
	       (si_seen ? req_put_u8(req, NFV_A_FLOW_SI, (uint8_t)si) : 0) ?:
	       (add ? req_put_u16(req, NFV_A_FLOW_CHAIN, chain) : 0) ?:
	       (idle ? req_put_u32(req, NFV_A_FLOW_IDLE_TIMEOUT, idle) : 0);
}

/* ---- printing ---- */

static void print_prefix(const char *key, const struct nlattr *addr,
			 const struct nlattr *plen)
{
	int family = mnl_attr_get_payload_len(addr) == 4 ? AF_INET : AF_INET6;
	char s[INET6_ADDRSTRLEN + 4], fmt[16];
	size_t n;

	inet_ntop(family, mnl_attr_get_payload(addr), s, INET6_ADDRSTRLEN);
	n = strlen(s);
	snprintf(s + n, sizeof(s) - n, "/%u",
		 plen ? mnl_attr_get_u8(plen) : family == AF_INET ? 32 : 128);
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	print_string(PRINT_ANY, key, fmt, s);
}

/* A single port as a number, a range as "N-M" (what "flow add" takes). */
static void print_ports(const char *key, const struct nlattr *lo,
			const struct nlattr *hi)
{
	uint16_t a = mnl_attr_get_u16(lo), b = hi ? mnl_attr_get_u16(hi) : a;
	char s[16], fmt[16];

	if (a == b) {
		snprintf(fmt, sizeof(fmt), " %s %%llu", key);
		print_uint(PRINT_ANY, key, fmt, a);
		return;
	}
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	snprintf(s, sizeof(s), "%u-%u", a, b);
	print_string(PRINT_ANY, key, fmt, s);
}

/*
 * [in DEV] [proto P] [src PFX] [dst PFX] [sport ..] [dport ..] [spi N
 * [si N]] chain ID [exact]
 */
void flow_print_match(const struct nlattr *const *tb)
{
	char buf[IF_NAMESIZE];

	if (tb[NFV_A_FLOW_IN_IFINDEX])
		print_string(PRINT_ANY, "in", " in %s",
			     ifname(mnl_attr_get_u32(tb[NFV_A_FLOW_IN_IFINDEX]),
				    buf));
	if (tb[NFV_A_FLOW_PROTO])
		print_string(PRINT_ANY, "proto", " proto %s",
			     proto_name(mnl_attr_get_u8(tb[NFV_A_FLOW_PROTO]),
					buf, sizeof(buf)));
	if (tb[NFV_A_FLOW_SRC])
		print_prefix("src", tb[NFV_A_FLOW_SRC], tb[NFV_A_FLOW_SRC_PLEN]);
	if (tb[NFV_A_FLOW_DST])
		print_prefix("dst", tb[NFV_A_FLOW_DST], tb[NFV_A_FLOW_DST_PLEN]);
	if (tb[NFV_A_FLOW_SPORT])
		print_ports("sport", tb[NFV_A_FLOW_SPORT],
			    tb[NFV_A_FLOW_SPORT_MAX]);
	if (tb[NFV_A_FLOW_DPORT])
		print_ports("dport", tb[NFV_A_FLOW_DPORT],
			    tb[NFV_A_FLOW_DPORT_MAX]);
	if (tb[NFV_A_FLOW_SPI])
		print_uint(PRINT_ANY, "spi", " spi %llu",
			   mnl_attr_get_u32(tb[NFV_A_FLOW_SPI]));
	if (tb[NFV_A_FLOW_SI])
		print_uint(PRINT_ANY, "si", " si %llu",
			   mnl_attr_get_u8(tb[NFV_A_FLOW_SI]));
	if (tb[NFV_A_FLOW_CHAIN])
		print_uint(PRINT_ANY, "chain", " chain %llu",
			   mnl_attr_get_u16(tb[NFV_A_FLOW_CHAIN]));
	print_bool(PRINT_ANY, "exact", " exact", tb[NFV_A_FLOW_EXACT]);
	if (tb[NFV_A_FLOW_IDLE_TIMEOUT])
		print_uint(PRINT_ANY, "idle_timeout_ms", " idle-timeout %llu",
			   mnl_attr_get_u32(tb[NFV_A_FLOW_IDLE_TIMEOUT]));
	if (tb[NFV_A_FLOW_OWNER])
		print_uint(PRINT_ANY, "owner", " owner nf %llu",
			   mnl_attr_get_u16(tb[NFV_A_FLOW_OWNER]));
}

/* flow MATCH chain ID [exact] */
static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	int err;

	err = genl_parse(nlh, &nfv_flow_nl_set, tb);
	if (err)
		return err;

	print_open_object(NULL);
	print_string(PRINT_FP, NULL, "%s", "flow");
	flow_print_match(tb);
	print_close_object();
	print_nl();
	return 0;
}

int parse_flow(int argc, char **argv, struct nfvctl_req *req)
{
	const char *cmd = argc > 0 ? *argv : "show";

	req->usage = usage;
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "add") || !strcmp(cmd, "del"))
		return flow_match(argc, argv, req, !strcmp(cmd, "add"));
	if (!strcmp(cmd, "show")) {
		static const char *const offloaded[] = { "offload", "show",
							 NULL };

		if (argc > 0 && (!strcmp(*argv, "-s") ||
				 !strcmp(*argv, "-stats"))) {
			req->then = offloaded;
			req->key = "flows";
			req->then_key = "offloaded";
			argc--;
			argv++;
		}
		if (argc > 0)
			return invarg(req, "unexpected argument \"%s\" after flow show",
				      *argv);
		req_dump(req, show_cb);
		req_start(req, NFV_CMD_FLOW_GET, NLM_F_DUMP);
		return 0;
	}
	if (!strcmp(cmd, "help"))
		return NFVCTL_HELP;
	return invarg(req, "unknown command \"%s\" for flow: must be add, del or show",
		      cmd);
}
