// SPDX-License-Identifier: GPL-2.0
/*
 * nfvctl save: the running configuration as an "nfvctl -batch" file.
 *
 * Three dumps (PORT_GET, CHAIN_GET, FLOW_GET) of whichever backend
 * answers, written back as the command lines that make them:
 *
 *   port add DEV mode M [default-chain ID] fail F csum C [steer-arp]
 *            [decap vlan | decap vxlan port N [vni N]]
 *   chain add ID HOP... [override deny]
 *   flow add MATCH chain ID
 *
 * in that order, which "nfvctl -batch" (and nfvd --config) can apply to
 * an empty fabric: a port's default chain need not exist yet, a chain's
 * out hop needs its port, a flow names its chain.  Ports come in the
 * order of their ids, so that a fabric whose port ids have no gaps gets
 * the same ids back (requests cannot ask for an id).
 *
 * What is not configuration is not saved: NFs and their services (NFs
 * attach themselves), offloaded flows (taken off their chain by the
 * traffic), counters.  Nothing is printed unless every dump succeeded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "backend.h"
#include "nfvctl.h"
#include "save.h"

/* The text of the three sections, and the port names of out hops. */
struct save {
	char *port_line[NFV_PORT_MAX];	/* by port id */
	char port_name[NFV_PORT_MAX][IF_NAMESIZE];
	FILE *chains;
	FILE *flows;
	char *chains_text, *flows_text;
	size_t chains_len, flows_len;
};

/* port add DEV mode M [default-chain ID] fail F csum C [steer-arp] [decap] */
static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_PORT_MAX + 1];
	struct save *s = data;
	char name[IF_NAMESIZE], *line = NULL;
	uint32_t flags;
	uint16_t id;
	uint8_t decap;
	size_t len;
	FILE *f;
	int err;

	err = genl_parse(nlh, &nfv_port_nl_set, tb);
	if (err)
		return err;
	if (!tb[NFV_A_PORT_ID] || (!tb[NFV_A_PORT_NAME] &&
				   !tb[NFV_A_PORT_IFINDEX]))
		return -EPROTO;
	id = mnl_attr_get_u16(tb[NFV_A_PORT_ID]);
	if (!id || id >= NFV_PORT_MAX || s->port_line[id])
		return -EPROTO;
	if (tb[NFV_A_PORT_NAME])
		snprintf(name, sizeof(name), "%s",
			 mnl_attr_get_str(tb[NFV_A_PORT_NAME]));
	else
		ifname(mnl_attr_get_u32(tb[NFV_A_PORT_IFINDEX]), name);
	/* One word of a line (netdev names never hold these). */
	if (!*name || strpbrk(name, " \t\r\n#"))
		return -EPROTO;
	flags = tb[NFV_A_PORT_FLAGS] ? mnl_attr_get_u32(tb[NFV_A_PORT_FLAGS]) : 0;
	decap = tb[NFV_A_PORT_DECAP] ? mnl_attr_get_u8(tb[NFV_A_PORT_DECAP]) :
				       NFV_PORT_DECAP_NONE;
	if (decap >= __NFV_PORT_DECAP_MAX)
		return -EPROTO;	/* a newer server's: no line says it */

	f = open_memstream(&line, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "port add %s mode %s", name,
		tb[NFV_A_PORT_MODE] &&
		mnl_attr_get_u8(tb[NFV_A_PORT_MODE]) == NFV_PORT_MODE_GENERIC ?
		"generic" : "native");
	if (tb[NFV_A_PORT_DEFAULT_CHAIN] &&
	    mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]))
		fprintf(f, " default-chain %u",
			mnl_attr_get_u16(tb[NFV_A_PORT_DEFAULT_CHAIN]));
	fprintf(f, " fail %s csum %s",
		flags & NFV_PORT_F_FAIL_CLOSED ? "closed" : "open",
		flags & NFV_PORT_F_NOCSUM ? "keep" : "fix");
	if (flags & NFV_PORT_F_STEER_ARP)
		fprintf(f, " steer-arp");
	if (decap != NFV_PORT_DECAP_NONE)
		fprintf(f, " decap %s", port_decap_names[decap]);
	if (decap == NFV_PORT_DECAP_VXLAN && tb[NFV_A_PORT_VXLAN_PORT])
		fprintf(f, " port %u",
			mnl_attr_get_u16(tb[NFV_A_PORT_VXLAN_PORT]));
	if (decap == NFV_PORT_DECAP_VXLAN && tb[NFV_A_PORT_VNI])
		fprintf(f, " vni %u", mnl_attr_get_u32(tb[NFV_A_PORT_VNI]));
	fputc('\n', f);
	if (fclose(f)) {
		free(line);
		return -ENOMEM;
	}
	s->port_line[id] = line;
	memcpy(s->port_name[id], name, sizeof(name));
	return 0;
}

/* One hop: " service N", " tap service N", " out DEV", " drop". */
static int save_hop(struct save *s, const struct nlattr *nest)
{
	const struct nlattr *tb[NFV_A_HOP_MAX + 1];
	char name[IF_NAMESIZE];
	uint16_t port;
	bool nsh;
	int err;

	err = nest_parse(nest, &nfv_hop_nl_set, tb);
	if (err)
		return err;
	if (!tb[NFV_A_HOP_TYPE])
		return -EPROTO;
	switch (mnl_attr_get_u8(tb[NFV_A_HOP_TYPE])) {
	case NFV_HOP_SERVICE:
	case NFV_HOP_TAP:
		if (!tb[NFV_A_HOP_SERVICE])
			return -EPROTO;
		fprintf(s->chains, " %sservice %u",
			mnl_attr_get_u8(tb[NFV_A_HOP_TYPE]) == NFV_HOP_TAP ?
			"tap " : "",
			mnl_attr_get_u16(tb[NFV_A_HOP_SERVICE]));
		return 0;
	case NFV_HOP_OUT:
	case NFV_HOP_NSH:
		nsh = mnl_attr_get_u8(tb[NFV_A_HOP_TYPE]) == NFV_HOP_NSH;
		if (nsh && !tb[NFV_A_HOP_SPI])
			return -EPROTO;
		/* The port's name, as the port's own line has it. */
		port = tb[NFV_A_HOP_PORT] ? mnl_attr_get_u16(tb[NFV_A_HOP_PORT]) : 0;
		if (port && port < NFV_PORT_MAX && s->port_name[port][0])
			fprintf(s->chains, " %s %s", nsh ? "nsh" : "out",
				s->port_name[port]);
		else if (tb[NFV_A_HOP_IFINDEX] &&
			 if_indextoname(mnl_attr_get_u32(tb[NFV_A_HOP_IFINDEX]),
					name))
			fprintf(s->chains, " %s %s", nsh ? "nsh" : "out", name);
		else
			return -EPROTO;	/* a port no line adds */
		if (nsh)
			fprintf(s->chains, " %u",
				mnl_attr_get_u32(tb[NFV_A_HOP_SPI]));
		return 0;
	case NFV_HOP_DROP:
		fprintf(s->chains, " drop");
		return 0;
	}
	return -EPROTO;
}

/* chain add ID HOP... [override deny] */
static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_CHAIN_MAX + 1], *attr;
	struct save *s = data;
	uint32_t flags;
	int err, hops = 0;

	err = genl_parse(nlh, &nfv_chain_nl_set, tb);
	if (err)
		return err;
	if (!tb[NFV_A_CHAIN_ID])
		return -EPROTO;
	fprintf(s->chains, "chain add %u", mnl_attr_get_u16(tb[NFV_A_CHAIN_ID]));
	genl_attr_for_each(attr, nlh) {
		if (mnl_attr_get_type(attr) != NFV_A_CHAIN_HOP)
			continue;
		err = save_hop(s, attr);
		if (err)
			return err;
		hops++;
	}
	if (!hops)
		return -EPROTO;
	flags = tb[NFV_A_CHAIN_FLAGS] ? mnl_attr_get_u32(tb[NFV_A_CHAIN_FLAGS]) : 0;
	if (flags & NFV_CHAIN_F_NO_OVERRIDE)
		fprintf(s->chains, " override deny");
	fputc('\n', s->chains);
	return 0;
}

static void save_prefix(FILE *f, const char *key, const struct nlattr *addr,
			const struct nlattr *plen)
{
	int family = mnl_attr_get_payload_len(addr) == 4 ? AF_INET : AF_INET6;
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family, mnl_attr_get_payload(addr), a, sizeof(a));
	fprintf(f, " %s %s/%u", key, a,
		plen ? mnl_attr_get_u8(plen) : family == AF_INET ? 32 : 128);
}

static void save_ports(FILE *f, const char *key, const struct nlattr *lo,
		       const struct nlattr *hi)
{
	uint16_t a = mnl_attr_get_u16(lo), b = hi ? mnl_attr_get_u16(hi) : a;

	if (a == b)
		fprintf(f, " %s %u", key, a);
	else
		fprintf(f, " %s %u-%u", key, a, b);
}

/*
 * flow add [in DEV] [proto P] [src PFX] [dst PFX] [sport P] [dport P]
 *	chain ID [idle-timeout MS]
 */
static int flow_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFV_A_FLOW_MAX + 1];
	struct save *s = data;
	char buf[IF_NAMESIZE];
	int err;

	err = genl_parse(nlh, &nfv_flow_nl_set, tb);
	if (err)
		return err;
	if (!tb[NFV_A_FLOW_CHAIN])
		return -EPROTO;
	/* An NF's rule is its own: it installs it again (flow_owner.c). */
	if (tb[NFV_A_FLOW_OWNER])
		return 0;
	if ((tb[NFV_A_FLOW_SRC] && mnl_attr_get_payload_len(tb[NFV_A_FLOW_SRC]) != 4 &&
	     mnl_attr_get_payload_len(tb[NFV_A_FLOW_SRC]) != 16) ||
	    (tb[NFV_A_FLOW_DST] && mnl_attr_get_payload_len(tb[NFV_A_FLOW_DST]) != 4 &&
	     mnl_attr_get_payload_len(tb[NFV_A_FLOW_DST]) != 16))
		return -EPROTO;
	fprintf(s->flows, "flow add");
	if (tb[NFV_A_FLOW_IN_IFINDEX]) {
		if (!if_indextoname(mnl_attr_get_u32(tb[NFV_A_FLOW_IN_IFINDEX]),
				    buf))
			return -ENODEV;	/* its device is gone: no line adds it */
		fprintf(s->flows, " in %s", buf);
	}
	if (tb[NFV_A_FLOW_PROTO])
		fprintf(s->flows, " proto %s",
			proto_name(mnl_attr_get_u8(tb[NFV_A_FLOW_PROTO]), buf,
				   sizeof(buf)));
	if (tb[NFV_A_FLOW_SRC])
		save_prefix(s->flows, "src", tb[NFV_A_FLOW_SRC],
			    tb[NFV_A_FLOW_SRC_PLEN]);
	if (tb[NFV_A_FLOW_DST])
		save_prefix(s->flows, "dst", tb[NFV_A_FLOW_DST],
			    tb[NFV_A_FLOW_DST_PLEN]);
	if (tb[NFV_A_FLOW_SPORT])
		save_ports(s->flows, "sport", tb[NFV_A_FLOW_SPORT],
			   tb[NFV_A_FLOW_SPORT_MAX]);
	if (tb[NFV_A_FLOW_DPORT])
		save_ports(s->flows, "dport", tb[NFV_A_FLOW_DPORT],
			   tb[NFV_A_FLOW_DPORT_MAX]);
	if (tb[NFV_A_FLOW_SPI])
		fprintf(s->flows, " spi %u", mnl_attr_get_u32(tb[NFV_A_FLOW_SPI]));
	if (tb[NFV_A_FLOW_SI])
		fprintf(s->flows, " si %u", mnl_attr_get_u8(tb[NFV_A_FLOW_SI]));
	fprintf(s->flows, " chain %u", mnl_attr_get_u16(tb[NFV_A_FLOW_CHAIN]));
	if (tb[NFV_A_FLOW_IDLE_TIMEOUT])
		fprintf(s->flows, " idle-timeout %u",
			mnl_attr_get_u32(tb[NFV_A_FLOW_IDLE_TIMEOUT]));
	fprintf(s->flows, "\n");
	return 0;
}

int save_run(struct backend *b, const char *backend, FILE *out, char *err,
	     size_t n)
{
	struct save *s = calloc(1, sizeof(*s));
	const char *ext = NULL, *what = "ports";
	int ret, i;

	if (!s) {
		snprintf(err, n, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	s->chains = open_memstream(&s->chains_text, &s->chains_len);
	s->flows = open_memstream(&s->flows_text, &s->flows_len);
	ret = !s->chains || !s->flows ? -ENOMEM : 0;
	if (!ret)
		ret = backend_dump(b, NFV_CMD_PORT_GET, port_cb, s, &ext);
	if (!ret) {
		what = "chains";
		ret = backend_dump(b, NFV_CMD_CHAIN_GET, chain_cb, s, &ext);
	}
	if (!ret) {
		what = "flows";
		ret = backend_dump(b, NFV_CMD_FLOW_GET, flow_cb, s, &ext);
	}
	if (s->chains && fclose(s->chains) && !ret)
		ret = -ENOMEM;
	if (s->flows && fclose(s->flows) && !ret)
		ret = -ENOMEM;
	if (ret) {
		snprintf(err, n, "save: cannot read the %s of the %s backend: %s",
			 what, backend,
			 ext ?: ret == -EPROTO ? "malformed reply" :
			 strerror(-ret));
	} else {
		fprintf(out, "# nfvctl save: the configuration of the %s backend\n",
			backend);
		fprintf(out, "# Apply to an empty fabric: nfvctl -batch FILE, or nfvd --config FILE\n");
		for (i = 1; i < NFV_PORT_MAX; i++)
			if (s->port_line[i])
				fputs(s->port_line[i], out);
		fwrite(s->chains_text, 1, s->chains_len, out);
		fwrite(s->flows_text, 1, s->flows_len, out);
		if (fflush(out))
			ret = -errno;
		if (ret)
			snprintf(err, n, "save: %s", strerror(-ret));
	}
	for (i = 0; i < NFV_PORT_MAX; i++)
		free(s->port_line[i]);
	free(s->chains_text);
	free(s->flows_text);
	free(s);
	return ret;
}
