// SPDX-License-Identifier: GPL-2.0
/*
 * Safer first steps.  A fabric port takes all of its netdev's traffic:
 *
 * - "fail closed" on the port that carries the host's default route cuts
 *   the host off (SSH included) whenever nfvd stops: nfvctl refuses it
 *   without -force.
 * - A default chain whose services have no NF up drops everything the
 *   port receives until one attaches: nfvctl says so after the port add
 *   (a warning on stderr; the port is added, as asked).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/nfv.h>
#include <libmnl/libmnl.h>

#include "first_steps.h"
#include "nfvctl.h"

#define RTF_UP_		0x0001
#define RTF_REJECT_	0x0200

/* A usable route: up, not a reject (such as IPv6's "unreachable ::/0 dev lo"). */
static bool usable(unsigned long flags)
{
	return (flags & RTF_UP_) && !(flags & RTF_REJECT_);
}

/* Does @dev carry a default route (IPv4 or IPv6) in this namespace? */
static bool default_route_dev(const char *dev)
{
	char line[512], ifname[IFNAMSIZ + 1], dst[64], plen[8];
	unsigned long d, mask, flags;
	bool found = false;
	FILE *f;

	f = fopen("/proc/net/route", "r");
	if (f) {
		/* Iface Destination Gateway Flags RefCnt Use Metric Mask ... */
		while (!found && fgets(line, sizeof(line), f))
			if (sscanf(line, "%16s %lx %*s %lx %*s %*s %*s %lx",
				   ifname, &d, &flags, &mask) == 4 && !d &&
			    !mask && usable(flags) && !strcmp(ifname, dev))
				found = true;
		fclose(f);
	}
	f = fopen("/proc/net/ipv6_route", "r");
	if (f) {
		/* dst plen src plen nexthop metric refcnt use flags iface */
		while (!found && fgets(line, sizeof(line), f))
			if (sscanf(line, "%63s %7s %*s %*s %*s %*s %*s %*s %lx %16s",
				   dst, plen, &flags, ifname) == 4 &&
			    !strcmp(plen, "00") && strspn(dst, "0") == 32 &&
			    usable(flags) && !strcmp(ifname, dev))
				found = true;
		fclose(f);
	}
	return found;
}

static const struct nlattr *genl_attr(const struct nlmsghdr *nlh,
				      uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

/*
 * Before a PORT_NEW: 0, or -EPERM with @err set when it asks for fail
 * closed on the default route's netdev and -force was not given.
 */
int port_new_refuse(const struct nlmsghdr *nlh, bool force, char *err,
		    size_t len)
{
	const struct nlattr *name = genl_attr(nlh, NFV_A_PORT_NAME);
	const struct nlattr *flags = genl_attr(nlh, NFV_A_PORT_FLAGS);

	if (force || !name || !flags ||
	    !(mnl_attr_get_u32(flags) & NFV_PORT_F_FAIL_CLOSED) ||
	    !default_route_dev(mnl_attr_get_str(name)))
		return 0;
	snprintf(err, len,
		 "%s carries the default route: with fail closed the host loses it (SSH included) whenever nfvd stops; add -force to do it anyway",
		 mnl_attr_get_str(name));
	return -EPERM;
}

struct services {
	uint16_t sid[NFV_HOPS_MAX];
	int n;
};

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct services *s = data;
	const struct nlattr *a, *h;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		uint8_t type = 0;
		uint16_t sid = 0;

		if (mnl_attr_get_type(a) != NFV_A_CHAIN_HOP)
			continue;
		mnl_attr_for_each_nested(h, a) {
			if (mnl_attr_get_type(h) == NFV_A_HOP_TYPE &&
			    !mnl_attr_validate(h, MNL_TYPE_U8))
				type = mnl_attr_get_u8(h);
			if (mnl_attr_get_type(h) == NFV_A_HOP_SERVICE &&
			    !mnl_attr_validate(h, MNL_TYPE_U16))
				sid = mnl_attr_get_u16(h);
		}
		if (type == NFV_HOP_SERVICE && sid && s->n < NFV_HOPS_MAX)
			s->sid[s->n++] = sid;
	}
	return MNL_CB_OK;
}

static int ignore_cb(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_OK;
}

/* One GET (not a dump) of @cmd for @attr = @id; its reply to @cb. */
static int get_one(struct backend *b, uint8_t cmd, uint16_t attr,
		   uint16_t id, backend_cb_t cb, void *data)
{
	static union {
		char buf[512];
		struct nlmsghdr align;
	} msg;
	struct nfvctl_req req = { .buf = msg.buf, .size = sizeof(msg.buf) };
	const char *ext;
	int err;

	memset(msg.buf, 0, sizeof(msg.buf));
	req_start(&req, cmd, 0);
	err = req_put_u16(&req, attr, id) ?: backend_send(b, req.nlh);
	return err ?: backend_recv(b, cb, data, &ext);
}

/* After a PORT_NEW that worked: warn if its default chain drops all. */
void port_new_warn(struct backend *b, const struct nlmsghdr *nlh,
		   const char *where)
{
	const struct nlattr *chain = genl_attr(nlh, NFV_A_PORT_DEFAULT_CHAIN);
	const struct nlattr *name = genl_attr(nlh, NFV_A_PORT_NAME);
	struct services s = { .n = 0 };
	uint16_t id;
	int i;

	if (!chain || !name || !mnl_attr_get_u16(chain))
		return;
	id = mnl_attr_get_u16(chain);
	if (get_one(b, NFV_CMD_CHAIN_GET, NFV_A_CHAIN_ID, id, chain_cb, &s) ==
	    -ENOENT) {
		fprintf(stderr, "nfvctl: %swarning: default chain %u does not exist yet: %s drops all its traffic until it does\n",
			where ?: "", id, mnl_attr_get_str(name));
		return;
	}
	for (i = 0; i < s.n; i++)
		if (get_one(b, NFV_CMD_SERVICE_GET, NFV_A_SERVICE_ID, s.sid[i],
			    ignore_cb, NULL) == -ENOENT)
			fprintf(stderr, "nfvctl: %swarning: service %u of default chain %u has no NF up: %s drops all its traffic until one attaches\n",
				where ?: "", s.sid[i], id,
				mnl_attr_get_str(name));
}
