// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl offload show | flush | del
 *
 * Offloaded flows are nfvd's alone (tools/nfvd/offload.c: it holds the
 * NFs' verdicts and the nfv_offload map), so these requests go to nfvd's
 * socket whatever the backend (req->nfvd).
 *
 * Requests (offload attribute set):
 *   show   OFFLOAD_GET  dump
 *   flush  OFFLOAD_DEL  no attribute: every offloaded flow (root)
 *   del    OFFLOAD_DEL  IN_IFINDEX, PROTO, FAMILY, SRC, DST, SPORT, DPORT:
 *                       that one direction of a flow (root)
 * Replies: one OFFLOAD_GET message per offloaded flow.  A flow taken
 * back goes through its chain again; its NFs may offload it anew.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "nfvctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nfvctl offload show\n"
		"       nfvctl offload flush\n"
		"       nfvctl offload del FLOW\n"
		"FLOW := in DEV proto PROTO src ADDR dst ADDR sport PORT dport PORT\n"
		"PROTO := tcp | udp\n"
		"ADDR := IPv4 or IPv6 address   PORT := 0..65535\n"
		"Flows whose NFs all said they need them no more, forwarded port to\n"
		"port (nfvd only); del and flush send them through their chain again.\n");
}

/* ---- parsing ---- */

static int get_addr(struct nfvctl_req *req, const char *what, const char *s,
		    uint8_t *addr, uint8_t *family)
{
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return invarg(req, "invalid %s \"%s\": not an IPv4 or IPv6 address (no prefix)",
		      what, s);
}

static int get_port(struct nfvctl_req *req, const char *what, const char *s,
		    uint16_t *port)
{
	uint32_t v;

	if (get_u32(s, 0, 65535, &v))
		return invarg(req, "invalid %s \"%s\": must be 0..65535", what,
			      s);
	*port = (uint16_t)v;
	return 0;
}

/* del in DEV proto P src A dst B sport N dport N: all of them, once. */
static int offload_del(int argc, char **argv, struct nfvctl_req *req)
{
	static const char *const needed[] = { "in", "proto", "src", "dst",
					      "sport", "dport" };
	bool seen[6] = { false };
	uint8_t src[16] = { 0 }, dst[16] = { 0 }, sfam = 0, dfam = 0, proto = 0;
	uint16_t sport = 0, dport = 0;
	uint32_t in = 0;
	size_t i;
	int err;

	for (; argc > 0; argc--, argv++) {
		for (i = 0; i < 6 && strcmp(*argv, needed[i]); i++)
			;
		if (i == 6)
			return invarg(req, "unknown keyword \"%s\" in offload del",
				      *argv);
		DUPARG(req, seen[i]);
		NEXT_ARG(req);
		switch (i) {
		case 0:
			err = get_dev(req, *argv, &in);
			break;
		case 1:
			if (!strcmp(*argv, "tcp"))
				proto = IPPROTO_TCP;
			else if (!strcmp(*argv, "udp"))
				proto = IPPROTO_UDP;
			else
				return invarg(req, "invalid proto \"%s\": must be tcp or udp (only they are offloaded)",
					      *argv);
			err = 0;
			break;
		case 2:
			err = get_addr(req, "src", *argv, src, &sfam);
			break;
		case 3:
			err = get_addr(req, "dst", *argv, dst, &dfam);
			break;
		case 4:
			err = get_port(req, "sport", *argv, &sport);
			break;
		default:
			err = get_port(req, "dport", *argv, &dport);
			break;
		}
		if (err)
			return err;
	}
	for (i = 0; i < 6; i++)
		if (!seen[i])
			return invarg(req, "missing \"%s\": offload del takes a whole flow (in, proto, src, dst, sport, dport)",
				      needed[i]);
	if (sfam != dfam)
		return invarg(req, "src and dst must be of the same address family");

	req_start(req, NFV_CMD_OFFLOAD_DEL, 0);
	return req_put_u32(req, NFV_A_OFFLOAD_IN_IFINDEX, in) ?:
	       req_put_u8(req, NFV_A_OFFLOAD_PROTO, proto) ?:
	       req_put_u8(req, NFV_A_OFFLOAD_FAMILY, sfam) ?:
	       req_put(req, NFV_A_OFFLOAD_SRC, sfam == AF_INET ? 4 : 16, src) ?:
	       req_put(req, NFV_A_OFFLOAD_DST, sfam == AF_INET ? 4 : 16, dst) ?:
	       req_put_u16(req, NFV_A_OFFLOAD_SPORT, sport) ?:
	       req_put_u16(req, NFV_A_OFFLOAD_DPORT, dport);
}

/* ---- printing ---- */

static void print_addr(const char *key, const struct nlattr *a)
{
	char s[INET6_ADDRSTRLEN], fmt[16];
	int family = mnl_attr_get_payload_len(a) == 4 ? AF_INET : AF_INET6;

	inet_ntop(family, mnl_attr_get_payload(a), s, sizeof(s));
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	print_string(PRINT_ANY, key, fmt, s);
}

/*
 * offload in DEV proto P src A dst B sport N dport N chain ID out DEV
 *         packets N bytes N idle_ms N [ended] voters NF...
 * The words up to dport are what "offload del" takes.
 */
static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_OFFLOAD_MAX + 1];
	char buf[IF_NAMESIZE];
	int err;

	err = genl_parse(nlh, &nfv_offload_nl_set, tb);
	if (err)
		return err;

	print_open_object(NULL);
	print_string(PRINT_FP, NULL, "%s", "offload");
	if (tb[NFV_A_OFFLOAD_IN_IFINDEX])
		print_string(PRINT_ANY, "in", " in %s",
			     ifname(mnl_attr_get_u32(tb[NFV_A_OFFLOAD_IN_IFINDEX]),
				    buf));
	if (tb[NFV_A_OFFLOAD_PROTO])
		print_string(PRINT_ANY, "proto", " proto %s",
			     proto_name(mnl_attr_get_u8(tb[NFV_A_OFFLOAD_PROTO]),
					buf, sizeof(buf)));
	if (tb[NFV_A_OFFLOAD_FAMILY]) {
		uint8_t family = mnl_attr_get_u8(tb[NFV_A_OFFLOAD_FAMILY]);

		/* Text: the addresses say it. */
		if (family == AF_INET || family == AF_INET6)
			print_string(PRINT_JSON, "family", NULL,
				     family == AF_INET ? "inet" : "inet6");
		else
			print_uint(PRINT_JSON, "family", NULL, family);
	}
	if (tb[NFV_A_OFFLOAD_SRC])
		print_addr("src", tb[NFV_A_OFFLOAD_SRC]);
	if (tb[NFV_A_OFFLOAD_DST])
		print_addr("dst", tb[NFV_A_OFFLOAD_DST]);
	if (tb[NFV_A_OFFLOAD_SPORT])
		print_uint(PRINT_ANY, "sport", " sport %llu",
			   mnl_attr_get_u16(tb[NFV_A_OFFLOAD_SPORT]));
	if (tb[NFV_A_OFFLOAD_DPORT])
		print_uint(PRINT_ANY, "dport", " dport %llu",
			   mnl_attr_get_u16(tb[NFV_A_OFFLOAD_DPORT]));
	if (tb[NFV_A_OFFLOAD_CHAIN])
		print_uint(PRINT_ANY, "chain", " chain %llu",
			   mnl_attr_get_u16(tb[NFV_A_OFFLOAD_CHAIN]));
	if (tb[NFV_A_OFFLOAD_OUT_IFINDEX])
		print_string(PRINT_ANY, "out", " out %s",
			     ifname(mnl_attr_get_u32(tb[NFV_A_OFFLOAD_OUT_IFINDEX]),
				    buf));
	if (tb[NFV_A_OFFLOAD_PACKETS])
		print_uint(PRINT_ANY, "packets", " packets %llu",
			   mnl_attr_get_u64(tb[NFV_A_OFFLOAD_PACKETS]));
	if (tb[NFV_A_OFFLOAD_BYTES])
		print_uint(PRINT_ANY, "bytes", " bytes %llu",
			   mnl_attr_get_u64(tb[NFV_A_OFFLOAD_BYTES]));
	if (tb[NFV_A_OFFLOAD_IDLE_MS])
		print_uint(PRINT_ANY, "idle_ms", " idle_ms %llu",
			   mnl_attr_get_u32(tb[NFV_A_OFFLOAD_IDLE_MS]));
	print_bool(PRINT_ANY, "ended", " ended", tb[NFV_A_OFFLOAD_ENDED]);
	/* multi-attr: tb[] holds one, the message all of them. */
	print_u16_list(nlh, NFV_A_OFFLOAD_VOTER, "voters");
	print_close_object();
	print_nl();
	return 0;
}

int parse_offload(int argc, char **argv, struct nfvctl_req *req)
{
	const char *cmd = argc > 0 ? *argv : "show";

	req->usage = usage;
	req->nfvd = true;
	if (argc > 0) {
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "show")) {
		if (argc > 0)
			return invarg(req, "unexpected argument \"%s\" after offload show",
				      *argv);
		req_dump(req, show_cb);
		req_start(req, NFV_CMD_OFFLOAD_GET, NLM_F_DUMP);
		return 0;
	}
	if (!strcmp(cmd, "flush")) {
		if (argc > 0)
			return invarg(req, "unexpected argument \"%s\" after offload flush",
				      *argv);
		req_start(req, NFV_CMD_OFFLOAD_DEL, 0);
		return 0;
	}
	if (!strcmp(cmd, "del"))
		return offload_del(argc, argv, req);
	if (!strcmp(cmd, "help"))
		return NFVCTL_HELP;
	return invarg(req, "unknown command \"%s\" for offload: must be show, flush or del",
		      cmd);
}
